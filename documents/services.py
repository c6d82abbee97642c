"""Writes for documents. Symbols are issued here, and every change of a language version's status
goes through one function per transition, which checks it, saves, and records the step."""

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from .enums import Language, ProcessingStatus, Series, SupplementKind
from .models import (
    CallForSubmissions,
    Document,
    LanguageVersion,
    LanguageVersionFile,
    ProcessingStep,
    Submission,
    SubmissionFile,
    SymbolCounter,
)
from .symbols import DocumentSymbol, SymbolError, format_symbol, parse_symbol, validate_prefix
from .uploads import check_upload

S = ProcessingStatus

# UN Geneva practice: working documents are issued in all languages six weeks before the meeting.
# Other series have no default target; the documents officer sets one where it matters.
DEFAULT_TARGET_WEEKS = {Series.WORKING: 6}

TITLE_FIELDS = [f"title_{code}" for code in Language.values]
DOCUMENT_FIELDS = [
    *TITLE_FIELDS,
    "author",
    "distribution",
    "not_formally_edited",
    "advance_unedited",
    "issue_date",
    "original_language",
]


def default_target_date(*, meeting, series: str) -> dt.date | None:
    weeks = getattr(settings, "DOCUMENTS_TARGET_WEEKS_BEFORE", DEFAULT_TARGET_WEEKS).get(series)
    if meeting is None or weeks is None:
        return None
    return meeting.start_date - dt.timedelta(weeks=weeks)


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
    document.full_clean(validate_unique=False, validate_constraints=False)
    document._history_user = by
    try:
        with transaction.atomic():
            document.save()
    except IntegrityError:
        raise ValidationError(
            {"symbol": _("The symbol %(symbol)s is already in use.") % {"symbol": document.symbol}},
            code="duplicate_symbol",
        ) from None
    if agenda_items:
        foreign = [item for item in agenda_items if item.version.meeting_id != document.meeting_id]
        if foreign:
            raise ValidationError(
                {
                    "agenda_items": _("Agenda item %(label)s is not on this meeting's agenda.")
                    % {"label": foreign[0].label}
                }
            )
        document.agenda_items.set(agenda_items)
    return document


@transaction.atomic
def document_register(
    *,
    meeting,
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
    if series not in Series.values:
        raise ValidationError({"series": _("Choose a series.")})
    try:
        prefix = validate_prefix(meeting.symbol_prefix)
    except SymbolError as exc:
        raise ValidationError(
            {"meeting": _("The meeting has no usable symbol prefix: %(error)s") % {"error": exc}}
        ) from None
    if not (title_en or "").strip():
        raise ValidationError({"title_en": _("Give the English title.")})
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
    meeting=None,
    languages=(Language.ENGLISH,),
    agenda_items=(),
    by=None,
    **fields,
) -> Document:
    """Record a document whose symbol was issued elsewhere (before the portal, or by another
    convention's secretariat), exactly as issued."""
    try:
        parsed = parse_symbol(symbol)
    except SymbolError as exc:
        raise ValidationError({"symbol": str(exc)}) from None
    if not (title_en or "").strip():
        raise ValidationError({"title_en": _("Give the English title.")})
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


# --- Processing of one language version ---------------------------------------------------------

TRANSITIONS = {
    S.AWAITING_ORIGINAL: {S.SUBMITTED, S.NOT_REQUIRED},
    S.SUBMITTED: {S.IN_PROCESSING, S.NOT_REQUIRED},
    S.IN_PROCESSING: {S.READY, S.NOT_REQUIRED},
    S.READY: {S.PUBLISHED, S.IN_PROCESSING, S.NOT_REQUIRED},
    S.PUBLISHED: set(),
    S.NOT_REQUIRED: {S.AWAITING_ORIGINAL},
}


def _transition(*, version: LanguageVersion, to: str, by, note: str = "", check=None) -> LanguageVersion:
    version = LanguageVersion.objects.select_for_update().select_related("document").get(pk=version.pk)
    if to not in TRANSITIONS[version.status]:
        raise ValidationError(
            _("The %(language)s version of %(symbol)s is “%(current)s” and cannot become “%(target)s”.")
            % {
                "language": version.get_language_display(),
                "symbol": version.document.symbol,
                "current": version.get_status_display(),
                "target": S(to).label,
            },
            code="illegal_transition",
        )
    if check:
        check(version)
    ProcessingStep.objects.create(version=version, from_status=version.status, to_status=to, by=by, note=note)
    version.status = to
    version._history_user = by
    version.save(update_fields=["status", "published_at", "modified"])
    return version


