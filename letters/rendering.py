"""Turning a Letter into HTML and then into a PDF.

Speed matters here (thousands of letters per meeting): the stylesheet is parsed once per process
and its @font-face fonts are loaded into one FontConfiguration that every letter reuses. The
fonts are two files shipped in static/letters/fonts, so fontconfig never searches the system's
hundreds of Noto faces and the PDFs look the same on every machine.

Two template layers: the layout (letterhead, reference, date, address, signature, QR code) is a
file in templates/letters/pdf/; the body is per kind and language, either the default in the
repository or the meeting's override that staff edit in the admin. Bodies are compiled by an
engine with no loaders and no tag libraries, so an override cannot include files or load tags,
and every value is auto-escaped: a name like "<script>" is printed as text.
"""

import contextlib
import datetime as dt
import functools
import gc
import re
from dataclasses import dataclass
from pathlib import Path

import weasyprint
from django.conf import settings
from django.template import Context, Engine
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, translation
from django.utils.html import escape
from django.utils.safestring import mark_safe
from weasyprint.text.fonts import FontConfiguration

from minamata_portal.pdf import StaticOnlyURLFetcher
from minamata_portal.qr import qr_png_data_uri
from reference.enums import CountryKind

from .enums import LetterKind

TEMPLATE_DIR = Path(settings.BASE_DIR) / "templates" / "letters" / "pdf"
STATIC_DIR = Path(settings.BASE_DIR) / "static" / "letters"


# The placeholders an override may use, shown in the admin beside the body.
PLACEHOLDERS = [
    "recipient_name",
    "country_name",
    "country_is_state",
    "meeting_title",
    "meeting_dates",
    "meeting_venue",
    "meeting_city",
    "meeting_country",
    "reference",
    "date_issued",
    "details",
]

_body_engine = Engine(loaders=[], libraries={}, autoescape=True, debug=False)


@functools.cache
def _weasy():
    """(FontConfiguration, base stylesheet, page-number stylesheet), built once per process."""
    font_config = FontConfiguration()
    fetcher = StaticOnlyURLFetcher()
    css = weasyprint.CSS(
        filename=str(STATIC_DIR / "letter.css"), font_config=font_config, url_fetcher=fetcher
    )
    numbers = weasyprint.CSS(
        string="@page { @bottom-right { content: counter(page) ' / ' counter(pages); "
        "font: 8pt 'Letter Serif'; color: #555; } }",
        font_config=font_config,
    )
    return font_config, css, numbers


@contextlib.contextmanager
def gc_paused():
    """Python's cyclic garbage collector paused while WeasyPrint works: its box tree is tens of
    thousands of young objects that are all alive until the PDF is written, so the collections
    it kept triggering found nothing to free, yet promoted them and set off full collections of
    the worker's whole heap: about 3 ms of a 30 ms letter. The objects die by reference counting
    once the PDF is written; any cycles among them are collected as usual afterwards."""
    paused = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if paused:
            gc.enable()


def html_to_letter_pdf(html: str) -> bytes:
    with gc_paused():
        return _html_to_letter_pdf(html)


def _html_to_letter_pdf(html: str) -> bytes:
    return letter_document(html).write_pdf()


def letter_document(html: str) -> weasyprint.Document:
    """A letter laid out by WeasyPrint, ready to be written as a PDF."""
    font_config, css, numbers = _weasy()
    fetcher = StaticOnlyURLFetcher()
    base_url = STATIC_DIR.as_uri() + "/"
    document = weasyprint.HTML(string=html, base_url=base_url, url_fetcher=fetcher).render(
        stylesheets=[css], font_config=font_config
    )
    if len(document.pages) > 1:
        # Page numbers only where a letter runs over one page; laying out twice costs only
        # the rare long letter.
        document = weasyprint.HTML(string=html, base_url=base_url, url_fetcher=fetcher).render(
            stylesheets=[css, numbers], font_config=font_config
        )
    return document


