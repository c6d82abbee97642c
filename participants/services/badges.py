"""Badges and check-in: issuing a badge moves an accredited participant on (a POST, never the
download of the PDF); scanning it at the desk records the day's attendance."""

import datetime as dt

from django.core import signing
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..enums import BADGE_HOLDER_STATUSES, RegistrationStatus
from ..errors import RegistrationError
from ..models import Attendance, Registration
from .transition import locked, transition

S = RegistrationStatus
BADGE_SALT = "participants.badge"


def badge_token(registration) -> str:
    """The QR code's content: the registration and its meeting, signed with the SECRET_KEY."""
    return signing.dumps({"r": registration.pk, "m": registration.meeting_id}, salt=BADGE_SALT, compress=True)


@transaction.atomic
def registration_issue_badge(*, registration, by) -> Registration:
    """Issuing moves an accredited participant on; issuing again (a reprint) changes nothing."""
    current = locked(registration)
    if current.status in BADGE_HOLDER_STATUSES:
        return current
    return transition(registration, "issue_badge", by=by, changes={"status_note": ""})


@transaction.atomic
def registration_issue_badges(*, meeting, by) -> int:
    """Issue the badges of every accredited participant of `meeting` (a POST from the desk);
    the PDF is rendered afterwards, by another request, outside this transaction."""
    issued = 0
    for registration in Registration.objects.filter(meeting=meeting, status=S.ACCREDITED).order_by("pk"):
        registration_issue_badge(registration=registration, by=by)
        issued += 1
    return issued


@transaction.atomic
def registration_check_in(
    *, meeting, token: str, by, day: dt.date | None = None
) -> tuple[Registration, bool]:
    """Record that the badge holder is present today. Returns (registration, first time today)."""
    token = (token or "").strip()
    try:
        payload = signing.loads(token, salt=BADGE_SALT)
    except signing.BadSignature as exc:
        raise RegistrationError({"token": _("This badge code is not valid.")}) from exc
    if payload.get("m") != meeting.pk:
        raise RegistrationError({"token": _("This badge is for another meeting.")})
    registration = Registration.objects.filter(pk=payload.get("r"), meeting=meeting).first()
    if registration is None:
        raise RegistrationError({"token": _("This badge code is not valid.")})
    current = locked(registration)
    if current.can_check_in:
        current = transition(current, "check_in", by=by, changes={"status_note": ""})
    elif current.status != S.CHECKED_IN:
        raise RegistrationError(
            {"token": _("%(name)s is “%(status)s”: no check-in.")
             % {"name": current.full_name, "status": current.get_status_display()}}
        )  # fmt: skip
    day = day or timezone.localdate(timezone=meeting.tz)
    _attendance, created = Attendance.objects.get_or_create(
        registration=current, day=day, defaults={"checked_in_by": by}
    )
    return current, created
