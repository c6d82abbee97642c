"""The list of participants as a PDF, drawn with ReportLab's canvas (issue 16).

The page as UN lists print it: a running header on every page (the meeting's symbol, the list's
title, "page / pages" over a rule), on the first page the title, the meeting and its place and
dates, then each group under its heading, each State or organisation under its name, each person
in two columns: title and name, function, ministry or organisation; then the postal address, the
telephone and the e-mail, each only where the person agreed to publish it. One serif typeface
(DejaVu Serif, as the letters); names in other scripts through `pdf_text`'s chain of fonts.

Why not WeasyPrint: it took 4.3–5.4 s of CPU for 2,000 people (106 pages), about 2.5 ms of layout
for every person's two table cells, and 5–40 s of wall time depending on the machine's load; blocks
instead of the table were no faster. This module measures each line with the fonts' advance widths,
lays the pages out in one pass and draws them in a second (so that every header knows the number of
pages), in about a tenth of the time (`make bench` prints both).
"""

import io
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas as pdf_canvas

from . import pdf_text

PAGE_WIDTH, PAGE_HEIGHT = 210 * mm, 297 * mm
TOP, SIDE, BOTTOM = 22 * mm, 16 * mm, 16 * mm
CONTENT_WIDTH = PAGE_WIDTH - 2 * SIDE
LEADING = 1.2
SIZE = 8.5
# A person's two columns share the width; each keeps 3 mm free on its right.
COLUMN, GUTTER = CONTENT_WIDTH / 2, 3 * mm

REGULAR = (pdf_text.SERIF, pdf_text.SANS, pdf_text.CJK)
BOLD = (pdf_text.SERIF_BOLD, pdf_text.SANS_BOLD, pdf_text.CJK)


@dataclass
class _Block:
    """What stays together on a page: `lines` as (x, baseline below the block's top, size, runs,
    width to centre in or None), `height` with its paddings. Margins collapse as CSS has them
    (the larger of two that meet) and fall away at a page break; a block that `keep_with_next`
    moves to the next page with the block after it."""

    height: float
    lines: list = field(default_factory=list)
    margin_before: float = 0.0
    margin_after: float = 0.0
    keep_with_next: bool = False


def _lines(text: str, width: float, size: float, chain: tuple[str, ...]) -> list[str]:
    """The text's lines as printed, each within `width`: its own line breaks kept, spaces collapsed
    (as white-space: pre-line), words wrapped; a word longer than the line (an e-mail address)
    broken where it reaches the edge rather than printed over the margin."""
    lines = []
    for paragraph in text.replace("\r\n", "\n").split("\n"):
        for line in pdf_text.wrap(paragraph, width, size, chain):
            while len(line) > 1 and pdf_text.width(pdf_text.runs(line, chain), size) > width:
                cut = len(line) - 1
                while cut > 1 and pdf_text.width(pdf_text.runs(line[:cut], chain), size) > width:
                    cut -= 1
                lines.append(line[:cut])
                line = line[cut:]
            lines.append(line)
    return lines


def _text_block(
    text: str, *, size: float, bold=False, centred=False, x=0.0, width=CONTENT_WIDTH, margin_before=0.0,
    margin_after=0.0, padding_before=0.0, padding_after=0.0, keep_with_next=False,
) -> _Block:  # fmt: skip
    chain = BOLD if bold else REGULAR
    block = _Block(
        height=0, margin_before=margin_before, margin_after=margin_after, keep_with_next=keep_with_next
    )
    for i, line in enumerate(_lines(text, width, size, chain)):
        runs = pdf_text.runs(pdf_text.visual(line), chain)
        block.lines.append((x, padding_before + _baseline(i, size), size, runs, width if centred else None))
    block.height = padding_before + len(block.lines) * size * LEADING + padding_after
    return block


def _baseline(index: int, size: float) -> float:
    """The baseline of line `index` below the top of its block: the line box is size × 1.2 high and
    DejaVu's ascent takes 0.93 of the size, half the extra leading above it."""
    return index * size * LEADING + size * (LEADING - 1) / 2 + size * 0.93


def _person(person) -> _Block:
    """One person's row: the two columns side by side, 2 mm under it, never split across pages."""
    name = " ".join(part for part in (person.title, f"{person.first_name} {person.last_name}") if part)
    left = "\n".join(part for part in (name, person.function, person.department) if part)
    right = [person.published_address]
    if person.published_phone:
        right.append(_("Tel.: %(phone)s") % {"phone": person.published_phone})
    if person.published_email:
        right.append(_("E-mail: %(email)s") % {"email": person.published_email})
    columns = [
        _text_block(text, size=SIZE, x=x, width=COLUMN - GUTTER, padding_after=2 * mm)
        for x, text in ((0.0, left), (COLUMN, "\n".join(part for part in right if part)))
    ]
    row = _Block(height=max(column.height for column in columns))
    for column in columns:
        row.lines.extend(column.lines)
    return row


