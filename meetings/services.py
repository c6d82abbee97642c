"""Writes for meetings. Every status change of a meeting, an agenda version or a side event goes
through one guarded function here, which checks the transition, saves with the acting user in the
history, and queues what follows (mail) once the transaction commits."""

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from letters.services import mail_queue

from .enums import AgendaStatus, MeetingKind, MeetingStatus, SessionKind, SideEventStatus
from .models import (
    AgendaItem,
    AgendaVersion,
    Meeting,
    Session,
    SideEvent,
    SideEventSlot,
    room_taken_message,
    session_room_clash,
)

AGENDA_TRANSITIONS = {
    AgendaStatus.DRAFT: {AgendaStatus.IN_REVIEW, AgendaStatus.ISSUED},
    AgendaStatus.IN_REVIEW: {AgendaStatus.DRAFT, AgendaStatus.ISSUED},
    AgendaStatus.ISSUED: {AgendaStatus.ADOPTED},
    AgendaStatus.ADOPTED: set(),
    AgendaStatus.SUPERSEDED: set(),
}


@transaction.atomic
def agenda_version_transition(*, version: AgendaVersion, to: str, by=None) -> AgendaVersion:
    """Move an agenda version to `to`, refusing what the workflow does not allow.

    Locks the row so two officers cannot move the same version at once."""
    version = AgendaVersion.objects.select_for_update().get(pk=version.pk)
    if to not in AGENDA_TRANSITIONS[version.status]:
        raise ValidationError(
            _("An agenda version that is “%(current)s” cannot become “%(target)s”.")
            % {"current": version.get_status_display(), "target": AgendaStatus(to).label},
            code="illegal_transition",
        )
    version.status = to
    version._history_user = by
    version.save(update_fields=["status"])
    if to in (AgendaStatus.ISSUED, AgendaStatus.ADOPTED):
        # The issued version the public had until now gives way to this one.
        for older in version.meeting.agenda_versions.filter(
            number__lt=version.number, status=AgendaStatus.ISSUED
        ):
            older.status = AgendaStatus.SUPERSEDED
            older._history_user = by
            older.save(update_fields=["status"])
    return version


@transaction.atomic
def agenda_version_create_next(*, meeting: Meeting, by=None, note: str = "") -> AgendaVersion:
    """Start a new draft version as a copy of the latest one. A latest version still in the
    works (draft, under review) is superseded by it at once; an issued one stays issued, and
    public, until the new version is issued in its turn (see agenda_version_transition)."""
    Meeting.objects.select_for_update().get(pk=meeting.pk)
    latest = meeting.agenda_versions.order_by("-number").first()
    version = AgendaVersion.objects.create(
        meeting=meeting, number=(latest.number + 1) if latest else 1, created_by=by, note=note
    )
    if latest is not None:
        _copy_items(source=latest, target=version)
        if latest.status in (AgendaStatus.DRAFT, AgendaStatus.IN_REVIEW):
            latest.status = AgendaStatus.SUPERSEDED
            latest._history_user = by
            latest.save(update_fields=["status"])
    return version


def _copy_items(*, source: AgendaVersion, target: AgendaVersion, annotations: bool = True) -> None:
    parents = {}
    items = source.items.select_related("parent").order_by("parent_id", "position")
    for item in sorted(items, key=lambda i: i.parent_id is not None):
        parents[item.pk] = AgendaItem.objects.create(
            version=target,
            parent=parents.get(item.parent_id),
            position=item.position,
            title_en=item.title_en,
            title_fr=item.title_fr,
            title_es=item.title_es,
            annotation=item.annotation if annotations else "",
        )


# ---------------------------------------------------------------------------------------------
# Meeting status

MEETING_TRANSITIONS = {
    MeetingStatus.PLANNED: {
        MeetingStatus.REGISTRATION_OPEN,
        MeetingStatus.CANCELLED,
        MeetingStatus.POSTPONED,
    },
    MeetingStatus.REGISTRATION_OPEN: {
        MeetingStatus.REGISTRATION_CLOSED,
        MeetingStatus.CANCELLED,
        MeetingStatus.POSTPONED,
    },
    MeetingStatus.REGISTRATION_CLOSED: {
        MeetingStatus.REGISTRATION_OPEN,  # reopened for late registrations
        MeetingStatus.IN_SESSION,
        MeetingStatus.CANCELLED,
        MeetingStatus.POSTPONED,
    },
    MeetingStatus.IN_SESSION: {MeetingStatus.HELD},
    MeetingStatus.HELD: set(),
    MeetingStatus.CANCELLED: set(),
    # A postponed meeting is planned again once it has new dates.
    MeetingStatus.POSTPONED: {MeetingStatus.PLANNED, MeetingStatus.CANCELLED},
}


