"""Letters laid out once per distinct text, with what differs per person drawn on each.

WeasyPrint spends about three quarters of a letter's time laying it out (styles, boxes, line
breaking) and a quarter drawing and writing the PDF. Letters of a batch share all but a few
lines: the reference, the address block, the name in the salutation and the verification line
(`letters.rendering.letter_parts` makes those "slots", spans numbered in the order they print;
the HTML with the slots' contents left out is the letter's distinct text: its language, body,
delegation, date and signatory). So the first letter of each distinct text is laid out in full,
and its laid-out pages are kept (a few per process, least recently used dropped); the next
letter with the same text re-shapes only the slots' lines with the same Pango code WeasyPrint
lays lines out with, swaps them and the QR code into the kept pages, and WeasyPrint's own writer
makes the PDF from them. Drawing the shared text is itself most of that writing (WeasyPrint
re-shapes every line to draw it), so it is recorded once per layout and replayed (`_Painter`);
only the slots' lines, what follows them on their lines and the QR code are drawn per letter.
The PDF reads and looks as a full layout of the same letter does (the tests compare the text
and the pixels): the same text in the same order, the same fonts embedded and subset to the
glyphs the letter uses, the same QR code.

A slot is only stamped where its new text provably lays out as the full layout would: its line
is a whole paragraph or runs between <br>s, holds no other slot, is not justified nor
text-transformed, nothing after the slot on its line would pass the right edge, the text is one
line with the same height and baseline (no fallback font of other metrics), with no white space
that HTML would collapse. Otherwise the letter is laid out in full (`stamped` says which).
"""

import copy
import threading
from collections import OrderedDict
from dataclasses import dataclass

import weasyprint
import weasyprint.draw as weasy_draw
from weasyprint.css import Style
from weasyprint.formatting_structure import boxes
from weasyprint.images import get_image_from_uri
from weasyprint.layout.absolute import AbsolutePlaceholder
from weasyprint.text.line_break import split_first_line

from minamata_portal.pdf import StaticOnlyURLFetcher
from minamata_portal.qr import qr_png_data_uri

from .rendering import LetterParts, gc_paused, letter_document, letter_parts

# A layout (a letter's page box tree with Pango's shaped lines, and its recorded drawing) holds
# about 3.5 MB that the allocator keeps once freed. Letters reach a worker grouped by distinct text
# (services.rendering.renders_enqueue_grouped, and sorted so within a chunk): two suffice, one for
# the group at hand and one for a group that carries on into the next chunk. A dropped layout is
# taken apart at once (`_release`).
_CACHE_SIZE = 2
_EPSILON = 1e-3  # CSS px


@dataclass
class _Slot:
    line: boxes.LineBox
    inline: boxes.InlineBox
    text: boxes.TextBox
    following: list  # the boxes after the slot on its line, moved when its width changes
    right_edge: float  # where the line's containing block ends


@dataclass
class _Layout:
    document: weasyprint.Document
    slots: dict[int, _Slot]
    qr: boxes.ReplacedBox | None
    painter: "_Painter | None" = None


@dataclass
class _Mark:
    """Where the recorded drawing of a page leaves room for a box drawn per letter."""

    draw: object
    args: tuple


