"""The list of participants drawn by ReportLab (issue 16), read back from the PDF with pdftotext and
pdffonts: names in any script with embedded subset fonts, a State's name never left at the foot of
a page without its first delegate, long lines kept inside their column, the empty list. What the
list prints and in which order, the consent and the running header in EN/FR/ES are read back in
test_list_of_participants.py."""

import datetime as dt
import re
import subprocess
import unicodedata

import pytest
from reportlab.lib.units import mm

from participants.enums import Capacity, RegistrationStatus
from participants.resources import list_of_participants_pdf
from reference.models import Country
from tests.factories import MeetingFactory, country

from .factories import RegistrationFactory

pytestmark = pytest.mark.django_db
S = RegistrationStatus
SYMBOL = "UNEP/MC/COP.2"


@pytest.fixture
def cop():
    return MeetingFactory(
        code="cop-lop-pdf", symbol_prefix=SYMBOL, start_date=dt.date(2018, 11, 19), end_date=dt.date(2018, 11, 23),
        title_en="Second meeting of the Conference of the Parties",
        title_fr="Deuxième réunion de la Conférence des Parties",
    )  # fmt: skip


def _write(tmp_path, pdf: bytes, name="list.pdf"):
    path = tmp_path / name
    path.write_bytes(pdf)
    return path


