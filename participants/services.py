"""Every write of the participants app. Each status change is one function that locks the row,
checks the transition, saves, records who did it (simple-history) and queues what follows after
commit. Views, admin actions, imports and tasks call these; nothing else sets `status`."""

import datetime as dt
import logging
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import roles
from accounts.models import FocalPoint

from .enums import (
    ACCREDITED_STATUSES,
    OBSERVER_CAPACITIES,
    STATE_CAPACITIES,
    Capacity,
    ObserverStatus,
    RegistrationStatus,
)
from .models import (
    Attendance,
    FocalPointInvitation,
    MeetingParticipationSettings,
    NominationLetter,
    ObserverApplication,
    Organisation,
    Registration,
)

logger = logging.getLogger(__name__)
S = RegistrationStatus


class RegistrationError(ValidationError):
    """A refused change, with a message fit to show to the person who asked for it."""


# --- Registration --------------------------------------------------------------------------------


def meeting_settings(meeting) -> MeetingParticipationSettings:
    found = getattr(meeting, "_participation_settings", None)
    if found is None:
        found, _created = MeetingParticipationSettings.objects.get_or_create(meeting=meeting)
        meeting._participation_settings = found
    return found


def registration_is_open(meeting, *, now=None) -> bool:
    from meetings.enums import MeetingStatus

    now = now or timezone.now()
    if meeting.status != MeetingStatus.REGISTRATION_OPEN:
        return False
    if meeting.registration_opens and now < meeting.registration_opens:
        return False
    return not (meeting.registration_closes and now >= meeting.registration_closes)


REGISTRATION_FIELDS = (
    "capacity", "country", "organisation", "delegation_role", "title", "first_name", "last_name",
    "function", "department", "email", "phone", "address", "gender", "arrival", "departure",
    "funding_requested", "visa_letter_requested", "publish_contact",
)  # fmt: skip


def _check_capacity(meeting, capacity, country, organisation):
    if capacity in STATE_CAPACITIES:
        if country is None:
            raise RegistrationError({"country": _("Name the State you represent.")})
        is_party = country.is_party_on(meeting.start_date)
        if capacity == Capacity.PARTY and not is_party:
            raise RegistrationError(
                {"capacity": _("%(state)s is not a Party to the Convention on the meeting's dates.")
                 % {"state": country.name}}
            )  # fmt: skip
        if capacity == Capacity.NON_PARTY_STATE and is_party:
            raise RegistrationError(
                {
                    "capacity": _("%(state)s is a Party: register as a Party delegate.")
                    % {"state": country.name}
                }
            )
    elif organisation is None and capacity != Capacity.SECRETARIAT:
        raise RegistrationError({"organisation": _("Name the organisation you represent.")})


def registration_create(
    *, meeting, user, by, check_window: bool = True, status=S.PRE_REGISTERED, **data
) -> Registration:
    """Register `user` for `meeting`. Delegates and focal points may only do so while
    registration is open; staff (check_window=False) at any time."""
    if check_window and not registration_is_open(meeting):
        raise RegistrationError(_("Registration for this meeting is not open."))
    unknown = set(data) - set(REGISTRATION_FIELDS)
    if unknown:
        raise TypeError(f"unknown registration fields: {sorted(unknown)}")
    capacity = data.get("capacity")
    if capacity not in STATE_CAPACITIES:
        data["country"] = None
    _check_capacity(meeting, capacity, data.get("country"), data.get("organisation"))
    data.setdefault("first_name", user.first_name)
    data.setdefault("last_name", user.last_name)
    data.setdefault("email", user.email)
    registration = Registration(meeting=meeting, user=user, status=status, created_by=by, **data)
    registration._history_user = by
    try:
        with transaction.atomic():
            registration.save()
    except IntegrityError as exc:
        if "registration_one_per_person_per_meeting" in str(exc):
            raise RegistrationError(
                _("%(email)s is already registered for this meeting (one registration per person).")
                % {"email": user.email}
            ) from exc
        raise
    if registration.funding_requested and registration.capacity == Capacity.PARTY:
        funding_request_create(registration=registration, by=by)
    return registration