class _Painter:
    """Draws a cached page: what every letter of its text shares is drawn once, recorded as PDF
    operators together with the glyphs it used; each letter replays that and draws only its
    slots' lines, what follows them on their lines, and the QR code. Drawing the shared text is
    most of what writing the PDF costs (WeasyPrint re-shapes every line with Pango to draw it).

    Installed as the cached page's `paint`, called by WeasyPrint's own PDF writer."""

    def __init__(self, page, dynamic: set[int]):
        self.page = page
        self.dynamic = dynamic  # ids of the boxes drawn per letter
        self.ops = None  # recorded operators and marks, after the first letter
        self.fonts = None  # font key → (Font, widths, to_unicode, missing) after the shared drawing
        self.states = None  # the ExtGState resources the shared drawing set
        self.replayable = True

    def __call__(self, stream, scale=1):
        with stream.stacked():
            stream.transform(a=scale, d=scale)
            if not self.replayable:
                weasy_draw.draw_page(self.page._page_box, stream)
                return
            if self.ops is None:
                self._record(stream)
            else:
                for key, (font, widths, to_unicode, missing) in self.fonts.items():
                    fresh = copy.copy(font)
                    fresh.widths, fresh.to_unicode, fresh.missing = (
                        dict(widths),
                        dict(to_unicode),
                        dict(missing),
                    )
                    stream._fonts[key] = fresh
                stream._resources["ExtGState"].update(self.states)
            self._replay(stream)

    def _record(self, stream):
        draw_text, draw_replacedbox = weasy_draw.draw_text, weasy_draw.draw_replacedbox
        dynamic = self.dynamic

        def mark(draw):
            def drawing(stream, box, *args):
                if id(box) not in dynamic:
                    return draw(stream, box, *args)
                stream.stream.append(_Mark(draw, (box, *args)))
                # What follows must not count on the colour, font or text object the box
                # would have left: each letter draws it anew.
                stream._current_color = stream._current_color_stroke = None
                stream._current_alpha = stream._current_alpha_stroke = None
                stream._current_font = stream._old_font = None

            return drawing

        start = len(stream.stream)
        weasy_draw.draw_text, weasy_draw.draw_replacedbox = mark(draw_text), mark(draw_replacedbox)
        try:
            weasy_draw.draw_page(self.page._page_box, stream)
        finally:
            weasy_draw.draw_text, weasy_draw.draw_replacedbox = draw_text, draw_replacedbox
        self.ops = stream.stream[start:]
        del stream.stream[start:]
        self.fonts = {
            key: (font, dict(font.widths), dict(font.to_unicode), dict(font.missing))
            for key, font in stream._fonts.items()
        }
        self.states = dict(stream._resources["ExtGState"])
        resources = stream._resources
        # Images, patterns and shadings become PDF objects of their own file: replayed operators
        # would name objects the next letter's file does not have. A letter that draws any
        # (an override with a picture) draws its page in full each time.
        self.replayable = not (
            stream._images or resources["XObject"] or resources["Pattern"] or resources["Shading"]
        )

    def _replay(self, stream):
        out = stream.stream
        for op in self.ops:
            if isinstance(op, _Mark):
                part = stream.clone()
                op.draw(part, *op.args)
                out.extend(part.stream)
            else:
                out.append(op)


class _Refused(Exception):
    """This letter's text does not fit the cached layout: it is laid out in full."""


_layouts: OrderedDict = OrderedDict()  # distinct text → _Layout, or None where not stampable
# A cached layout is changed by each letter stamped on it: one letter at a time per process (a
# Celery worker renders in one thread; a threaded web server with eager tasks may not).
_lock = threading.Lock()


def _write(document: weasyprint.Document) -> bytes:
    # Fonts record the glyphs drawn into them: fresh ones for each letter, so that each PDF
    # embeds only the glyphs it prints.
    document.fonts = {}
    return document.write_pdf()


def _walk(box):
    if isinstance(box, AbsolutePlaceholder):  # an absolutely positioned box (the QR code)
        box = box._box
    yield box
    for child in getattr(box, "children", ()):
        yield from _walk(child)


def _slot_number(box) -> int | None:
    element = getattr(box, "element", None)
    if element is None or box.element_tag != "span":
        return None
    number = element.get("data-slot")
    return int(number) if number is not None and number.isdigit() else None


def _forced_break(line) -> bool:
    """Whether a line ends at a <br>."""
    return bool(line.children) and getattr(line.children[-1], "element_tag", None) == "br"


def _line_stands_alone(block, line) -> bool:
    """Whether a line begins and ends where its block or a <br> does. Elsewhere its text decides
    where the paragraph breaks: a shorter slot would let the full layout pull the next words up
    onto its line, or its first word up onto the line before."""
    lines = block.children
    index = lines.index(line)
    starts = index == 0 or _forced_break(lines[index - 1])
    return starts and (line is lines[-1] or _forced_break(line))


