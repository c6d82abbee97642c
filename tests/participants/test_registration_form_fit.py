"""Forms that fit the person (issue 15): the registration form starts from what the person entered
last time (never from someone else's), says why each field is asked, marks the person's own
fields for autocompletion (WCAG 1.3.5), and shows the State or the organisation by capacity (with
JavaScript; both without it)."""

import os
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from participants.enums import Capacity
from participants.forms import WHY_ASKED, WHY_ASKED_FOR_DELEGATE
from participants.models import Registration
from tests.browser_helpers import click_and_wait, sign_in, wait_for
from tests.factories import FocalPointFactory, MeetingFactory, UserFactory, country

from .factories import OrganisationFactory, RegistrationFactory, open_meeting


class FormControls(HTMLParser):
    """The attributes of each form control by name, and the text of each element by id."""

    def __init__(self, html):
        super().__init__()
        self.controls, self.texts, self.forms, self._open_ids = {}, {}, [], []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("input", "select", "textarea") and attrs.get("name"):
            self.controls.setdefault(attrs["name"], attrs)
        if tag == "form":
            self.forms.append(attrs)
        self._open_ids.append(attrs.get("id"))
        if attrs.get("id"):
            self.texts[attrs["id"]] = ""

    def handle_endtag(self, tag):
        if self._open_ids:
            self._open_ids.pop()

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        self.handle_endtag(tag)

    def handle_data(self, data):
        for element_id in filter(None, self._open_ids):
            self.texts[element_id] += data


def _register_page(client, meeting, user):
    client.force_login(user)
    response = client.get(reverse("participants:register", args=[meeting.code]))
    assert response.status_code == 200
    return response


@pytest.mark.django_db
def test_new_registration_starts_from_the_persons_latest_registration(client):
    user = UserFactory(first_name="Mwila", last_name="Banda", title="")
    RegistrationFactory(user=user, meeting=MeetingFactory(), function="Assistant", department="Old unit")
    RegistrationFactory(
        user=user, meeting=MeetingFactory(), title="Dr", first_name="Mwila C.", last_name="Banda",
        function="Director of Environment", department="Ministry of Green Economy and Environment",
        email="m.banda@mgee.gov.zm", phone="+260 211 123 456", address="Kwacha House, Lusaka",
        gender="female", correspondence_language="fr",
    )  # fmt: skip
    RegistrationFactory(function="Someone else's function", country=country("PER"))

    form = _register_page(client, open_meeting(), user).context["form"]

    shown = {name: form[name].value() for name in (
        "capacity", "country", "title", "first_name", "last_name", "function", "department", "email", "phone",
        "gender", "correspondence_language",
    )}  # fmt: skip
    assert shown == {
        "capacity": Capacity.PARTY, "country": country("ZMB").pk, "title": "Dr", "first_name": "Mwila C.",
        "last_name": "Banda", "function": "Director of Environment",
        "department": "Ministry of Green Economy and Environment", "email": "m.banda@mgee.gov.zm",
        "phone": "+260 211 123 456", "gender": "female", "correspondence_language": "fr",
    }  # fmt: skip
    assert form["address"].value() == "Kwacha House, Lusaka"


@pytest.mark.django_db
def test_first_registration_starts_from_the_account_not_from_someone_elses(client):
    user = UserFactory(first_name="Chanda", last_name="Phiri", email="chanda@example.org", title="Ms")
    RegistrationFactory(function="Director of Environment", department="Ministry", phone="+41 22 917 8192")

    form = _register_page(client, open_meeting(), user).context["form"]

    assert {name: form[name].value() for name in ("title", "first_name", "last_name", "email")} == {
        "title": "Ms", "first_name": "Chanda", "last_name": "Phiri", "email": "chanda@example.org",
    }  # fmt: skip
    assert [form[name].value() for name in ("function", "department", "phone", "capacity", "country")] == [
        None, None, None, None, None,
    ]  # fmt: skip


@pytest.mark.django_db
def test_registration_form_says_why_each_field_is_asked(client):
    page = FormControls(_register_page(client, open_meeting(), UserFactory()).content.decode())

    for name in ("capacity", "title", "email", "phone", "gender", "arrival", "departure", "visa_letter_requested",
                 "funding_requested"):  # fmt: skip
        help_id = page.controls[name]["aria-describedby"]
        assert help_id == f"id_{name}_helptext"
        assert page.texts[help_id] == str(WHY_ASKED[name]), name
    assert "passport details are asked only then" in page.texts["id_visa_letter_requested_helptext"]
    assert page.texts["id_gender_helptext"] == (
        "Only for the statistics of participation; never printed on the badge or in the list."
    )


@pytest.mark.django_db
def test_registration_form_marks_the_persons_own_fields_for_autocompletion(client):
    page = FormControls(_register_page(client, open_meeting(), UserFactory()).content.decode())

    tokens = {name: page.controls[name].get("autocomplete") for name in (
        "title", "first_name", "last_name", "function", "department", "email", "phone", "gender",
        "correspondence_language", "capacity", "country", "arrival",
    )}  # fmt: skip
    assert tokens == {
        "title": "honorific-prefix", "first_name": "given-name", "last_name": "family-name",
        "function": "organization-title", "department": "organization", "email": "email", "phone": "tel",
        "gender": "sex", "correspondence_language": "language", "capacity": None, "country": None,
        "arrival": None,
    }  # fmt: skip
    assert page.controls["address"]["autocomplete"] == "street-address"


