"""The badge as printed, read back from the PDF as a reader, a scanner and a printer would: its
text with pdftotext, the QR code decoded from the rasterised page (poppler + zxing-cpp), its fonts
with pdffonts, the band's colour sampled from the pixels, the page sizes of A6 cards and A4 sheets."""

import datetime as dt
import re
import subprocess
import unicodedata

import pytest
import zxingcpp
from django.core import signing
from django.core.exceptions import ValidationError
from django.utils import translation
from PIL import Image
from pypdf import PdfReader

from participants.badge_forms import BadgeColoursField
from participants.badges import Sheet, badge_both_sides, badge_colours, badges_pdf, meeting_dates
from participants.enums import DEFAULT_BADGE_COLOURS, Capacity, DelegationRole, RegistrationStatus
from participants.models import MeetingParticipationSettings
from participants.services.badges import BADGE_SALT, badge_colours_check, registration_check_in
from tests.factories import MeetingFactory, country

from .factories import OrganisationFactory, RegistrationFactory

pytestmark = pytest.mark.django_db
S = RegistrationStatus
MM = 72 / 25.4


@pytest.fixture
def meeting():
    return MeetingFactory(
        title_en="Fifth meeting of the Conference of the Parties to the Minamata Convention on Mercury",
        start_date=dt.date(2023, 10, 30), end_date=dt.date(2023, 11, 3), city="Geneva",
    )  # fmt: skip


def _badge(meeting, **fields):
    fields.setdefault("status", S.BADGE_ISSUED)
    return RegistrationFactory(meeting=meeting, **fields)


def _pdf(tmp_path, pdf: bytes, name="badges.pdf"):
    path = tmp_path / name
    path.write_bytes(pdf)
    return path


def _text(path, *args) -> str:
    return subprocess.run(
        ["pdftotext", *args, str(path), "-"], check=True, capture_output=True, text=True
    ).stdout


def _page_png(path, tmp_path, *, page=1, dpi=150, gray=False):
    out = tmp_path / f"page-{page}-{dpi}"
    subprocess.run(
        ["pdftoppm", "-r", str(dpi), *(["-gray"] if gray else []), "-png", "-singlefile",
         "-f", str(page), "-l", str(page), str(path), str(out)],
        check=True,
    )  # fmt: skip
    return Image.open(f"{out}.png")


def _page_sizes_mm(path):
    return [
        (round(float(p.mediabox.width) / MM), round(float(p.mediabox.height) / MM))
        for p in PdfReader(path).pages
    ]


def test_badge_prints_meeting_dates_name_state_role_and_category(meeting, tmp_path):
    registration = _badge(
        meeting, title="H.E.", first_name="Mwila", last_name="Banda", country=country("ZMB"),
        delegation_role=DelegationRole.HEAD,
    )  # fmt: skip
    text = " ".join(_text(_pdf(tmp_path, badges_pdf(meeting=meeting, registrations=[registration]))).split())
    assert "Fifth meeting of the Conference of the Parties to the Minamata Convention on Mercury" in text
    assert "30 October – 3 November 2023, Geneva" in text
    assert "H.E. Mwila BANDA" in text
    assert "Zambia" in text and "Head of delegation" in text
    assert text.endswith("Party")


@pytest.mark.parametrize(
    ("language", "start", "end", "expected"),
    [
        ("es", dt.date(2018, 11, 19), dt.date(2018, 11, 23), "19–23 de noviembre de 2018, Geneva"),
        ("es", dt.date(2023, 10, 30), dt.date(2023, 11, 3), "30 de octubre – 3 de noviembre de 2023, Geneva"),
        ("fr", dt.date(2023, 11, 1), dt.date(2023, 11, 3), "1er–3 novembre 2023, Geneva"),
        ("en", dt.date(2023, 10, 30), dt.date(2023, 11, 3), "30 October – 3 November 2023, Geneva"),
    ],
)
def test_the_badges_dates_are_written_as_the_letters_write_them(language, start, end, expected):
    meeting = MeetingFactory(start_date=start, end_date=end, city="Geneva")
    with translation.override(language):
        assert meeting_dates(meeting) == expected


def test_the_meetings_badge_settings_are_read_once(meeting, django_assert_num_queries):
    MeetingParticipationSettings.objects.create(meeting=meeting, badge_colours={"party": "#ff8800"})
    with django_assert_num_queries(1):
        assert badge_colours(meeting)["party"] == "#ff8800"
        assert badge_both_sides(meeting) is False


def test_an_organisations_badge_names_it_and_its_category(meeting, tmp_path):
    registration = _badge(
        meeting, first_name="Ana", last_name="Quispe", capacity=Capacity.NGO, country=None,
        organisation=OrganisationFactory(name="Zero Mercury Working Group"),
    )  # fmt: skip
    text = " ".join(_text(_pdf(tmp_path, badges_pdf(meeting=meeting, registrations=[registration]))).split())
    assert "Ana QUISPE Zero Mercury Working Group Non-governmental organisation" in text
    assert "Party" not in text


