"""Reads for meetings: what each page and feed shows, in a fixed number of queries."""

import datetime as dt
from dataclasses import dataclass, field
from itertools import groupby

from django.conf import settings
from django.db.models import Count, Exists, F, Max, Min, OuterRef, Prefetch, Q, QuerySet
from django.db.models.functions import ExtractYear
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from reference.enums import RegionalGroup
from reference.models import Country

from .enums import (
    PUBLIC_AGENDA_STATUSES,
    PUBLIC_SIDE_EVENT_STATUSES,
    AgendaStatus,
    InformationLanguage,
    InformationSection,
    MaterialStatus,
    MeetingMode,
)
from .models import (
    AgendaItem,
    AgendaVersion,
    EventSeries,
    ExpertGroup,
    Meeting,
    MeetingMaterial,
    ParticipantInformation,
    ParticipantInformationFile,
    Session,
    SideEvent,
    SideEventSlot,
    StateGroup,
)


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


def meeting_page(*, code: str) -> Meeting:
    """The meeting as its page shows it: `meeting_detail`, with `has_participant_information`
    (a section with text or files in any language) read in the same query."""
    shown = ParticipantInformation.objects.filter(meeting=OuterRef("pk")).filter(
        ~Q(body="") | Q(files__isnull=False)
    )
    return (
        Meeting.objects.select_related("country", "parent", "expert_group", "series")
        .annotate(has_participant_information=Exists(shown))
        .get(code=code)
    )


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


# ---------------------------------------------------------------------------------------------
# Scope: the States a meeting is limited to (a regional consultation, a subregional workshop)

# A named list of States shown by name up to this many; more are counted ("14 States").
SCOPE_STATES_NAMED = 5


@dataclass(frozen=True)
class MeetingScope:
    """The States a meeting is for: the union of its UN regional groups, its saved groups of
    States and its named States. A meeting with none of these is not limited (every State).

    Observers and organisations are not limited by a scope; callers ask about States only."""

    meeting: Meeting | None = None
    regions: tuple[str, ...] = ()
    groups: tuple[StateGroup, ...] = ()
    # (group id -> member ids) and the named States, both as ids, so `includes` needs no query.
    group_members: dict = field(default_factory=dict)
    states: tuple[Country, ...] = ()

    @property
    def is_limited(self) -> bool:
        return bool(self.regions or self.groups or self.states)

    @property
    def country_ids(self) -> frozenset[int]:
        """The ids of the States in the groups and the named States (not those in the regions)."""
        ids = {state.pk for state in self.states}
        for members in self.group_members.values():
            ids |= members
        return frozenset(ids)

    def includes(self, country) -> bool:
        """Whether `country` (a reference.Country) is within the scope. Not limited: always.
        `None` (no State: an organisation, an observer) is never limited by a scope."""
        if not self.is_limited or country is None:
            return True
        return country.regional_group in self.regions or country.pk in self.country_ids

    def countries(self) -> QuerySet[Country]:
        """The States within the scope (all States when the meeting is not limited)."""
        qs = Country.objects.all()
        if not self.is_limited:
            return qs
        return qs.filter(Q(regional_group__in=self.regions) | Q(pk__in=self.country_ids)).distinct()

    def parts(self) -> list[str]:
        """The scope in words, one part per region, group and the named States."""
        labels = dict(RegionalGroup.choices)
        parts = [str(labels.get(region, region)) for region in self.regions]
        for group in self.groups:
            count = len(self.group_members.get(group.pk, ()))
            parts.append(
                ngettext("%(group)s (%(count)s State)", "%(group)s (%(count)s States)", count)
                % {"group": group.name, "count": count}
            )
        if self.states:
            if len(self.states) <= SCOPE_STATES_NAMED:
                parts.extend(state.name for state in sorted(self.states, key=lambda c: c.name))
            else:
                count = len(self.states)
                parts.append(
                    ngettext("%(count)s named State", "%(count)s named States", count) % {"count": count}
                )
        return parts

    def describe(self) -> str:
        """For pages and messages: "African States", "Central and Eastern Europe and Central Asia
        (12 States)", or "All States" when the meeting is not limited."""
        if not self.is_limited:
            return _("All States")
        return "; ".join(self.parts())


