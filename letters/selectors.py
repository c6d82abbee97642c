import re

from django.db.models import Count, Q

from outbox.enums import PENDING_STATUSES, MailStatus

from .enums import LetterStatus
from .models import Letter, LetterBatch

_CODE = re.compile(r"^[A-Za-z0-9_-]{20,64}$")


def letter_by_pk(pk: int) -> Letter | None:
    """One letter by its key, or None."""
    return Letter.objects.filter(pk=pk).first()


def letter_for_verification(*, code: str) -> Letter | None:
    """The letter a verification code names, or None. Malformed codes never reach the database."""
    if not _CODE.match(code or ""):
        return None
    return Letter.objects.select_related("meeting").filter(verification_code=code).first()


def letters_for_user(*, user):
    """Every letter issued to the user (rendered, with its PDF), also one whose e-mail bounced,
    with its delivery (`letter.delivery_status`) joined."""
    return (
        Letter.objects.filter(recipient_user=user)
        .exclude(sha256="")
        .select_related("meeting", "mail")
        .order_by("-created")
    )


def undelivered_letters(prefix: str = "") -> Q:
    """Letters that will not reach their recipient without staff: not rendered, or rendered with
    their e-mail failed for good. `prefix` reaches them through a relation ("letters__")."""
    return Q(**{f"{prefix}status": LetterStatus.FAILED}) | Q(
        **{f"{prefix}status": LetterStatus.RENDERED, f"{prefix}mail__status": MailStatus.FAILED}
    )


def batch_progress_annotations() -> dict:
    """How far a batch's letters got: the letter's own status until it is rendered, then its
    e-mail's (outbox) status. A revoked letter counts in the total and as revoked only."""
    rendered = Q(letters__status=LetterStatus.RENDERED)
    return {
        "total": Count("letters"),
        "revoked": Count("letters", filter=Q(letters__status=LetterStatus.REVOKED)),
        "to_render": Count("letters", filter=Q(letters__status=LetterStatus.QUEUED)),
        "mailing": Count(
            "letters",
            filter=rendered & (Q(letters__mail__isnull=True) | Q(letters__mail__status__in=PENDING_STATUSES)),
        ),
        "delivered": Count("letters", filter=rendered & Q(letters__mail__status=MailStatus.SENT)),
        "undelivered": Count("letters", filter=undelivered_letters("letters__")),
    }


def batch_progress(*, batch_id: int) -> dict:
    """How far a bulk send got: letters waiting to be rendered, rendered with their e-mail on its
    way (mailing), delivered, and undelivered (not rendered, or their e-mail failed)."""
    return LetterBatch.objects.filter(pk=batch_id).aggregate(**batch_progress_annotations())


def letter_ids_with_pdf(
    *, kind: str, registration_ids=None, meeting_ended_before=None, with_pdf: bool = True
) -> list[int]:
    """The letters of `kind` whose PDF is still stored (all of them with `with_pdf=False`): of
    these registrations, or of meetings that ended before a date (for the purge of the personal
    data they print)."""
    letters = Letter.objects.filter(kind=kind)
    if with_pdf:
        letters = letters.exclude(pdf="")
    if registration_ids is not None:
        letters = letters.filter(registration_id__in=list(registration_ids))
    if meeting_ended_before is not None:
        letters = letters.filter(meeting__end_date__lt=meeting_ended_before)
    return list(letters.order_by("pk").values_list("pk", flat=True))
