"""What a delegate is told by e-mail about their own registration: the focal point's
pre-registration (with the link that sets their password) and every status change they care about.

One place: `transition()` calls `status_change_notify` after every move it applies, and the table
below decides which moves a delegate hears of. Every mail goes through the outbox, in the
registration's language of correspondence; it is stored in the move's transaction and sent once
that transaction commits (a move rolled back sends nothing). A meeting already over gets no mail:
records of past meetings corrected by the secretariat (or loaded as history) are nobody's news.
"""

from allauth.account.forms import default_token_generator
from allauth.account.utils import user_pk_to_url_str
from django.conf import settings
from django.urls import reverse

from letters.services.issuing import language_for
from meetings.selectors import participant_information_link
from outbox.services import mail_queue

from ..models import FundingRequest, Registration, VisaRequest
from ..selectors import registration_meeting_is_over

# (model, action) → the event a delegate is told of. Moves not listed (their own withdrawal, a
# reset, the badge, check-in, tickets and DSA) send nothing.
STATUS_EVENTS = {
    (Registration, "nominate"): "registration_nominate",
    (Registration, "accredit"): "registration_accredit",
    (Registration, "decline"): "registration_decline",
    (Registration, "decline_nomination"): "registration_decline_nomination",
    (Registration, "withdraw_by_secretariat"): "registration_withdraw_by_secretariat",
    (VisaRequest, "approve"): "visa_approve",
    (VisaRequest, "refuse"): "visa_refuse",
    (FundingRequest, "approve"): "funding_approve",
    (FundingRequest, "put_on_waiting_list"): "funding_put_on_waiting_list",
    (FundingRequest, "decline"): "funding_decline",
}


def _site_link(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def _reason(record, event: str) -> str:
    if isinstance(record, Registration):
        return record.status_note
    if isinstance(record, VisaRequest):
        return record.refusal_reason
    return record.decision_note


def status_change_notify(record, action: str, *, by=None):
    """Tell the delegate of the move `action` just applied to `record` (a registration, its visa
    request or its funding request), if it is one they care about. Returns the queued mail, or
    None. The move's history row names the mail (its trigger key): the same move is never mailed
    twice, a later identical move (after a reset) is."""
    event = STATUS_EVENTS.get((type(record), action))
    if event is None:
        return None
    registration = record if isinstance(record, Registration) else record.registration
    meeting = registration.meeting
    if registration_meeting_is_over(registration):
        return None
    label = type(record)._meta.model_name
    history_id = record.history.order_by("-history_id").values_list("history_id", flat=True).first()
    return mail_queue(
        to=registration.email,
        template_prefix="participants/email/status_change",
        context={
            "event": event,
            "name": registration.full_name,
            # Objects, not strings: the meeting's title and the State's name read in the mail's
            # language.
            "meeting": meeting,
            "country": registration.country,
            "reason": _reason(record, event),
            "link": _site_link(reverse("participants:mine")),
            "letters_link": _site_link(reverse("letters:mine")),
            "information_link": participant_information_link(meeting),
        },
        language=language_for(registration.correspondence_language),
        trigger_key=f"status:{label}:{record.pk}:{action}:{history_id}",
        by=by,
    )


def set_password_url(user) -> str:
    """allauth's own password-reset-by-key page for `user`: a link that works once (the key is
    bound to the password it replaces) and for PASSWORD_RESET_TIMEOUT."""
    kwargs = {"uidb36": user_pk_to_url_str(user), "key": default_token_generator.make_token(user)}
    return _site_link(reverse("account_reset_password_from_key", kwargs=kwargs))


def pre_registration_notify(*, registration: Registration, by):
    """Tell a person a focal point pre-registered (their account made for it, without a password)
    what was done, by whom, for which meeting, with the link that sets their password; they then
    complete their details under "My registrations". None for a meeting already over."""
    if registration_meeting_is_over(registration):
        return None
    user = registration.user
    return mail_queue(
        to=registration.email,
        template_prefix="participants/email/pre_registered",
        context={
            "name": registration.full_name,
            "meeting": registration.meeting,
            "country": registration.country,
            "focal_point": by.get_full_name() or by.email,
            "focal_point_email": by.email,
            "set_password_link": set_password_url(user),
            "reset_link": _site_link(reverse("account_reset_password")),
            "link": _site_link(reverse("participants:mine")),
            "email": user.email,
            "days": max(settings.PASSWORD_RESET_TIMEOUT // 86400, 1),
        },
        language=language_for(registration.correspondence_language),
        trigger_key=f"pre-registered:{registration.pk}",
        reply_to=by.email,
        by=by,
    )