def _text(path, *args) -> str:
    return subprocess.run(
        ["pdftotext", *args, str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def _fonts(path) -> list[list[str]]:
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    return [line.split() for line in fonts.splitlines()[2:]]


def test_names_in_cyrillic_arabic_and_chinese_print_with_embedded_subset_fonts(cop, tmp_path):
    RegistrationFactory(meeting=cop, country=country("RUS"), capacity=Capacity.NON_PARTY_STATE, status=S.ACCREDITED,
                        title="Ms", first_name="Анна", last_name="Иванова", function="Советник")  # fmt: skip
    RegistrationFactory(meeting=cop, country=country("EGY"), status=S.ACCREDITED, title="Mr", first_name="محمد",
                        last_name="عبد الله", function="Director")  # fmt: skip
    RegistrationFactory(meeting=cop, country=country("CHN"), status=S.ACCREDITED, title="Ms", first_name="小明",
                        last_name="王", function="生态环境部")  # fmt: skip
    path = _write(tmp_path, list_of_participants_pdf(meeting=cop, language="en"))
    text = _text(path)
    assert "Ms Анна Иванова" in text and "Советник" in text
    assert "Ms 小明 王" in text and "生态环境部" in text
    # Arabic is drawn shaped: the letters in their joined forms (meem at the start of a word, its
    # initial form U+FEE3; the final dal of عبد, U+FEAA), which read back as the name itself ...
    assert "\ufee3" in text and "\ufeaa" in text
    shaped = unicodedata.normalize("NFKC", text)
    assert "محمد" in shaped and "عبد" in shaped and "الله" in shaped
    # ... and right to left: the first name to the right of the family name, the title at the left.
    words = re.findall(r'<word xMin="([\d.]+)"[^>]*>([^<]+)</word>', _text(path, "-bbox"))
    x_of = {unicodedata.normalize("NFKC", w)[::-1]: float(x) for x, w in words}
    assert x_of["محمد"] > x_of["عبد"] > x_of["الله"] > x_of["rM"]
    # The serif face for what it draws, DejaVu Sans for Arabic, Droid Sans Fallback for Chinese:
    # every font embedded and subset, none fetched from outside the static root.
    rows = _fonts(path)
    assert {row[0].split("+", 1)[1] for row in rows} == {
        "DejaVu-Serif", "DejaVu-Serif-Bold", "DejaVuSans", "DroidSansFallback",
    }  # fmt: skip
    assert all(re.fullmatch(r"[A-Z]{6}", row[0].split("+", 1)[0]) for row in rows)
    assert all(row[-5:-2] == ["yes", "yes", "yes"] for row in rows)


def test_a_states_name_never_ends_a_page_without_its_first_delegate(cop, tmp_path):
    # Forty States of three delegates each (a State's name and three rows of three lines): the pages
    # break at every height, some of them right under a State's name unless it moves with its people.
    states = list(Country.objects.filter(party_records__isnull=False).order_by("iso3")[:40])
    for state in states:
        for index in range(3):
            RegistrationFactory(meeting=cop, country=state, status=S.ACCREDITED, first_name=f"{state.iso3}{index}",
                                last_name="Delegate", department="Ministry of Environment")  # fmt: skip
    path = _write(tmp_path, list_of_participants_pdf(meeting=cop, language="en"))
    pages = _text(path).split("\f")[:-1]
    assert len(pages) >= 4
    seen = set()
    for number, page in enumerate(pages, start=1):
        # The running header, read from the top margin alone (22 mm): symbol, title, page.
        header = _text(path, "-f", str(number), "-l", str(number), "-y", "0", "-H", "62", "-W", "596")
        words = header.split()
        assert (
            words[:4] == [SYMBOL, "List", "of", "participants"]
            and "".join(words[4:]) == f"{number}/{len(pages)}"
        )
        for state in states:
            if f"\n{state.name_en.upper()}\n" in f"\n{page}":
                seen.add(state.iso3)
                assert f"{state.iso3}0 Delegate" in page, (number, state.name_en)
    assert seen == {state.iso3 for state in states}


def test_a_long_address_and_e_mail_stay_inside_their_column(cop, tmp_path):
    email = "permanent.mission.of.the.republic.to.the.united.nations.office.at.geneva@diplomatic-service.example.org"
    RegistrationFactory(
        meeting=cop, country=country("ZMB"), status=S.ACCREDITED, first_name="Chanda", last_name="Phiri",
        function="Counsellor of the Permanent Mission to the United Nations Office and other international "
                 "organizations at Geneva",
        email=email, publish_email=True, address="Avenue Giuseppe-Motta 48\nCase postale 1211, Genève 20",
        publish_contact=True,
    )  # fmt: skip
    path = _write(tmp_path, list_of_participants_pdf(meeting=cop, language="en"))
    words = re.findall(
        r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)"[^>]*>([^<]+)</word>', _text(path, "-bbox")
    )
    half = (210 * mm) / 2
    # The function wraps inside the left column, the e-mail (one word) is broken inside the right one.
    for x_min, x_max, word in words:
        if word in ("Counsellor", "organizations", "Geneva"):
            assert float(x_max) <= half - 3 * mm + 0.5, word
        if word.startswith(("permanent", "E-mail")) or "example" in word or "geneva@" in word:
            assert half - 0.5 <= float(x_min) and float(x_max) <= 210 * mm - 16 * mm - 3 * mm + 0.5, word
    flat = "".join(_text(path).split())
    assert f"E-mail:{email}" in flat
    assert "Avenue Giuseppe-Motta 48\nCase postale 1211, Genève 20" in _text(path)


def test_an_empty_list_says_so_under_the_running_header(cop, tmp_path):
    RegistrationFactory(meeting=cop, country=country("PER"), status=S.NOMINATED, last_name="Pending")
    path = _write(tmp_path, list_of_participants_pdf(meeting=cop, language="fr"))
    lines = [line for line in _text(path).splitlines() if line.strip()]
    assert lines[:2] == [SYMBOL, "Liste des participants"] and lines[-1].replace(" ", "") == "1/1"
    assert "Deuxième réunion de la Conférence des Parties" in lines
    assert lines[2:-1] == [
        "Liste des participants", "Deuxième réunion de la Conférence des Parties", "Geneva, Suisse, 19–23 novembre 2018",
        "Aucun participant accrédité pour l’instant.",
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("language", "heading", "phone", "email"),
    [
        ("fr", "PARTIES", "Tél. : +260 211 252 589", "Courriel : mwila@env.gov.zm"),
        ("es", "PARTES", "Tel.: +260 211 252 589", "Correo electrónico: mwila@env.gov.zm"),
    ],
)
def test_the_contact_details_are_labelled_in_the_lists_language(
    cop, tmp_path, language, heading, phone, email
):
    RegistrationFactory(
        meeting=cop, country=country("ZMB"), status=S.ACCREDITED, title="H.E.", first_name="Mwila",
        last_name="Banda", email="mwila@env.gov.zm", phone="+260 211 252 589", publish_email=True,
        publish_phone=True,
    )  # fmt: skip
    text = _text(_write(tmp_path, list_of_participants_pdf(meeting=cop, language=language)))
    state = getattr(country("ZMB"), f"name_{language}").upper()
    assert text.index(f"\n{heading}\n") < text.index(f"\n{state}\n") < text.index("H.E. Mwila Banda")
    assert f"{phone}\n{email}" in text
