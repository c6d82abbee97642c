"""Focal points: the secretariat's personal invitation, its acceptance, the delegates a focal
point pre-registers for their State (asking first those who already have an account: the request
they accept or refuse), and the nomination letters they upload."""

import datetime as dt

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import FocalPoint
from accounts.rules import focal_point_country_ids
from accounts.services import focal_point_save, user_correspondence_language_set
from letters.services.issuing import language_for
from minamata_portal.uploads import FileKind, check_upload
from outbox.services import mail_queue

from ..enums import REGISTRATION_REQUEST_TRANSITIONS, Capacity, RegistrationRequestStatus
from ..errors import FocalPointError, RegistrationError
from ..models import FocalPointInvitation, NominationLetter, Registration, RegistrationRequest
from ..selectors import registration_is_open
from .notifications import pre_registration_notify
from .registration import (
    delegation_head_check,
    person_for_email,
    registration_capacity_check,
    registration_clean_data,
    registration_create,
    registration_duplicate_check,
)
from .transition import locked, transition

INVITATION_SALT = "participants.focal-point-invitation"


def focal_point_invitation_token(invitation) -> str:
    return signing.dumps(invitation.pk, salt=INVITATION_SALT)


def focal_point_invite(
    *, country, email: str, by, kind: str = "nfp", language: str = "en"
) -> FocalPointInvitation:
    invitation = FocalPointInvitation.objects.create(
        country=country, email=email.lower(), kind=kind, language=language, created_by=by
    )
    link = settings.SITE_URL.rstrip("/") + reverse(
        "participants:focal_point_accept", kwargs={"token": focal_point_invitation_token(invitation)}
    )
    mail_queue(
        to=invitation.email,
        template_prefix="participants/email/focal_point_invitation",
        context={
            # The State, not its English name: named in the invitation's language.
            "country": country,
            "link": link,
            "days": getattr(settings, "FOCAL_POINT_INVITATION_DAYS", 14),
        },
        language=language,
        trigger_key=f"focal-point-invitation:{invitation.pk}",
        by=by,
    )
    return invitation


def _invitation_from_token(token: str, *, for_update: bool = False) -> FocalPointInvitation:
    try:
        pk = signing.loads(
            token,
            salt=INVITATION_SALT,
            max_age=dt.timedelta(days=getattr(settings, "FOCAL_POINT_INVITATION_DAYS", 14)),
        )
    except signing.SignatureExpired as exc:
        raise FocalPointError(_("This invitation has expired: ask the secretariat for a new one.")) from exc
    except signing.BadSignature as exc:
        raise FocalPointError(_("This invitation link is not valid.")) from exc
    invitations = FocalPointInvitation.objects.select_related("country")
    if for_update:
        invitations = invitations.select_for_update(of=("self",))
    invitation = invitations.filter(pk=pk).first()
    if invitation is None:
        raise FocalPointError(_("This invitation link is not valid."))
    return invitation


def focal_point_invitation_check(*, token: str, user) -> FocalPointInvitation:
    """The invitation behind `token`, if `user` may still accept it: the link is personal (the
    signed-in address must be the invited one) and works once. An invitation sent before the
    secretariat deactivated this person as the State's focal point does not bring them back: only a
    new invitation does. Reads only; `focal_point_invitation_accept` asks it again, row locked."""
    invitation = _invitation_from_token(token)
    return _invitation_usable(invitation, user)


def _invitation_usable(invitation: FocalPointInvitation, user) -> FocalPointInvitation:
    if invitation.email.lower() != (user.email or "").lower():
        raise FocalPointError(_("This invitation was sent to another e-mail address."))
    if invitation.accepted_at is not None:
        raise FocalPointError(_("This invitation has already been used."))
    deactivated = (
        FocalPoint.history.filter(user_id=user.pk, country_id=invitation.country_id, active=False)
        .order_by("-history_date")
        .values_list("history_date", flat=True)
        .first()
    )
    if deactivated is not None and deactivated >= invitation.created:
        raise FocalPointError(
            _("You were withdrawn as focal point for %(state)s after this invitation was sent: ask the "
              "secretariat for a new one.") % {"state": invitation.country.name}
        )  # fmt: skip
    return invitation


