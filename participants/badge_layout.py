"""The badge's design as a description of boxes, read by both renderers (participants/badges.py):
ReportLab draws the badges staff print, WeasyPrint lays the same boxes out as the reference the
bench compares against (templates/participants/pdf/badges.html).

Every position is in millimetres from the card's top-left corner. To change the design, change
the boxes here (or pass another `BadgeLayout` to `badges_pdf`): a text box names the field it
prints, its font size and the smallest size it may shrink to before it wraps onto `max_lines`.
The fields are those `badge_fields` builds: meeting, dates, name, represents, role, category."""

from dataclasses import dataclass, field

# A6 portrait: the card UN meetings hang on lanyards, and a quarter of an A4 sheet.
A6 = (105.0, 148.0)
A4 = (210.0, 297.0)


@dataclass(frozen=True)
class Box:
    x: float
    y: float
    width: float
    height: float


@dataclass(frozen=True)
class TextBox(Box):
    field: str = ""
    size: float = 10.0
    min_size: float = 7.0
    max_lines: int = 1
    bold: bool = False
    colour: str = "#000000"
    # The category's label is printed on the coloured band: white on the staff's colour.
    on_band: bool = False


@dataclass(frozen=True)
class BadgeLayout:
    width: float = A6[0]
    height: float = A6[1]
    texts: tuple[TextBox, ...] = ()
    rule: Box | None = None  # a thin line under the meeting's name and dates
    rule_colour: str = "#005a8c"
    band: Box = field(default_factory=lambda: Box(0, 122, 105, 26))
    # Photo and QR code side by side; without a photo the QR code takes the middle.
    photo: Box = field(default_factory=lambda: Box(10, 35, 36, 48))
    qr: Box = field(default_factory=lambda: Box(58, 39, 38, 38))
    qr_alone: Box = field(default_factory=lambda: Box(33.5, 39, 38, 38))

    @property
    def photo_ratio(self) -> float:
        """Width over height of the photo frame: uploads are cropped to it."""
        return self.photo.width / self.photo.height


DEFAULT_LAYOUT = BadgeLayout(
    texts=(
        TextBox(
            6, 6, 93, 15, field="meeting", size=10, min_size=7.5, max_lines=2, bold=True, colour="#00466d"
        ),
        TextBox(6, 22, 93, 5, field="dates", size=8.5, min_size=6.5, colour="#333333"),
        TextBox(5, 86, 95, 18, field="name", size=18, min_size=10, max_lines=2, bold=True),
        TextBox(6, 104, 93, 10, field="represents", size=12.5, min_size=8, max_lines=2),
        TextBox(6, 114.5, 93, 5, field="role", size=9, min_size=7, colour="#333333"),
        TextBox(4, 124, 97, 22, field="category", size=14, min_size=8, max_lines=2, bold=True, on_band=True),
    ),
    rule=Box(6, 29.5, 93, 0),
)

# The photo is stored at this size (3:4, 300 dpi over the 36 × 48 mm frame is 425 × 567 px; a
# badge printer's 300 dpi needs no more, a phone's 12 Mpx photo is cut to about 60 KB).
PHOTO_PIXELS = (420, 560)