def default_body_source(kind: str, language: str) -> str:
    return (TEMPLATE_DIR / language / f"{kind}.html").read_text(encoding="utf-8")


@functools.lru_cache(maxsize=64)
def _default_body(kind: str, language: str):
    return _body_engine.from_string(default_body_source(kind, language))


@functools.lru_cache(maxsize=256)
def _override_body(template_id: int, version: int, source: str):
    return _body_engine.from_string(source)


def compile_body(source: str):
    """Raises django.template.TemplateSyntaxError for a body that does not compile."""
    return _body_engine.from_string(source)


def _day_number(day: dt.date, language: str) -> str:
    # French writes the first of the month as an ordinal: "1er décembre 2026".
    return "1er" if language == "fr" and day.day == 1 else str(day.day)


def _day_month(day: dt.date, language: str) -> str:
    """ "1 de diciembre", "1er décembre", "1 December": the day and month as the language writes them."""
    with translation.override(language):
        month = formats.date_format(day, "F")
    if language == "es":
        return f"{day.day} de {month}"
    return f"{_day_number(day, language)} {month}"


def format_date(day: dt.date, language: str) -> str:
    """A date as the letter's language writes it: "1 December 2026", "1er décembre 2026",
    "1 de diciembre de 2026" (month names from Django's locales)."""
    if language == "es":
        return f"{_day_month(day, language)} de {day.year}"
    return f"{_day_month(day, language)} {day.year}"


def format_date_range(start: dt.date, end: dt.date, language: str) -> str:
    """ "19–23 November 2018", "30 octobre – 3 novembre 2023", "19–23 de noviembre de 2018"."""
    if start == end:
        return format_date(start, language)
    if (start.year, start.month) == (end.year, end.month):
        return f"{_day_number(start, language)}–{format_date(end, language)}"
    if start.year == end.year:
        return f"{_day_month(start, language)} – {format_date(end, language)}"
    return f"{format_date(start, language)} – {format_date(end, language)}"


def verify_url(code: str) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("verify", kwargs={"code": code})


def letter_context(letter, *, language: str, extra: dict | None = None) -> dict:
    """What the letter's templates print. `extra`: details read at rendering time and never
    stored with the letter (letters.providers)."""
    meeting = letter.meeting
    with translation.override(language):
        meeting_title = meeting.title
        meeting_country = meeting.country.name if meeting.country_id else ""
        country_name = letter.focal_point.country.name if letter.focal_point_id else ""
        # The European Union is invited as a Party, not as a Government.
        country_is_state = not letter.focal_point_id or letter.focal_point.country.kind == CountryKind.STATE
    issued = letter.created.date()
    details = {**letter.details, **(extra or {})}
    return {
        "kind": letter.kind,
        "language": language,
        "recipient_name": letter.recipient_name,
        "address_lines": [line for line in letter.recipient_address.splitlines() if line.strip()],
        "country_name": letter.details.get("country_name") or country_name,
        "country_is_state": country_is_state,
        "meeting_title": meeting_title,
        "meeting_dates": format_date_range(meeting.start_date, meeting.end_date, language),
        "meeting_venue": meeting.venue,
        "meeting_city": meeting.city,
        "meeting_country": meeting_country,
        "meeting_symbol": meeting.symbol_prefix,
        "reference": letter.reference,
        "date_issued": format_date(issued, language),
        "details": details,
    }


# Where a letter differs from the others of its batch: the reference, the address block, the
# salutation's name and the verification line are "slots", spans that carry their number; the HTML
# with the slots' contents left out (tokens) is the letter's distinct text, the key of its cached
# layout (letters.stamping). Each mark is filled in only where escaped text cannot reach (inside a
# tag's quotes, or right after one): a name typed with these private-use characters prints as typed.
_SLOT_MARK = re.compile('(data-slot="(\\d+)">)\ue000\\2\ue001')
_NAME_MARK = "\ue002"  # the recipient's name while the body is rendered
_TITLE_MARK = "\ue003"  # the reference in the document's <title> (PDF metadata)
_QR_MARK = "\ue004"  # the verification QR code's data URI


