"""Reads for documents: the public lists, the search, the processing grid, the compilation of a
call for submissions. Every list costs a fixed number of queries whatever its length."""

import datetime as dt
import unicodedata
from dataclasses import dataclass, field

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import Case, Exists, F, Func, Max, OuterRef, Prefetch, Q, QuerySet, Value, When
from django.db.models.functions import Concat
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from meetings.models import AgendaItem, Meeting

from .enums import (
    LANGUAGE_AUTONYMS,
    LATE_STATES,
    RIGHT_TO_LEFT,
    SETTLED_STATUSES,
    SUBMITTED_STATUSES,
    Language,
    Milestone,
    MilestoneState,
    ProcessingStatus,
    Series,
    Timeliness,
)
from .models import (
    CallForSubmissions,
    Document,
    LanguageVersion,
    LanguageVersionFile,
    MilestoneRule,
    ProcessingStep,
    Submission,
)
from .rules import allowed_distributions

S = ProcessingStatus
UN_ORDER = {code: i for i, code in enumerate(Language.values)}
AT_RISK_DAYS = 14

# Languages in the UN's order (Arabic, Chinese, English, French, Russian, Spanish), not by code.
LANGUAGE_ORDER = Case(*[When(language=code, then=Value(i)) for i, code in enumerate(Language.values)])


# Working documents first, then information documents, conference room papers, L. drafts.
SERIES_ORDER = Case(
    *[When(series=value, then=Value(i)) for i, value in enumerate(Series.values)], default=Value(9)
)
DOCUMENT_ORDER = [SERIES_ORDER.asc(), "number", "suffix"]
SEARCH_ORDER = ["prefix", SERIES_ORDER.asc(), "number", "suffix"]


def _published_versions():
    return Prefetch(
        "versions",
        queryset=LanguageVersion.objects.filter(status=S.PUBLISHED).order_by(LANGUAGE_ORDER),
        to_attr="published_versions",
    )


def _agenda_items():
    return Prefetch("agenda_items", queryset=AgendaItem.objects.select_related("parent"))


def _with_links(documents: list[Document]) -> list[Document]:
    """Give each document (fetched with `_published_versions()`) its `language_links`."""
    for document in documents:
        document.language_links = language_links(document)
    return documents


def language_links(document) -> list[dict]:
    """Download links of a document's published languages, each named in its own language."""
    return [
        {
            "code": v.language,
            "autonym": LANGUAGE_AUTONYMS[v.language],
            "rtl": v.language in RIGHT_TO_LEFT,
            "url": reverse("documents:download", kwargs={"pk": document.pk, "language": v.language}),
        }
        for v in document.published_versions
    ]


def documents_visible(user) -> QuerySet[Document]:
    return Document.objects.filter(distribution__in=allowed_distributions(user))


def document_detail(*, pk: int) -> Document:
    return Document.objects.select_related("meeting").get(pk=pk)


def documents_published(user) -> QuerySet[Document]:
    """Documents `user` may read that have at least one language version out."""
    published = LanguageVersion.objects.filter(document=OuterRef("pk"), status=S.PUBLISHED)
    return documents_visible(user).filter(Exists(published))


def document_versions(document: Document) -> list[LanguageVersion]:
    """All six language versions of a document, in the UN's order."""
    return list(document.versions.order_by(LANGUAGE_ORDER))


def document_supplements(*, document: Document, user, unpublished: bool = False) -> QuerySet[Document]:
    """The addenda, revisions and corrigenda of `document` that `user` may read: only published
    ones unless `unpublished` (for the documents officer), so an addendum still in translation,
    or one whose distribution was narrowed, is not announced by its symbol."""
    readable = documents_visible(user) if unpublished else documents_published(user)
    return readable.filter(amends=document).order_by("symbol")


def document_agenda_items(document: Document) -> QuerySet[AgendaItem]:
    return document.agenda_items.select_related("parent")


def published_file(*, document: Document, language: str) -> LanguageVersionFile | None:
    """The current (latest) file of the published `language` version of `document`, if any."""
    return (
        LanguageVersionFile.objects.filter(
            version__document=document, version__language=language, version__status=S.PUBLISHED
        )
        .order_by("-number")
        .first()
    )


