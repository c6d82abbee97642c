"""Badge PDFs as UN meetings print them: the meeting's name and dates, the person's title and name,
the State or organisation, their role, a colour band by category, the QR code with the signed
badge token and the photo where the registration has one; A6 cards (one per page) or A4 sheets
of four cards with cut marks; each card on both sides where the meeting wants it.

The design is the box description in `badge_layout`. ReportLab's canvas draws it (about 1 ms a
badge: WeasyPrint spent 10 ms laying out each badge's HTML, 79 % of it in layout);
`badges_pdf_weasyprint` lays the same boxes out with WeasyPrint, the reference `make bench`
compares against and a design staff can read as HTML (templates/participants/pdf/badges.html).

Names may be in any script: DejaVu Sans covers Latin, Cyrillic and Arabic (shaped into its
presentation forms and ordered right to left by `pdf_text`, which the list of participants shares),
a subset of Droid Sans Fallback the Chinese and Japanese characters (static/badges/fonts/README.txt
says which). ReportLab embeds each font subset to the glyphs used."""

import io

import zxingcpp
from django.conf import settings
from django.utils import translation
from PIL import Image
from reportlab.lib.colors import HexColor, white
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen import canvas as pdf_canvas

from letters.rendering import format_date_range
from minamata_portal.pdf import render_pdf
from minamata_portal.qr import qr_png_data_uri

from . import pdf_text
from .badge_layout import A4, DEFAULT_LAYOUT, BadgeLayout, TextBox
from .enums import BADGE_CATEGORY_OF_CAPACITY, DEFAULT_BADGE_COLOURS, BadgeCategory
from .selectors import meeting_settings
from .services.badges import HEX_COLOUR, badge_token

REGULAR, BOLD, CJK = pdf_text.SANS, pdf_text.SANS_BOLD, pdf_text.CJK
LEADING = 1.18


class Sheet:
    """How staff print: one A6 card per page, or four A6 cards on an A4 sheet to cut."""

    A6 = "a6"
    A4 = "a4"
    choices = (A6, A4)


def _fonts():
    for name in (REGULAR, BOLD, CJK):
        pdf_text.font(name)


def _chain(bold: bool) -> tuple[str, str]:
    """The Latin font wherever it has the character, the CJK font where only it has."""
    return (BOLD if bold else REGULAR, CJK)


def _runs(text: str, bold: bool) -> list[tuple[str, str]]:
    return pdf_text.runs(text, _chain(bold))


def _wrap(text: str, width: float, size: float, bold: bool) -> list[str]:
    return pdf_text.wrap(text, width, size, _chain(bold))


def _fit(text: str, box: TextBox) -> tuple[float, list]:
    """The largest size from box.size down to box.min_size at which the text fits the box in
    box.max_lines lines; at the smallest size, what does not fit ends with an ellipsis.
    Returns the size and each line as drawable (font, text) runs."""
    width, height = box.width * mm, box.height * mm
    size = box.size
    while True:
        lines = _wrap(text, width, size, box.bold)
        fits = (
            len(lines) <= box.max_lines
            and len(lines) * size * LEADING <= height + 0.01
            and all(pdf_text.width(_runs(line, box.bold), size) <= width for line in lines)
        )
        if fits or size <= box.min_size:
            break
        size = max(box.min_size, size - 0.5)
    if len(lines) > box.max_lines:
        lines = lines[: box.max_lines]
        lines[-1] += " …"
    return size, [_runs(pdf_text.visual(line), box.bold) for line in lines]


def badge_colours(meeting) -> dict[str, str]:
    """The band's colour per category: the meeting's own settings over the defaults."""
    chosen = meeting_settings(meeting).badge_colours
    colours = {str(category): colour for category, colour in DEFAULT_BADGE_COLOURS.items()}
    # Checked when staff save them (services.badges.badge_colours_check); one written around
    # that check (a script, the shell) is ignored rather than breaking every badge of the meeting.
    colours.update({k: v for k, v in (chosen or {}).items() if k in colours and HEX_COLOUR.fullmatch(str(v))})
    return colours


def badge_both_sides(meeting) -> bool:
    return bool(meeting_settings(meeting).badge_both_sides)


def meeting_dates(meeting) -> str:
    """ "19–23 de noviembre de 2018, Geneva": the dates as the letters write them, in the language
    in use, then the city."""
    start, end = meeting.start_date, meeting.end_date
    if not start:
        return meeting.city or ""
    dates = format_date_range(start, end or start, translation.get_language() or settings.LANGUAGE_CODE)
    return f"{dates}, {meeting.city}" if meeting.city else dates


