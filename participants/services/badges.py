"""Badges and check-in: issuing a badge moves an accredited participant on (a POST, never the
download of the PDF); scanning it at the desk records the day's attendance."""

import datetime as dt
from dataclasses import dataclass

from django.core import signing
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..enums import BADGE_HOLDER_STATUSES, REGISTRATION_TRANSITIONS, RegistrationStatus
from ..errors import RegistrationError
from ..models import Attendance, Registration
from .participation import online_refusal
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
    if current.is_online:
        raise RegistrationError(online_refusal(current, _("badge")))
    return transition(registration, "issue_badge", by=by, changes={"status_note": ""})


@dataclass(frozen=True)
class BadgesIssued:
    issued: int
    # Registrations no longer accredited when their turn came (withdrawn, declined meanwhile).
    skipped: int
    # Accredited participants taking part online: no badge.
    online: int = 0


@transaction.atomic
def registration_issue_badges(*, meeting, by) -> BadgesIssued:
    """Issue the badges of every accredited participant of `meeting` (a POST from the desk);
    the PDF is rendered afterwards, by another request, outside this transaction.

    The accredited rows are locked first, all at once and in a fixed order (a row withdrawn
    meanwhile no longer matches and is left out); one that cannot move when its turn comes is
    counted as skipped rather than failing the whole batch."""
    due = list(
        Registration.objects.select_for_update(of=("self",))
        .filter(meeting=meeting, status__in=REGISTRATION_TRANSITIONS.sources_of("issue_badge"))
        .order_by("pk")
    )
    online = [r for r in due if r.is_online]
    due = [r for r in due if not r.is_online]
    issued = skipped = 0
    for registration in due:
        try:
            transition(registration, "issue_badge", by=by, changes={"status_note": ""})
        except RegistrationError:
            skipped += 1
        else:
            issued += 1
    return BadgesIssued(issued=issued, skipped=skipped, online=len(online))


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
