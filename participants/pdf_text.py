"""Text in any script for the PDFs ReportLab draws (badges, the list of participants).

The fonts come from the static root only (static/badges/fonts, static/letters/fonts) and are
registered once per process. A name may be in any script: a run of text is drawn in the first font
of a chain that has its characters (the document's own face, then DejaVu Sans for Arabic and what
the face lacks, then a subset of Droid Sans Fallback for Chinese and Japanese; see
static/badges/fonts/README.txt). ReportLab draws characters one after the other, so Arabic is
shaped here into its presentation forms (arabic-reshaper) and right-to-left runs put in the order
they are drawn (python-bidi). ReportLab embeds each font subset to the glyphs used."""

from functools import cache
from pathlib import Path

from django.conf import settings
from reportlab import rl_config
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

# Streams written as binary (Flate alone): ASCII85 on top made every page 25 % larger and took a
# quarter of the time. rl_accel (requirements) does the number formatting in C.
rl_config.useA85 = 0

STATIC = Path(settings.BASE_DIR) / "static"
SANS, SANS_BOLD, CJK = "BadgeSans", "BadgeSans-Bold", "BadgeCJK"
SERIF, SERIF_BOLD = "ListSerif", "ListSerif-Bold"

# name: (file under the static root, the name the PDF gives the font or None for the file's own).
# The serif faces keep the names WeasyPrint gave them in the letters and the list ("DejaVu-Serif"),
# so that a PDF's font list reads the same whichever library drew it.
FONTS = {
    SANS: ("badges/fonts/DejaVuSans.ttf", None),
    SANS_BOLD: ("badges/fonts/DejaVuSans-Bold.ttf", None),
    CJK: ("badges/fonts/DroidSansFallback-CJK.ttf", None),
    SERIF: ("letters/fonts/DejaVuSerif.ttf", b"DejaVu-Serif"),
    SERIF_BOLD: ("letters/fonts/DejaVuSerif-Bold.ttf", b"DejaVu-Serif-Bold"),
}


@cache
def font(name: str) -> frozenset[int]:
    """Registers the font `name` once per process (parsing one takes about 0.1 s) and returns the
    characters it draws."""
    file, pdf_name = FONTS[name]
    face = TTFont(name, STATIC / file)
    if pdf_name:
        face.face.name = pdf_name
    pdfmetrics.registerFont(face)
    return frozenset(face.face.charToGlyph)


def is_rtl(text: str) -> bool:
    return any(
        "\u0590" <= ch <= "\u08ff" or "\ufb1d" <= ch <= "\ufdff" or "\ufe70" <= ch <= "\ufeff" for ch in text
    )


@cache
def _reshaper():
    import arabic_reshaper

    # Only the ligatures DejaVu Sans draws (lam-alef, not the word ligatures such as ﷲ).
    config = arabic_reshaper.config_for_true_type_font(
        str(STATIC / FONTS[SANS_BOLD][0]), arabic_reshaper.ENABLE_ALL_LIGATURES
    )
    return arabic_reshaper.ArabicReshaper(configuration=config)


def visual(line: str) -> str:
    """The characters in the order they are drawn, left to right: Arabic letters joined into their
    contextual forms (initial, medial, final, ligatures) and right-to-left runs reversed."""
    if not is_rtl(line):
        return line
    from bidi import get_display

    return get_display(_reshaper().reshape(line))


def runs(text: str, chain: tuple[str, ...]) -> list[tuple[str, str]]:
    """(font, text) runs: each character in the first font of `chain` that draws it (the first
    font where none does, which prints a box)."""
    charsets = [font(name) for name in chain]
    if not text or set(map(ord, text)) <= charsets[0]:
        return [(chain[0], text)] if text else []
    result: list[list] = []
    for ch in text:
        code = ord(ch)
        chosen = next((name for name, chars in zip(chain, charsets, strict=True) if code in chars), chain[0])
        if result and result[-1][0] == chosen:
            result[-1][1].append(ch)
        else:
            result.append([chosen, [ch]])
    return [(name, "".join(chars)) for name, chars in result]


def width(text_runs, size: float) -> float:
    return sum(pdfmetrics.stringWidth(text, name, size) for name, text in text_runs)


def wrap(text: str, line_width: float, size: float, chain: tuple[str, ...]) -> list[str]:
    """Greedy word wrap; a word too long for the line stays whole (the caller shrinks the font or
    breaks it). ReportLab sets no kerning: a line is as wide as its words and spaces added up."""
    lines: list[str] = []
    space = pdfmetrics.stringWidth(" ", chain[0], size)
    used = 0.0
    for word in text.split():
        word_width = width(runs(word, chain), size)
        if lines and used + space + word_width <= line_width:
            lines[-1] = f"{lines[-1]} {word}"
            used += space + word_width
        else:
            lines.append(word)
            used = word_width
    return lines