@transaction.atomic
def meeting_status_change(*, meeting: Meeting, to: str, by=None) -> Meeting:
    """Move a meeting along planned → registration open → registration closed → in session →
    held (or cancelled / postponed), refusing any other step. Locks the row against a second
    officer doing the same at the same moment."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if to not in MEETING_TRANSITIONS[meeting.status]:
        raise ValidationError(
            _("A meeting that is “%(current)s” cannot become “%(target)s”.")
            % {"current": meeting.get_status_display(), "target": MeetingStatus(to).label},
            code="illegal_transition",
        )
    meeting.status = to
    meeting._history_user = by
    meeting.save(update_fields=["status", "modified"])
    return meeting


# ---------------------------------------------------------------------------------------------
# The next COP

ORDINALS = {
    "en": ["First", "Second", "Third", "Fourth", "Fifth", "Sixth", "Seventh", "Eighth", "Ninth", "Tenth",
           "Eleventh", "Twelfth", "Thirteenth", "Fourteenth", "Fifteenth", "Sixteenth", "Seventeenth",
           "Eighteenth", "Nineteenth", "Twentieth"],
    "fr": ["Première", "Deuxième", "Troisième", "Quatrième", "Cinquième", "Sixième", "Septième",
           "Huitième", "Neuvième", "Dixième", "Onzième", "Douzième", "Treizième", "Quatorzième",
           "Quinzième", "Seizième", "Dix-septième", "Dix-huitième", "Dix-neuvième", "Vingtième"],
    "es": ["Primera", "Segunda", "Tercera", "Cuarta", "Quinta", "Sexta", "Séptima", "Octava", "Novena",
           "Décima", "Undécima", "Duodécima", "Decimotercera", "Decimocuarta", "Decimoquinta",
           "Decimosexta", "Decimoséptima", "Decimoctava", "Decimonovena", "Vigésima"],
}  # fmt: skip
COP_TITLES = {
    "en": "{ordinal} meeting of the Conference of the Parties to the Minamata Convention on Mercury",
    "fr": "{ordinal} réunion de la Conférence des Parties à la Convention de Minamata sur le mercure",
    "es": "{ordinal} reunión de la Conferencia de las Partes en el Convenio de Minamata sobre el Mercurio",
}


def _cop_title(number: int, language: str) -> str:
    ordinals = ORDINALS[language]
    if number > len(ordinals):
        return ""
    return COP_TITLES[language].format(ordinal=ordinals[number - 1])


@transaction.atomic
def meeting_create_next_cop(*, meeting: Meeting, by=None) -> Meeting:
    """COP-n+1 from COP-n in one step: the same settings (mode, venue, time zone, languages,
    partners) a year later, a fresh planned status, and a first draft agenda holding the skeleton
    of the last agenda (items and sub-items, without the annotations, which are written anew)."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if not meeting.is_cop_root or not meeting.number:
        raise ValidationError(
            _("Only a numbered COP (not a segment) can be copied into the next COP."), code="not_a_cop"
        )
    number = meeting.number + 1
    code = f"cop-{number}"
    if Meeting.objects.filter(kind=MeetingKind.COP, number=number, parent__isnull=True).exists() or (
        Meeting.objects.filter(code=code).exists()
    ):
        raise ValidationError(_("COP-%(number)s already exists.") % {"number": number}, code="exists")
    # 52 weeks later keeps the weekday: COPs open on a Monday.
    shift = dt.timedelta(weeks=52)
    successor = Meeting(
        kind=MeetingKind.COP,
        number=number,
        code=code,
        title_en=_cop_title(number, "en") or f"COP-{number}",
        title_fr=_cop_title(number, "fr"),
        title_es=_cop_title(number, "es"),
        mode=meeting.mode,
        status=MeetingStatus.PLANNED,
        start_date=meeting.start_date + shift,
        end_date=meeting.end_date + shift,
        time_zone=meeting.time_zone,
        venue=meeting.venue,
        city=meeting.city,
        country=meeting.country,
        host=meeting.host,
        languages=list(meeting.languages or []),
        symbol_prefix=f"UNEP/MC/COP.{number}",
    )
    successor._history_user = by
    successor.save()
    for partner in meeting.partners.all():
        successor.partners.create(name=partner.name, role=partner.role, url=partner.url)
    source = (
        meeting.agenda_versions.filter(status=AgendaStatus.ADOPTED).order_by("-number").first()
        or meeting.agenda_versions.exclude(status=AgendaStatus.SUPERSEDED).order_by("-number").first()
        or meeting.agenda_versions.order_by("-number").first()
    )
    version = AgendaVersion.objects.create(
        meeting=successor,
        number=1,
        created_by=by,
        note=_("Skeleton copied from %(meeting)s.") % {"meeting": meeting.code.upper()},
    )
    if source is not None:
        _copy_items(source=source, target=version, annotations=False)
    return successor