@transaction.atomic
def focal_point_invitation_accept(*, token: str, user) -> FocalPoint:
    """Accept the invitation: once, by its invitee (see `focal_point_invitation_check`). An account
    made after the invitation was sent takes the invitation's language as its own."""
    invitation = _invitation_usable(_invitation_from_token(token, for_update=True), user)
    focal_point = FocalPoint.objects.filter(user=user, country=invitation.country).first()
    if focal_point is None:
        focal_point = FocalPoint(user=user, country=invitation.country, kind=invitation.kind)
    focal_point.active = True
    focal_point_save(focal_point=focal_point, by=user)
    joined = getattr(user, "date_joined", None)
    if joined is not None and joined >= invitation.created and user.preferred_language != invitation.language:
        # An account made for this invitation writes in the invitation's language (the
        # secretariat chose it for this focal point); an older account keeps the one it chose.
        user_correspondence_language_set(user=user, language=invitation.language)
    invitation.accepted_by, invitation.accepted_at = user, timezone.now()
    invitation.save(update_fields=["accepted_by", "accepted_at"])
    return focal_point


def focal_point_pre_register(
    *, meeting, country, by, email: str, check_window: bool = True, **data
) -> Registration | RegistrationRequest:
    """A focal point registers a delegate of their State on the delegate's behalf. Someone who has
    no account yet is registered at once (their account is made for them); someone who has one is
    asked first (`registration_request_create`): until they accept, nothing is registered in their
    name, so nothing blocks their own registration."""
    email = email.strip().lower()
    person = get_user_model().objects.filter(email__iexact=email).first()
    if person is not None and person.pk != getattr(by, "pk", None):
        return registration_request_create(
            meeting=meeting, country=country, person=person, by=by, check_window=check_window, **data
        )
    user = person or person_for_email(
        email=email, first_name=data.get("first_name", ""), last_name=data.get("last_name", "")
    )
    registration = registration_create(
        meeting=meeting,
        user=user,
        by=by,
        capacity=_state_capacity(meeting=meeting, country=country),
        country=country,
        email=email,
        check_window=check_window,
        **data,
    )
    if person is None:
        # An account made for them, without a password: it writes in the language the focal point
        # chose for them, and they are told what was done, with the link that sets their password.
        user_correspondence_language_set(
            user=user, language=language_for(registration.correspondence_language)
        )
        pre_registration_notify(registration=registration, by=by)
    return registration


def _state_capacity(*, meeting, country) -> str:
    return Capacity.PARTY if country.is_party_on(meeting.start_date) else Capacity.NON_PARTY_STATE


def registration_request_check(*, meeting, person) -> None:
    """Whom a focal point may ask: someone not registered for the meeting, not asked already."""
    registration_duplicate_check(meeting=meeting, user=person)
    if RegistrationRequest.objects.filter(
        meeting=meeting, user=person, status=RegistrationRequestStatus.PENDING
    ).exists():
        raise RegistrationError(
            {"email": _("%(email)s has already been asked to join a delegation for this meeting and has not "
                        "answered yet.") % {"email": person.email}}
        )  # fmt: skip


def registration_request_create(
    *, meeting, country, person, by, check_window: bool = True, **data
) -> RegistrationRequest:
    """Ask `person` (who has an account) to join `country`'s delegation: stored, and mailed to
    them; they accept or refuse it from "My registrations"."""
    if check_window and not registration_is_open(meeting):
        raise RegistrationError(_("Registration for this meeting is not open."))
    capacity = _state_capacity(meeting=meeting, country=country)
    registration_capacity_check(meeting=meeting, capacity=capacity, country=country, organisation=None)
    if not data.get("correspondence_language"):
        # Left blank by the focal point: the person's own language, not the focal point's screen's.
        data["correspondence_language"] = language_for(person.preferred_language)
    registration_clean_data(user=person, data=data)  # unknown fields refused as for a registration
    registration_request_check(meeting=meeting, person=person)
    # A second head could never be accepted: refused now, naming the head (the accept checks again).
    delegation_head_check(meeting=meeting, country=country, role=data.get("delegation_role"))
    details = {key: value.isoformat() if isinstance(value, dt.date) else value for key, value in data.items()}
    details.pop("email", None)
    request = RegistrationRequest(
        meeting=meeting, country=country, user=person, details=details, created_by=by
    )
    request._history_user = by
    try:
        with transaction.atomic():
            request.save()
    except IntegrityError:
        # Someone asked them at the same moment: say so from the stored rows, whatever the database.
        registration_request_check(meeting=meeting, person=person)
        raise
    link = settings.SITE_URL.rstrip("/") + reverse("participants:mine")
    mail_queue(
        to=person.email,
        template_prefix="participants/email/registration_request",
        context={
            "name": person.get_full_name() or person.email,
            # Objects, not strings: the State's name and the meeting's title are read in the
            # person's language, in which the mail is rendered.
            "country": country,
            "meeting": meeting,
            "focal_point": by.get_full_name() or by.email,
            "link": link,
        },
        # The language the focal point chose for the delegate's correspondence, else theirs.
        language=data["correspondence_language"],
        trigger_key=f"registration-request:{request.pk}",
        by=by,
    )
    return request


