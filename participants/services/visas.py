"""Visa support: the delegate's request (with their passport, encrypted at rest), the
secretariat's approval (which queues the letter) or refusal, and the purge of passport data."""

import calendar
import datetime as dt
import logging

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from letters.enums import LetterKind
from letters.selectors import letter_ids_with_pdf
from letters.services.purging import letters_pdf_purge
from outbox.services import mails_redact

from ..enums import ACCREDITED_STATUSES, RegistrationStatus, VisaStatus
from ..errors import VisaError
from ..models import Registration, VisaRequest
from .participation import online_refusal
from .transition import locked, queue_letter, transition

S = RegistrationStatus
logger = logging.getLogger(__name__)


def _six_months_after(day: dt.date) -> dt.date:
    """The same day six calendar months later, or that month's last day when it has no such day
    (31 August -> 28 or 29 February)."""
    month = day.month + 6
    year = day.year + (month - 1) // 12
    month = (month - 1) % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def visa_request_check(*, registration, passport_number, passport_issued, passport_expires) -> str:
    """The passport must be valid at least six months after the meeting ends (the usual consular
    rule): until the day six months after the meeting's last day, that day included (a passport
    expiring on it is accepted, one expiring the day before refused). Its expiry must come after
    its date of issue (the same day is refused). Returns the passport number as stored (no
    spaces, upper case)."""
    if not registration.is_active:
        raise VisaError(_("This registration is no longer active."))
    if registration.is_online:
        raise VisaError(online_refusal(registration, _("visa support letter")))
    number = "".join(str(passport_number or "").split()).upper()
    if not number:
        raise VisaError({"passport_number": _("Enter the passport number.")})
    if passport_issued and passport_expires and passport_expires <= passport_issued:
        raise VisaError({"passport_expires": _("The expiry date must be after the date of issue.")})
    valid_until = _six_months_after(registration.meeting.end_date)
    if passport_expires < valid_until:
        raise VisaError(
            {"passport_expires": _("The passport must be valid until at least %(date)s, six months after the "
                                   "meeting ends.") % {"date": f"{valid_until:%d %B %Y}"}}
        )  # fmt: skip
    return number


@transaction.atomic
def visa_request_create(
    *, registration, by, passport_number, passport_country, passport_issued, passport_expires, embassy
) -> VisaRequest:
    """A delegate asks for a visa support letter (again, after a refusal, with new passport data)."""
    number = visa_request_check(
        registration=registration, passport_number=passport_number, passport_issued=passport_issued,
        passport_expires=passport_expires,
    )  # fmt: skip
    passport = {
        "passport_number": number, "passport_country": passport_country, "passport_issued": passport_issued,
        "passport_expires": passport_expires, "embassy": embassy, "refusal_reason": "",
    }  # fmt: skip
    existing = VisaRequest.objects.filter(registration=registration).first()
    if existing is not None:
        if not existing.can_request_again:
            raise VisaError(_("A visa support request already exists for this registration."))
        visa = transition(existing, "request_again", by=by, changes=passport)
    else:
        visa = VisaRequest(registration=registration, status=VisaStatus.REQUESTED, **passport)
        visa._history_user = by
        visa.save()
    if not registration.visa_letter_requested:
        Registration.objects.filter(pk=registration.pk).update(visa_letter_requested=True)
    return visa


@transaction.atomic
def visa_request_approve(*, visa, by) -> VisaRequest:
    current = locked(visa)
    if current.can_approve:
        if current.registration.status not in (S.NOMINATED, *ACCREDITED_STATUSES):
            raise VisaError(_("A visa letter is issued only to nominated or accredited participants."))
        if current.purged_at:
            raise VisaError(_("The passport data of this request has been purged."))
        if current.registration.is_online:
            raise VisaError(online_refusal(current.registration, _("visa support letter")))
    result = transition(visa, "approve", by=by, changes={"decided_by": by, "decided_at": timezone.now()})
    queue_letter("visa", result.registration, by)
    return result


@transaction.atomic
def visa_request_refuse(*, visa, by, reason: str) -> VisaRequest:
    return transition(
        visa, "refuse", by=by,
        changes={"refusal_reason": reason[:300], "decided_by": by, "decided_at": timezone.now()},
    )  # fmt: skip


# The passport facts a visa letter's record keeps (participants.letters): they go with the rest.
VISA_LETTER_PASSPORT_FACTS = ("passport_expiry", "nationality")


def passport_data_purge(*, today: dt.date | None = None) -> int:
    """Erase passport data of requests whose meeting ended more than PASSPORT_PURGE_DAYS ago,
    and every copy of the number: the visa letters' stored PDFs (deleted: letters keep the
    letter on record, verifiable, without its file), their e-mails' attachments, and the number
    wherever a mail to the delegate or the letter's record still carries it. Returns how many
    requests were purged."""
    today = today or timezone.localdate()
    cutoff = today - dt.timedelta(days=getattr(settings, "PASSPORT_PURGE_DAYS", 30))
    due = VisaRequest.objects.filter(
        purged_at__isnull=True, registration__meeting__end_date__lt=cutoff
    ).select_related("registration")
    purged = 0
    for visa in due.iterator():
        number = visa.passport_number
        redact = [number] if number else []
        # The copies first: if anything fails, the request still holds the number, so the next
        # day's run finds it again and redacts with it.
        letters_pdf_purge(
            letter_ids=letter_ids_with_pdf(
                kind=LetterKind.VISA, registration_ids=[visa.registration_id], with_pdf=False
            ),
            redact=redact,
            forget=VISA_LETTER_PASSPORT_FACTS,
        )
        with transaction.atomic():
            if redact:
                mails_redact(where=Q(to__iexact=visa.registration.email), redact=redact)
            visa.passport_number = None
            visa.passport_country = None
            visa.passport_issued = visa.passport_expires = None
            visa.purged_at = timezone.now()
            visa._change_reason = "passport data purged"
            visa.save()
        purged += 1
    # Visa letters of those meetings still stored: purged before their letters went with the
    # data, rendered since, or whose registration is gone.
    letters_pdf_purge(
        letter_ids=letter_ids_with_pdf(kind=LetterKind.VISA, meeting_ended_before=cutoff),
        forget=VISA_LETTER_PASSPORT_FACTS,
    )
    if purged:
        logger.info("Passport data purged from %d visa requests.", purged)
    return purged
