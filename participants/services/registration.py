"""Registrations: creating and changing one, and every move of its status (nominate, accredit,
decline, withdraw, reset). Validation lives in the pure `*_check()` functions below, which the
forms, the admin and the import call as well."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from letters.services.issuing import language_for
from meetings.selectors import meeting_scope_refused

from ..enums import (
    ACCREDITED_STATUSES,
    INACTIVE_STATUSES,
    OBSERVER_CAPACITIES,
    STATE_CAPACITIES,
    TICKETED_STATUSES,
    Capacity,
    DelegationRole,
    RegistrationStatus,
)
from ..errors import RegistrationError
from ..models import FundingRequest, NominationLetter, Registration
from ..selectors import organisation_is_admitted, registration_is_open, registration_meeting_is_over
from .funding import funding_request_create
from .participation import online_details_queue, participation_mode_check, registration_change_mode
from .transition import locked, queue_letter, transition

S = RegistrationStatus

REGISTRATION_FIELDS = (
    "capacity", "country", "organisation", "delegation_role", "title", "first_name", "last_name",
    "function", "department", "email", "phone", "address", "gender", "arrival", "departure",
    "funding_requested", "visa_letter_requested", "publish_contact", "publish_email", "publish_phone",
    "participation_mode", "correspondence_language",
)  # fmt: skip


def registration_scope_check(*, meeting, country, field: str | None = "country") -> None:
    """`country` may take part as a State in `meeting` only within the meeting's scope (`field`:
    the form field the refusal is shown on; None for the whole form)."""
    refused = meeting_scope_refused(meeting, country)
    if refused:
        raise RegistrationError({field: refused} if field else refused)


def registration_capacity_check(*, meeting, capacity, country, organisation) -> None:
    """A State's delegate names a State that is (or, for a non-party State, is not) a Party on the
    meeting's dates; anyone else names an organisation (the secretariat excepted)."""
    if capacity in STATE_CAPACITIES:
        if country is None:
            raise RegistrationError({"country": _("Name the State you represent.")})
        # A regional consultation or a subregional workshop is for the States in its scope;
        # observers and organisations are not limited by it.
        registration_scope_check(meeting=meeting, country=country)
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


def delegation_head_check(*, meeting, country, role, exclude_pk=None, field: str = "delegation_role") -> None:
    """A State's delegation has one head among the registrations still taking part (the database's
    `registration_one_head_per_delegation` holds it under concurrency; this says who it is)."""
    if role != DelegationRole.HEAD or country is None:
        return
    heads = Registration.objects.filter(
        meeting=meeting, country=country, delegation_role=DelegationRole.HEAD
    ).exclude(status__in=INACTIVE_STATUSES)
    if exclude_pk is not None:
        heads = heads.exclude(pk=exclude_pk)
    head = heads.first()
    if head is not None:
        raise RegistrationError(
            {field: _("%(name)s is already the head of the delegation of %(state)s: a delegation has one head. "
                      "Change %(name)s's role first.") % {"name": head.full_name, "state": country.name}}
        )  # fmt: skip


