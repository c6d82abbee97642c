"""Letters laid out once per distinct text and stamped per person (letters.stamping): the stamped
PDF reads, looks and decodes as the full layout of the same letter; what does not fit falls back
to a full layout."""

import datetime as dt
import re
import subprocess

import pytest
import zxingcpp
from PIL import Image, ImageChops

from letters import stamping
from letters.enums import LetterKind
from letters.models import LetterTemplate
from letters.rendering import html_to_letter_pdf, letter_parts, verify_url
from letters.services.issuing import letters_request
from letters.services.rendering import _layout_groups, renders_enqueue_grouped
from letters.services.templates import letter_template_save
from participants.letters import registration_letter_spec
from tests.factories import MeetingFactory, UserFactory, country

from .factories import RegistrationFactory

pytestmark = pytest.mark.django_db

LANGUAGES = {
    "en": ("Dear", "Yours sincerely,", "member of the delegation of"),
    "fr": ("Madame, Monsieur", "Veuillez agréer", "délégation suivante"),
    "es": ("Estimado/a", "Atentamente,", "delegación siguiente"),
}


@pytest.fixture(autouse=True)
def _no_cached_layouts():
    stamping.layouts_clear()
    yield
    stamping.layouts_clear()


@pytest.fixture
def cop2():
    return MeetingFactory(
        code="cop-2", number=2, start_date=dt.date(2018, 11, 19), end_date=dt.date(2018, 11, 23),
        city="Geneva", venue="Centre International de Conférences Genève", symbol_prefix="UNEP/MC/COP.2",
        title_en="Second meeting of the Conference of the Parties to the Minamata Convention on Mercury",
        title_fr="Deuxième réunion de la Conférence des Parties à la Convention de Minamata sur le mercure",
        title_es="Segunda reunión de la Conferencia de las Partes en el Convenio de Minamata sobre el Mercurio",
    )  # fmt: skip


def confirmations(meeting, names, *, language="en", iso3="ZMB", address=""):
    """Confirmation letters (not rendered) for delegates of one State, in one language."""
    specs = []
    for first, last in names:
        registration = RegistrationFactory(
            meeting=meeting, country=country(iso3), correspondence_language=language, address=address,
            user=UserFactory(first_name=first, last_name=last, roles=["Delegate"]),
        )  # fmt: skip
        specs.append(registration_letter_spec(LetterKind.CONFIRMATION, registration))
    return letters_request(meeting=meeting, kind=LetterKind.CONFIRMATION, specs=specs)


def pdftotext(pdf: bytes, tmp_path, name="letter") -> str:
    path = tmp_path / f"{name}.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdftotext", path, "-"], check=True, capture_output=True, text=True).stdout


def picture(pdf: bytes, tmp_path, name) -> Image.Image:
    path = tmp_path / f"{name}.pdf"
    path.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", "100", "-png", "-singlefile", path, tmp_path / name], check=True)
    return Image.open(tmp_path / f"{name}.png").convert("RGB")


@pytest.mark.parametrize("language", ["en", "fr", "es"])
def test_a_stamped_letter_reads_and_looks_as_its_full_layout(cop2, tmp_path, language):
    first, second = confirmations(
        cop2, [("Zola", "Mwansa"), ("Awa", "Diop-Ndiaye")], language=language,
        address="Ministry of Green Economy\nLusaka",
    )  # fmt: skip
    pdf, stamped = stamping.letter_parts_to_pdf(letter_parts(first))
    assert not stamped  # the first of its text is laid out in full, and kept
    parts = letter_parts(second)
    pdf, stamped = stamping.letter_parts_to_pdf(parts)
    assert stamped
    full = html_to_letter_pdf(parts.html())
    text = pdftotext(pdf, tmp_path, "stamped")
    assert text == pdftotext(full, tmp_path, "full")
    assert (
        ImageChops.difference(picture(pdf, tmp_path, "stamped"), picture(full, tmp_path, "full")).getbbox()
        is None
    )
    # In order: reference, address, salutation, body, signature, verification line.
    salutation, signature, body = LANGUAGES[language]
    flat = " ".join(text.split())
    order = [
        flat.index(second.reference),
        flat.index("Awa Diop-Ndiaye"),
        flat.index("Ministry of Green Economy"),
        flat.index(f"{salutation}"),
        flat.index(body),
        flat.index(signature),
        flat.index(verify_url(second.verification_code)),
    ]
    assert order == sorted(order)
    assert "Zola" not in flat and first.reference not in flat