def registration_update(*, registration: Registration, by, as_delegate: bool = True, **data) -> Registration:
    if as_delegate and registration.is_locked_for_delegate:
        raise RegistrationError(
            _("This registration is accredited and can no longer be changed by the delegate.")
        )
    from .enums import FundingStatus
    from .models import FundingRequest

    stored = Registration.objects.values("status", "capacity", "country_id", "organisation_id").get(
        pk=registration.pk
    )
    if as_delegate and stored["status"] != S.PRE_REGISTERED:
        changed = (
            ("capacity" in data and data["capacity"] != stored["capacity"])
            or ("country" in data and getattr(data["country"], "pk", None) != stored["country_id"])
            or (
                "organisation" in data
                and getattr(data["organisation"], "pk", None) != stored["organisation_id"]
            )
        )
        if changed:
            raise RegistrationError(
                {"capacity": _("You have been nominated: the capacity and the State or organisation represented "
                               "can no longer change.")}
            )  # fmt: skip
    ticketed = FundingRequest.objects.filter(
        registration_id=registration.pk,
        status__in=[FundingStatus.TICKET_ISSUED, FundingStatus.DSA_PAID, FundingStatus.CLOSED],
    ).exists()
    if ticketed:
        stored = Registration.objects.values("arrival", "departure").get(pk=registration.pk)
        if any(k in data and data[k] != stored[k] for k in ("arrival", "departure")):
            raise RegistrationError(
                {"arrival": _("The ticket has been issued: the itinerary can no longer change.")}
            )
    for key, value in data.items():
        if key not in REGISTRATION_FIELDS:
            raise TypeError(key)
        setattr(registration, key, value)
    _check_capacity(
        registration.meeting, registration.capacity, registration.country, registration.organisation
    )
    registration._history_user = by
    registration.save()
    if registration.funding_requested and registration.capacity == Capacity.PARTY:
        # Asked for later than at registration: the request exists from now on, as it would have
        # (funding_request_create finds one already made).
        funding_request_create(registration=registration, by=by)
    return registration


def _locked(registration) -> Registration:
    # Lock the registration row only: FOR UPDATE cannot reach the nullable joined rows.
    return (
        Registration.objects.select_for_update(of=("self",))
        .select_related("meeting", "country", "organisation")
        .get(pk=registration.pk)
    )


def _transition(registration, *, allowed, to, by, note="", changes=None) -> Registration:
    locked = _locked(registration)
    if locked.status not in allowed:
        raise RegistrationError(
            _("A registration that is “%(current)s” cannot become “%(target)s”.")
            % {"current": locked.get_status_display(), "target": S(to).label}
        )
    locked.status = to
    locked.status_note = note[:300]
    for field, value in (changes or {}).items():
        setattr(locked, field, value)
    locked._history_user = by
    locked._change_reason = f"{S(to).label}"
    locked.save()
    registration.status = locked.status
    registration.status_note = locked.status_note
    return locked


def _queue_letter(kind, registration, by):
    """The letters app renders and mails confirmation and visa letters; call it if it exists."""
    from letters import services as letter_services

    letter_request = getattr(letter_services, "letter_request", None)
    if letter_request is None:
        return
    registration_id, by_id = registration.pk, getattr(by, "pk", None)

    def queue():
        user = get_user_model().objects.filter(pk=by_id).first()
        letter_request(kind=kind, registration=Registration.objects.get(pk=registration_id), by=user)

    transaction.on_commit(queue)


@transaction.atomic
def registration_nominate(*, registration, by, letter: NominationLetter, role: str = "") -> Registration:
    """The focal point nominates a pre-registered delegate of their State, with the letter."""
    if letter is None:
        raise RegistrationError({"letter": _("Upload the nomination letter or note verbale.")})
    if registration.capacity not in STATE_CAPACITIES:
        raise RegistrationError(_("Only delegates of States are nominated by a focal point."))
    if letter.country_id != registration.country_id or letter.meeting_id != registration.meeting_id:
        raise RegistrationError({"letter": _("The letter must be from the same State for the same meeting.")})
    changes = {"nomination_letter": letter, "delegation_role": role or registration.delegation_role}
    locked = _transition(registration, allowed={S.PRE_REGISTERED}, to=S.NOMINATED, by=by, changes=changes)
    return locked


@transaction.atomic
def registration_accredit(*, registration, by) -> Registration:
    """The secretariat validated the nomination (or the organisation's admission)."""
    current = _locked(registration)
    if current.capacity in STATE_CAPACITIES:
        allowed = {S.NOMINATED}
        if current.status == S.PRE_REGISTERED:
            raise RegistrationError(
                _("%(name)s has not been nominated by the focal point of %(state)s yet.")
                % {"name": current.full_name, "state": current.country.name}
            )
    else:
        allowed = {S.PRE_REGISTERED, S.NOMINATED}
        if current.capacity in OBSERVER_CAPACITIES and not organisation_is_admitted(
            organisation=current.organisation, meeting=current.meeting
        ):
            raise RegistrationError(
                _("%(org)s is not admitted as an observer: its representatives cannot be accredited.")
                % {"org": current.organisation}
            )
    locked = _transition(current, allowed=allowed, to=S.ACCREDITED, by=by)
    registration.status = locked.status
    _queue_letter("confirmation", locked, by)
    return locked