def test_markup_in_a_name_prints_as_text(meeting, tmp_path):
    registration = _badge(meeting, first_name="<b>Ana</b>", last_name="<i>x</i>&amp;")
    text = " ".join(_text(_pdf(tmp_path, badges_pdf(meeting=meeting, registrations=[registration]))).split())
    assert "<b>Ana</b> <I>X</I>&AMP;" in text


def test_a_long_name_shrinks_and_wraps_inside_the_card(meeting, tmp_path):
    registration = _badge(
        meeting,
        first_name="Maximiliano Alejandro",
        last_name="de la Santísima Trinidad Fernández-Castellanos",
    )
    path = _pdf(tmp_path, badges_pdf(meeting=meeting, registrations=[registration]))
    words = " ".join(_text(path).split())
    assert "Maximiliano Alejandro DE LA SANTÍSIMA TRINIDAD FERNÁNDEZ-CASTELLANOS" in words
    # Every word of the name lies inside the card's 5 mm margins (pdftotext's word boxes, in points).
    boxes = re.findall(r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)"', _text(path, "-bbox"))
    assert boxes and all(float(x0) >= 5 * MM - 0.5 and float(x1) <= 100 * MM + 0.5 for x0, x1 in boxes)


def test_qr_code_read_from_the_printed_card_is_the_badge_token(meeting, tmp_path):
    registration = _badge(meeting)
    path = _pdf(tmp_path, badges_pdf(meeting=meeting, registrations=[registration]))
    found = zxingcpp.read_barcodes(
        _page_png(path, tmp_path, gray=True), formats=zxingcpp.BarcodeFormat.QRCode
    )
    assert len(found) == 1
    assert signing.loads(found[0].text, salt=BADGE_SALT) == {"r": registration.pk, "m": meeting.pk}
    checked_in, first = registration_check_in(meeting=meeting, token=found[0].text, by=None)
    assert checked_in == registration and first


def test_every_qr_code_of_an_a4_sheet_decodes_to_its_own_badge(meeting, tmp_path):
    registrations = [_badge(meeting, last_name=name) for name in ("Alpha", "Beta", "Gamma", "Delta")]
    path = _pdf(tmp_path, badges_pdf(meeting=meeting, registrations=registrations, sheet=Sheet.A4))
    found = zxingcpp.read_barcodes(
        _page_png(path, tmp_path, gray=True), formats=zxingcpp.BarcodeFormat.QRCode
    )
    assert sorted(signing.loads(f.text, salt=BADGE_SALT)["r"] for f in found) == sorted(
        r.pk for r in registrations
    )


def test_names_in_cyrillic_arabic_and_chinese_print_with_embedded_subset_fonts(meeting, tmp_path):
    registrations = [
        _badge(meeting, title="Ms", first_name="Анна", last_name="Иванова", country=country("RUS")),
        _badge(meeting, title="Mr", first_name="محمد", last_name="عبد الله", country=country("EGY")),
        _badge(meeting, title="Ms", first_name="小明", last_name="王", country=country("CHN")),
    ]
    path = _pdf(tmp_path, badges_pdf(meeting=meeting, registrations=registrations))
    cyrillic, arabic, chinese = (_text(path, "-f", str(n), "-l", str(n)) for n in (1, 2, 3))
    assert "Ms Анна ИВАНОВА" in cyrillic
    assert "Ms 小明 王" in chinese
    # Arabic is drawn shaped: the letters in their joined forms (meem at the start of a word, its
    # initial form U+FEE3; the final dal of عبد, U+FEAA), which read back as the name itself.
    assert "\ufee3" in arabic and "\ufeaa" in arabic
    shaped = unicodedata.normalize("NFKC", arabic)
    assert "محمد" in shaped and "عبد" in shaped and "الله" in shaped
    # ... and right to left: the first name is to the right of the family name on the card (the
    # word boxes give each word's glyphs as drawn, left to right).
    words = re.findall(
        r'<word xMin="([\d.]+)"[^>]*>([^<]+)</word>', _text(path, "-f", "2", "-l", "2", "-bbox")
    )
    x_of = {unicodedata.normalize("NFKC", w)[::-1]: float(x) for x, w in words}
    assert x_of["محمد"] > x_of["عبد"] > x_of["الله"]

    fonts = subprocess.run(["pdffonts", str(path)], check=True, capture_output=True, text=True).stdout
    rows = fonts.splitlines()[2:]
    assert {re.sub(r"^[A-Z]{6}\+", "", row.split()[0]) for row in rows} >= {
        "DejaVuSans-Bold",
        "DroidSansFallback",
    }
    # Every font embedded (emb) and subset (sub): "yes yes" in the emb and sub columns.
    assert rows and all(re.search(r"\byes\s+yes\s+(yes|no)\s+\d+\s+\d+\s*$", row) for row in rows), fonts


