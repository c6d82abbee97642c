import re

from django.db.models import Count, Q

from .enums import LetterStatus, MailStatus
from .models import Letter, LetterBatch

_CODE = re.compile(r"^[A-Za-z0-9_-]{20,64}$")


def letter_for_verification(*, code: str) -> Letter | None:
    """The letter a verification code names, or None. Malformed codes never reach the database."""
    if not _CODE.match(code or ""):
        return None
    return Letter.objects.select_related("meeting").filter(verification_code=code).first()


def letters_for_user(*, user):
    """Every letter issued to the user (rendered, with its PDF), also one whose e-mail bounced."""
    return (
        Letter.objects.filter(recipient_user=user)
        .exclude(sha256="")
        .select_related("meeting")
        .order_by("-created")
    )


def batch_progress_annotations() -> dict:
    return {
        "total": Count("letters"),
        "queued": Count("letters", filter=Q(letters__status=LetterStatus.QUEUED)),
        "rendered": Count("letters", filter=Q(letters__status=LetterStatus.RENDERED)),
        "sent": Count("letters", filter=Q(letters__status=LetterStatus.SENT)),
        "failed": Count("letters", filter=Q(letters__status=LetterStatus.FAILED)),
    }


def batch_progress(*, batch_id: int) -> dict:
    """How far a bulk send got: letters queued, rendered (waiting for the mail), sent, failed."""
    return LetterBatch.objects.filter(pk=batch_id).aggregate(**batch_progress_annotations())


def mails_in_flight_count() -> int:
    from .models import OutgoingMail

    return OutgoingMail.objects.filter(status__in=[MailStatus.QUEUED, MailStatus.SENDING]).count()