@transaction.atomic
def registration_decline(*, registration, by, reason: str = "") -> Registration:
    return _transition(
        registration, allowed={S.PRE_REGISTERED, S.NOMINATED, S.ACCREDITED}, to=S.DECLINED, by=by, note=reason
    )


@transaction.atomic
def registration_withdraw(*, registration, by, as_delegate: bool = True) -> Registration:
    if as_delegate:
        allowed = {S.PRE_REGISTERED, S.NOMINATED}
        if registration.status in ACCREDITED_STATUSES:
            raise RegistrationError(_("This registration is accredited: ask the secretariat to withdraw it."))
    else:
        allowed = {S.PRE_REGISTERED, S.NOMINATED, S.ACCREDITED, S.BADGE_ISSUED}
    return _transition(registration, allowed=allowed, to=S.WITHDRAWN, by=by)


@transaction.atomic
def registration_reset(*, registration, by, reason: str = "") -> Registration:
    """Staff only: back to pre-registered (e.g. a wrong nomination)."""
    locked = _transition(
        registration, allowed=set(S) - {S.PRE_REGISTERED}, to=S.PRE_REGISTERED, by=by, note=reason
    )
    return locked


@transaction.atomic
def registration_issue_badge(*, registration, by) -> Registration:
    """Printing a badge moves an accredited participant on; reprinting changes nothing."""
    current = _locked(registration)
    if current.status in (S.BADGE_ISSUED, S.CHECKED_IN):
        return current
    locked = _transition(current, allowed={S.ACCREDITED}, to=S.BADGE_ISSUED, by=by)
    registration.status = locked.status
    return locked


# --- Badges and check-in ---------------------------------------------------------------------------

BADGE_SALT = "participants.badge"


def badge_token(registration) -> str:
    """The QR code's content: the registration and its meeting, signed with the SECRET_KEY."""
    return signing.dumps({"r": registration.pk, "m": registration.meeting_id}, salt=BADGE_SALT, compress=True)


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
    current = _locked(registration)
    if current.status == S.BADGE_ISSUED:
        current = _transition(current, allowed={S.BADGE_ISSUED}, to=S.CHECKED_IN, by=by)
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


# --- Focal points ----------------------------------------------------------------------------------

INVITATION_SALT = "participants.focal-point-invitation"


def focal_point_invitation_token(invitation) -> str:
    return signing.dumps(invitation.pk, salt=INVITATION_SALT)


def focal_point_invite(
    *, country, email: str, by, kind: str = "nfp", language: str = "en"
) -> FocalPointInvitation:
    from django.urls import reverse

    from letters.services import mail_queue

    invitation = FocalPointInvitation.objects.create(
        country=country, email=email.lower(), kind=kind, created_by=by
    )
    link = settings.SITE_URL.rstrip("/") + reverse(
        "participants:focal_point_accept", kwargs={"token": focal_point_invitation_token(invitation)}
    )
    mail_queue(
        to=invitation.email,
        template_prefix="participants/email/focal_point_invitation",
        context={
            "country": country.name_en,
            "link": link,
            "days": getattr(settings, "FOCAL_POINT_INVITATION_DAYS", 14),
        },
        language=language,
        trigger_key=f"focal-point-invitation:{invitation.pk}",
        by=by,
    )
    return invitation


@transaction.atomic
def focal_point_invitation_accept(*, token: str, user) -> FocalPoint:
    try:
        pk = signing.loads(
            token,
            salt=INVITATION_SALT,
            max_age=dt.timedelta(days=getattr(settings, "FOCAL_POINT_INVITATION_DAYS", 14)),
        )
    except signing.SignatureExpired as exc:
        raise RegistrationError(_("This invitation has expired: ask the secretariat for a new one.")) from exc
    except signing.BadSignature as exc:
        raise RegistrationError(_("This invitation link is not valid.")) from exc
    invitation = (
        FocalPointInvitation.objects.select_for_update().select_related("country").filter(pk=pk).first()
    )
    if invitation is None:
        raise RegistrationError(_("This invitation link is not valid."))
    # Personal: only the invited address may use it, and only once.
    if invitation.email.lower() != user.email.lower():
        raise RegistrationError(_("This invitation was sent to another e-mail address."))
    if invitation.accepted_at and invitation.accepted_by_id != user.pk:
        raise RegistrationError(_("This invitation has already been used."))
    focal_point, _created = FocalPoint.objects.get_or_create(
        user=user, country=invitation.country, defaults={"kind": invitation.kind}
    )
    if not focal_point.active:
        focal_point.active = True
        focal_point.save(update_fields=["active"])
    user.groups.add(Group.objects.get_or_create(name=roles.FOCAL_POINT)[0])
    invitation.accepted_by, invitation.accepted_at = user, timezone.now()
    invitation.save(update_fields=["accepted_by", "accepted_at"])
    return focal_point


