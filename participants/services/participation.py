"""In person or online: the mode of participation chosen at registration where a meeting (or one
of its segments) is online or hybrid, its change until accreditation, and the connection details
an accredited online participant receives by e-mail (and nobody else sees)."""

import hashlib

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from letters.rendering import format_date_range
from outbox.services import mail_queue

from ..enums import (
    DELEGATE_EDITABLE_STATUSES,
    FUNDED_STATUSES,
    FundingStatus,
    ParticipationMode,
    VisaStatus,
)
from ..errors import RegistrationError
from ..models import FundingRequest, Registration, VisaRequest
from ..selectors import online_connections, online_connections_of, online_participants, participation_modes
from .transition import locked

ONLINE = ParticipationMode.ONLINE


def participation_mode_default(meeting) -> str:
    """The mode a registration takes when none was chosen: the only one offered, or in person."""
    return _mode_default_of(participation_modes(meeting))


def _mode_default_of(offered: tuple[str, ...]) -> str:
    return offered[0] if len(offered) == 1 else ParticipationMode.IN_PERSON


def participation_mode_check(
    *,
    meeting,
    mode: str | None,
    funding_requested: bool = False,
    visa_letter_requested: bool = False,
    offered_only: bool = True,
) -> str:
    """The mode as stored (the default when none is given). Refused: a mode the meeting does not
    offer (`offered_only`; a stored mode the meeting's later change no longer offers stays), and
    funded travel or a visa letter asked for by an online participant (no journey)."""
    offered = participation_modes(meeting)
    mode = mode or _mode_default_of(offered)
    if offered_only and mode not in offered:
        message = (
            _("%(meeting)s is held online only: you take part online.")
            if offered == (ONLINE,)
            else _("%(meeting)s is held in person only: online participation is not offered.")
        )
        raise RegistrationError({"participation_mode": message % {"meeting": meeting.title}})
    if mode == ONLINE:
        errors = {}
        if funding_requested:
            errors["funding_requested"] = _(
                "You take part online: travel and daily subsistence allowance (DSA) are funded only for "
                "participants attending in person."
            )
        if visa_letter_requested:
            errors["visa_letter_requested"] = _(
                "You take part online: a visa support letter is issued only to participants attending in person."
            )
        if errors:
            raise RegistrationError(errors)
    return mode


def online_refusal(registration, what: str) -> str:
    """The reason given when an online participant asks for what only travellers get."""
    return _("%(name)s takes part online: no %(what)s (for participants attending in person only).") % {
        "name": registration.full_name,
        "what": what,
    }


@transaction.atomic
def registration_change_mode(*, registration, mode: str, by) -> Registration:
    """Switch between in person and online, until accreditation (by the delegate, their focal
    point or staff). Switching to online withdraws what only a journey needs: a pending funding
    request is declined and a pending visa request refused, with the reason; once funding is
    approved or a visa letter issued, the secretariat must undo those first."""
    current = locked(registration)
    if mode == current.participation_mode:
        return current
    if current.status not in DELEGATE_EDITABLE_STATUSES:
        raise RegistrationError(
            {"participation_mode": _("%(name)s is “%(status)s”: the mode of participation can no longer change.")
             % {"name": current.full_name, "status": current.get_status_display()}}
        )  # fmt: skip
    participation_mode_check(meeting=current.meeting, mode=mode)
    reason = _("Takes part online.")
    if mode == ONLINE:
        funding = FundingRequest.objects.filter(registration=current).first()
        visa = VisaRequest.objects.filter(registration=current).first()
        if funding is not None and funding.status in FUNDED_STATUSES:
            raise RegistrationError(
                {"participation_mode": _("Funded travel has been approved for %(name)s: ask the secretariat to "
                                         "decline it before switching to online participation.")
                 % {"name": current.full_name}}
            )  # fmt: skip
        if visa is not None and visa.status == VisaStatus.APPROVED:
            raise RegistrationError(
                {"participation_mode": _("A visa support letter has been issued to %(name)s: ask the secretariat "
                                         "before switching to online participation.") % {"name": current.full_name}}
            )  # fmt: skip
        # Imported here: funding and visas import this module's checks.
        from .funding import funding_decline
        from .visas import visa_request_refuse

        if funding is not None and funding.status in (FundingStatus.REQUESTED, FundingStatus.WAITING):
            funding_decline(funding=funding, by=by, reason=reason)
        if visa is not None and visa.status == VisaStatus.REQUESTED:
            visa_request_refuse(visa=visa, by=by, reason=reason)
        current.funding_requested = current.visa_letter_requested = False
    current.participation_mode = mode
    current._history_user = by
    current._change_reason = str(ParticipationMode(mode).label)
    current.save()
    registration.participation_mode = mode
    registration.funding_requested, registration.visa_letter_requested = (
        current.funding_requested,
        current.visa_letter_requested,
    )
    return current


# --- Connection details -------------------------------------------------------------------------


def _language(registration) -> str:
    # The delegate's language of correspondence where recorded, else the portal's default.
    return getattr(registration, "correspondence_language", "") or settings.LANGUAGE_CODE


def online_details_queue(*, registration, by=None, connections=None):
    """Mail an accredited online participant their personal connection details, once per set of
    details: the trigger key carries a digest of them, so sending again changes nothing, and
    changed details (a new link) go out again. Returns the mail, or None when there is nothing to
    send (not accredited, in person, or no link recorded yet)."""
    if connections is None:
        connections = online_connections(registration=registration)
    if not connections:
        return None
    digest = hashlib.sha256(
        "\n".join(f"{c['meeting'].pk}|{c['url']}|{c['details']}" for c in connections).encode()
    ).hexdigest()[:16]
    language = _language(registration)
    for connection in connections:
        # "1–3 de diciembre de 2026": the dates as the recipient's language writes them.
        connection["dates"] = format_date_range(
            connection["meeting"].start_date, connection["meeting"].end_date, language
        )
    return mail_queue(
        to=registration.email,
        template_prefix="participants/email/online_details",
        context={"registration": registration, "meeting": registration.meeting, "connections": connections},
        language=language,
        trigger_key=f"online-details:{registration.pk}:{digest}",
        by=by,
    )


@transaction.atomic
def online_details_send(*, meeting, by) -> int:
    """Mail every accredited online participant of `meeting` their connection details (after the
    link was recorded or changed). Returns how many were queued or already sent with these details."""
    people = list(online_participants(meeting=meeting))
    found = online_connections_of(people)  # one query for every participant's segments
    return sum(
        online_details_queue(registration=registration, by=by, connections=found.get(registration.pk, []))
        is not None
        for registration in people
    )