def _find_slots(document: weasyprint.Document, count: int) -> _Layout | None:
    """The slots' boxes in a laid-out one-page letter, or None where one of them cannot be
    stamped (split over two lines, justified, empty, right-aligned...)."""
    if len(document.pages) != 1:
        return None
    page = document.pages[0]._page_box
    slots, qr, parents = {}, None, {}
    for box in _walk(page):
        for child in getattr(box, "children", ()):
            parents[id(child)] = box
        if (
            isinstance(box, boxes.ReplacedBox)
            and box.element is not None
            and box.element.get("class") == "qr"
        ):
            qr = box
        number = _slot_number(box)
        if number is None or not isinstance(box, boxes.InlineBox):
            continue
        line = parents.get(id(box))
        if number in slots or not isinstance(line, boxes.LineBox):
            return None  # split over lines, or inside another inline element
        if len(box.children) != 1 or not isinstance(box.children[0], boxes.TextBox):
            return None
        if any(
            getattr(box, side)
            for side in (
                "padding_left", "padding_right", "border_left_width", "border_right_width",
                "margin_left", "margin_right",
            )
        ):  # fmt: skip
            return None
        block = parents.get(id(line))
        style = line.style
        if style["direction"] != "ltr" or block is None or not _line_stands_alone(block, line):
            return None
        if box.children[0].style["text_transform"] != "none":
            return None  # the full layout prints the text transformed, the stamp would not
        if any(slot.line is line for slot in slots.values()):
            return None  # each slot's fit is checked with the other's old width
        align = style["text_align_all"]
        if align == "justify" and block.children[-1] is line:
            align = style["text_align_last"]
        if align not in ("left", "start", "auto"):
            return None
        if any(getattr(child, "justification_spacing", 0) for child in _walk(line)):
            return None
        following = line.children[line.children.index(box) + 1 :]
        slots[number] = _Slot(
            line=line,
            inline=box,
            text=box.children[0],
            following=following,
            right_edge=block.content_box_x() + block.width,
        )
    if len(slots) != count or qr is None:
        return None
    dynamic = {id(qr)}
    for slot in slots.values():
        dynamic.update(id(box) for box in _walk(slot.text))
        for box in slot.following:
            dynamic.update(id(inner) for inner in _walk(box) if isinstance(inner, boxes.TextBox))
    painter = _Painter(document.pages[0], dynamic)
    document.pages[0].paint = painter
    return _Layout(document=document, slots=slots, qr=qr, painter=painter)


def _shaped(slot: _Slot, value: str):
    """The new text's Pango layout and width, if it lays out on the slot's line as a full
    layout would; otherwise _Refused."""
    if not value or " ".join(value.split()) != value:
        raise _Refused("white space a full layout would collapse, or nothing to print")
    text = slot.text
    if text.text == value:
        return None
    layout, length, resume_index, width, height, baseline = split_first_line(value, text.style, None, None, 0)
    if resume_index is not None or length != len(value.encode()):
        raise _Refused("more than one line")
    if abs(height - text.height) > _EPSILON or abs(baseline + text.margin_top - text.baseline) > _EPSILON:
        raise _Refused("another font's metrics")
    tail = sum(box.margin_width() for box in slot.following)
    if text.position_x + width + tail > slot.right_edge + _EPSILON:
        raise _Refused("too long for its line")
    return layout, width


