"""The list of participants as UN lists are set out (issue 15): read back from the PDF with
pdftotext in English, French and Spanish; contact details only where the person agreed to each;
one symbol and one typeface; the sheet and the API under the same consent."""

import datetime as dt
import importlib
import random
import subprocess

import pytest
import tablib
from django.urls import reverse
from faker import Faker

from participants import demo
from participants.enums import Capacity, RegistrationStatus
from participants.forms import PreRegistrationForm, RegistrationForm
from participants.models import Registration
from tests.factories import FocalPointFactory, MeetingFactory, StaffFactory, UserFactory, country

from .factories import OrganisationFactory, RegistrationFactory, open_meeting, upcoming_meeting

pytestmark = pytest.mark.django_db
S = RegistrationStatus
SYMBOL = "UNEP/MC/COP.2"

# What each language prints: the running header's title, the group headings (upper case), the
# meeting's title, and the States' names as the list spells them.
EXPECTED = {
    "en": {"title": "List of participants", "meeting": "Second meeting of the Conference of the Parties",
           "groups": ["PARTIES", "STATES NOT PARTIES TO THE CONVENTION",
                      "UNITED NATIONS BODIES AND SPECIALISED AGENCIES", "NON-GOVERNMENTAL ORGANISATIONS"],
           "dates": "19–23 November 2018"},
    "fr": {"title": "Liste des participants", "meeting": "Deuxième réunion de la Conférence des Parties",
           "groups": ["PARTIES", "ÉTATS NON PARTIES À LA CONVENTION",
                      "ORGANES ET INSTITUTIONS SPÉCIALISÉES DES NATIONS UNIES", "ORGANISATIONS NON GOUVERNEMENTALES"],
           "dates": "19–23 novembre 2018"},
    "es": {"title": "Lista de participantes", "meeting": "Segunda reunión de la Conferencia de las Partes",
           "groups": ["PARTES", "ESTADOS QUE NO SON PARTES EN EL CONVENIO",
                      "ÓRGANOS DE LAS NACIONES UNIDAS Y ORGANISMOS ESPECIALIZADOS",
                      "ORGANIZACIONES NO GUBERNAMENTALES"],
           "dates": "19–23 de noviembre de 2018"},
}  # fmt: skip


@pytest.fixture
def officer():
    return StaffFactory(roles=["Registration officer"])


@pytest.fixture
def cop():
    return MeetingFactory(
        code="cop-lop", symbol_prefix=SYMBOL, start_date=dt.date(2018, 11, 19), end_date=dt.date(2018, 11, 23),
        title_en="Second meeting of the Conference of the Parties",
        title_fr="Deuxième réunion de la Conférence des Parties",
        title_es="Segunda reunión de la Conferencia de las Partes",
    )  # fmt: skip


def _people(meeting):
    """Zambia's head agreed to publish everything, her adviser nothing; Germany's delegate her
    e-mail only; an NGO representative whose name holds markup."""
    RegistrationFactory(
        meeting=meeting, country=country("ZMB"), status=S.ACCREDITED, title="H.E.", first_name="Mwila",
        last_name="Banda", delegation_role="head", function="Minister of Green Economy and Environment",
        department="Ministry of Green Economy", email="mwila@env.gov.zm", phone="+260 211 252 589",
        address="Kwacha House\nCairo Road, Lusaka", publish_contact=True, publish_email=True, publish_phone=True,
    )  # fmt: skip
    RegistrationFactory(
        meeting=meeting, country=country("ZMB"), status=S.ACCREDITED, title="Mr", first_name="Ben",
        last_name="Aardvark", delegation_role="adviser", email="ben@env.gov.zm", phone="+260 977 000 111",
        address="Plot 9, Independence Avenue", publish_contact=False, publish_email=False, publish_phone=False,
    )  # fmt: skip
    RegistrationFactory(
        meeting=meeting, country=country("DEU"), status=S.CHECKED_IN, title="Ms", first_name="Anna",
        last_name="Schmidt", email="anna.schmidt@bmuv.bund.de", phone="+49 30 18305 0", publish_email=True,
    )  # fmt: skip
    RegistrationFactory(
        meeting=meeting, country=country("RUS"), capacity=Capacity.NON_PARTY_STATE, status=S.ACCREDITED,
        first_name="Ivan", last_name="Ivanov",
    )  # fmt: skip
    RegistrationFactory(
        meeting=meeting, capacity=Capacity.UN_BODY, country=None, status=S.ACCREDITED, first_name="Wanda",
        last_name="Who", organisation=OrganisationFactory(name="World Health Organization", kind="un_body"),
    )  # fmt: skip
    RegistrationFactory(
        meeting=meeting, capacity=Capacity.NGO, country=None, status=S.BADGE_ISSUED, first_name="Nora",
        last_name="<b>Ngo</b> & Co", organisation=OrganisationFactory(name="Zero Mercury Working Group"),
    )  # fmt: skip
    RegistrationFactory(meeting=meeting, country=country("PER"), status=S.NOMINATED, last_name="Pending")