def meeting_documents(
    *,
    meeting: Meeting,
    user,
    language: str | None = None,
    series: str | None = None,
    agenda_item: int | None = None,
) -> list[Document]:
    qs = documents_published(user).filter(Q(meeting=meeting) | Q(meeting__parent=meeting))
    if language:
        qs = qs.filter(
            Exists(
                LanguageVersion.objects.filter(document=OuterRef("pk"), status=S.PUBLISHED, language=language)
            )
        )
    if series:
        qs = qs.filter(series=series)
    if agenda_item:
        qs = qs.filter(agenda_items=agenda_item)
    return _with_links(
        list(qs.prefetch_related(_published_versions(), _agenda_items()).order_by(*DOCUMENT_ORDER))
    )


def _item_sort_key(item):
    if item.parent_id is None:
        return (item.version_id, item.position, 0)
    return (item.version_id, item.parent.position, item.position)


@dataclass
class Group:
    key: str
    heading: str
    documents: list = field(default_factory=list)


def group_by_agenda_item(documents) -> list[Group]:
    """A document under each item it serves; those under none come last."""
    groups, items = {}, {}
    for document in documents:
        linked = document.agenda_items.all()
        for item in linked:
            items[item.pk] = item
            groups.setdefault(item.pk, []).append(document)
        if not linked:
            groups.setdefault(None, []).append(document)
    result = [
        Group(
            key=f"item-{item.pk}",
            heading=_("Item %(label)s: %(title)s") % {"label": item.label, "title": item.title},
            documents=groups[item.pk],
        )
        for item in sorted(items.values(), key=_item_sort_key)
    ]
    if None in groups:
        result.append(Group(key="item-none", heading=_("Other documents"), documents=groups[None]))
    return result


def group_by_series(documents) -> list[Group]:
    result = []
    for value, label in Series.choices:
        members = [d for d in documents if d.series == value]
        if members:
            result.append(Group(key=f"series-{value}", heading=str(label), documents=members))
    return result


def meeting_agenda_items(meeting) -> list:
    """The items documents of the meeting are linked to, for the filter."""
    items = AgendaItem.objects.filter(documents__meeting=meeting).select_related("parent").distinct()
    return sorted(items, key=_item_sort_key)


