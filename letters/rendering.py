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

import datetime as dt
import functools
import gc
from pathlib import Path

import weasyprint
from django.conf import settings
from django.template import Context, Engine
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, translation
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


def html_to_letter_pdf(html: str) -> bytes:
    # Python's cyclic garbage collector is paused while WeasyPrint works: its box tree is tens of
    # thousands of young objects that are all alive until the PDF is written, so the collections
    # it kept triggering found nothing to free, yet promoted them and set off full collections
    # of the worker's whole heap: about 3 ms of a 30 ms letter. The objects die by reference
    # counting once the PDF is written; any cycles among them are collected as usual afterwards.
    paused = gc.isenabled()
    gc.disable()
    try:
        return _html_to_letter_pdf(html)
    finally:
        if paused:
            gc.enable()


def _html_to_letter_pdf(html: str) -> bytes:
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
    return document.write_pdf()


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


def letter_html(letter, *, override=None, extra: dict | None = None) -> str:
    """The complete HTML of a letter; `override` is the meeting's LetterTemplate, if any, and
    `extra` the details a provider gave for it (letters.providers)."""
    language = letter.language
    context = letter_context(letter, language=language, extra=extra)
    if override is not None:
        body_template = _override_body(override.pk or 0, override.version, override.body)
    else:
        body_template = _default_body(letter.kind, language)
    body = body_template.render(Context(context, autoescape=True))
    url = verify_url(letter.verification_code)
    with translation.override(language):
        return render_to_string(
            "letters/pdf/letter.html",
            {
                **context,
                "body": mark_safe(body),
                "kind_label": LetterKind(letter.kind).label,
                "signatory_name": (override.signatory_name if override else "")
                or settings.LETTERS_SIGNATORY_NAME,
                "signatory_title": (override.signatory_title if override else "")
                or settings.LETTERS_SIGNATORY_TITLES.get(language, ""),
                "verify_url": url,
                "qr_data_uri": qr_png_data_uri(url),
            },
        )