def _pdf(client, meeting, language, tmp_path):
    response = client.get(reverse("participants:list_pdf", args=[meeting.code]), {"language": language})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    path = tmp_path / f"list-{language}.pdf"
    path.write_bytes(response.content)
    return path


def _text(path) -> str:
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout


def _header(page: str) -> list[str]:
    """The running header's three parts: the symbol and the title open the page's text, the page
    number closes it (pdftotext reads the spaces around its slash away)."""
    lines = [line for line in page.splitlines() if line.strip()]
    return [lines[0], lines[1], lines[-1].replace(" ", "")]


@pytest.mark.parametrize("language", ["en", "fr", "es"])
def test_the_list_reads_back_in_its_language_grouped_and_in_order(client, cop, officer, tmp_path, language):
    _people(cop)
    client.force_login(officer)
    text = _text(_pdf(client, cop, language, tmp_path))
    expected = EXPECTED[language]
    # The running header: the symbol, the list's title in its language, the page number; once each.
    assert _header(text.split("\f")[0]) == [SYMBOL, expected["title"], "1/1"]
    assert text.count(SYMBOL) == 1
    assert expected["meeting"] in text and expected["dates"] in text
    positions = [text.index(heading) for heading in expected["groups"]]
    assert positions == sorted(positions)
    people = [
        "Ms Anna Schmidt",
        "H.E. Mwila Banda",
        "Mr Ben Aardvark",
        "Ivan Ivanov",
        "Wanda Who",
        "Nora <b>Ngo</b> & Co",
    ]
    order = [text.index(name) for name in people]
    assert order == sorted(order)
    # The States by their name in the list's language, in upper case; Russia among the non-parties.
    names = [getattr(country(iso3), f"name_{language}").upper() for iso3 in ("DEU", "ZMB", "RUS")]
    states = [text.index(f"\n{name}\n") for name in names]
    assert states == sorted(states) and states[1] < positions[1] < states[2] < positions[2]
    assert "WORLD HEALTH ORGANIZATION" in text and "ZERO MERCURY WORKING GROUP" in text
    assert "Pending" not in text


def test_contact_details_are_printed_only_where_the_person_agreed_to_each(client, cop, officer, tmp_path):
    _people(cop)
    client.force_login(officer)
    text = _text(_pdf(client, cop, "en", tmp_path))
    # Mwila agreed to all three, Ben to none, Anna to her e-mail only.
    assert "Kwacha House\nCairo Road, Lusaka" in text
    assert "Tel.: +260 211 252 589" in text and "E-mail: mwila@env.gov.zm" in text
    assert "Minister of Green Economy and Environment" in text and "Ministry of Green Economy" in text
    assert (
        "ben@env.gov.zm" not in text and "+260 977 000 111" not in text and "Independence Avenue" not in text
    )
    assert "E-mail: anna.schmidt@bmuv.bund.de" in text and "+49 30 18305 0" not in text


def test_markup_in_a_name_is_printed_as_text(client, cop, officer, tmp_path):
    _people(cop)
    client.force_login(officer)
    text = _text(_pdf(client, cop, "en", tmp_path))
    assert "Nora <b>Ngo</b> & Co" in text


def test_every_page_has_the_running_header_with_one_symbol_and_one_typeface(client, cop, officer, tmp_path):
    for index in range(60):
        RegistrationFactory(meeting=cop, country=country("ZMB"), status=S.ACCREDITED, first_name=f"Person{index:02}",
                            last_name="Phiri", address="Plot 1\nLusaka", publish_contact=True)  # fmt: skip
    client.force_login(officer)
    path = _pdf(client, cop, "fr", tmp_path)
    pages = _text(path).split("\f")[:-1]
    assert len(pages) >= 3
    for number, page in enumerate(pages, start=1):
        assert _header(page) == [SYMBOL, "Liste des participants", f"{number}/{len(pages)}"]
        assert page.count(SYMBOL) == 1
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    rows = [line.split() for line in fonts.splitlines()[2:]]
    # One family (its regular and bold), every font embedded and subset: the header is no longer another font.
    assert sorted({row[0].split("+", 1)[1] for row in rows}) == ["DejaVu-Serif", "DejaVu-Serif-Bold"]
    assert all(row[-5:-2] == ["yes", "yes", "yes"] for row in rows)


def test_the_sheet_gives_contact_details_only_where_the_person_agreed(client, cop, officer):
    _people(cop)
    client.force_login(officer)
    response = client.get(reverse("participants:list_xlsx", args=[cop.code]))
    sheet = tablib.Dataset().load(response.content, format="xlsx")
    rows = {
        r["Name"]: (r["Postal address"] or "", r["E-mail"] or "", r["Telephone"] or "") for r in sheet.dict
    }
    # A cell starting with "+" is quoted against formula injection (SafeExportMixin).
    assert rows["Mwila Banda"] == (
        "Kwacha House\nCairo Road, Lusaka",
        "mwila@env.gov.zm",
        "'+260 211 252 589",
    )
    assert rows["Ben Aardvark"] == ("", "", "")
    assert rows["Anna Schmidt"] == ("", "anna.schmidt@bmuv.bund.de", "")