def _blocks(*, meeting, groups, dates: str) -> list[_Block]:
    where = dates
    if meeting.city:
        place = f"{meeting.city}, {meeting.country.name}" if meeting.country else meeting.city
        where = f"{place}, {dates}"
    blocks = [
        _text_block(_("List of participants"), size=14, bold=True, centred=True, margin_before=3 * mm,
                    margin_after=2 * mm),
        _text_block(meeting.title, size=10, centred=True, margin_after=1 * mm),
        _text_block(where, size=SIZE, centred=True, margin_after=4 * mm),
    ]  # fmt: skip
    for group in groups:
        blocks.append(
            _text_block(group["heading"].upper(), size=10.5, bold=True, centred=True, margin_before=5 * mm,
                        margin_after=1 * mm, keep_with_next=True)
        )  # fmt: skip
        for label, people in group["blocks"]:
            blocks.append(
                _text_block(label.upper(), size=SIZE, bold=True, padding_before=2 * mm, padding_after=1 * mm,
                            keep_with_next=True)
            )  # fmt: skip
            blocks.extend(_person(person) for person in people)
    if not groups:
        blocks.append(_text_block(_("No accredited participants yet."), size=SIZE, margin_before=3 * mm))
    return blocks


def _pages(blocks: list[_Block]) -> list[list[tuple[float, _Block]]]:
    """The blocks placed on pages as (top, block), top measured down from the body's top edge.
    A heading moves to the next page with the first person under it."""
    room = PAGE_HEIGHT - TOP - BOTTOM
    pages: list[list] = [[]]
    y, margin = 0.0, 0.0
    for i, block in enumerate(blocks):
        together, last = block.height, i
        while blocks[last].keep_with_next and last + 1 < len(blocks):
            together += (
                max(blocks[last].margin_after, blocks[last + 1].margin_before) + blocks[last + 1].height
            )
            last += 1
        # The document's first margin stays; one at the top of a later page falls away.
        gap = max(margin, block.margin_before) if pages[-1] or len(pages) == 1 else 0.0
        if pages[-1] and y + gap + together > room:
            pages.append([])
            y, gap = 0.0, 0.0
        pages[-1].append((y + gap, block))
        y, margin = y + gap + block.height, block.margin_after
    return pages


def _draw_line(text_object, x: float, baseline: float, size: float, runs, centred_in) -> None:
    if centred_in is not None:
        x += (centred_in - pdf_text.width(runs, size)) / 2
    text_object.setTextOrigin(x, baseline)
    for name, text in runs:
        text_object.setFont(name, size)
        text_object.textOut(text)


def _running_header(text_object, *, symbol: str, title: str, page: str) -> None:
    """The symbol at the left, the title in the middle, the page at the right, 2 mm over the rule:
    three boxes of 35, 30 and 35 % of the width."""
    size = 8
    baseline = PAGE_HEIGHT - TOP + 2 * mm + size * 0.3
    for x, width, text, align in (
        (0.0, 0.35, symbol, "left"), (0.35, 0.30, title, "centre"), (0.65, 0.35, page, "right"),
    ):  # fmt: skip
        x, width = SIDE + x * CONTENT_WIDTH, width * CONTENT_WIDTH
        runs = pdf_text.runs(pdf_text.visual(text), REGULAR)
        if align == "right":
            x += width - pdf_text.width(runs, size)
        _draw_line(text_object, x, baseline, size, runs, width if align == "centre" else None)


def list_of_participants_document(*, meeting, groups, dates: str) -> bytes:
    """The PDF of `groups` (participants.selectors.list_of_participants), in the active language."""
    for name in REGULAR + BOLD:
        pdf_text.font(name)
    title = _("List of participants")
    pages = _pages(_blocks(meeting=meeting, groups=groups, dates=dates))
    output = io.BytesIO()
    # The canvas starts each page in a font of its own (Helvetica, not embedded) unless told.
    c = pdf_canvas.Canvas(
        output, pagesize=(PAGE_WIDTH, PAGE_HEIGHT), pageCompression=1, initialFontName=pdf_text.SERIF
    )
    c.setTitle(f"{title}: {meeting.title}")
    rule = PAGE_HEIGHT - TOP
    for number, placed in enumerate(pages, start=1):
        # One text object a page: the header first, then the body in reading order (pdftotext
        # and screen readers read it so).
        t = c.beginText()
        _running_header(t, symbol=meeting.symbol_prefix or "", title=title, page=f"{number} / {len(pages)}")
        for top, block in placed:
            for x, below, size, runs, centred_in in block.lines:
                _draw_line(t, SIDE + x, rule - top - below, size, runs, centred_in)
        c.drawText(t)
        c.setLineWidth(0.5)
        c.line(SIDE, rule, PAGE_WIDTH - SIDE, rule)
        c.showPage()
    c.save()
    return output.getvalue()