@transaction.atomic
def language_version_submit(*, version: LanguageVersion, by=None, note: str = "") -> LanguageVersion:
    """The original (or the text to translate) goes to the conference services."""
    return _transition(version=version, to=S.SUBMITTED, by=by, note=note)


@transaction.atomic
def language_version_start_processing(
    *, version: LanguageVersion, by=None, note: str = ""
) -> LanguageVersion:
    return _transition(version=version, to=S.IN_PROCESSING, by=by, note=note)


@transaction.atomic
def language_version_mark_ready(*, version: LanguageVersion, by=None, note: str = "") -> LanguageVersion:
    def needs_file(v):
        if not v.files.exists():
            raise ValidationError(
                {"file": _("Upload the file of this language version before marking it ready.")},
                code="no_file",
            )

    return _transition(version=version, to=S.READY, by=by, note=note, check=needs_file)


@transaction.atomic
def language_version_send_back(*, version: LanguageVersion, by=None, note: str = "") -> LanguageVersion:
    """A ready version found wanting goes back to editing/translation."""
    return _transition(version=version, to=S.IN_PROCESSING, by=by, note=note)


@transaction.atomic
def language_version_publish(*, version: LanguageVersion, by=None, note: str = "") -> LanguageVersion:
    """Make a ready language version public, with its latest file."""

    def stamp(v):
        if not v.files.exists():
            raise ValidationError({"file": _("There is no file to publish.")}, code="no_file")
        v.published_at = timezone.now()

    return _transition(version=version, to=S.PUBLISHED, by=by, note=note, check=stamp)


@transaction.atomic
def language_version_mark_not_required(
    *, version: LanguageVersion, by=None, note: str = ""
) -> LanguageVersion:
    return _transition(version=version, to=S.NOT_REQUIRED, by=by, note=note)


@transaction.atomic
def language_version_reinstate(*, version: LanguageVersion, by=None, note: str = "") -> LanguageVersion:
    return _transition(version=version, to=S.AWAITING_ORIGINAL, by=by, note=note)


TRANSITION_FUNCTIONS = {
    "submit": language_version_submit,
    "start_processing": language_version_start_processing,
    "mark_ready": language_version_mark_ready,
    "send_back": language_version_send_back,
    "publish": language_version_publish,
    "mark_not_required": language_version_mark_not_required,
    "reinstate": language_version_reinstate,
}


@transaction.atomic
def language_version_set_target(
    *, version: LanguageVersion, target_date: dt.date | None, by=None
) -> LanguageVersion:
    version = LanguageVersion.objects.select_for_update().get(pk=version.pk)
    version.target_date = target_date
    version._history_user = by
    version.save(update_fields=["target_date", "modified"])
    return version


@transaction.atomic
def language_version_upload(*, version: LanguageVersion, uploaded, by=None) -> LanguageVersionFile:
    """Store a new file for the version; earlier files are kept. A published version is frozen:
    a changed text is issued as a corrigendum or revision, under its own symbol."""
    kind = check_upload(uploaded)
    version = LanguageVersion.objects.select_for_update().select_related("document").get(pk=version.pk)
    if version.status in (S.PUBLISHED, S.NOT_REQUIRED):
        raise ValidationError(
            {
                "file": _("A %(status)s language version takes no new file.")
                % {"status": version.get_status_display().lower()}
            },
            code="frozen",
        )
    number = (version.files.aggregate(n=Max("number"))["n"] or 0) + 1
    stored = LanguageVersionFile(
        version=version,
        number=number,
        kind=kind,
        original_name=(getattr(uploaded, "name", "") or "")[:255],
        size=uploaded.size,
        uploaded_by=by,
    )
    stored.file.save(f"{number}.{kind}", uploaded, save=False)
    stored.save()
    return stored


# --- Calls for submissions ----------------------------------------------------------------------


@transaction.atomic
def submission_record(
    *, call: CallForSubmissions, received_on: dt.date, country=None, organization: str = "", files=(), note=""
) -> Submission:
    """Record a submission received under a call, with its files checked like any upload."""
    if country is None and not (organization or "").strip():
        raise ValidationError({"country": _("Say who made the submission: a State or an organization.")})
    if received_on < call.letter_date:
        raise ValidationError({"received_on": _("A submission cannot arrive before the call was sent.")})
    kinds = [check_upload(f, field="files") for f in files]
    submission = Submission.objects.create(
        call=call, country=country, organization=organization.strip(), received_on=received_on, note=note
    )
    for uploaded, kind in zip(files, kinds, strict=True):
        stored = SubmissionFile(
            submission=submission, kind=kind, original_name=(uploaded.name or "")[:255], size=uploaded.size
        )
        stored.file.save(f"x.{kind}", uploaded, save=False)
        stored.save()
    return submission