SCOPE_PREFETCH = (
    "scope_states",
    "scope_groups__members",
    "parent__scope_states",
    "parent__scope_groups__members",
)


def _own_scope(meeting: Meeting) -> MeetingScope:
    # Reads what `with_scope` prefetched when it did (lists), else three small queries.
    states = tuple(sorted(meeting.scope_states.all(), key=lambda c: c.name_en))
    groups = tuple(sorted(meeting.scope_groups.all(), key=lambda g: g.name_en))
    members: dict[int, set[int]] = {group.pk: set() for group in groups}
    if groups and all("members" in getattr(g, "_prefetched_objects_cache", {}) for g in groups):
        for group in groups:
            members[group.pk] = {country.pk for country in group.members.all()}
    elif groups:
        through = StateGroup.members.through.objects.filter(stategroup_id__in=members)
        for group_id, country_id in through.values_list("stategroup_id", "country_id"):
            members[group_id].add(country_id)
    return MeetingScope(
        meeting=meeting,
        regions=tuple(r for r in (meeting.regions or []) if r in RegionalGroup.values),
        groups=groups,
        group_members={pk: frozenset(ids) for pk, ids in members.items()},
        states=states,
    )


def with_scope(meetings: QuerySet[Meeting]) -> QuerySet[Meeting]:
    """`meetings` with what `meeting_scope` reads prefetched: a list showing each one's scope
    costs a fixed number of queries."""
    return meetings.prefetch_related(*SCOPE_PREFETCH)


def meeting_scope(meeting: Meeting) -> MeetingScope:
    """The scope of `meeting`. A segment with no scope of its own takes its parent's."""
    scope = _own_scope(meeting)
    if not scope.is_limited and meeting.parent_id:
        parent_scope = _own_scope(meeting.parent)
        if parent_scope.is_limited:
            return parent_scope
    return scope


def meeting_scope_refused(meeting: Meeting, country) -> str | None:
    """The reason `country` may not take part as a State in `meeting`, or None when it may:
    "Germany is not within the scope of the Lusaka consultation: African States"."""
    scope = meeting_scope(meeting)
    if scope.includes(country):
        return None
    return _("%(state)s is not within the scope of %(meeting)s: %(scope)s") % {
        "state": country.name,
        "meeting": meeting.title,
        "scope": scope.describe(),
    }


def state_groups() -> list[StateGroup]:
    return list(StateGroup.objects.annotate(member_count=Count("members")).order_by("name_en"))


# ---------------------------------------------------------------------------------------------
# Online participation


def online_segments(meeting: Meeting) -> list[Meeting]:
    """The parts of `meeting` that someone may attend online: the meeting itself when it is online
    or hybrid, and each of its segments that is. Empty for an in-person meeting without online
    segments."""
    online = (MeetingMode.ONLINE, MeetingMode.HYBRID)
    parts = [meeting] if meeting.mode in online else []
    parts += [s for s in meeting.segments.order_by("start_date", "code") if s.mode in online]
    return parts


def has_online_participation(meeting: Meeting) -> bool:
    """Whether the meeting, or one of its segments, is online or hybrid."""
    return bool(online_segments(meeting))


def has_in_person_participation(meeting: Meeting) -> bool:
    """Whether the meeting, or one of its segments, can be attended in person."""
    in_person = (MeetingMode.IN_PERSON, MeetingMode.HYBRID)
    if meeting.mode in in_person:
        return True
    return meeting.segments.filter(mode__in=in_person).exists()


# ---------------------------------------------------------------------------------------------
# Information for participants