def test_a_stamped_letter_s_qr_code_decodes_to_its_own_verification_address(cop2, tmp_path):
    first, second, third = confirmations(cop2, [("Zola", "Mwansa"), ("Awa", "Diop"), ("Ana", "Quispe")])
    for letter in (first, second):
        stamping.letter_parts_to_pdf(letter_parts(letter))
    pdf, stamped = stamping.letter_parts_to_pdf(letter_parts(third))
    assert stamped
    path = tmp_path / "letter.pdf"
    path.write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-r", "150", "-gray", "-png", "-singlefile", path, tmp_path / "page"], check=True
    )
    found = zxingcpp.read_barcodes(Image.open(tmp_path / "page.png"), formats=zxingcpp.BarcodeFormat.QRCode)
    assert [code.text for code in found] == [verify_url(third.verification_code)]


def test_a_stamped_letter_is_small_with_its_fonts_embedded_and_subset(cop2, tmp_path):
    first, second = confirmations(cop2, [("Zola", "Mwansa"), ("Awa", "Diop")])
    stamping.letter_parts_to_pdf(letter_parts(first))
    pdf, stamped = stamping.letter_parts_to_pdf(letter_parts(second))
    assert stamped and len(pdf) < 60_000
    path = tmp_path / "letter.pdf"
    path.write_bytes(pdf)
    rows = subprocess.run(["pdffonts", path], check=True, capture_output=True, text=True).stdout.splitlines()[
        2:
    ]
    fonts = {row.split()[0]: row.split()[-5:-2] for row in rows}
    assert (
        set(fonts) == {name for name in fonts if re.fullmatch(r"[A-Z]{6}\+Letter-Serif(-Bold)?", name)}
        and len(fonts) == 2
    )
    assert all(flags == ["yes", "yes", "yes"] for flags in fonts.values())  # embedded, subset, unicode


def test_a_name_too_long_for_its_line_is_laid_out_in_full(cop2, tmp_path):
    long_first = "Ibrahim Abdoulkarim-Oumarou Mahamadou"  # 121 characters in all: two lines
    long_last = "Maïnassara de la Grande Commission Nationale du Développement Durable et de l’Environnement"
    first, second = confirmations(cop2, [("Zola", "Mwansa"), (long_first, long_last)])
    stamping.letter_parts_to_pdf(letter_parts(first))
    parts = letter_parts(second)
    pdf, stamped = stamping.letter_parts_to_pdf(parts)
    assert not stamped
    assert pdf == html_to_letter_pdf(parts.html())
    flat = " ".join(pdftotext(pdf, tmp_path).split())
    assert f"{long_first} {long_last}" in flat  # whole, wrapped
    # The cached layout is still there for the next letter that fits.
    (third,) = confirmations(cop2, [("Ana", "Quispe")])
    assert stamping.letter_parts_to_pdf(letter_parts(third))[1]


def test_a_stamped_name_with_markup_is_printed_as_text(cop2, tmp_path):
    first, second = confirmations(
        cop2,
        [("Zola", "Mwansa"), ('<b>Eve</b><script>alert("x")</script>', '<img src="file:///etc/passwd">')],
    )
    stamping.letter_parts_to_pdf(letter_parts(first))
    pdf, stamped = stamping.letter_parts_to_pdf(letter_parts(second))
    assert stamped
    flat = " ".join(pdftotext(pdf, tmp_path).split())
    assert '<b>Eve</b><script>alert("x")</script> <img src="file:///etc/passwd">' in flat
    assert b"root:x:0:0" not in pdf


def test_letters_naming_another_delegation_do_not_share_a_layout(cop2):
    (zambia,) = confirmations(cop2, [("Zola", "Mwansa")], iso3="ZMB")
    (peru,) = confirmations(cop2, [("Ana", "Quispe")], iso3="PER")
    assert letter_parts(zambia).template != letter_parts(peru).template
    stamping.letter_parts_to_pdf(letter_parts(zambia))
    assert not stamping.letter_parts_to_pdf(letter_parts(peru))[1]


def test_a_bulk_send_queues_each_delegation_s_letters_together(cop2, settings, monkeypatch):
    from letters import tasks

    settings.LETTERS_CHUNK_SIZE = 4
    zambia = confirmations(cop2, [("Zola", f"Mwansa{i}") for i in range(3)], iso3="ZMB")
    peru = confirmations(cop2, [("Ana", f"Quispe{i}") for i in range(2)], iso3="PER", language="es")
    senegal = confirmations(cop2, [("Awa", f"Diop{i}") for i in range(5)], iso3="SEN", language="fr")
    interleaved = [*zip(zambia, peru, senegal, strict=False), zambia[2:], senegal[2:]]
    ids = [letter.pk for letters in interleaved for letter in letters]
    assert len(_layout_groups(ids)) == 3
    queued = []
    monkeypatch.setattr(tasks.letters_render, "delay", queued.append)
    renders_enqueue_grouped(ids)
    pks = lambda letters: [letter.pk for letter in letters]  # noqa: E731
    assert queued == [pks(senegal[:4]), [senegal[4].pk, *pks(zambia)], pks(peru)]


