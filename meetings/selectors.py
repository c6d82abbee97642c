"""Reads for meetings: what each page and feed shows, in a fixed number of queries."""

import datetime as dt
from itertools import groupby

from django.db.models import Prefetch, Q, QuerySet
from django.db.models.functions import ExtractYear
from django.utils import timezone

from reference.enums import RegionalGroup

from .enums import PUBLIC_AGENDA_STATUSES, PUBLIC_SIDE_EVENT_STATUSES, AgendaStatus
from .models import AgendaItem, AgendaVersion, ExpertGroup, Meeting, Session, SideEvent, SideEventSlot


def meeting_list(
    *,
    kind: str | None = None,
    year: int | None = None,
    region: str | None = None,
    expert_group: int | None = None,
) -> QuerySet[Meeting]:
    qs = Meeting.objects.select_related("country", "parent", "expert_group")
    if expert_group:
        qs = qs.filter(expert_group_id=expert_group)
    if kind:
        qs = qs.filter(kind=kind)
    if year:
        qs = qs.filter(start_date__year=year)
    if region and region in RegionalGroup.values:
        # A meeting belongs to a region when it is held there or serves it (a regional
        # consultation held online). `regions` is a JSON list: matching its text for the quoted
        # code works on SQLite too, where JSON `contains` is not available.
        qs = qs.filter(Q(country__regional_group=region) | Q(regions__icontains=f'"{region}"'))
    return qs.order_by("-start_date", "code")


def expert_groups() -> list[ExpertGroup]:
    return list(ExpertGroup.objects.order_by("name_en"))


def meeting_years() -> list[int]:
    years = Meeting.objects.annotate(year=ExtractYear("start_date")).order_by().values_list("year", flat=True)
    return sorted(set(years.distinct()), reverse=True)


def meetings_upcoming(*, limit: int | None = 10, today: dt.date | None = None) -> list[Meeting]:
    today = today or timezone.localdate()
    qs = meeting_list().filter(end_date__gte=today).order_by("start_date", "code")
    return list(qs[:limit] if limit else qs)


def meetings_recent(*, limit: int = 10, today: dt.date | None = None) -> list[Meeting]:
    today = today or timezone.localdate()
    return list(meeting_list().filter(end_date__lt=today)[:limit])


def meetings_for_calendar(*, kind: str | None = None) -> list[Meeting]:
    """Meetings as calendar events: a COP held in segments appears as its segments (COP-4's
    online week and its Bali week), not as one event spanning the months between."""
    qs = meeting_list(kind=kind).filter(segments__isnull=True).distinct()
    return list(qs.order_by("start_date", "code"))


def meeting_detail(*, code: str) -> Meeting:
    return Meeting.objects.select_related("country", "parent", "expert_group").get(code=code)


def meeting_segments(meeting: Meeting) -> list[Meeting]:
    return list(meeting.segments.select_related("country").order_by("start_date"))


def meeting_contributions(meeting: Meeting):
    return list(meeting.contributions.select_related("donor_country"))


def meeting_partners(meeting: Meeting) -> list:
    return list(meeting.partners.all())


def meetings_back_to_back(meeting: Meeting) -> list[Meeting]:
    return list(meeting.back_to_back_with.order_by("start_date"))


# ---------------------------------------------------------------------------------------------
# Agendas


def agenda_versions_visible(*, meeting: Meeting, user) -> list[AgendaVersion]:
    """Every version for those the rule `meetings.view_agenda_drafts` lets see drafts; the issued
    and adopted ones for everyone else."""
    qs = meeting.agenda_versions.order_by("-number")
    if not (user and user.has_perm("meetings.view_agenda_drafts")):
        qs = qs.filter(status__in=PUBLIC_AGENDA_STATUSES)
    return list(qs)


def agenda_version_current(
    *, versions: list[AgendaVersion], number: int | None = None
) -> AgendaVersion | None:
    """Of the versions this user may see (`agenda_versions_visible`), the one asked for, or else
    the latest the public may see: adopted beats issued, a later number beats an earlier."""
    if number is not None:
        return next((v for v in versions if v.number == number), None)
    public = [v for v in versions if v.status in PUBLIC_AGENDA_STATUSES]
    adopted = [v for v in public if v.status == AgendaStatus.ADOPTED]
    return (adopted or public or [None])[0]


def agenda_items(version: AgendaVersion) -> list[AgendaItem]:
    """The items of a version in order, each with its lettered sub-items, in two queries."""
    sub_items = AgendaItem.objects.select_related("parent").order_by("position")
    return list(
        version.items.filter(parent__isnull=True)
        .order_by("position")
        .prefetch_related(Prefetch("sub_items", queryset=sub_items))
    )


# ---------------------------------------------------------------------------------------------
# Programme and side events


def programme_sessions(meeting: Meeting) -> list[Session]:
    sessions = list(meeting.sessions.select_related("side_event").order_by("starts", "room"))
    for session in sessions:
        session.meeting = meeting  # local times need the meeting's zone without a query each
    return sessions


def programme_days(meeting: Meeting) -> list[tuple[dt.date, list[Session]]]:
    """The programme grouped by day at the venue."""
    sessions = programme_sessions(meeting)
    return [(day, list(group)) for day, group in groupby(sessions, key=lambda s: s.local_starts.date())]


def side_events_public(meeting: Meeting) -> list[SideEvent]:
    events = list(
        meeting.side_events.filter(status__in=PUBLIC_SIDE_EVENT_STATUSES)
        .select_related("session")
        .order_by("session__starts", "title")
    )
    for event in events:
        event.meeting = meeting
        if event.session is not None:
            event.session.meeting = meeting
    return events


def side_events_for_review(*, meeting: Meeting | None = None, status: str | None = None) -> list[SideEvent]:
    slots = SideEventSlot.objects.select_related("meeting").order_by("starts")
    qs = SideEvent.objects.select_related("meeting", "session").prefetch_related(
        Prefetch("preferred_slots", queryset=slots)
    )
    if meeting is not None:
        qs = qs.filter(meeting=meeting)
    if status:
        qs = qs.filter(status=status)
    return list(qs.order_by("-created"))


def side_event_detail(*, pk: int) -> SideEvent:
    return SideEvent.objects.select_related("meeting", "session").get(pk=pk)


def side_event_preferred_slots(side_event: SideEvent) -> list[SideEventSlot]:
    return list(side_event.preferred_slots.select_related("meeting"))