@dataclass
class LetterParts:
    """A letter's HTML as its distinct text (`template`: the slots' contents are tokens) and
    what differs per person (`values`, by slot number; the reference; the verification link)."""

    template: str
    values: list[str]
    reference: str
    verify_url: str

    def html(self) -> str:
        html = self.template.replace(
            f"<title>{_TITLE_MARK}</title>", f"<title>{escape(self.reference)}</title>", 1
        )
        html = html.replace(f'src="{_QR_MARK}"', f'src="{qr_png_data_uri(self.verify_url)}"', 1)
        return _SLOT_MARK.sub(lambda match: match[1] + escape(self.values[int(match[2])]), html)


class _Slots:
    def __init__(self):
        self.values: list[str] = []

    def __call__(self, value: str) -> str:
        number = len(self.values)
        self.values.append(str(value))
        return mark_safe(f'<span class="slot" data-slot="{number}">\ue000{number}\ue001</span>')


def _body_with_name_slot(body_template, context: dict, slots: _Slots) -> str:
    """The body with the recipient's name as a slot, where the body prints the name as it is,
    as text. Anywhere else (an attribute, a filter that changes it, `default` on an empty name)
    the body is printed with the name itself, and it becomes part of the letter's distinct text:
    correct, only not shared."""
    name = context["recipient_name"]
    real = body_template.render(Context(context, autoescape=True))
    if not name or _NAME_MARK in name:
        return real
    tokened = body_template.render(Context({**context, "recipient_name": _NAME_MARK}, autoescape=True))
    if tokened.replace(_NAME_MARK, escape(name)) != real:
        return real
    parts = tokened.split(_NAME_MARK)
    for before in parts[:-1]:
        if before.rfind("<") > before.rfind(">"):  # inside a tag
            return real
    return "".join(part if i == 0 else slots(name) + part for i, part in enumerate(parts))


def letter_parts(letter, *, override=None, extra: dict | None = None) -> LetterParts:
    """A letter's HTML, split into its distinct text and what differs per person; `override` is
    the meeting's LetterTemplate, if any, and `extra` the details a provider gave for it
    (letters.providers)."""
    language = letter.language
    context = letter_context(letter, language=language, extra=extra)
    if override is not None:
        body_template = _override_body(override.pk or 0, override.version, override.body)
    else:
        body_template = _default_body(letter.kind, language)
    slots = _Slots()
    # Numbered in the order they are printed, so that two letters with the same distinct text
    # number their slots alike.
    reference = slots(letter.reference)
    address = [slots(context["recipient_name"]), *(slots(line) for line in context["address_lines"])]
    body = _body_with_name_slot(body_template, context, slots)
    url = verify_url(letter.verification_code)
    reference_again = slots(letter.reference)
    url_slot = slots(url)
    with translation.override(language):
        template = render_to_string(
            "letters/pdf/letter.html",
            {
                **context,
                "title": _TITLE_MARK,
                "reference": reference,
                "address": address,
                "body": mark_safe(body),
                "kind_label": LetterKind(letter.kind).label,
                "signatory_name": (override.signatory_name if override else "")
                or settings.LETTERS_SIGNATORY_NAME,
                "signatory_title": (override.signatory_title if override else "")
                or settings.LETTERS_SIGNATORY_TITLES.get(language, ""),
                "verify_reference": reference_again,
                "verify_url": url_slot,
                "qr_data_uri": _QR_MARK,
            },
        )
    return LetterParts(template=template, values=slots.values, reference=letter.reference, verify_url=url)


def letter_html(letter, *, override=None, extra: dict | None = None) -> str:
    """The complete HTML of a letter (see `letter_parts`)."""
    return letter_parts(letter, override=override, extra=extra).html()
