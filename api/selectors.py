"""Reads of the api app: tokens, and the staff lists the API serves (built on the apps' selectors
and filtered the way their pages filter)."""

import re

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from accounts.rules import focal_point_country_ids
from bureau.enums import DecisionKind
from bureau.models import Decision, DecisionParagraph, Mandate
from bureau.selectors import decisions_all, decisions_public
from documents.enums import ProcessingStatus
from documents.models import Document, LanguageVersion, LanguageVersionFile
from documents.selectors import DOCUMENT_ORDER, LANGUAGE_ORDER, document_search, documents_published
from letters.models import Letter
from letters.selectors import letters_for_user
from meetings.models import AgendaItem, Meeting
from meetings.selectors import (
    agenda_items,
    agenda_version_current,
    agenda_versions_visible,
    meeting_detail,
    meeting_list,
    meeting_segments,
)
from participants.models import Registration
from reference.models import ConventionParty

from .models import ApiToken
from .services.tokens import token_hash


def api_token_for_key(*, raw: str) -> ApiToken | None:
    return ApiToken.objects.select_related("owner").filter(key_hash=token_hash(raw)).first()


def api_tokens_of(*, user) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(owner=user).order_by("-created")


def api_token_by_pk(*, pk) -> ApiToken:
    return ApiToken.objects.get(pk=pk)


def registrations_readable(*, user, meeting=None) -> QuerySet[Registration]:
    """What `user`'s pages show of registrations: all of them for the registration desk, their
    States' for a focal point, nothing for anyone else."""
    qs = Registration.objects.select_related("meeting", "country", "organisation")
    if meeting is not None:
        qs = qs.filter(meeting=meeting)
    if user.has_perm("participants.manage_registrations"):
        return qs
    return qs.filter(country_id__in=focal_point_country_ids(user))


def registrations_filtered(
    qs: QuerySet[Registration],
    *,
    status: str | None = None,
    capacity: str | None = None,
    country: str | None = None,
    region: str | None = None,
    funding_status: str | None = None,
    q: str = "",
) -> QuerySet[Registration]:
    """The registration admin's filters and search."""
    if status:
        qs = qs.filter(status=status)
    if capacity:
        qs = qs.filter(capacity=capacity)
    if country:
        qs = qs.filter(country__iso3=country.upper())
    if region:
        qs = qs.filter(country__regional_group=region)
    if funding_status:
        qs = qs.filter(funding__status=funding_status)
    if q:
        qs = qs.filter(
            Q(first_name__icontains=q)
            | Q(last_name__icontains=q)
            | Q(email__icontains=q)
            | Q(country__name_en__icontains=q)
            | Q(organisation__name__icontains=q)
        )
    return qs.order_by("last_name", "first_name", "pk")


def letters_readable(*, user) -> QuerySet[Letter]:
    """Every letter for the staff who run letters; one's own issued letters for anyone else."""
    if user.has_perm("api.read_all_letters"):
        return Letter.objects.select_related("meeting", "mail")
    return letters_for_user(user=user)


def letters_filtered(
    qs: QuerySet[Letter],
    *,
    meeting: str | None = None,
    kind: str | None = None,
    status: str | None = None,
    delivery: str | None = None,
    registration: int | None = None,
) -> QuerySet[Letter]:
    if meeting:
        qs = qs.filter(meeting__code=meeting)
    if kind:
        qs = qs.filter(kind=kind)
    if status:
        qs = qs.filter(status=status)
    if delivery:
        qs = qs.filter(mail__status=delivery)
    if registration:
        qs = qs.filter(registration_id=registration)
    return qs.order_by("-created", "-pk")


# --- Public reads, built on the apps' selectors ---------------------------------------------------


def meetings_listed(
    *, kind=None, year=None, region=None, status=None, upcoming_from=None
) -> QuerySet[Meeting]:
    qs = meeting_list(kind=kind, year=year, region=region)
    if status:
        qs = qs.filter(status=status)
    if upcoming_from is not None:
        qs = qs.filter(end_date__gte=upcoming_from).order_by("start_date", "code")
    return qs


