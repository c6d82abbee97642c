"""Reads for documents: the public lists, the search, the processing grid, the compilation of a
call for submissions. Every list costs a fixed number of queries whatever its length."""

import datetime as dt
import unicodedata
from dataclasses import dataclass, field

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import Case, Exists, F, Func, OuterRef, Prefetch, Q, QuerySet, Value, When
from django.db.models.functions import Concat
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from meetings.models import AgendaItem, Meeting

from .enums import (
    LANGUAGE_AUTONYMS,
    RIGHT_TO_LEFT,
    SETTLED_STATUSES,
    Language,
    ProcessingStatus,
    Series,
    Timeliness,
)
from .models import (
    CallForSubmissions,
    Document,
    LanguageVersion,
    LanguageVersionFile,
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