def test_the_api_gives_contact_details_only_where_the_person_agreed(client, cop, officer):
    _people(cop)
    client.force_login(officer)
    body = client.get(f"/api/v1/meetings/{cop.code}/participants/").json()
    people = {
        p["last_name"]: (p["address"], p["email"], p["phone"])
        for group in body["groups"] for delegation in group["delegations"] for p in delegation["participants"]
    }  # fmt: skip
    assert people["Banda"] == ("Kwacha House\nCairo Road, Lusaka", "mwila@env.gov.zm", "+260 211 252 589")
    assert people["Aardvark"] == (None, None, None)
    assert people["Schmidt"] == (None, "anna.schmidt@bmuv.bund.de", None)


# --- The consent question -------------------------------------------------------------------


def test_the_registration_form_asks_each_consent_unticked_and_says_why():
    form = RegistrationForm(meeting=open_meeting())
    for name in ("publish_contact", "publish_email", "publish_phone"):
        assert not form[name].value()
        assert "list of participants" in str(form.fields[name].help_text)
    html = str(form["publish_email"])
    assert 'type="checkbox"' in html and "checked" not in html


def test_a_delegate_who_ticks_nothing_publishes_nothing_and_can_agree_to_the_email_alone(client):
    meeting = upcoming_meeting()
    user = UserFactory()
    client.force_login(user)
    data = {"capacity": "party", "country": country("PER").pk, "first_name": "Ana", "last_name": "Quispe",
            "email": user.email, "function": "Adviser"}  # fmt: skip
    assert client.post(reverse("participants:register", args=[meeting.code]), data).status_code == 302
    registration = Registration.objects.get(meeting=meeting, user=user)
    assert (registration.publish_contact, registration.publish_email, registration.publish_phone) == (
        False, False, False,
    )  # fmt: skip
    data.update({"publish_email": "on"})
    response = client.post(reverse("participants:edit", args=[registration.pk]), data)
    assert response.status_code == 302
    registration.refresh_from_db()
    assert (registration.publish_contact, registration.publish_email, registration.publish_phone) == (
        False, True, False,
    )  # fmt: skip


def test_a_focal_point_records_the_delegates_consent_when_pre_registering(client):
    meeting = open_meeting()
    focal_point = FocalPointFactory(country=country("ZMB")).user
    form = PreRegistrationForm(meeting=meeting)
    assert str(form.fields["publish_phone"].label) == "Publish their telephone in the list of participants"
    assert "delegate's agreement" in str(form.fields["publish_phone"].help_text)
    client.force_login(focal_point)
    response = client.post(
        reverse("participants:fp_pre_register", args=[meeting.code, "ZMB"]),
        {"first_name": "Chanda", "last_name": "Phiri", "email": "chanda.phiri@example.zm", "function": "Adviser",
         "delegation_role": "adviser", "publish_phone": "on"},
    )  # fmt: skip
    assert response.status_code == 302
    registration = Registration.objects.get(meeting=meeting)
    assert (registration.publish_contact, registration.publish_email, registration.publish_phone) == (
        False, False, True,
    )  # fmt: skip


# --- The demo's people ----------------------------------------------------------------------


def test_demo_titles_agree_with_the_first_name():
    fake = Faker(["en_GB", "fr_FR", "es_ES", "pt_BR", "de_DE"])
    fake.seed_instance(7)
    providers = [
        importlib.import_module(f"faker.providers.person.{locale}").Provider for locale in fake.locales
    ]
    female = {name for provider in providers for name in provider.first_names_female}
    male = {name for provider in providers for name in provider.first_names_male}
    rng = random.Random(7)
    drawn = [demo._title_gender_and_first_name(rng, fake) for _ in range(400)]
    for person in drawn:
        if person["title"] == "Ms":
            assert person["gender"] == "female" and person["first_name"] in female, person
        elif person["title"] == "Mr":
            assert person["gender"] == "male" and person["first_name"] in male, person
        else:
            assert person["title"] == "Dr", person
    assert {p["title"] for p in drawn} == {"Ms", "Mr", "Dr"}


def test_the_staff_page_of_the_list_shows_contact_details_only_where_the_person_agreed(client, cop, officer):
    _people(cop)
    client.force_login(officer)
    page = client.get(reverse("participants:list", args=[cop.code]), {"language": "en"}).content.decode()
    assert "Kwacha House<br>Cairo Road, Lusaka" in page and "Tel.: +260 211 252 589" in page
    assert "E-mail: mwila@env.gov.zm" in page and "E-mail: anna.schmidt@bmuv.bund.de" in page
    assert "ben@env.gov.zm" not in page and "+260 977 000 111" not in page and "+49 30 18305 0" not in page
    assert "&lt;b&gt;Ngo&lt;/b&gt; &amp; Co" in page