def meeting_for_api(*, code: str, user) -> Meeting:
    """A meeting with what its page shows: segments, the agenda this user may see with each
    item's documents, in a fixed number of queries."""
    meeting = meeting_detail(code=code)
    meeting.api_segments = meeting_segments(meeting)
    for segment in meeting.api_segments:
        segment.parent = meeting
    version = agenda_version_current(versions=agenda_versions_visible(meeting=meeting, user=user))
    meeting.api_agenda = version
    if version is not None:
        by_item = {}
        for document in documents_for_api(user=user, meeting=meeting):
            for item in document.api_agenda_items:
                by_item.setdefault(item.pk, []).append(document)
        items = []
        for item in agenda_items(version):
            items.append(item)
            items.extend(item.sub_items.all())
        for item in items:
            item.api_documents = by_item.get(item.pk, [])
        version.api_items = items
    return meeting


def _document_prefetches():
    files = LanguageVersionFile.objects.order_by("-number")
    versions = (
        LanguageVersion.objects.filter(status=ProcessingStatus.PUBLISHED)
        .order_by(LANGUAGE_ORDER)
        .prefetch_related(Prefetch("files", queryset=files, to_attr="api_files"))
    )
    return (
        Prefetch("versions", queryset=versions, to_attr="published_versions"),
        Prefetch(
            "agenda_items", queryset=AgendaItem.objects.select_related("parent"), to_attr="api_agenda_items"
        ),
    )


def documents_for_api(
    *,
    user,
    meeting: Meeting | None = None,
    agenda_item: int | None = None,
    series: str | None = None,
    language: str | None = None,
    symbol: str = "",
    text: str = "",
) -> QuerySet[Document]:
    """The published documents `user` may read (as on the documents pages), filtered; `text` is the
    pages' full-text search (documents.selectors.document_search)."""
    qs = documents_published(user)
    if meeting is not None:
        qs = qs.filter(Q(meeting=meeting) | Q(meeting__parent=meeting))
    if agenda_item:
        qs = qs.filter(agenda_items=agenda_item)
    if series:
        qs = qs.filter(series=series)
    if language:
        qs = qs.filter(
            Exists(
                LanguageVersion.objects.filter(
                    document=OuterRef("pk"), status=ProcessingStatus.PUBLISHED, language=language
                )
            )
        )
    if symbol:
        qs = qs.filter(symbol__istartswith=symbol)
    if text:
        found = [document.pk for document in document_search(query=text, user=user, limit=1000)]
        qs = qs.filter(pk__in=found)
    return (
        qs.select_related("meeting", "amends")
        .prefetch_related(*_document_prefetches())
        .order_by("prefix", *DOCUMENT_ORDER)
    )


_COP_SYMBOL = re.compile(r"^MC-(\d{1,4})/(\d{1,4})$", re.IGNORECASE)
_BUREAU_SYMBOL = re.compile(r"^(.{1,40})/(\d{1,4})$")


def decisions_for_api(
    *, user, meeting: str | None = None, symbol: str = "", kind: str | None = None, status: str | None = None
) -> QuerySet[Decision]:
    """Adopted COP decisions for everyone; drafts and Bureau decisions too for those the Bureau's
    pages let in (the rule `bureau.view_bureau_pages`: Bureau members and the secretariat)."""
    qs = decisions_all() if user.has_perm("bureau.view_bureau_pages") else decisions_public()
    if meeting:
        qs = qs.filter(Q(meeting__code=meeting) | Q(meeting__parent__code=meeting))
    if kind:
        qs = qs.filter(kind=kind)
    if status:
        qs = qs.filter(status=status)
    if symbol:
        if match := _COP_SYMBOL.match(symbol):
            qs = qs.filter(kind=DecisionKind.COP, session=int(match[1]), number=int(match[2]))
        elif match := _BUREAU_SYMBOL.match(symbol):
            qs = qs.filter(kind=DecisionKind.BUREAU, meeting__code=match[1], number=int(match[2]))
        else:
            qs = qs.none()
    mandates = Mandate.objects.select_related("paragraph", "due_meeting").order_by("paragraph__number", "pk")
    return qs.prefetch_related(
        Prefetch("paragraphs", queryset=DecisionParagraph.objects.order_by("number")),
        Prefetch("mandates", queryset=mandates),
    ).order_by("kind", "session", "number", "pk")


def parties_for_api() -> QuerySet[ConventionParty]:
    return ConventionParty.objects.select_related("country").order_by("name_en", "code")