@pytest.mark.django_db
def test_without_javascript_both_state_and_organisation_are_shown_with_the_note(client):
    html = _register_page(client, open_meeting(), UserFactory()).content.decode()
    page = FormControls(html)

    assert "country" in page.controls and "organisation" in page.controls
    assert "disabled" not in page.controls["country"] and "disabled" not in page.controls["organisation"]
    assert page.texts["id_capacity_helptext"] == (
        "Whom you represent. A delegate of a State fills in the State; a representative of an organisation, "
        "the organisation."
    )
    form = next(f for f in page.forms if f.get("class") == "registration-form")
    assert form["data-state-capacities"] == "party non_party"
    assert '<script src="/static/js/registration.js" defer></script>' in html
    assert "<script>" not in html  # no inline script (Content-Security-Policy)


@pytest.mark.django_db
def test_focal_points_form_turns_autocomplete_off_for_the_delegates_details(client):
    focal_point = FocalPointFactory(country=country("ZMB")).user
    meeting = open_meeting()
    client.force_login(focal_point)
    response = client.get(reverse("participants:fp_pre_register", args=[meeting.code, "ZMB"]))
    page = FormControls(response.content.decode())

    assert {name: page.controls[name].get("autocomplete") for name in (
        "title", "first_name", "last_name", "email", "function", "department", "phone", "gender",
    )} == dict.fromkeys(("title", "first_name", "last_name", "email", "function", "department", "phone",
                         "gender"), "off")  # fmt: skip
    assert page.texts["id_email_helptext"] == str(WHY_ASKED_FOR_DELEGATE["email"])
    assert page.texts[page.controls["gender"]["aria-describedby"]] == str(WHY_ASKED_FOR_DELEGATE["gender"])


@pytest.mark.django_db
def test_visa_page_says_the_passport_is_asked_only_for_the_letter(client):
    registration = RegistrationFactory(meeting=open_meeting(), visa_letter_requested=True)
    client.force_login(registration.user)
    page = FormControls(client.get(reverse("participants:visa", args=[registration.pk])).content.decode())

    assert page.controls["passport_number"]["autocomplete"] == "off"
    assert page.texts[page.controls["passport_number"]["aria-describedby"]] == (
        "Asked only for the visa support letter, which the embassy checks against your passport. Stored "
        "encrypted and erased after the meeting."
    )


def _shown(browser, name):
    box = browser.find_element(By.CSS_SELECTOR, f'form.registration-form [data-field="{name}"]')
    control = browser.find_element(By.NAME, name)
    return box.is_displayed(), control.is_enabled()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_capacity_shows_the_state_or_the_organisation_and_the_form_still_submits(browser, live_server):
    meeting = open_meeting(code="fit-browser")
    organisation = OrganisationFactory(name="Zero Mercury Working Group")
    user = UserFactory(first_name="Mwila", last_name="Banda")
    sign_in(browser, live_server, user)
    browser.get(f"{live_server.url}/participants/register/{meeting.code}/")

    # The form opens on "Party": the State, not the organisation.
    capacity = Select(browser.find_element(By.NAME, "capacity"))
    assert capacity.first_selected_option.get_attribute("value") == "party"
    wait_for(browser, lambda b: not _shown(b, "organisation")[0])
    assert (_shown(browser, "country"), _shown(browser, "organisation")) == ((True, True), (False, False))
    capacity.select_by_value("ngo")
    wait_for(browser, lambda b: not _shown(b, "country")[0])
    assert (_shown(browser, "country"), _shown(browser, "organisation")) == ((False, False), (True, True))
    Select(browser.find_element(By.NAME, "organisation")).select_by_visible_text(organisation.name)
    if os.environ.get("SCREENSHOT_DIR"):
        browser.save_screenshot(os.path.join(os.environ["SCREENSHOT_DIR"], "register-ngo.png"))

    capacity.select_by_value("party")
    wait_for(browser, lambda b: not _shown(b, "organisation")[0])
    assert (_shown(browser, "country"), _shown(browser, "organisation")) == ((True, True), (False, False))
    Select(browser.find_element(By.NAME, "country")).select_by_visible_text("Zambia")
    if os.environ.get("SCREENSHOT_DIR"):
        browser.set_window_size(1280, 2400)
        browser.save_screenshot(os.path.join(os.environ["SCREENSHOT_DIR"], "register-party.png"))
    click_and_wait(
        browser, browser.find_element(By.CSS_SELECTOR, "form.registration-form button[type=submit]")
    )

    assert "/participants/mine/" in browser.current_url, browser.find_element(By.TAG_NAME, "main").text
    registration = Registration.objects.get(meeting=meeting, user=user)
    # The organisation picked before switching to a State was hidden, so not sent either.
    assert (registration.capacity, registration.country.iso3, registration.organisation) == (
        Capacity.PARTY, "ZMB", None
    )  # fmt: skip
