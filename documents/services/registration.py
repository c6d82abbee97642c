"""Registering documents: the portal issues symbols (the next number of a series under the meeting's
prefix, held locked until commit), records symbols issued elsewhere as they were issued, and
changes what the secretariat may change of a registered document."""

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from meetings.models import Meeting

from ..enums import Language, S, Series, SupplementKind
from ..models import Document, LanguageVersion, SymbolCounter
from ..symbols import DocumentSymbol, SymbolError, format_symbol, parse_symbol, validate_prefix

# UN Geneva practice: working documents are issued in all languages six weeks before the meeting.
# Other series have no default target; the documents officer sets one where it matters.
DEFAULT_TARGET_WEEKS = {Series.WORKING: 6}

TITLE_FIELDS = [f"title_{code}" for code in Language.values]
# What the secretariat may change of a registered document; its symbol and meeting are fixed.
DOCUMENT_FIELDS = [
    *TITLE_FIELDS,
    "author",
    "distribution",
    "not_formally_edited",
    "advance_unedited",
    "issue_date",
    "original_language",
    "officer",
]


def default_target_date(*, meeting: Meeting | None, series: str) -> dt.date | None:
    """The day the language versions of a document of `series` are due: for working documents,
    six weeks before the meeting's first day; None where the series has no default. A version is
    late from the day after it (`documents.selectors.timeliness`: the target day is included)."""
    weeks = getattr(settings, "DOCUMENTS_TARGET_WEEKS_BEFORE", DEFAULT_TARGET_WEEKS).get(series)
    if meeting is None or weeks is None:
        return None
    return meeting.start_date - dt.timedelta(weeks=weeks)


# --- Checks, shared by these services and the admin's form --------------------------------------


def document_title_check(*, title_en: str) -> None:
    if not (title_en or "").strip():
        raise ValidationError({"title_en": _("Give the English title.")})


def document_agenda_items_check(*, meeting: Meeting | None, agenda_items) -> None:
    """A document serves only items of its own meeting's agenda."""
    foreign = [item for item in agenda_items if meeting is None or item.version.meeting_id != meeting.pk]
    if foreign:
        raise ValidationError(
            {
                "agenda_items": _("Agenda item %(label)s is not on this meeting's agenda.")
                % {"label": foreign[0].label}
            }
        )


def document_officer_check(*, officer) -> None:
    """The officer answering for a document's milestones is an active member of the secretariat."""
    if officer is not None and not (officer.is_staff and officer.is_active):
        raise ValidationError(
            {"officer": _("%(name)s is not an active member of the secretariat.") % {"name": officer}}
        )


def document_register_check(*, meeting: Meeting | None, series: str) -> str:
    """The symbol prefix a new document of `meeting` in `series` is numbered under."""
    if series not in Series.values:
        raise ValidationError({"series": _("Choose a series.")})
    if meeting is None:
        raise ValidationError({"meeting": _("Choose the meeting whose symbol prefix the document takes.")})
    try:
        return validate_prefix(meeting.symbol_prefix)
    except SymbolError as exc:
        raise ValidationError(
            {"meeting": _("The meeting has no usable symbol prefix: %(error)s") % {"error": exc}}
        ) from None


def document_symbol_check(*, symbol: str) -> DocumentSymbol:
    """A symbol issued elsewhere, parsed, and not yet used by a document of the portal."""
    try:
        parsed = parse_symbol(symbol)
    except SymbolError as exc:
        raise ValidationError({"symbol": str(exc)}) from None
    if Document.objects.filter(symbol=format_symbol(parsed)).exists():
        raise ValidationError(
            {"symbol": _("The symbol %(symbol)s is already in use.") % {"symbol": format_symbol(parsed)}},
            code="duplicate_symbol",
        )
    return parsed


# --- Numbers --------------------------------------------------------------------------------------