# ---------------------------------------------------------------------------------------------
# Programme


def session_save(*, session: Session, by=None) -> Session:
    """Validate and save a programme session. The database's exclusion constraint is the last
    word on double bookings (two officers saving at once); its refusal is turned into the same
    message the check gives."""
    session.full_clean()
    session._history_user = by
    try:
        with transaction.atomic():
            session.save()
    except IntegrityError as error:
        if "session_room_not_double_booked" not in str(error):
            raise
        clash = session_room_clash(session)
        message = room_taken_message(clash) if clash else _("This room is already booked at that time.")
        raise ValidationError({"room": message}, code="room_taken") from error
    return session


# ---------------------------------------------------------------------------------------------
# Side events

SIDE_EVENT_TRANSITIONS = {
    SideEventStatus.SUBMITTED: {SideEventStatus.APPROVED, SideEventStatus.DECLINED},
    SideEventStatus.APPROVED: {SideEventStatus.SCHEDULED, SideEventStatus.DECLINED},
    SideEventStatus.SCHEDULED: set(),
    SideEventStatus.DECLINED: set(),
}
SIDE_EVENT_REQUESTS_OPEN = {
    MeetingStatus.PLANNED,
    MeetingStatus.REGISTRATION_OPEN,
    MeetingStatus.REGISTRATION_CLOSED,
}


def side_event_requests_open(meeting: Meeting) -> bool:
    return meeting.status in SIDE_EVENT_REQUESTS_OPEN


def _side_event_mail(side_event: SideEvent, step: str, by=None) -> None:
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


def _side_event_move(side_event: SideEvent, to: str) -> SideEvent:
    locked = SideEvent.objects.select_for_update().select_related("meeting").get(pk=side_event.pk)
    if to not in SIDE_EVENT_TRANSITIONS[locked.status]:
        raise ValidationError(
            _("A side event that is “%(current)s” cannot become “%(target)s”.")
            % {"current": locked.get_status_display(), "target": SideEventStatus(to).label},
            code="illegal_transition",
        )
    return locked


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
    if not side_event_requests_open(meeting):
        raise ValidationError(_("Side-event requests for this meeting are closed."), code="requests_closed")
    slots = list(preferred_slots)
    if any(slot.meeting_id != meeting.pk for slot in slots):
        raise ValidationError({"preferred_slots": _("Choose slots of this meeting.")})
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
    _side_event_mail(side_event, "submitted", by=side_event.submitted_by)
    return side_event


@transaction.atomic
def side_event_approve(*, side_event: SideEvent, by=None) -> SideEvent:
    side_event = _side_event_move(side_event, SideEventStatus.APPROVED)
    side_event.status = SideEventStatus.APPROVED
    side_event._history_user = by
    side_event.save(update_fields=["status"])
    _side_event_mail(side_event, "approved", by=by)
    return side_event


@transaction.atomic
def side_event_decline(*, side_event: SideEvent, reason: str, by=None) -> SideEvent:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the side event is declined: the organiser reads it.")})
    side_event = _side_event_move(side_event, SideEventStatus.DECLINED)
    side_event.status = SideEventStatus.DECLINED
    side_event.decline_reason = reason
    side_event._history_user = by
    side_event.save(update_fields=["status", "decline_reason"])
    _side_event_mail(side_event, "declined", by=by)
    return side_event


@transaction.atomic
def side_event_schedule(*, side_event: SideEvent, slot: SideEventSlot, room: str, by=None) -> SideEvent:
    """Book the approved side event into `slot` and `room`, which creates its programme session.
    A room already taken at that time is refused with the name of the event holding it."""
    room = (room or "").strip()
    if not room:
        raise ValidationError({"room": _("Name the room.")})
    side_event = _side_event_move(side_event, SideEventStatus.SCHEDULED)
    if slot.meeting_id != side_event.meeting_id:
        raise ValidationError({"slot": _("Choose a slot of this meeting.")})
    session = Session(
        meeting=side_event.meeting,
        kind=SessionKind.SIDE_EVENT,
        title_en=side_event.title,
        room=room,
        starts=slot.starts,
        ends=slot.ends,
        description=side_event.organisation,
    )
    session_save(session=session, by=by)
    side_event.session = session
    side_event.status = SideEventStatus.SCHEDULED
    side_event._history_user = by
    side_event.save(update_fields=["status", "session"])
    _side_event_mail(side_event, "scheduled", by=by)
    return side_event