def test_a6_cards_one_a_page_and_a4_sheets_of_four(meeting, tmp_path):
    registrations = [_badge(meeting, last_name=f"Person{i}") for i in range(5)]
    a6 = _pdf(tmp_path, badges_pdf(meeting=meeting, registrations=registrations), "a6.pdf")
    a4 = _pdf(tmp_path, badges_pdf(meeting=meeting, registrations=registrations, sheet=Sheet.A4), "a4.pdf")
    assert _page_sizes_mm(a6) == [(105, 148)] * 5
    assert _page_sizes_mm(a4) == [(210, 297)] * 2
    first_sheet = _text(a4, "-f", "1", "-l", "1")
    assert [f"PERSON{i}" in first_sheet for i in range(5)] == [True, True, True, True, False]
    assert "PERSON4" in _text(a4, "-f", "2", "-l", "2")


def test_a4_sheet_has_cut_marks_between_the_cards(meeting, tmp_path):
    path = _pdf(tmp_path, badges_pdf(meeting=meeting, registrations=[_badge(meeting)], sheet=Sheet.A4))
    page = _page_png(path, tmp_path, dpi=100).convert("L")
    # The vertical cut (x = 105 mm) marked on the sheet's top edge, in grey; beside it, white.
    x, y = round(105 / 25.4 * 100), 4
    assert page.getpixel((x, y)) < 200 and page.getpixel((x + 8, y)) == 255


def test_both_sides_when_the_meeting_wants_it(meeting, tmp_path):
    MeetingParticipationSettings.objects.create(meeting=meeting, badge_both_sides=True)
    registrations = [_badge(meeting, last_name=name) for name in ("Alpha", "Beta")]
    a6 = _pdf(tmp_path, badges_pdf(meeting=meeting, registrations=registrations), "a6.pdf")
    assert [("ALPHA" in p, "BETA" in p) for p in _text(a6).split("\f")[:4]] == [
        (True, False), (True, False), (False, True), (False, True),
    ]  # fmt: skip
    # On A4 the backs' sheet follows the fronts' with the columns swapped: printed on both sides
    # along the long edge, each back falls behind its own front.
    a4 = _pdf(tmp_path, badges_pdf(meeting=meeting, registrations=registrations, sheet=Sheet.A4), "a4.pdf")
    assert _page_sizes_mm(a4) == [(210, 297)] * 2

    def x_of(page, word):
        bbox = _text(a4, "-f", str(page), "-l", str(page), "-bbox")
        return float(re.search(rf'<word xMin="([\d.]+)"[^>]*>{word}</word>', bbox).group(1))

    assert x_of(1, "ALPHA") < 105 * MM < x_of(1, "BETA")
    assert x_of(2, "BETA") < 105 * MM < x_of(2, "ALPHA")


def test_only_one_side_by_default(meeting, tmp_path):
    path = _pdf(tmp_path, badges_pdf(meeting=meeting, registrations=[_badge(meeting)]))
    assert len(PdfReader(path).pages) == 1


def _band_pixel(path, tmp_path, page=1):
    # 4 mm from the card's left edge, 8 mm above its bottom: inside the band, clear of its label.
    image = _page_png(path, tmp_path, page=page, dpi=50).convert("RGB")
    return image.getpixel((round(4 / 25.4 * 50), image.height - round(8 / 25.4 * 50)))


def _hex(colour):
    return tuple(int(colour[i : i + 2], 16) for i in (1, 3, 5))


def test_band_takes_the_meetings_colour_else_the_default(meeting, tmp_path):
    MeetingParticipationSettings.objects.create(meeting=meeting, badge_colours={"party": "#ff8800"})
    party = _badge(meeting)
    ngo = _badge(meeting, capacity=Capacity.NGO, country=None, organisation=OrganisationFactory())
    path = _pdf(tmp_path, badges_pdf(meeting=meeting, registrations=[party, ngo]))
    for page, expected in ((1, "#ff8800"), (2, DEFAULT_BADGE_COLOURS["ngo"])):
        pixel = _band_pixel(path, tmp_path, page)
        assert all(abs(a - b) <= 2 for a, b in zip(pixel, _hex(expected), strict=True)), (page, pixel)


def test_colours_are_checked_as_rrggbb_per_known_category():
    assert badge_colours_check({"party": "#FF8800", "ngo": "#2e7d32"}) == {
        "party": "#ff8800",
        "ngo": "#2e7d32",
    }
    for wrong in (
        {"party": "red"},
        {"party": "#ff880"},
        {"party": "#ff8800 "},
        {"party": 12},
        {"rebel": "#000000"},
    ):
        with pytest.raises(ValidationError) as refused:
            badge_colours_check(wrong)
        assert list(refused.value.message_dict) == ["badge_colours"]
    with pytest.raises(ValidationError):
        badge_colours_check(["#ff8800"])


def test_admin_colour_pickers_save_only_what_differs_from_the_default():
    field = BadgeColoursField()
    values = [DEFAULT_BADGE_COLOURS[c] for c in DEFAULT_BADGE_COLOURS]
    values[0] = "#FF8800"
    assert field.clean(values) == {"party": "#ff8800"}
    values[0] = "orange"
    with pytest.raises(ValidationError) as refused:
        field.clean(values)
    assert refused.value.messages == ["Party: “orange” is not a colour written #rrggbb."]
    html = field.widget.render("badge_colours", {"ngo": "#000000"})
    assert (
        html.count('type="color"') == 7
        and 'value="#000000"' in html
        and "Non-governmental organisation" in html
    )
