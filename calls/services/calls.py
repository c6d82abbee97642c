"""Staff create a call and send it to its addressees."""

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import FocalPoint, User
from letters.enums import LetterKind
from letters.rendering import format_date
from letters.services.issuing import LetterSpec, language_for, letters_request
from reference.enums import CountryKind

from ..enums import CallStatus
from ..models import Call
from ..selectors import call_addressees
from .transition import transition

CALL_FIELDS = ("meeting", "kind", "title", "mandate", "body", "audience", "deadline", "accepts_late")


def call_check(*, title: str, body: str, deadline: dt.date, today: dt.date | None = None) -> None:
    """What a call must say before it can go out: a subject, what it asks, and a deadline that
    has not passed."""
    errors = {}
    if not (title or "").strip():
        errors["title"] = _("Give the call a subject.")
    if not (body or "").strip():
        errors["body"] = _("Say what the call asks for.")
    if deadline is None:
        errors["deadline"] = _("Give the call a deadline.")
    elif deadline < (today or timezone.localdate()):
        errors["deadline"] = _("The deadline has already passed.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def call_create(*, by, **fields) -> Call:
    unknown = set(fields) - set(CALL_FIELDS)
    if unknown:
        raise TypeError(f"unknown call fields: {sorted(unknown)}")
    call_check(title=fields.get("title", ""), body=fields.get("body", ""), deadline=fields.get("deadline"))
    call = Call(created_by=by, **fields)
    call._history_user = by
    call.save()
    return call


@transaction.atomic
def call_update(*, call: Call, by, **fields) -> Call:
    """Change a call. Once sent, only its deadline and whether late answers are taken change
    (the addressees hold the letter as it was sent)."""
    unknown = set(fields) - set(CALL_FIELDS)
    if unknown:
        raise TypeError(f"unknown call fields: {sorted(unknown)}")
    call = Call.objects.select_for_update().get(pk=call.pk)
    if call.status != CallStatus.DRAFT:
        fixed = {name for name, value in fields.items() if getattr(call, name) != value} - {
            "deadline",
            "accepts_late",
        }
        if fixed:
            raise ValidationError(
                {
                    name: _("The call has been sent: only its deadline and late answers can change.")
                    for name in fixed
                }
            )
    for name, value in fields.items():
        setattr(call, name, value)
    if call.status == CallStatus.DRAFT:
        call_check(title=call.title, body=call.body, deadline=call.deadline)
    elif call.deadline is None:
        raise ValidationError({"deadline": _("Give the call a deadline.")})
    call._history_user = by
    call.save()
    return call


def _call_link(call: Call) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("calls:mine")


def call_letter_specs(call: Call, addressees) -> list[LetterSpec]:
    """One call letter per focal point or observer contact, in their language: the call's facts
    as the letter prints them (the deadline written out in that language)."""
    recipients = [(addressee, recipient) for addressee in addressees for recipient in addressee.recipients]
    users = User.objects.in_bulk([r.user_id for _a, r in recipients if r.user_id])
    focal_points = FocalPoint.objects.in_bulk([r.focal_point_id for _a, r in recipients if r.focal_point_id])
    specs = []
    for addressee, recipient in recipients:
        language = language_for(recipient.language)
        with translation.override(language):
            answerer = addressee.name
        specs.append(
            LetterSpec(
                trigger_key=f"call:{call.pk}:letter:{addressee.key}:{recipient.email}",
                recipient_name=recipient.name,
                recipient_email=recipient.email,
                language=language,
                recipient_user=users.get(recipient.user_id),
                focal_point=focal_points.get(recipient.focal_point_id),
                details={
                    "call_id": call.pk,
                    "call_title": call.title,
                    "call_kind": call.kind,
                    "mandate": call.mandate,
                    "body": call.body,
                    "deadline": format_date(call.deadline, language),
                    "answerer": answerer,
                    "is_state": addressee.country is not None and addressee.country.kind == CountryKind.STATE,
                    "link": _call_link(call),
                },
            )
        )
    return specs


@transaction.atomic
def call_send(*, call: Call, by) -> Call:
    """Send the call letter to every addressee's focal points or observer contacts, each in their
    language (a letter kind of its own, rendered and e-mailed like the others). A call with nobody
    to write to is refused; the send happens once (the move from draft, under the row's lock)."""
    call_check(title=call.title, body=call.body, deadline=call.deadline)
    call = transition(call, "send", by=by, changes={"sent_at": timezone.now()})
    specs = call_letter_specs(call, call_addressees(call))
    if not specs:
        raise ValidationError(
            {
                "audience": _(
                    "Nobody can be written to: no addressee of this call has a focal point or contact."
                )
            }
        )
    letters_request(meeting=call.meeting, kind=LetterKind.CALL, specs=specs, by=by)
    return call
