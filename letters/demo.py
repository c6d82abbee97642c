"""Demo letters: the COP-2 invitations to the demo focal points (Zambia, Peru), rendered and
e-mailed at once (eager Celery; under `make run` the mail lands in var/mail), through the bulk
send meetings registers. Confirmation letters to COP-2's accredited participants are left for
the staff member to send from the admin (Letters › Letter batches › "Send confirmation letters
to all accredited participants")."""

from accounts.models import User

from .bulk import bulk_send
from .models import LetterBatch


def load():
    # The meeting model through letters' own reference to it: letters imports no meetings.
    meeting = LetterBatch.meeting.field.related_model.objects.filter(code="cop-2").first()
    invitations = bulk_send("invitations")
    if meeting is None or invitations is None:
        return {}
    by = User.objects.filter(email="admin@demo.mercury.test").first()
    batch = invitations.send(meeting=meeting, by=by)
    return {"COP-2 invitation letters": batch.letters.count() if batch else 0}