def person_for_email(*, email: str, first_name: str = "", last_name: str = ""):
    """The person with this e-mail, or a new account without a password (they set one through
    'forgot password'). The same address is always the same person: duplicates are impossible."""
    User = get_user_model()
    email = email.strip().lower()
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        user = User.objects.create_user(
            email=email, password=None, first_name=first_name, last_name=last_name
        )
    return user


def focal_point_pre_register(
    *, meeting, country, by, email: str, check_window: bool = True, **data
) -> Registration:
    """A focal point registers a delegate of their State on the delegate's behalf."""
    user = person_for_email(
        email=email, first_name=data.get("first_name", ""), last_name=data.get("last_name", "")
    )
    capacity = Capacity.PARTY if country.is_party_on(meeting.start_date) else Capacity.NON_PARTY_STATE
    return registration_create(
        meeting=meeting,
        user=user,
        by=by,
        capacity=capacity,
        country=country,
        email=email.strip().lower(),
        check_window=check_window,
        **data,
    )


# --- Nomination letters ----------------------------------------------------------------------------


def _check_pdf(uploaded) -> None:
    import filetype
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    if uploaded.size > settings.UPLOAD_MAX_BYTES:
        raise RegistrationError(
            {
                "letter": _("The file is too large (at most %(mb)s MB).")
                % {"mb": settings.UPLOAD_MAX_BYTES // 2**20}
            }
        )
    uploaded.seek(0)
    head = uploaded.read(2048)
    kind = filetype.guess(head)
    if kind is None or kind.mime != "application/pdf":
        raise RegistrationError({"letter": _("The letter must be a PDF file.")})
    uploaded.seek(0)
    try:
        reader = PdfReader(uploaded)
        if len(reader.pages) < 1:
            raise RegistrationError({"letter": _("The PDF has no pages.")})
    except (PdfReadError, ValueError, KeyError, OSError) as exc:
        raise RegistrationError({"letter": _("The PDF file is damaged and cannot be read.")}) from exc
    uploaded.seek(0)


def nomination_letter_upload(*, meeting, country, uploaded, by) -> NominationLetter:
    _check_pdf(uploaded)
    letter = NominationLetter(
        meeting=meeting, country=country, original_name=(uploaded.name or "letter.pdf")[-200:],
        size=uploaded.size, uploaded_by=by,
    )  # fmt: skip
    letter.file.save("letter.pdf", uploaded, save=False)
    letter.save()
    return letter


# --- Observer organisations ------------------------------------------------------------------------


def organisation_is_admitted(*, organisation, meeting) -> bool:
    """Admitted for this meeting, or at any earlier meeting (no need to apply again)."""
    if organisation is None:
        return False
    return ObserverApplication.objects.filter(
        organisation=organisation, status=ObserverStatus.ADMITTED, meeting__start_date__lte=meeting.start_date
    ).exists()


def observer_apply(*, meeting, organisation: Organisation, by, now=None, **data) -> ObserverApplication:
    now = now or timezone.now()
    deadline = meeting_settings(meeting).observer_deadline
    if deadline and now > deadline:
        raise RegistrationError(
            _("Requests for admission as an observer closed on %(date)s.") % {"date": f"{deadline:%Y-%m-%d}"}
        )
    if organisation_is_admitted(organisation=organisation, meeting=meeting):
        raise RegistrationError(
            _("%(org)s is already admitted as an observer: no need to apply again.") % {"org": organisation}
        )
    try:
        with transaction.atomic():
            return ObserverApplication.objects.create(
                meeting=meeting, organisation=organisation, submitted_by=by, **data
            )
    except IntegrityError as exc:
        raise RegistrationError(
            _("%(org)s has already applied for this meeting.") % {"org": organisation}
        ) from exc


@transaction.atomic
def observer_apply_as(
    *, meeting, name: str, acronym="", kind, website="", contact_email="", by, now=None, **data
) -> ObserverApplication:
    """An organisation's request for admission, typed in by its representative: an organisation
    already on file under that name (in any letter case) is reused, else it is created."""
    name = " ".join(name.split())
    organisation = Organisation.objects.filter(name__iexact=name).first()
    if organisation is None:
        try:
            with transaction.atomic():
                organisation = Organisation.objects.create(
                    name=name, acronym=acronym, kind=kind, website=website, contact_email=contact_email
                )
        except IntegrityError:  # the same name, created a moment ago by another request
            organisation = Organisation.objects.get(name=name)
    return observer_apply(
        meeting=meeting, organisation=organisation, by=by, now=now, contact_email=contact_email, **data
    )


@transaction.atomic
def observer_decide(*, application, admit: bool, by) -> ObserverApplication:
    locked = ObserverApplication.objects.select_for_update().get(pk=application.pk)
    if locked.status != ObserverStatus.REQUESTED:
        raise RegistrationError(_("This request has already been decided."))
    locked.status = ObserverStatus.ADMITTED if admit else ObserverStatus.DECLINED
    locked.decided_by, locked.decided_at = by, timezone.now()
    locked._history_user = by
    locked.save()
    return locked


# --- Credentials -----------------------------------------------------------------------------------


def credentials_deadline(meeting):
    """Credentials are due, by the usual rule, 24 hours (configurable) after the opening."""
    opening = dt.datetime.combine(meeting.start_date, dt.time(10, 0), tzinfo=meeting.tz)
    return opening + dt.timedelta(hours=meeting_settings(meeting).credentials_deadline_hours)


@transaction.atomic
def credentials_check(*, meeting, country, delegates=()):
    """What credentials must satisfy, wherever they are recorded (this service, the admin form):
    a Party on the meeting's opening day, covering only its own delegates at that meeting."""
    if not country.is_party_on(meeting.start_date):
        raise RegistrationError(
            {"country": _("%(state)s is not a Party: no credentials are examined.") % {"state": country.name}}
        )
    wrong = [d for d in delegates if d.meeting_id != meeting.pk or d.country_id != country.pk]
    if wrong:
        raise RegistrationError(
            {"delegates": _("Credentials can only cover delegates of that Party at this meeting.")}
        )


def credentials_record(
    *, meeting, country, form, issuer, received_at, by, delegates=(), issuer_other="", notes=""
):
    from .models import Credentials

    credentials_check(meeting=meeting, country=country, delegates=delegates)
    credentials, _created = Credentials.objects.update_or_create(
        meeting=meeting, country=country,
        defaults={"form": form, "issuer": issuer, "received_at": received_at,
                  "issuer_other": issuer_other if issuer == "other" else "",
                  "notes": notes, "recorded_by": by},
    )  # fmt: skip
    credentials.delegates.set(delegates)
    return credentials


@transaction.atomic
def credentials_decide(*, credentials, verdict, by):
    from .enums import CredentialsVerdict
    from .models import Credentials

    if verdict not in CredentialsVerdict.values:
        raise RegistrationError({"verdict": _("Unknown verdict.")})
    locked = Credentials.objects.select_for_update().get(pk=credentials.pk)
    locked.verdict = verdict
    locked._history_user = by
    locked.save(update_fields=["verdict"])
    return locked


# --- Visa support ----------------------------------------------------------------------------------


def _six_months_after(day: dt.date) -> dt.date:
    month = day.month + 6
    year = day.year + (month - 1) // 12
    month = (month - 1) % 12 + 1
    import calendar

    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@transaction.atomic
def visa_request_create(
    *, registration, by, passport_number, passport_country, passport_issued, passport_expires, embassy
):
    """A delegate asks for a visa support letter. The passport must be valid at least six months
    after the meeting ends (the usual consular rule), else the request is refused with that reason."""
    from .enums import VisaStatus
    from .models import VisaRequest

    if registration.status in (S.DECLINED, S.WITHDRAWN):
        raise RegistrationError(_("This registration is no longer active."))
    number = "".join(str(passport_number or "").split()).upper()
    if not number:
        raise RegistrationError({"passport_number": _("Enter the passport number.")})
    if passport_issued and passport_expires and passport_expires <= passport_issued:
        raise RegistrationError({"passport_expires": _("The expiry date must be after the date of issue.")})
    valid_until = _six_months_after(registration.meeting.end_date)
    if passport_expires < valid_until:
        raise RegistrationError(
            {"passport_expires": _("The passport must be valid until at least %(date)s, six months after the "
                                   "meeting ends.") % {"date": f"{valid_until:%d %B %Y}"}}
        )  # fmt: skip
    existing = VisaRequest.objects.filter(registration=registration).first()
    if existing and existing.status != VisaStatus.REFUSED:
        raise RegistrationError(_("A visa support request already exists for this registration."))
    visa = existing or VisaRequest(registration=registration)
    visa.status = VisaStatus.REQUESTED
    visa.passport_number, visa.passport_country = number, passport_country
    visa.passport_issued, visa.passport_expires, visa.embassy = passport_issued, passport_expires, embassy
    visa.refusal_reason = ""
    visa._history_user = by
    visa.save()
    if not registration.visa_letter_requested:
        Registration.objects.filter(pk=registration.pk).update(visa_letter_requested=True)
    return visa


def _locked_visa(visa):
    from .models import VisaRequest

    return VisaRequest.objects.select_for_update(of=("self",)).select_related("registration").get(pk=visa.pk)


@transaction.atomic
def visa_request_approve(*, visa, by):
    from .enums import VisaStatus

    locked = _locked_visa(visa)
    if locked.status != VisaStatus.REQUESTED:
        raise RegistrationError(_("Only a pending request can be approved."))
    if locked.registration.status not in (S.NOMINATED, *ACCREDITED_STATUSES):
        raise RegistrationError(_("A visa letter is issued only to nominated or accredited participants."))
    if locked.purged_at:
        raise RegistrationError(_("The passport data of this request has been purged."))
    locked.status, locked.decided_by, locked.decided_at = VisaStatus.APPROVED, by, timezone.now()
    locked._history_user = by
    locked.save()
    _queue_letter("visa", locked.registration, by)
    return locked


@transaction.atomic
def visa_request_refuse(*, visa, by, reason: str):
    from .enums import VisaStatus

    locked = _locked_visa(visa)
    if locked.status != VisaStatus.REQUESTED:
        raise RegistrationError(_("Only a pending request can be refused."))
    locked.status, locked.refusal_reason = VisaStatus.REFUSED, reason[:300]
    locked.decided_by, locked.decided_at = by, timezone.now()
    locked._history_user = by
    locked.save()
    return locked


def passport_data_purge(*, today: dt.date | None = None) -> int:
    """Erase passport data of requests whose meeting ended more than PASSPORT_PURGE_DAYS ago."""
    from .models import VisaRequest

    today = today or timezone.localdate()
    cutoff = today - dt.timedelta(days=getattr(settings, "PASSPORT_PURGE_DAYS", 30))
    due = VisaRequest.objects.filter(purged_at__isnull=True, registration__meeting__end_date__lt=cutoff)
    purged = 0
    for visa in due.iterator():
        visa.passport_number = None
        visa.passport_country = None
        visa.passport_issued = visa.passport_expires = None
        visa.purged_at = timezone.now()
        visa._change_reason = "passport data purged"
        visa.save()
        purged += 1
    return purged


# --- Funded participation, travel and DSA -----------------------------------------------------------

DEFAULT_ELIGIBLE = ("developing", "ldc", "sids", "eit")
CENT = Decimal("0.01")


def funding_eligibility(*, registration) -> tuple[bool, int]:
    """Whether the represented State is eligible on the meeting's dates, and its priority
    (1 = least developed country when the meeting gives LDCs priority, 2 = SIDS, 3 = others)."""
    if registration.capacity != Capacity.PARTY or registration.country is None:
        return False, 9
    rules = meeting_settings(registration.meeting)
    eligible = set(rules.eligible_classifications or DEFAULT_ELIGIBLE)
    held = registration.country.classifications_on(registration.meeting.start_date)
    if not held & eligible:
        return False, 9
    if rules.ldc_priority and "ldc" in held:
        return True, 1
    if "sids" in held:
        return True, 2
    return True, 3


@transaction.atomic
def funding_request_create(*, registration, by, donor: str = ""):
    from .enums import FundingStatus
    from .models import FundingRequest

    meeting_settings(registration.meeting)  # the row later approvals lock must exist beforehand
    eligible, priority = funding_eligibility(registration=registration)
    status, note = FundingStatus.REQUESTED, ""
    if not eligible:
        status = FundingStatus.DECLINED
        note = _("Not eligible: %(state)s is not in an eligible category on the meeting's dates.") % {
            "state": registration.country.name if registration.country_id else registration.represents
        }
    funding, created = FundingRequest.objects.get_or_create(
        registration=registration,
        defaults={"status": status, "priority": priority, "decision_note": note[:300], "donor": donor},
    )
    if created and not registration.funding_requested:
        Registration.objects.filter(pk=registration.pk).update(funding_requested=True)
    return funding


def _locked_funding(funding):
    from .models import FundingRequest

    return (
        FundingRequest.objects.select_for_update(of=("self",))
        .select_related("registration__meeting", "registration__country")
        .get(pk=funding.pk)
    )


def _funding_transition(funding, *, allowed, to, by, changes=None, note=None):
    from .enums import FundingStatus

    locked = _locked_funding(funding)
    if locked.status not in allowed:
        raise RegistrationError(
            _("A funding request that is “%(current)s” cannot become “%(target)s”.")
            % {"current": locked.get_status_display(), "target": FundingStatus(to).label}
        )
    locked.status = to
    for field, value in (changes or {}).items():
        setattr(locked, field, value)
    if note is not None:
        locked.decision_note = note[:300]
    locked._history_user = by
    locked.save()
    funding.status = locked.status
    return locked


@transaction.atomic
def funding_approve(*, funding, by):
    """Approve within the per-Party limit and the budget. Approvals of one meeting are serialised
    by locking its settings row, so two officers approving at once cannot exceed either limit;
    when the budget is spent the request joins the waiting list instead."""
    from .enums import FUNDED_STATUSES, FundingStatus
    from .models import FundingRequest

    current = _locked_funding(funding)
    meeting = current.registration.meeting
    rules = MeetingParticipationSettings.objects.select_for_update().get(meeting=meeting)
    if current.status not in (FundingStatus.REQUESTED, FundingStatus.WAITING):
        raise RegistrationError(
            _("A funding request that is “%(current)s” cannot be approved.")
            % {"current": current.get_status_display()}
        )
    if current.registration.status in (S.DECLINED, S.WITHDRAWN):
        raise RegistrationError(_("The registration is no longer active."))
    funded = FundingRequest.objects.filter(registration__meeting=meeting, status__in=FUNDED_STATUSES)
    party_count = funded.filter(registration__country_id=current.registration.country_id).count()
    if party_count >= rules.funded_per_party:
        raise RegistrationError(
            _("%(state)s already has %(count)s funded participant(s), the limit for this meeting.")
            % {"state": current.registration.country.name, "count": party_count}
        )
    if rules.funded_places is not None and funded.count() >= rules.funded_places:
        result = _funding_transition(
            current, allowed={FundingStatus.REQUESTED, FundingStatus.WAITING}, to=FundingStatus.WAITING, by=by,
            note=_("Waiting list: the funded places are all allocated."),
        )  # fmt: skip
    else:
        result = _funding_transition(
            current, allowed={FundingStatus.REQUESTED, FundingStatus.WAITING}, to=FundingStatus.APPROVED, by=by,
            changes={"decided_by": by, "decided_at": timezone.now()}, note="",
        )  # fmt: skip
    funding.status = result.status
    if result.status == FundingStatus.APPROVED:
        _queue_letter("funding", result.registration, by)
    return result


def funding_ranked(*, meeting):
    from .enums import FundingStatus
    from .models import FundingRequest

    return (
        FundingRequest.objects.filter(
            registration__meeting=meeting, status__in=[FundingStatus.REQUESTED, FundingStatus.WAITING]
        )
        .select_related("registration__country")
        .order_by("priority", "created", "pk")
    )


def funding_allocate(*, meeting, by) -> dict:
    """Approve pending requests in rank order (LDCs first, then by date of request) until the
    budget runs out; the rest wait. Returns counts per outcome."""
    outcome = {"approved": 0, "waiting": 0, "refused": 0}
    for funding in list(funding_ranked(meeting=meeting)):
        try:
            result = funding_approve(funding=funding, by=by)
        except RegistrationError:
            outcome["refused"] += 1
            continue
        outcome["approved" if result.status == "approved" else "waiting"] += 1
    return outcome


@transaction.atomic
def funding_decline(*, funding, by, reason: str = ""):
    from .enums import FundingStatus

    return _funding_transition(
        funding, allowed={FundingStatus.REQUESTED, FundingStatus.WAITING, FundingStatus.APPROVED},
        to=FundingStatus.DECLINED, by=by, changes={"decided_by": by, "decided_at": timezone.now()}, note=reason,
    )  # fmt: skip


@transaction.atomic
def funding_issue_ticket(*, funding, by, itinerary: str, travel_class: str, cost, currency: str):
    """Once the ticket is issued the itinerary (and the registration's dates) no longer change."""
    from .enums import FundingStatus

    if not itinerary.strip():
        raise RegistrationError({"itinerary": _("Enter the itinerary.")})
    if cost is None or Decimal(cost) < 0:
        raise RegistrationError({"ticket_cost": _("Enter the cost of the ticket.")})
    return _funding_transition(
        funding, allowed={FundingStatus.APPROVED}, to=FundingStatus.TICKET_ISSUED, by=by,
        changes={"itinerary": itinerary, "travel_class": travel_class, "ticket_cost": Decimal(cost),
                 "ticket_currency": currency.upper()},
    )  # fmt: skip


@transaction.atomic
def funding_update_itinerary(*, funding, by, itinerary: str):
    from .enums import FundingStatus

    locked = _locked_funding(funding)
    if locked.status not in (FundingStatus.REQUESTED, FundingStatus.WAITING, FundingStatus.APPROVED):
        raise RegistrationError(
            {"itinerary": _("The ticket has been issued: the itinerary can no longer change.")}
        )
    locked.itinerary = itinerary
    locked._history_user = by
    locked.save(update_fields=["itinerary"])
    return locked


def dsa_rate_for(*, country, location: str, day):
    from django.db.models import Q

    from .models import DsaRate

    return (
        DsaRate.objects.filter(country=country, location__iexact=location, valid_from__lte=day)
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=day))
        .order_by("-valid_from")
        .first()
    )


