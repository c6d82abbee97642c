"""Demo letters: the COP-2 invitations to the demo focal points (Zambia, Peru), rendered and
e-mailed at once (eager Celery; under `make run` the mail lands in var/mail). Confirmation
letters to COP-2's accredited participants are left for the staff member to send from the admin
(Letters › Letter batches › "Send confirmation letters to all accredited participants")."""

from meetings.models import Meeting

from .services import letter_batch_invite_parties


def load():
    meeting = Meeting.objects.filter(code="cop-2").first()
    if meeting is None:
        return {}
    from accounts.models import User

    by = User.objects.filter(email="admin@demo.mercury.test").first()
    invitations = letter_batch_invite_parties(meeting=meeting, by=by)
    return {"COP-2 invitation letters": invitations.letters.count() if invitations else 0}