def _next_number(*, prefix: str, series: str) -> int:
    """Take the next number of a series while holding its counter row locked until commit."""
    highest = (
        Document.objects.filter(prefix=prefix, series=series, suffix="").aggregate(n=Max("number"))["n"] or 0
    )
    # Creating the row may race with another officer's first document of the series; the unique
    # constraint makes one insert a no-op and both then lock the same row.
    SymbolCounter.objects.bulk_create(
        [SymbolCounter(prefix=prefix, series=series, last_number=highest)], ignore_conflicts=True
    )
    counter = SymbolCounter.objects.select_for_update().get(prefix=prefix, series=series)
    counter.last_number = max(counter.last_number, highest) + 1
    counter.save(update_fields=["last_number"])
    return counter.last_number


def _raise_bump(*, prefix: str, series: str, number: int) -> None:
    """A number recorded by hand moves the counter on so the portal never issues it again."""
    SymbolCounter.objects.bulk_create(
        [SymbolCounter(prefix=prefix, series=series, last_number=number)], ignore_conflicts=True
    )
    counter = SymbolCounter.objects.select_for_update().get(prefix=prefix, series=series)
    if counter.last_number < number:
        counter.last_number = number
        counter.save(update_fields=["last_number"])


# --- Creating ---------------------------------------------------------------------------------------


def _create_versions(*, document: Document, languages, target_date, by) -> None:
    languages = set(languages)
    unknown = languages - set(Language.values)
    if unknown:
        raise ValidationError({"languages": _("Unknown language: %s") % ", ".join(sorted(unknown))})
    bulk_create_with_history(
        [
            LanguageVersion(
                document=document,
                language=code,
                status=S.AWAITING_ORIGINAL if code in languages else S.NOT_REQUIRED,
                target_date=target_date if code in languages else None,
            )
            for code in Language.values
        ],
        LanguageVersion,
        default_user=by,
    )