def participant_information_link(meeting: Meeting) -> str:
    """The full address of a meeting's information for participants, as letters and e-mails print
    it (the page itself answers in the reader's language)."""
    path = reverse("meetings:information", kwargs={"code": meeting.code})
    return settings.SITE_URL.rstrip("/") + path


def information_language(language: str | None) -> str:
    """The language of the information a visitor reads: the page's language where it is one of
    InformationLanguage ("fr-ch" reads French), English otherwise."""
    code = (language or "").lower()[:2]
    return code if code in InformationLanguage.values else InformationLanguage.ENGLISH


@dataclass
class InformationShown:
    """A section as the page shows it: the entry in the reader's language, or the English one
    (`fallback`) where that language has none with text or files."""

    section: str
    label: str
    body: str
    files: list
    language: str
    fallback: bool


def participant_information(*, meeting: Meeting, language: str) -> list[InformationShown]:
    """The sections of `meeting`'s information for participants in `language` (one of
    InformationLanguage), in the order of InformationSection. A section with neither text nor
    files in `language` falls back to English; one with neither in English either is left out.
    Two queries (the entries in the two languages, their files)."""
    entries = (
        ParticipantInformation.objects.filter(
            meeting=meeting, language__in={language, InformationLanguage.ENGLISH}
        )
        .prefetch_related(
            Prefetch("files", queryset=ParticipantInformationFile.objects.order_by("title", "pk"))
        )
        .order_by()
    )
    found = {(entry.section, entry.language): entry for entry in entries}
    shown = []
    for section in InformationSection:
        for candidate in (language, InformationLanguage.ENGLISH):
            entry = found.get((section.value, candidate))
            files = list(entry.files.all()) if entry is not None else []
            if entry is not None and (entry.body or files):
                shown.append(
                    InformationShown(
                        section=section.value,
                        label=section.label,
                        body=entry.body,
                        files=files,
                        language=candidate,
                        fallback=candidate != language,
                    )
                )
                break
    return shown


def participant_information_file(*, code: str, pk: int) -> ParticipantInformationFile:
    """A file of a meeting's information for participants, by the meeting's code and its id (a
    file of another meeting is not found)."""
    return ParticipantInformationFile.objects.select_related("information").get(
        pk=pk, information__meeting__code=code
    )


# ---------------------------------------------------------------------------------------------
# Meeting materials


def meeting_materials_public(meeting: Meeting) -> list[MeetingMaterial]:
    """The published materials of `meeting` (of the meeting itself first, then per session in the
    programme's order), in one query."""
    return list(
        MeetingMaterial.objects.filter(meeting=meeting, status=MaterialStatus.PUBLISHED)
        .select_related("session")
        .order_by(F("session__starts").asc(nulls_first=True), "kind", "title", "pk")
    )


def meeting_material(*, code: str, pk: int) -> MeetingMaterial:
    """One material by its meeting's code and its id, whatever its status (the rule
    `meetings.view_material` decides who sees it); a material of another meeting is not found."""
    return MeetingMaterial.objects.select_related("meeting").get(pk=pk, meeting__code=code)


# ---------------------------------------------------------------------------------------------
# Series of online events


def event_series_list() -> list[EventSeries]:
    """Every series with the number of its events and its first and last dates, in one query."""
    return list(
        EventSeries.objects.annotate(
            event_count=Count("events"),
            first_date=Min("events__start_date"),
            last_date=Max("events__end_date"),
        ).order_by(F("last_date").desc(nulls_last=True), "title_en")
    )


def event_series_detail(*, code: str) -> EventSeries:
    return EventSeries.objects.get(code=code)


def event_series_events(series: EventSeries) -> list[Meeting]:
    """The events of `series` in date order, each with `material_count` (published materials), in
    one query."""
    return list(
        series.events.annotate(
            material_count=Count("materials", filter=Q(materials__status=MaterialStatus.PUBLISHED))
        ).order_by("start_date", "code")
    )