def badge_fields(registration, *, meeting_title: str, dates: str) -> dict[str, str]:
    """What each text box of the layout prints for one person."""
    category = BADGE_CATEGORY_OF_CAPACITY.get(registration.capacity, BadgeCategory.PARTY)
    name = " ".join(
        p for p in (registration.title, registration.first_name, registration.last_name.upper()) if p
    )
    return {
        "meeting": meeting_title,
        "dates": dates,
        "name": name,
        "represents": registration.represents,
        "role": registration.get_delegation_role_display() if registration.delegation_role else "",
        "category": str(category.label),
        "category_code": str(category),
    }


def _qr_path(token: str) -> tuple[int, str]:
    """The QR code as an inline one-bit image (one pixel per module, hex in the page's stream,
    /I false so that viewers and printers draw sharp square modules), as minamata_portal/qr.py
    gives WeasyPrint. About 200 bytes: cheaper than an image object or a path of rectangles."""
    symbol = zxingcpp.create_barcode(token, zxingcpp.BarcodeFormat.QRCode, ec_level="M")
    matrix = zxingcpp.write_barcode_to_image(symbol, scale=1, add_quiet_zones=False)
    size = matrix.shape[0]
    bits = Image.frombuffer("L", (size, size), bytes(memoryview(matrix)), "raw", "L", 0, 1).convert("1")
    return size, f"BI /W {size} /H {size} /BPC 1 /CS /G /I false /F /AHx ID {bits.tobytes().hex()}> EI"


def _photo_image(registration) -> ImageReader | None:
    if not registration.photo:
        return None
    with registration.photo.open("rb") as stored:
        return ImageReader(io.BytesIO(stored.read()))


def _colour_op(colour: str, operator: str) -> str:
    colour = colour.lstrip("#")
    r, g, b = (int(colour[i : i + 2], 16) / 255 for i in (0, 2, 4))
    return f"{r:.3f} {g:.3f} {b:.3f} {operator}"


class _Drawer:
    """Draws cards on a ReportLab canvas. What repeats from card to card (the meeting's name and
    dates, a State, a category's band and label) is turned into PDF operators once and repeated;
    only the person's name, the QR code and the photo are drawn for each card."""

    def __init__(self, canvas, layout: BadgeLayout, colours: dict[str, str]):
        self.canvas = canvas
        self.layout = layout
        self.colours = colours
        self.operators: dict[tuple, str] = {}
        # The QR code sits in a square box: modules scaled to fill it.
        self.qr_box = {True: layout.qr, False: layout.qr_alone}

    def card(
        self, fields: dict[str, str], qr: tuple[int, str], photo: ImageReader | None, ox: float, oy: float
    ):
        """One card with its bottom-left corner at (ox, oy) points."""
        c, layout = self.canvas, self.layout
        c.saveState()
        c.translate(ox, oy)
        c.addLiteral(self._fixed(fields["category_code"]))
        if photo is not None:
            x, y, w, h = self._rect(layout.photo)
            c.drawImage(photo, x, y, w, h)
            c.addLiteral(f"0.541 0.561 0.580 RG 0.4 w {x:.2f} {y:.2f} {w:.2f} {h:.2f} re S")
        _modules, image = qr
        x, y, w, h = self._rect(self.qr_box[photo is not None])
        c.addLiteral(f"q {w:.2f} 0 0 {h:.2f} {x:.2f} {y:.2f} cm {image} Q")
        for box in layout.texts:
            text = fields.get(box.field, "")
            if text:
                key = (text, box)
                if key not in self.operators:
                    self.operators[key] = self._text(box, text)
                c.addLiteral(self.operators[key])
        c.restoreState()

    def _rect(self, box):
        top = self.layout.height * mm
        return box.x * mm, top - (box.y + box.height) * mm, box.width * mm, box.height * mm

    def _fixed(self, category: str) -> str:
        """The band in the category's colour and the rule under the meeting's name."""
        key = ("band", category)
        if key not in self.operators:
            layout = self.layout
            x, y, w, h = self._rect(layout.band)
            colour = self.colours.get(category, self.colours[BadgeCategory.PARTY])
            ops = [f"{_colour_op(colour, 'rg')} {x:.2f} {y:.2f} {w:.2f} {h:.2f} re f"]
            if layout.rule:
                y = (layout.height - layout.rule.y) * mm
                x0, x1 = layout.rule.x * mm, (layout.rule.x + layout.rule.width) * mm
                ops.append(
                    f"{_colour_op(layout.rule_colour, 'RG')} 0.8 w {x0:.2f} {y:.2f} m {x1:.2f} {y:.2f} l S"
                )
            self.operators[key] = " ".join(ops)
        return self.operators[key]

    def _text(self, box: TextBox, text: str) -> str:
        """The text fitted to its box as a text object's operators (encoding each run in its
        font's embedded subset)."""
        size, lines = _fit(text, box)
        t = self.canvas.beginText()
        t.setFillColor(white if box.on_band else HexColor(box.colour))
        leading = size * LEADING
        top = (self.layout.height - box.y) * mm
        block_top = top - (box.height * mm - len(lines) * leading) / 2
        centre = (box.x + box.width / 2) * mm
        for i, runs in enumerate(lines):
            baseline = block_top - i * leading - size * 0.93
            widths = [pdfmetrics.stringWidth(run, font, size) for font, run in runs]
            t.setTextOrigin(centre - sum(widths) / 2, baseline)
            for font, run in runs:
                t.setFont(font, size)
                t.textOut(run)
        return t.getCode()

    def cut_marks(self, page_width: float, page_height: float, columns: int, rows: int):
        """Short lines on the sheet's edges where the cards are cut apart, and a cross where the
        cuts meet, in grey that shows on white and on a band."""
        c = self.canvas
        c.setStrokeColor(HexColor("#7f7f7f"))
        c.setLineWidth(0.3)
        tick = 5 * mm
        for col in range(1, columns):
            x = col * page_width / columns
            c.line(x, 0, x, tick)
            c.line(x, page_height - tick, x, page_height)
        for row in range(1, rows):
            y = row * page_height / rows
            c.line(0, y, tick, y)
            c.line(page_width - tick, y, page_width, y)
        for col in range(1, columns):
            for row in range(1, rows):
                x, y = col * page_width / columns, row * page_height / rows
                c.line(x - 2 * mm, y, x + 2 * mm, y)
                c.line(x, y - 2 * mm, x, y + 2 * mm)