def _stamp(layout: _Layout, parts: LetterParts) -> bytes:
    shaped = {number: _shaped(slot, parts.values[number]) for number, slot in layout.slots.items()}
    for number, new in shaped.items():
        if new is None:
            continue
        slot, (pango_layout, width) = layout.slots[number], new
        text = slot.text
        shift = width - text.width
        text.text = parts.values[number]
        text.pango_layout = pango_layout
        text.width = width
        slot.inline.width += shift
        for box in slot.following:
            box.translate(dx=shift)
    layout.qr.replacement = get_image_from_uri(
        cache={}, url_fetcher=StaticOnlyURLFetcher(), options=weasyprint.DEFAULT_OPTIONS,
        url=qr_png_data_uri(parts.verify_url), orientation=layout.qr.style["image_orientation"],
    )  # fmt: skip
    layout.document.metadata.title = parts.reference
    return _write(layout.document)


def letter_parts_to_pdf(parts: LetterParts) -> tuple[bytes, bool]:
    """The PDF of a letter, and whether it was stamped on a cached layout (False: laid out in
    full)."""
    with gc_paused(), _lock:
        return _to_pdf(parts)


def _to_pdf(parts: LetterParts) -> tuple[bytes, bool]:
    key = parts.template
    if key in _layouts:
        _layouts.move_to_end(key)
        layout = _layouts[key]
        if layout is not None:
            try:
                return _stamp(layout, parts), True
            except _Refused:
                pass
        return _write(letter_document(parts.html())), False
    document = letter_document(parts.html())
    pdf = _write(document)
    _layouts[key] = _find_slots(document, len(parts.values))
    while len(_layouts) > _CACHE_SIZE:
        _release(_layouts.popitem(last=False)[1])
    return pdf, False


def letter_pdf(letter, *, override=None, extra: dict | None = None) -> bytes:
    """A letter's PDF (see `letters.rendering.letter_parts` for `override` and `extra`)."""
    return letter_parts_to_pdf(letter_parts(letter, override=override, extra=extra))[0]


def layouts_clear() -> None:
    with _lock:
        while _layouts:
            _release(_layouts.popitem()[1])


def _release(layout: _Layout | None) -> None:
    """Take a dropped layout apart so that reference counting frees it at once.

    A laid-out WeasyPrint document is held together by reference cycles: the layout context refers
    to itself (a partial of its image loader) and the letterhead's SVG image to the context, the
    footnote area to its page, each style to its anonymous child style and to itself, an image to
    its document's image cache, and our painter to its page. A layout kept in the cache over many
    letters has reached the collector's oldest generation, which CPython collects only once
    long-lived objects have grown by a quarter: a worker's heap of 230,000 objects collects it
    every 15 or so chunks, and the layouts dropped meanwhile (about 2 MB each) piled up there,
    +26 MB over a batch of 2,000 letters. A full collection on each drop frees them too, but
    costs about 120 ms in that heap. Nothing else refers to these objects once the layout is out
    of the cache (one thread at a time, under `_lock`), so emptying them is safe."""
    if layout is None:
        return
    page = layout.document.pages[0]
    found = list(_walk(page._page_box))
    footnote_area = getattr(page._page_box, "footnote_area", None)
    if footnote_area is not None:
        found.extend(_walk(footnote_area))
    styles = []
    for box in found:
        styles.extend(value for value in vars(box).values() if isinstance(value, Style))
        image = getattr(box, "replacement", None)
        if image is None:
            continue
        context = getattr(image, "_context", None)
        if context is not None:
            computed = getattr(getattr(context, "style_for", None), "_computed_styles", None) or {}
            styles.extend(value for value in computed.values() if isinstance(value, Style))
            vars(context).clear()
        svg, cache = getattr(image, "_svg", None), getattr(image, "_cache", None)
        if svg is not None:
            vars(svg).clear()
        if isinstance(cache, dict):  # this document's own (WeasyPrint makes one per render)
            cache.clear()
        vars(image).clear()
    seen = {}
    while styles:
        style = styles.pop()
        if id(style) not in seen:
            seen[id(style)] = style
            styles.extend(value for value in vars(style).values() if isinstance(value, Style))
    for style in seen.values():
        vars(style).clear()
    for box in found:
        vars(box).clear()
    if layout.painter is not None:
        vars(layout.painter).clear()
    vars(page).clear()
    layout.slots.clear()
    layout.qr = None