def override(meeting, body):
    return letter_template_save(
        template=LetterTemplate(meeting=meeting, kind=LetterKind.CONFIRMATION, language="en", body=body)
    )


def test_a_shorter_name_mid_paragraph_is_laid_out_in_full(cop2, tmp_path):
    """A full layout would pull the next words up onto the shorter name's line."""
    template = override(
        cop2,
        "<div>{{ recipient_name }} is registered for the meeting, and we look forward to welcoming "
        "the delegation in Geneva for a week of negotiations on mercury.</div>",
    )
    long_name = ("Ibrahim Abdoulkarim-Oumarou", "Mahamadou Maïnassara de la Commission")
    first, second = confirmations(cop2, [long_name, ("Al", "Bo")])
    assert not stamping.letter_parts_to_pdf(letter_parts(first, override=template))[1]
    parts = letter_parts(second, override=template)
    pdf, stamped = stamping.letter_parts_to_pdf(parts)
    assert not stamped
    assert pdftotext(pdf, tmp_path, "stamped") == pdftotext(
        html_to_letter_pdf(parts.html()), tmp_path, "full"
    )


def test_a_text_transformed_name_is_laid_out_in_full(cop2, tmp_path):
    template = override(cop2, '<p style="text-transform: uppercase">Dear {{ recipient_name }},</p>')
    first, second = confirmations(cop2, [("Zola", "Mwansa"), ("Al", "Bo")])
    stamping.letter_parts_to_pdf(letter_parts(first, override=template))
    parts = letter_parts(second, override=template)
    pdf, stamped = stamping.letter_parts_to_pdf(parts)
    assert not stamped
    text = pdftotext(pdf, tmp_path, "stamped")
    assert "DEAR AL BO," in text and text == pdftotext(html_to_letter_pdf(parts.html()), tmp_path, "full")


def test_two_names_on_one_line_are_laid_out_in_full(cop2, tmp_path):
    """Each name alone fits its line; both together do not."""
    template = override(cop2, "<div>{{ recipient_name }} and {{ recipient_name }}</div>")
    name = ("Ibrahim Abdoulkarim", "Mahamadou Maïnassara-Oumarou")
    first, second = confirmations(cop2, [("Zola", "Mwansa"), name])
    stamping.letter_parts_to_pdf(letter_parts(first, override=template))
    parts = letter_parts(second, override=template)
    pdf, stamped = stamping.letter_parts_to_pdf(parts)
    assert not stamped
    assert pdftotext(pdf, tmp_path, "stamped") == pdftotext(
        html_to_letter_pdf(parts.html()), tmp_path, "full"
    )


def test_a_layout_dropped_from_the_cache_is_freed_without_waiting_for_the_collector(cop2):
    """WeasyPrint's laid-out documents are full of reference cycles; a cached one lives long
    enough to reach the collector's oldest generation, where a dropped layout would wait for a
    full collection. Taken apart when dropped, it is freed at once: with the collector off, the
    first delegation's page, its styles and its layout context are gone once two other texts
    have taken its place, and the cache still stamps the letters it holds."""
    import gc
    import weakref

    (zambia,) = confirmations(cop2, [("Zola", "Mwansa")], iso3="ZMB")
    (peru,) = confirmations(cop2, [("Ana", "Quispe")], iso3="PER")
    senegal = confirmations(cop2, [("Awa", "Diop"), ("Moussa", "Sarr")], iso3="SEN")
    first = letter_parts(zambia)
    enabled = gc.isenabled()
    gc.collect()
    gc.disable()
    try:
        stamping.letter_parts_to_pdf(first)
        layout = stamping._layouts[first.template]
        page_box = layout.document.pages[0]._page_box
        images = [getattr(box, "replacement", None) for box in stamping._walk(page_box)]
        (emblem,) = [image for image in images if hasattr(image, "_context")]  # the SVG letterhead
        kept = [
            weakref.ref(obj) for obj in (page_box, page_box.style, emblem, emblem._context, layout.painter)
        ]
        del layout, page_box, images, emblem
        stamping.letter_parts_to_pdf(letter_parts(peru))
        stamping.letter_parts_to_pdf(letter_parts(senegal[0]))
        assert first.template not in stamping._layouts
        assert [ref() for ref in kept] == [None] * len(kept)
        assert stamping.letter_parts_to_pdf(letter_parts(senegal[1]))[1] is True
    finally:
        if enabled:
            gc.enable()