def _apply_fields(document: Document, fields: dict) -> None:
    unknown = set(fields) - set(DOCUMENT_FIELDS)
    if unknown:
        raise TypeError(f"unknown document fields: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(document, name, value)


def _save_new(document: Document, *, agenda_items, by=None) -> Document:
    document_agenda_items_check(meeting=document.meeting, agenda_items=agenda_items)
    document_officer_check(officer=document.officer)
    document.full_clean(validate_unique=False, validate_constraints=False)
    document._history_user = by
    try:
        with transaction.atomic():
            document.save()
    except IntegrityError:
        # Another officer recorded the same symbol between the check and this insert.
        raise ValidationError(
            {"symbol": _("The symbol %(symbol)s is already in use.") % {"symbol": document.symbol}},
            code="duplicate_symbol",
        ) from None
    if agenda_items:
        document.agenda_items.set(agenda_items)
    return document


@transaction.atomic
def document_register(
    *,
    meeting: Meeting,
    series: str,
    title_en: str,
    languages=tuple(Language.values),
    agenda_items=(),
    target_date: dt.date | None = None,
    by=None,
    **fields,
) -> Document:
    """Register a new document of `meeting`: the portal issues its symbol from the meeting's prefix
    and the next number of the series. `languages` are those it will be issued in; the others are
    marked not required."""
    prefix = document_register_check(meeting=meeting, series=series)
    document_title_check(title_en=title_en)
    number = _next_number(prefix=prefix, series=series)
    symbol = DocumentSymbol(prefix=prefix, series=series, number=number)
    document = Document(
        meeting=meeting,
        symbol=format_symbol(symbol),
        prefix=prefix,
        series=series,
        number=number,
        title_en=title_en,
    )
    _apply_fields(document, fields)
    _save_new(document, agenda_items=agenda_items, by=by)
    target = target_date or default_target_date(meeting=meeting, series=series)
    _create_versions(document=document, languages=languages, target_date=target, by=by)
    return document


@transaction.atomic
def document_register_supplement(
    *, amends: Document, kind: str, title_en: str = "", languages=None, by=None, **fields
) -> Document:
    """Issue an addendum, revision or corrigendum of `amends`: `…/23/Add.1`, `…/23/Rev.2`."""
    if kind not in SupplementKind.values:
        raise ValidationError({"kind": _("Choose addendum, revision or corrigendum.")})
    amends = Document.objects.select_for_update().get(pk=amends.pk)
    base = parse_symbol(amends.symbol)
    taken = [
        parse_symbol(symbol).supplements[-1][1]
        for symbol in Document.objects.filter(amends=amends, supplement_kind=kind).values_list(
            "symbol", flat=True
        )
    ]
    symbol = base.supplement(kind, max(taken, default=0) + 1)
    document = Document(
        meeting=amends.meeting,
        symbol=format_symbol(symbol),
        prefix=symbol.prefix,
        series=symbol.series,
        number=symbol.number,
        suffix=symbol.suffix,
        amends=amends,
        supplement_kind=kind,
        title_en=title_en or amends.title_en,
        distribution=amends.distribution,
        author=amends.author,
        original_language=amends.original_language,
    )
    _apply_fields(document, fields)
    _save_new(document, agenda_items=list(amends.agenda_items.select_related("version")), by=by)
    if languages is None:
        languages = list(amends.versions.exclude(status=S.NOT_REQUIRED).values_list("language", flat=True))
    target = default_target_date(meeting=amends.meeting, series=symbol.series) if amends.meeting else None
    _create_versions(document=document, languages=languages, target_date=target, by=by)
    return document


@transaction.atomic
def document_record_existing(
    *,
    symbol: str,
    title_en: str,
    meeting: Meeting | None = None,
    languages=(Language.ENGLISH,),
    agenda_items=(),
    by=None,
    **fields,
) -> Document:
    """Record a document whose symbol was issued elsewhere (before the portal, or by another
    convention's secretariat), exactly as issued."""
    parsed = document_symbol_check(symbol=symbol)
    document_title_check(title_en=title_en)
    amends = None
    if parsed.parent is not None:
        amends = Document.objects.filter(symbol=format_symbol(parsed.parent)).first()
    else:
        _raise_bump(prefix=parsed.prefix, series=parsed.series, number=parsed.number)
    document = Document(
        meeting=meeting,
        symbol=format_symbol(parsed),
        prefix=parsed.prefix,
        series=parsed.series,
        number=parsed.number,
        suffix=parsed.suffix,
        amends=amends,
        supplement_kind=parsed.supplements[-1][0] if parsed.supplements else "",
        recorded_as_is=True,
        title_en=title_en,
    )
    _apply_fields(document, fields)
    _save_new(document, agenda_items=agenda_items, by=by)
    _create_versions(
        document=document,
        languages=languages,
        target_date=default_target_date(meeting=meeting, series=parsed.series),
        by=by,
    )
    return document


# --- Changing ---------------------------------------------------------------------------------------


@transaction.atomic
def document_update(*, document: Document, agenda_items=None, by=None, **fields) -> Document:
    """Change the titles, author, distribution, flags, date or original language of a registered
    document, and (if given) the agenda items it serves. Its symbol and meeting stay as issued."""
    document = Document.objects.select_for_update(of=("self",)).select_related("meeting").get(pk=document.pk)
    _apply_fields(document, fields)
    document_title_check(title_en=document.title_en)
    if agenda_items is not None:
        document_agenda_items_check(meeting=document.meeting, agenda_items=agenda_items)
    if "officer" in fields:
        document_officer_check(officer=document.officer)
    document.full_clean(validate_unique=False, validate_constraints=False)
    document._history_user = by
    document.save()
    if agenda_items is not None:
        document.agenda_items.set(agenda_items)
    return document


@transaction.atomic
def document_delete(*, document: Document, by=None) -> None:
    """Delete a document registered by mistake, with its language versions. Its number is not
    issued again (the series counter keeps it); a document amended by others cannot go."""
    document = Document.objects.select_for_update().get(pk=document.pk)
    document._history_user = by
    document.delete()