def dsa_amount(*, rate, nights: int, lodging_provided: bool, meals_percent, terminal_expenses):
    """UN practice: the daily rate per night; when lodging is provided the room share is not paid,
    and provided meals reduce the rest by a percentage; terminal expenses are added once."""
    daily = Decimal(rate.daily_rate)
    room = daily * Decimal(rate.room_percent) / 100
    rest = (daily - room) * (1 - Decimal(meals_percent or 0) / 100)
    per_night = rest + (Decimal(0) if lodging_provided else room)
    return (per_night * nights + Decimal(terminal_expenses or 0)).quantize(CENT, rounding=ROUND_HALF_UP)


@transaction.atomic
def funding_compute_dsa(
    *, funding, by, lodging_provided=False, meals_percent=0, terminal_expenses=0, rate=None
):
    from .enums import FundingStatus

    locked = _locked_funding(funding)
    registration, meeting = locked.registration, locked.registration.meeting
    if locked.status not in (FundingStatus.APPROVED, FundingStatus.TICKET_ISSUED):
        raise RegistrationError(_("The DSA is computed for approved requests only."))
    arrival = registration.arrival or meeting.start_date
    departure = registration.departure or meeting.end_date
    nights = (departure - arrival).days
    if nights < 0:
        raise RegistrationError({"departure": _("Departure cannot be before arrival.")})
    rate = rate or dsa_rate_for(country=meeting.country, location=meeting.city, day=arrival)
    if rate is None:
        raise RegistrationError(
            _("No DSA rate for %(place)s on %(day)s: import the rates first.")
            % {"place": meeting.city, "day": arrival}
        )
    locked.dsa_rate, locked.dsa_nights = rate, nights
    locked.lodging_provided, locked.meals_percent_provided = lodging_provided, meals_percent
    locked.terminal_expenses = terminal_expenses
    locked.dsa_amount = dsa_amount(
        rate=rate, nights=nights, lodging_provided=lodging_provided, meals_percent=meals_percent,
        terminal_expenses=terminal_expenses,
    )  # fmt: skip
    locked.dsa_currency = rate.currency
    locked._history_user = by
    locked.save()
    return locked


@transaction.atomic
def funding_pay_dsa(*, funding, by, receipt_signed: bool):
    from .enums import FundingStatus

    if not receipt_signed:
        raise RegistrationError({"receipt_signed": _("The participant must sign the receipt.")})
    if _locked_funding(funding).dsa_amount is None:
        raise RegistrationError(_("Compute the DSA before paying it."))
    return _funding_transition(
        funding, allowed={FundingStatus.TICKET_ISSUED}, to=FundingStatus.DSA_PAID, by=by,
        changes={"dsa_paid_at": timezone.now(), "dsa_paid_by": by, "receipt_signed": True},
    )  # fmt: skip


@transaction.atomic
def funding_close(*, funding, by):
    from .enums import FundingStatus

    return _funding_transition(funding, allowed={FundingStatus.DSA_PAID}, to=FundingStatus.CLOSED, by=by)
