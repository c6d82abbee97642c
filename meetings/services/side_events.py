"""Side events: an organisation's request, the secretariat's review (approve, decline, schedule
into a slot and room), and the mail that tells the organiser each step."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from outbox.services import mail_queue

from ..enums import SIDE_EVENT_TRANSITIONS, SessionKind
from ..models import Meeting, Session, SideEvent, SideEventSlot
from .programme import session_save
from .transition import transition


def _side_event_mail(side_event: SideEvent, by=None) -> None:
    """Tell the organiser the step the request has just reached (its status names the mail)."""
    step = side_event.status
    mail_queue(
        to=side_event.contact_email,
        template_prefix=f"meetings/mail/side_event_{step}",
        context={
            "side_event": side_event,
            "meeting": side_event.meeting,
            "session": side_event.session,
            "site_url": settings.SITE_URL.rstrip("/"),
        },
        language=side_event.language,
        trigger_key=f"side-event-{side_event.pk}-{step}",
        by=by,
    )


def side_event_slots_check(*, meeting: Meeting, preferred_slots=()) -> None:
    """The slots a side event prefers are offered by its own meeting."""
    if any(slot.meeting_id != meeting.pk for slot in preferred_slots):
        raise ValidationError({"preferred_slots": _("Choose slots of this meeting.")})


def side_event_request_check(*, meeting: Meeting, preferred_slots=()) -> None:
    """What an organiser's request must satisfy: requests still open, slots of this meeting."""
    if not meeting.accepts_side_event_requests:
        raise ValidationError(_("Side-event requests for this meeting are closed."), code="requests_closed")
    side_event_slots_check(meeting=meeting, preferred_slots=preferred_slots)


def side_event_schedule_check(*, side_event: SideEvent, slot: SideEventSlot, room: str) -> None:
    if not (room or "").strip():
        raise ValidationError({"room": _("Name the room.")})
    if slot.meeting_id != side_event.meeting_id:
        raise ValidationError({"slot": _("Choose a slot of this meeting.")})


def side_event_decline_check(*, reason: str) -> None:
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Say why the side event is declined: the organiser reads it.")})


@transaction.atomic
def side_event_submit(
    *,
    meeting: Meeting,
    organisation: str,
    title: str,
    description: str,
    expected_attendance: int,
    contact_name: str,
    contact_email: str,
    co_organisers: str = "",
    technical_needs: str = "",
    preferred_slots=(),
    language: str = "en",
    by=None,
) -> SideEvent:
    """Record an organiser's request and acknowledge it by mail."""
    slots = list(preferred_slots)
    side_event_request_check(meeting=meeting, preferred_slots=slots)
    side_event = SideEvent(
        meeting=meeting,
        organisation=organisation,
        co_organisers=co_organisers,
        title=title,
        description=description,
        expected_attendance=expected_attendance,
        technical_needs=technical_needs,
        contact_name=contact_name,
        contact_email=contact_email,
        language=language if language in dict(settings.LANGUAGES) else "en",
        submitted_by=by if by is not None and by.is_authenticated else None,
    )
    side_event.full_clean(exclude=["preferred_slots", "session"])
    side_event.save()
    side_event.preferred_slots.set(slots)
    _side_event_mail(side_event, by=side_event.submitted_by)
    return side_event


@transaction.atomic
def side_event_save(*, side_event: SideEvent, preferred_slots=None, by=None) -> SideEvent:
    """Save what staff correct in a request (its details, the slots it prefers), without mail.
    Its status is not set here: it moves only by the review services below."""
    if side_event.pk is not None:
        side_event.status = SideEvent.objects.values_list("status", flat=True).get(pk=side_event.pk)
    if preferred_slots is not None:
        side_event_slots_check(meeting=side_event.meeting, preferred_slots=preferred_slots)
    side_event.full_clean(exclude=["preferred_slots", "session"])
    side_event._history_user = by
    side_event.save()
    if preferred_slots is not None:
        side_event.preferred_slots.set(preferred_slots)
    return side_event


@transaction.atomic
def side_event_delete(*, side_event: SideEvent, by=None) -> None:
    side_event._history_user = by
    side_event.delete()


@transaction.atomic
def side_event_approve(*, side_event: SideEvent, by=None) -> SideEvent:
    side_event = transition(record=side_event, table=SIDE_EVENT_TRANSITIONS, action="approve", by=by)
    _side_event_mail(side_event, by=by)
    return side_event


@transaction.atomic
def side_event_decline(*, side_event: SideEvent, reason: str, by=None) -> SideEvent:
    side_event_decline_check(reason=reason)
    side_event = transition(
        record=side_event,
        table=SIDE_EVENT_TRANSITIONS,
        action="decline",
        by=by,
        decline_reason=reason.strip(),
    )
    _side_event_mail(side_event, by=by)
    return side_event


@transaction.atomic
def side_event_schedule(*, side_event: SideEvent, slot: SideEventSlot, room: str, by=None) -> SideEvent:
    """Book the approved side event into `slot` and `room`, which creates its programme session.
    A room already taken at that time is refused with the name of the event holding it."""
    side_event_schedule_check(side_event=side_event, slot=slot, room=room)
    SIDE_EVENT_TRANSITIONS.check(SideEvent.objects.select_for_update().get(pk=side_event.pk), "schedule")
    session = session_save(
        session=Session(
            meeting=side_event.meeting,
            kind=SessionKind.SIDE_EVENT,
            title_en=side_event.title,
            room=room.strip(),
            starts=slot.starts,
            ends=slot.ends,
            description=side_event.organisation,
        ),
        by=by,
    )
    side_event = transition(
        record=side_event, table=SIDE_EVENT_TRANSITIONS, action="schedule", by=by, session=session
    )
    _side_event_mail(side_event, by=by)
    return side_event
