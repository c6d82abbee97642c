import datetime as dt
import gc
import subprocess
from io import BytesIO

import pytest
import zxingcpp
from PIL import Image
from pypdf import PdfReader

from letters import rendering
from letters.enums import LetterKind, LetterStatus
from letters.models import Letter, LetterTemplate
from letters.rendering import format_date_range, html_to_letter_pdf, letter_html, verify_url
from letters.services.rendering import letter_render
from letters.services.templates import letter_template_save
from meetings.letters import letter_request_invitation
from minamata_portal.pdf import uses_harfbuzz_subsetter
from tests.factories import FocalPointFactory, MeetingFactory, UserFactory, country

pytestmark = pytest.mark.django_db


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(BytesIO(data)).pages)


def flat(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture
def cop2():
    return MeetingFactory(
        code="cop-2",
        number=2,
        title_en="Second meeting of the Conference of the Parties to the Minamata Convention on Mercury",
        title_fr="Deuxième réunion de la Conférence des Parties à la Convention de Minamata sur le mercure",
        title_es="Segunda reunión de la Conferencia de las Partes en el Convenio de Minamata sobre el Mercurio",
        start_date=dt.date(2018, 11, 19),
        end_date=dt.date(2018, 11, 23),
        venue="Centre International de Conférences Genève",
        city="Geneva",
        symbol_prefix="UNEP/MC/COP.2",
    )


def invitation(meeting, *, iso3="ZMB", language="en", first="Zola", last="Mwansa", title=""):
    user = UserFactory(first_name=first, last_name=last, title=title, preferred_language=language)
    focal_point = FocalPointFactory(user=user, country=country(iso3))
    return letter_request_invitation(meeting=meeting, focal_point=focal_point)


def rendered(letter) -> Letter:
    letter.refresh_from_db()
    assert letter.status == LetterStatus.RENDERED, letter.last_error
    return letter


def test_weasyprint_uses_harfbuzz_subsetting():
    assert uses_harfbuzz_subsetter()


@pytest.mark.parametrize(
    ("language", "iso3", "expected"),
    [
        (
            "en",
            "ZMB",
            ["Dear Zola Mwansa", "Government of Zambia", "19–23 November 2018", "Second meeting of"],
        ),
        ("fr", "SEN", ["Zola Mwansa", "Sénégal", "19–23 novembre 2018", "Deuxième réunion de la Conférence"]),
        (
            "es",
            "PER",
            ["Estimado/a Zola Mwansa", "Perú", "19–23 de noviembre de 2018", "Segunda reunión de la"],
        ),
    ],
)
def test_invitation_pdf_reads_back_recipient_meeting_and_dates_in_each_language(
    cop2, language, iso3, expected, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        letter = invitation(cop2, iso3=iso3, language=language)
    letter = rendered(letter)
    text = flat(pdf_text(letter.pdf.read()))
    for fragment in expected:
        assert fragment in text
    assert "MC/COP.2/2018/INV/0001" in text
    assert f"/verify/{letter.verification_code}" in text
    assert letter.language == language


def test_stored_hash_is_the_sha256_of_the_stored_pdf(cop2, django_capture_on_commit_callbacks):
    import hashlib

    with django_capture_on_commit_callbacks(execute=True):
        letter = invitation(cop2)
    letter = rendered(letter)
    assert letter.sha256 == hashlib.sha256(letter.pdf.read()).hexdigest()
    assert letter.pdf.name == "letters/cop-2/MC-COP.2-2018-INV-0001.pdf"


def test_a_name_with_markup_is_printed_as_text(cop2, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        letter = invitation(
            cop2, first='<b>Eve</b><script>alert("x")</script>', last='<img src="file:///etc/passwd">'
        )
    html = letter_html(rendered(letter))
    assert "<script>" not in html and "&lt;script&gt;" in html
    text = flat(pdf_text(letter.pdf.read()))
    assert '<b>Eve</b><script>alert("x")</script>' in text
    assert '<img src="file:///etc/passwd">' in text


def test_an_override_cannot_load_files_or_urls_outside_the_static_root(
    cop2, django_capture_on_commit_callbacks
):
    template = LetterTemplate(
        meeting=cop2,
        kind=LetterKind.INVITATION,
        language="en",
        body="<p>Override for {{ recipient_name }}</p>"
        '<img src="file:///etc/passwd"><img src="http://example.org/tracker.png">'
        '<link rel="stylesheet" href="file:///etc/ssl/openssl.cnf">'
        '<p style="background: url(https://example.org/x.png)">end</p>',
    )
    letter_template_save(template=template)
    fetched = []
    from minamata_portal import pdf

    original = pdf.StaticOnlyURLFetcher.fetch

    def spy(self, url, headers=None):
        fetched.append(url)
        return original(self, url, headers)

    pdf.StaticOnlyURLFetcher.fetch = spy
    try:
        with django_capture_on_commit_callbacks(execute=True):
            letter = invitation(cop2)
    finally:
        pdf.StaticOnlyURLFetcher.fetch = original
    letter = rendered(letter)
    assert "Override for Zola Mwansa" in pdf_text(letter.pdf.read())
    # WeasyPrint asked for the outside resources; the fetcher refused every one of them.
    assert "file:///etc/passwd" in fetched and "http://example.org/tracker.png" in fetched
    assert b"root:x:0:0" not in letter.pdf.read()


def test_an_override_cannot_include_templates_or_load_tag_libraries(cop2):
    from django.template import TemplateSyntaxError

    for body in ['{% load static %}{% static "x" %}', '{% include "base.html" %}']:
        template = LetterTemplate(meeting=cop2, kind=LetterKind.INVITATION, language="en", body=body)
        if "include" in body:
            letter = Letter(
                kind="invitation", meeting=cop2, language="en", recipient_name="X", reference="R",
                verification_code="c" * 32, created=dt.datetime(2018, 1, 1, tzinfo=dt.UTC),
            )  # fmt: skip
            from django.template import TemplateDoesNotExist

            with pytest.raises(TemplateDoesNotExist):
                letter_html(letter, override=template)
        else:
            with pytest.raises(TemplateSyntaxError):
                letter_template_save(template=template)


def test_override_is_versioned_and_used_for_new_letters(cop2, django_capture_on_commit_callbacks):
    template = letter_template_save(
        template=LetterTemplate(meeting=cop2, kind="invitation", language="en", body="<p>First wording.</p>")
    )
    template.body = "<p>Second wording for {{ country_name }}.</p>"
    template = letter_template_save(template=template)
    assert template.version == 2
    assert [h.version for h in template.history.order_by("history_date")] == [1, 2]
    with django_capture_on_commit_callbacks(execute=True):
        letter = invitation(cop2)
    letter = rendered(letter)
    assert "Second wording for Zambia." in pdf_text(letter.pdf.read())
    assert letter.template_version == 2


def test_one_page_letter_has_no_page_number_and_a_long_one_has_them(cop2):
    short = html_to_letter_pdf("<p>One page.</p>")
    assert len(PdfReader(BytesIO(short)).pages) == 1
    assert "1 / 1" not in pdf_text(short)
    long = html_to_letter_pdf("".join(f"<p>Paragraph {i} of a long letter.</p>" for i in range(120)))
    reader = PdfReader(BytesIO(long))
    assert len(reader.pages) >= 2
    assert f"1 / {len(reader.pages)}" in reader.pages[0].extract_text()


def test_qr_code_on_the_printed_letter_reads_as_its_verification_address(
    cop2, django_capture_on_commit_callbacks, tmp_path
):
    """The PDF page is rasterised at 150 dpi (poppler, as a scan would be) and the QR code read
    back from the picture with zxing-cpp's reader."""
    with django_capture_on_commit_callbacks(execute=True):
        letter = invitation(cop2)
    letter = rendered(letter)
    pdf = tmp_path / "letter.pdf"
    with letter.pdf.open("rb") as handle:
        pdf.write_bytes(handle.read())
    subprocess.run(
        ["pdftoppm", "-r", "150", "-gray", "-png", "-singlefile", pdf, tmp_path / "page"], check=True
    )
    found = zxingcpp.read_barcodes(Image.open(tmp_path / "page.png"), formats=zxingcpp.BarcodeFormat.QRCode)
    assert [code.text for code in found] == [verify_url(letter.verification_code)]
    assert found[0].ec_level == "M"


@pytest.mark.parametrize(
    ("start", "end", "language", "expected"),
    [
        (dt.date(2018, 11, 19), dt.date(2018, 11, 23), "en", "19–23 November 2018"),
        (dt.date(2018, 11, 19), dt.date(2018, 11, 23), "fr", "19–23 novembre 2018"),
        (dt.date(2018, 11, 19), dt.date(2018, 11, 23), "es", "19–23 de noviembre de 2018"),
        (dt.date(2021, 10, 30), dt.date(2021, 11, 5), "en", "30 October – 5 November 2021"),
        (dt.date(2018, 4, 27), dt.date(2018, 4, 27), "fr", "27 avril 2018"),
    ],
)
def test_meeting_dates_are_written_in_the_letters_language(start, end, language, expected):
    assert format_date_range(start, end, language) == expected


def test_render_task_run_twice_renders_and_mails_once(cop2, django_capture_on_commit_callbacks, mailoutbox):
    with django_capture_on_commit_callbacks(execute=True):
        letter = invitation(cop2)
    with django_capture_on_commit_callbacks(execute=True):
        assert letter_render(letter_id=letter.pk) == LetterStatus.RENDERED
    assert letter.mails.count() == 1
    assert len(mailoutbox) == 1


def test_rendering_pauses_the_garbage_collector_only_while_weasyprint_works(monkeypatch):
    seen = []
    real = rendering._html_to_letter_pdf

    def spy(html):
        seen.append(gc.isenabled())
        return real(html)

    monkeypatch.setattr("letters.rendering._html_to_letter_pdf", spy)
    assert html_to_letter_pdf("<p>Hello</p>").startswith(b"%PDF")
    assert seen == [False]
    assert gc.isenabled()

    def broken(html):
        raise ValueError("bad template")

    monkeypatch.setattr("letters.rendering._html_to_letter_pdf", broken)
    with pytest.raises(ValueError):
        html_to_letter_pdf("<p>Hello</p>")
    assert gc.isenabled()  # back on after a failure too

    gc.disable()  # a caller that had it off keeps it off
    try:
        monkeypatch.setattr("letters.rendering._html_to_letter_pdf", real)
        html_to_letter_pdf("<p>Hello</p>")
        assert not gc.isenabled()
    finally:
        gc.enable()


def _signature(letter) -> str:
    """The text of the printed signature block: from "sincerely" (or its translation) to the end."""
    with letter.pdf.open("rb") as handle:
        text = flat(pdf_text(handle.read()))
    start = max(text.find(word) for word in ("sincerely,", "considération.", "Atentamente,"))
    return text[start:]


def test_signature_without_a_name_prints_the_title_in_the_letters_language(
    cop2, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        letter = invitation(cop2, language="fr")
    signature = _signature(rendered(letter))
    assert "Secrétaire exécutif Convention de Minamata sur le mercure" in signature


def test_signatory_named_for_all_letters_and_per_meeting_with_the_title_as_it_reads(
    cop2, django_capture_on_commit_callbacks, settings
):
    settings.LETTERS_SIGNATORY_NAME = "Monika Stankiewicz"
    with django_capture_on_commit_callbacks(execute=True):
        english = invitation(cop2, language="en", iso3="ZMB")
    assert "Monika Stankiewicz Executive Secretary Minamata Convention on Mercury" in _signature(
        rendered(english)
    )

    body = (rendering.TEMPLATE_DIR / "fr" / "invitation.html").read_text(encoding="utf-8")
    letter_template_save(
        template=LetterTemplate(
            meeting=cop2, kind=LetterKind.INVITATION, language="fr", body=body,
            signatory_name="<b>Monika</b> Stankiewicz", signatory_title="Secrétaire exécutive",
        )
    )  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        french = invitation(cop2, language="fr", iso3="SEN", first="Awa", last="Diop")
    signature = _signature(rendered(french))
    assert "<b>Monika</b> Stankiewicz Secrétaire exécutive Convention de Minamata sur le mercure" in signature
    assert "exécutif" not in signature