def _unaccent(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def document_search(*, query: str, user, limit: int = 100) -> list[Document]:
    """Full-text search over titles (all six languages) and symbols, across meetings.

    On PostgreSQL: `to_tsvector('simple', unaccent(…))` against the query, so "reunion" finds
    "réunion"; the 'simple' configuration because titles are in six languages and English
    stemming would mangle the others. A symbol or its start (UNEP/MC/COP.4/INF) also matches.
    On SQLite (the demo): a plain case-insensitive substring match."""
    query = (query or "").strip()
    if not query:
        return []
    qs = documents_published(user)
    symbol_match = Q(symbol__istartswith=query)
    if connection.vendor == "postgresql":
        text = Concat(*[x for code in Language.values for x in (F(f"title_{code}"), Value(" "))], F("symbol"))
        vector = SearchVector(Func(text, function="unaccent"), config="simple")
        search = SearchQuery(_unaccent(query), config="simple", search_type="websearch")
        qs = (
            qs.annotate(matched=vector, rank=SearchRank(vector, search))
            .filter(Q(matched=search) | symbol_match)
            .order_by("-rank", *SEARCH_ORDER)
        )
    else:
        plain = Q()
        for code in Language.values:
            plain |= Q(**{f"title_{code}__icontains": query})
            if _unaccent(query) != query:
                plain |= Q(**{f"title_{code}__icontains": _unaccent(query)})
        qs = qs.filter(plain | symbol_match).order_by(*SEARCH_ORDER)
    return _with_links(list(qs.select_related("meeting").prefetch_related(_published_versions())[:limit]))


# --- Processing dashboard -----------------------------------------------------------------------


def timeliness(version: LanguageVersion, *, today: dt.date) -> str:
    """Done once settled; late from the day after the target date (on the target day itself it
    is not late yet); at risk, unless ready, from AT_RISK_DAYS days before it (included)."""
    if version.status in SETTLED_STATUSES:
        return Timeliness.DONE
    if version.target_date is None:
        return Timeliness.ON_TRACK
    if version.target_date < today:
        return Timeliness.LATE
    if version.status != S.READY and (version.target_date - today).days <= AT_RISK_DAYS:
        return Timeliness.AT_RISK
    return Timeliness.ON_TRACK


@dataclass
class GridRow:
    document: Document
    cells: list  # LanguageVersion per language, in UN order, each with .timeliness
    late: int = 0
    at_risk: int = 0


def processing_grid(
    *,
    meeting,
    today: dt.date | None = None,
    series: str | None = None,
    language: str | None = None,
    status: str | None = None,
    timeliness_filter: str | None = None,
) -> list[GridRow]:
    """Document × language for the documents officer: every document of the meeting, all
    distributions. Filters keep a row if any of its (filtered) languages match."""
    today = today or timezone.localdate()
    qs = Document.objects.filter(Q(meeting=meeting) | Q(meeting__parent=meeting))
    if series:
        qs = qs.filter(series=series)
    qs = qs.prefetch_related(Prefetch("versions", queryset=LanguageVersion.objects.order_by("language")))
    rows = []
    for document in qs.order_by(*DOCUMENT_ORDER):
        by_language = {v.language: v for v in document.versions.all()}
        cells = [by_language.get(code) for code in Language.values]
        for cell in cells:
            if cell is not None:
                cell.timeliness = timeliness(cell, today=today)
        considered = [c for c in cells if c is not None and (not language or c.language == language)]
        if status and not any(c.status == status for c in considered):
            continue
        if timeliness_filter and not any(c.timeliness == timeliness_filter for c in considered):
            continue
        rows.append(
            GridRow(
                document=document,
                cells=cells,
                late=sum(c.timeliness == Timeliness.LATE for c in considered),
                at_risk=sum(c.timeliness == Timeliness.AT_RISK for c in considered),
            )
        )
    return rows


# --- Milestones -----------------------------------------------------------------------------------


def milestone_rules() -> dict[tuple[str, str], MilestoneRule]:
    """Every milestone rule, by (series, meeting kind): one query for a whole board."""
    return {(rule.series, rule.meeting_kind): rule for rule in MilestoneRule.objects.all()}


def milestone_rule_for(rules: dict, *, series: str, meeting_kind: str) -> MilestoneRule | None:
    """The rule of `series` at a meeting of `meeting_kind`: the rule of both if there is one, else
    the series' rule for every other kind, else the kind's rule for every other series, else the
    rule for every series and kind; None when none of these exists."""
    for key in ((series, meeting_kind), (series, ""), ("", meeting_kind), ("", "")):
        if key in rules:
            return rules[key]
    return None


def milestone_due_date(*, opening: dt.date | None, weeks: int | None) -> dt.date | None:
    """The day a milestone falls on: `weeks` whole weeks before the opening day (0: the opening
    day itself). The milestone is met in time on that day (included); see `milestone_state`."""
    if opening is None or weeks is None:
        return None
    return opening - dt.timedelta(weeks=weeks)


@dataclass(frozen=True)
class MilestoneCheck:
    """One milestone of one document or language version: its date, its state, the day it was
    met (None when not met, or met on a day the portal did not record), and a number of days:
    left until the date (due; 0 on the day itself) or past it (late; met late)."""

    milestone: str
    due: dt.date | None
    state: str
    met_on: dt.date | None = None
    days: int = 0

    @property
    def late(self) -> bool:
        return self.state in LATE_STATES

    @property
    def label(self) -> str:
        """ "met on 2021-09-20", "due 2021-09-20 (in 3 days)", "late by 4 days", for pages and sheets."""
        M = MilestoneState
        if self.state == M.NOT_SET:
            return _("no milestone")
        if self.state == M.DUE:
            if self.days == 0:
                return _("due today (%(date)s)") % {"date": self.due.isoformat()}
            return ngettext(
                "due %(date)s (in %(days)s day)", "due %(date)s (in %(days)s days)", self.days
            ) % {"date": self.due.isoformat(), "days": self.days}
        if self.state == M.LATE:
            return ngettext("late by %(days)s day", "late by %(days)s days", self.days) % {"days": self.days}
        if self.met_on is None:
            return _("met (date not recorded)")
        if self.state == M.MET_LATE:
            return ngettext(
                "met on %(date)s, %(days)s day late", "met on %(date)s, %(days)s days late", self.days
            ) % {"date": self.met_on.isoformat(), "days": self.days}
        return _("met on %(date)s") % {"date": self.met_on.isoformat()}


def milestone_state(
    *, milestone: str, due: dt.date | None, met: bool, met_on: dt.date | None, today: dt.date
) -> MilestoneCheck:
    """Where one milestone stands on `today`.

    No date (no rule, or no meeting): not set. Not met: due up to and including the due day
    (`days` left, 0 on the day itself), late from the day after (`days` past: 1 on that day).
    Met: on time when met on or before the due day (the day included), met late when met after
    it (`days` past the due day); met on a day not recorded counts as met."""
    M = MilestoneState
    if due is None:
        return MilestoneCheck(milestone, None, M.NOT_SET)
    if not met:
        if today <= due:
            return MilestoneCheck(milestone, due, M.DUE, days=(due - today).days)
        return MilestoneCheck(milestone, due, M.LATE, days=(today - due).days)
    if met_on is not None and met_on > due:
        return MilestoneCheck(milestone, due, M.MET_LATE, met_on=met_on, days=(met_on - due).days)
    return MilestoneCheck(milestone, due, M.MET, met_on=met_on)


def _local_day(moment) -> dt.date | None:
    return timezone.localdate(moment) if moment is not None else None


def document_milestones(
    *, document: Document, versions, rules: dict, today: dt.date
) -> tuple[MilestoneCheck, dict]:
    """The forecast of `document` and, per language version of `versions` (annotated with
    `submitted_at`, as `milestone_board` fetches them), its submission and issuance.

    What the portal recorded decides whether each is met: the forecast when the document was
    registered (`created`); the submission when the version was submitted to conference services
    (its latest processing step to `S.SUBMITTED`; a version further on is met even without one);
    issuance when it was published (`published_at`). A document recorded as issued elsewhere
    (`recorded_as_is`) was processed outside the portal: its milestones count as met, on days not
    recorded, once its versions reached them."""
    meeting = document.meeting
    rule = milestone_rule_for(rules, series=document.series, meeting_kind=meeting.kind) if meeting else None
    opening = meeting.start_date if meeting else None
    dated = not document.recorded_as_is

    due = {
        m: milestone_due_date(opening=opening, weeks=rule.weeks(m) if rule else None)
        for m in Milestone.values
    }
    forecast = milestone_state(
        milestone=Milestone.FORECAST,
        due=due[Milestone.FORECAST],
        met=True,
        met_on=_local_day(document.created) if dated else None,
        today=today,
    )
    per_version = {}
    for version in versions:
        submitted = version.status in SUBMITTED_STATUSES
        published = version.status == S.PUBLISHED
        per_version[version.pk] = (
            milestone_state(
                milestone=Milestone.SUBMISSION,
                due=due[Milestone.SUBMISSION],
                met=submitted,
                met_on=_local_day(version.submitted_at) if submitted and dated else None,
                today=today,
            ),
            milestone_state(
                milestone=Milestone.ISSUANCE,
                due=due[Milestone.ISSUANCE],
                met=published,
                met_on=_local_day(version.published_at) if published and dated else None,
                today=today,
            ),
        )
    return forecast, per_version


@dataclass
class MilestoneRow:
    """One required language version of a document against the three milestones (the forecast
    is the document's, the same on each of its languages)."""

    document: Document
    version: LanguageVersion
    forecast: MilestoneCheck
    submission: MilestoneCheck
    issuance: MilestoneCheck

    @property
    def checks(self) -> list[MilestoneCheck]:
        return [self.forecast, self.submission, self.issuance]

    @property
    def officer_key(self) -> int:
        return self.document.officer_id or 0

    @property
    def any_late(self) -> bool:
        return self.forecast.late or self.submission.late or self.issuance.late


@dataclass
class MilestoneGroup:
    key: str
    heading: str
    rows: list = field(default_factory=list)


# How the board groups its rows: one list by document, or by responsible officer, or by language.
MILESTONE_GROUPS = ("document", "officer", "language")


@dataclass
class MilestoneBoard:
    groups: list
    rows: list
    late: dict  # milestone → number of rows late against it
    late_by_officer: list  # (officer name, {milestone: count}), those with something late
    late_by_language: list  # (language label, {milestone: count}), those with something late
    officers: list  # (id, name) of the officers of the meeting's documents, for the filter


def _late_counts(rows) -> dict:
    return {m: sum(getattr(r, m).late for r in rows) for m in Milestone.values}


def _by_officer(rows, names: dict) -> list[tuple[int, str, list]]:
    """(officer's id, name, their rows) by name, those of documents with no officer (key 0) last."""
    buckets = {}
    for row in rows:
        buckets.setdefault(row.officer_key, []).append(row)
    order = sorted(buckets, key=lambda pk: (pk == 0, names[pk].lower()))
    return [(pk, names[pk], buckets[pk]) for pk in order]


def milestone_board(
    *,
    meeting,
    today: dt.date | None = None,
    series: str | None = None,
    language: str | None = None,
    officer: int | None = None,
    late: str | None = None,
    group: str = "document",
) -> MilestoneBoard:
    """Every required language version of the documents of `meeting` (and its segments) against
    the forecast, submission and issuance milestones, in three queries whatever the number of
    documents (rules, documents with their meeting and officer, versions with their latest
    submission). Filters: `series`, `language`, `officer` (a user id), `late` (a milestone:
    keeps the rows late against it, overdue or met after its date). `group`: "document" (one
    group), "officer" (by name, those with none last) or "language" (UN order)."""
    today = today or timezone.localdate()
    # Labels once per board, in the language of the page: `get_language_display()` per row costs.
    languages = {code: str(label) for code, label in Language.choices}
    rules = milestone_rules()
    versions = (
        LanguageVersion.objects.exclude(status=S.NOT_REQUIRED)
        .annotate(submitted_at=Max("steps__at", filter=Q(steps__to_status=S.SUBMITTED)))
        .order_by(LANGUAGE_ORDER)
    )
    documents = Document.objects.filter(Q(meeting=meeting) | Q(meeting__parent=meeting)).select_related(
        "meeting", "officer"
    )
    if series:
        documents = documents.filter(series=series)
    rows = []
    officers = {}
    for document in documents.prefetch_related(
        Prefetch("versions", queryset=versions, to_attr="required_versions")
    ).order_by(*DOCUMENT_ORDER):
        if document.officer_id:
            officers[document.officer_id] = str(document.officer)
        if officer and document.officer_id != officer:
            continue
        chosen = [v for v in document.required_versions if not language or v.language == language]
        forecast, per_version = document_milestones(
            document=document, versions=chosen, rules=rules, today=today
        )
        for version in chosen:
            submission, issuance = per_version[version.pk]
            row = MilestoneRow(document, version, forecast, submission, issuance)
            if late and not getattr(row, late).late:
                continue
            rows.append(row)
    names = {0: _("No officer assigned"), **officers}
    return MilestoneBoard(
        groups=_milestone_groups(rows, group, names=names, languages=languages),
        rows=rows,
        late=_late_counts(rows),
        late_by_officer=[
            (name, _late_counts(members))
            for _pk, name, members in _by_officer([r for r in rows if r.any_late], names)
        ],
        late_by_language=_late_by(
            rows, key=lambda r: (UN_ORDER[r.version.language], languages[r.version.language])
        ),
        officers=sorted(officers.items(), key=lambda item: item[1].lower()),
    )


def _late_by(rows, *, key) -> list:
    """(label, late counts per milestone) for each value of `key` (a sort key ending with the
    label) whose rows have something late, in the order of `key`."""
    buckets = {}
    for row in rows:
        if row.any_late:
            buckets.setdefault(key(row), []).append(row)
    return [(sort_key[-1], _late_counts(members)) for sort_key, members in sorted(buckets.items())]


def _milestone_groups(rows, group: str, *, names: dict, languages: dict) -> list[MilestoneGroup]:
    if group == "officer":
        return [
            MilestoneGroup(key=f"officer-{pk}", heading=name, rows=members)
            for pk, name, members in _by_officer(rows, names)
        ]
    if group == "language":
        return [
            MilestoneGroup(key=f"language-{code}", heading=languages[code], rows=members)
            for code in Language.values
            if (members := [r for r in rows if r.version.language == code])
        ]
    return [MilestoneGroup(key="all", heading="", rows=rows)] if rows else []


def version_files(version: LanguageVersion) -> QuerySet[LanguageVersionFile]:
    return version.files.select_related("uploaded_by")


def version_steps(version: LanguageVersion) -> QuerySet[ProcessingStep]:
    return version.steps.select_related("by")


# --- Calls for submissions ----------------------------------------------------------------------


@dataclass
class Compilation:
    call: CallForSubmissions
    submissions: list
    parties: int
    on_time: int
    late: int


def call_compilation(*, call: CallForSubmissions) -> Compilation:
    """What an information document compiling the call's submissions lists: each submission,
    who made it and when, with its files; and the counts the note by the secretariat quotes
    ("fourteen submissions were received from 13 parties")."""
    submissions = list(
        Submission.objects.filter(call=call)
        .select_related("country")
        .prefetch_related("files")
        # Parties first, alphabetically, then other stakeholders: the order of the compilation.
        .order_by(F("country__name_en").asc(nulls_last=True), "organization", "received_on", "pk")
    )
    late_after = call.deadline
    return Compilation(
        call=call,
        submissions=submissions,
        parties=len({s.country_id for s in submissions if s.country_id}),
        on_time=sum(s.received_on <= late_after for s in submissions),
        late=sum(s.received_on > late_after for s in submissions),
    )