def _request_move_allowed(request: RegistrationRequest, action: str, by) -> None:
    """The move's own rule (REGISTRATION_REQUEST_TRANSITIONS): only the person asked answers,
    only a focal point of the State in office withdraws, whoever calls the service."""
    if by is None or not REGISTRATION_REQUEST_TRANSITIONS.can(request, action, by):
        if action == "withdraw":
            raise RegistrationError(_("Only a focal point of this State may withdraw this request."))
        raise RegistrationError(_("Only the person asked may answer this request."))


@transaction.atomic
def registration_request_accept(*, request: RegistrationRequest, by) -> Registration:
    """The person accepts: they are registered in the State's delegation as the focal point
    entered them (pre-registered, for the focal point to nominate). Refused if they registered
    otherwise meanwhile. The window was checked when the focal point asked."""
    row = locked(request)
    REGISTRATION_REQUEST_TRANSITIONS.check(row, "accept")  # before anything is written
    _request_move_allowed(row, "accept", by)
    if row.created_by is None or row.country_id not in focal_point_country_ids(row.created_by):
        # Revocation holds: a focal point withdrawn since has no say in the delegation any more.
        raise RegistrationError(
            _("The focal point who asked you no longer acts for %(state)s: this request has lapsed.")
            % {"state": row.country.name}
        )
    fields = {f.name: f for f in Registration._meta.get_fields() if f.concrete}
    details = {key: fields[key].to_python(value) for key, value in row.details.items()}
    registration = registration_create(
        meeting=row.meeting, user=row.user, by=row.created_by or by, check_window=False,
        capacity=_state_capacity(meeting=row.meeting, country=row.country), country=row.country,
        email=row.user.email, **details,
    )  # fmt: skip
    transition(request, "accept", by=by, changes={"answered": timezone.now(), "registration": registration})
    return registration


@transaction.atomic
def registration_request_refuse(*, request: RegistrationRequest, by) -> RegistrationRequest:
    """The person refuses: nothing was registered. What the focal point typed about them goes."""
    row = locked(request)
    REGISTRATION_REQUEST_TRANSITIONS.check(row, "refuse")
    _request_move_allowed(row, "refuse", by)
    return transition(request, "refuse", by=by, changes={"answered": timezone.now(), "details": {}})


@transaction.atomic
def registration_request_withdraw(*, request: RegistrationRequest, by) -> RegistrationRequest:
    """The focal point takes the request back before the person answers; what they typed goes."""
    row = locked(request)
    REGISTRATION_REQUEST_TRANSITIONS.check(row, "withdraw")
    _request_move_allowed(row, "withdraw", by)
    return transition(request, "withdraw", by=by, changes={"answered": timezone.now(), "details": {}})


def nomination_letter_check(uploaded) -> None:
    """A PDF that opens, within the upload limit: `check_upload` judges the bytes, not the name,
    and says why it refuses; a Word document it accepts is refused here, a letter must be a PDF."""
    try:
        kind = check_upload(uploaded, field="letter")
    except ValidationError as exc:
        raise RegistrationError(exc.message_dict) from exc
    if kind != FileKind.PDF:
        raise RegistrationError({"letter": _("The letter must be a PDF file, not a Word document.")})


def nomination_letter_upload(*, meeting, country, uploaded, by) -> NominationLetter:
    nomination_letter_check(uploaded)
    letter = NominationLetter(
        meeting=meeting, country=country, original_name=(uploaded.name or "letter.pdf")[-200:],
        size=uploaded.size, uploaded_by=by,
    )  # fmt: skip
    letter.file.save("letter.pdf", uploaded, save=False)
    letter.save()
    return letter