def registration_change_check(*, registration: Registration, data: dict, as_delegate: bool = True) -> None:
    """What may no longer change on a stored registration: anything, for the delegate, once
    accredited; the capacity and whom they represent, once nominated; the dates, for anyone, once
    the ticket is issued. Compares `data` with the stored row (the instance may be edited already)."""
    stored = Registration.objects.values(
        "status", "capacity", "country_id", "organisation_id", "arrival", "departure"
    ).get(pk=registration.pk)
    if as_delegate and stored["status"] in ACCREDITED_STATUSES:
        raise RegistrationError(
            _("This registration is accredited and can no longer be changed by the delegate.")
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
    if any(k in data and data[k] != stored[k] for k in ("arrival", "departure")):
        ticketed = FundingRequest.objects.filter(
            registration_id=registration.pk, status__in=TICKETED_STATUSES
        ).exists()
        if ticketed:
            raise RegistrationError(
                {"arrival": _("The ticket has been issued: the itinerary can no longer change.")}
            )


def registration_meeting_over_check(*, registration: Registration) -> None:
    """A past meeting's registration is a record: the delegate no longer changes or withdraws it
    (the rule `participants.change_own_registration` hides the buttons; this refuses the POST)."""
    if registration_meeting_is_over(registration):
        meeting = registration.meeting
        raise RegistrationError(
            _("%(meeting)s ended on %(date)s: its registration can no longer be changed or withdrawn.")
            % {"meeting": meeting.title, "date": date_format(meeting.end_date, "j F Y")}
        )


def registration_clean_data(*, user, data: dict) -> dict:
    """The fields of a new registration as stored: only a State's delegate names a State; the
    person's names and address default to their account's."""
    unknown = set(data) - set(REGISTRATION_FIELDS)
    if unknown:
        raise TypeError(f"unknown registration fields: {sorted(unknown)}")
    data = dict(data)
    if data.get("capacity") not in STATE_CAPACITIES:
        data["country"] = None
    if user is not None:
        data.setdefault("first_name", user.first_name)
        data.setdefault("last_name", user.last_name)
        data.setdefault("email", user.email)
    if not data.get("correspondence_language"):
        # Not chosen (an import, a service call): the language in use as they register.
        data["correspondence_language"] = correspondence_language_default()
    return data


def correspondence_language_default() -> str:
    """The language of correspondence a registration gets when none is chosen: the language the
    portal is being used in (the request's), where letters exist in it; else LANGUAGE_CODE."""
    return language_for(translation.get_language() or settings.LANGUAGE_CODE)


def registration_duplicate_check(*, meeting, user) -> None:
    """One registration per person and meeting: refused on the e-mail field that names the person."""
    if user is not None and user.pk and Registration.objects.filter(meeting=meeting, user=user).exists():
        raise RegistrationError(
            {"email": _("%(email)s is already registered for this meeting (one registration per person).")
                      % {"email": user.email}}
        )  # fmt: skip


def registration_create(
    *, meeting, user, by, check_window: bool = True, status=S.PRE_REGISTERED, **data
) -> Registration:
    """Register `user` for `meeting`. Delegates and focal points may only do so while
    registration is open; staff (check_window=False) at any time."""
    data = registration_clean_data(user=user, data=data)
    if check_window and not registration_is_open(meeting):
        raise RegistrationError(_("Registration for this meeting is not open."))
    registration_capacity_check(
        meeting=meeting, capacity=data.get("capacity"), country=data.get("country"),
        organisation=data.get("organisation"),
    )  # fmt: skip
    registration_duplicate_check(meeting=meeting, user=user)
    delegation_head_check(meeting=meeting, country=data.get("country"), role=data.get("delegation_role"))
    data["participation_mode"] = participation_mode_check(
        meeting=meeting, mode=data.get("participation_mode"), funding_requested=data.get("funding_requested"),
        visa_letter_requested=data.get("visa_letter_requested"),
    )  # fmt: skip
    registration = Registration(meeting=meeting, user=user, status=status, created_by=by, **data)
    registration._history_user = by
    try:
        with transaction.atomic():
            registration.save()
    except IntegrityError:
        # A registration stored at the same moment: said from the stored rows, not from the
        # database's message (SQLite's does not name the constraint).
        registration_duplicate_check(meeting=meeting, user=user)
        delegation_head_check(meeting=meeting, country=data.get("country"), role=data.get("delegation_role"))
        raise
    if registration.funding_requested and registration.capacity in STATE_CAPACITIES:
        funding_request_create(registration=registration, by=by)
    return registration


@transaction.atomic
def registration_update(*, registration: Registration, by, as_delegate: bool = True, **data) -> Registration:
    """Change a registration: everything is checked before anything is written, and a refusal
    found late (capacity, scope) undoes a mode change made on the way (one transaction)."""
    unknown = set(data) - set(REGISTRATION_FIELDS)
    if unknown:
        raise TypeError(f"unknown registration fields: {sorted(unknown)}")
    if "correspondence_language" in data and not data["correspondence_language"]:
        data.pop("correspondence_language")  # not sent: the stored language stays
    if as_delegate:
        registration_meeting_over_check(registration=registration)
    registration_change_check(registration=registration, data=data, as_delegate=as_delegate)
    if registration.is_active:
        delegation_head_check(
            meeting=registration.meeting, country=data.get("country", registration.country),
            role=data.get("delegation_role", registration.delegation_role), exclude_pk=registration.pk,
        )  # fmt: skip
    # The mode changes through its own service (until accreditation; online withdraws a pending
    # funding or visa request), after the whole change has been checked against it.
    stored_mode = Registration.objects.values_list("participation_mode", flat=True).get(pk=registration.pk)
    mode = data.pop("participation_mode", None) or stored_mode
    participation_mode_check(
        meeting=registration.meeting, mode=mode, offered_only=mode != stored_mode,
        funding_requested=data.get("funding_requested", registration.funding_requested),
        visa_letter_requested=data.get("visa_letter_requested", registration.visa_letter_requested),
    )  # fmt: skip
    registration.participation_mode = stored_mode  # a form may have set it: it changes below, or not
    if mode != stored_mode:
        registration_change_mode(registration=registration, mode=mode, by=by)
    for key, value in data.items():
        setattr(registration, key, value)
    registration_capacity_check(
        meeting=registration.meeting, capacity=registration.capacity, country=registration.country,
        organisation=registration.organisation,
    )  # fmt: skip
    registration._history_user = by
    try:
        with transaction.atomic():
            registration.save()
    except IntegrityError:
        # A head of delegation stored at the same moment (registration_one_head_per_delegation):
        # said from the stored rows, as registration_create does.
        if registration.is_active:
            delegation_head_check(
                meeting=registration.meeting, country=registration.country,
                role=registration.delegation_role, exclude_pk=registration.pk,
            )  # fmt: skip
        raise
    if registration.funding_requested and registration.capacity in STATE_CAPACITIES:
        # Asked for later than at registration: the request exists from now on, as it would have
        # (funding_request_create finds one already made).
        funding_request_create(registration=registration, by=by)
    return registration


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


@transaction.atomic
def registration_nominate(*, registration, by, letter: NominationLetter, role: str = "") -> Registration:
    """The focal point nominates a pre-registered delegate of their State, with the letter."""
    if letter is None:
        raise RegistrationError({"letter": _("Upload the nomination letter or note verbale.")})
    if registration.capacity not in STATE_CAPACITIES:
        raise RegistrationError(_("Only delegates of States are nominated by a focal point."))
    if letter.country_id != registration.country_id or letter.meeting_id != registration.meeting_id:
        raise RegistrationError({"letter": _("The letter must be from the same State for the same meeting.")})
    registration_scope_check(meeting=registration.meeting, country=registration.country, field=None)
    role = role or registration.delegation_role
    delegation_head_check(
        meeting=registration.meeting, country=registration.country, role=role, exclude_pk=registration.pk,
        field="role",
    )  # fmt: skip
    changes = {"nomination_letter": letter, "delegation_role": role, "status_note": ""}
    try:
        with transaction.atomic():
            return transition(registration, "nominate", by=by, changes=changes)
    except IntegrityError:
        # A head nominated at the same moment: named from the stored rows, as registration_create.
        delegation_head_check(
            meeting=registration.meeting, country=registration.country, role=role, exclude_pk=registration.pk,
            field="role",
        )  # fmt: skip
        raise


@transaction.atomic
def registration_accredit(*, registration, by) -> Registration:
    """The secretariat validated the nomination (or the organisation's admission)."""
    current = locked(registration)
    if current.awaits_nomination:
        raise RegistrationError(
            _("%(name)s has not been nominated by the focal point of %(state)s yet.")
            % {"name": current.full_name, "state": current.country.name}
        )
    if current.capacity in OBSERVER_CAPACITIES and not organisation_is_admitted(
        organisation=current.organisation, meeting=current.meeting
    ):
        raise RegistrationError(
            _("%(org)s is not admitted as an observer: its representatives cannot be accredited.")
            % {"org": current.organisation}
        )
    result = transition(registration, "accredit", by=by, changes={"status_note": ""})
    queue_letter("confirmation", result, by)
    # Online: the personal connection details, now that the participant is accredited.
    online_details_queue(registration=result, by=by)
    return result


@transaction.atomic
def registration_decline(*, registration, by, reason: str = "", as_focal_point: bool = False) -> Registration:
    """The secretariat declines a registration, accredited ones included; a focal point
    (`as_focal_point`) only one not yet accredited (the move `decline_nomination`)."""
    action = "decline_nomination" if as_focal_point else "decline"
    return transition(registration, action, by=by, changes={"status_note": reason[:300]})


@transaction.atomic
def registration_withdraw(*, registration, by, as_delegate: bool = True) -> Registration:
    if as_delegate:
        registration_meeting_over_check(registration=registration)
        status = locked(registration).status
        if status == S.ACCREDITED and registration.meeting.takes_seats:
            # A seat at an event of a series, taken without accreditation, is given back as freely.
            return transition(registration, "give_up_seat", by=by, changes={"status_note": ""})
        if status in ACCREDITED_STATUSES:
            raise RegistrationError(_("This registration is accredited: ask the secretariat to withdraw it."))
        return transition(registration, "withdraw", by=by, changes={"status_note": ""})
    return transition(registration, "withdraw_by_secretariat", by=by, changes={"status_note": ""})


@transaction.atomic
def registration_reset(*, registration, by, reason: str = "") -> Registration:
    """Staff only: back to pre-registered (e.g. a wrong nomination). A head of delegation declined
    or withdrawn meanwhile replaced comes back as a member: the delegation keeps one head."""
    current = locked(registration)
    changes = {"status_note": reason[:300]}
    if current.status in INACTIVE_STATUSES and current.delegation_role == DelegationRole.HEAD:
        try:
            delegation_head_check(
                meeting=current.meeting, country=current.country, role=current.delegation_role,
                exclude_pk=current.pk,
            )  # fmt: skip
        except RegistrationError:
            changes["delegation_role"] = DelegationRole.MEMBER
    return transition(registration, "reset", by=by, changes=changes)