def badges_pdf(
    *, meeting, registrations, sheet: str = Sheet.A6, layout: BadgeLayout = DEFAULT_LAYOUT, both_sides=None
) -> bytes:
    """One PDF of the badges of `registrations`, in their order. `sheet`: Sheet.A6 (a card a
    page) or Sheet.A4 (four cards a sheet, cut marks). `both_sides` defaults to the meeting's
    setting: each card is followed by its back (on A4, a sheet of backs, columns swapped so that
    each back falls behind its front when printed on both sides along the long edge)."""
    _fonts()
    if both_sides is None:
        both_sides = badge_both_sides(meeting)
    output = io.BytesIO()
    card_size = (layout.width * mm, layout.height * mm)
    page_size = card_size if sheet == Sheet.A6 else (A4[0] * mm, A4[1] * mm)
    # The canvas starts each page in a font of its own (Helvetica, not embedded) unless told.
    c = pdf_canvas.Canvas(output, pagesize=page_size, pageCompression=1, initialFontName=REGULAR)
    c.setTitle(meeting.title)
    drawer = _Drawer(c, layout, badge_colours(meeting))
    meeting_title, dates = meeting.title, meeting_dates(meeting)

    def prepared(registration):
        return (
            badge_fields(registration, meeting_title=meeting_title, dates=dates),
            _qr_path(badge_token(registration)),
            _photo_image(registration),
        )

    if sheet == Sheet.A6:
        for registration in registrations:
            card = prepared(registration)
            for _side in range(2 if both_sides else 1):
                drawer.card(*card, 0, 0)
                c.showPage()
    else:
        columns, rows = int(A4[0] // layout.width), int(A4[1] // layout.height)
        per_sheet = columns * rows
        slot_w, slot_h = page_size[0] / columns, page_size[1] / rows
        cards = [prepared(r) for r in registrations]
        for start in range(0, len(cards), per_sheet):
            group = cards[start : start + per_sheet]
            for side in range(2 if both_sides else 1):
                for i, card in enumerate(group):
                    col, row = i % columns, i // columns
                    if side:
                        col = columns - 1 - col
                    ox = col * slot_w + (slot_w - card_size[0]) / 2
                    oy = page_size[1] - (row + 1) * slot_h + (slot_h - card_size[1]) / 2
                    drawer.card(*card, ox, oy)
                drawer.cut_marks(page_size[0], page_size[1], columns, rows)
                c.showPage()
    c.save()
    return output.getvalue()


def badges_pdf_weasyprint(*, meeting, registrations, layout: BadgeLayout = DEFAULT_LAYOUT) -> bytes:
    """The same design laid out by WeasyPrint from the same boxes, A6 cards: the reference the
    bench measures ReportLab against, and the design as HTML for whoever edits it."""
    colours = badge_colours(meeting)
    meeting_title, dates = meeting.title, meeting_dates(meeting)
    badges = []
    for registration in registrations:
        fields = badge_fields(registration, meeting_title=meeting_title, dates=dates)
        token = badge_token(registration)
        badges.append(
            {
                "texts": [(box, fields.get(box.field, "")) for box in layout.texts],
                "colour": colours.get(fields["category_code"], colours[BadgeCategory.PARTY]),
                "qr": qr_png_data_uri(token),
                "qr_box": layout.qr_alone,
            }
        )
    return render_pdf(
        "participants/pdf/badges.html", {"meeting": meeting, "layout": layout, "badges": badges}
    )
