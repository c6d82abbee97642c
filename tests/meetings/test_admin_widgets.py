"""The admin fits the registration officer (issue 15): a meeting's languages and regions and a
meeting's eligible classifications are ticks that save the same JSON lists (an unknown code is
refused, naming the field); the registrations list has no two filters with the same title and
shows its badge column at 1280 px without scrolling sideways (a State outside a meeting's scope,
refused on the add form with the reason: tests/participants/test_admin.py)."""

import os

import pytest
from django.urls import reverse
from selenium.webdriver.common.by import By

from participants.enums import Capacity, DelegationRole, ParticipationMode, RegistrationStatus
from participants.models import MeetingParticipationSettings
from participants.services.funding import meeting_settings_get_or_create
from tests.admin_forms import admin_post_data
from tests.browser_helpers import sign_in, wait_for
from tests.factories import MeetingFactory, StaffFactory, country
from tests.participants.factories import RegistrationFactory


@pytest.fixture
def administrator():
    return StaffFactory(roles=["Secretariat administrator"])


def _meeting_change(client, meeting):
    url = reverse("admin:meetings_meeting_change", args=[meeting.pk])
    response = client.get(url)
    assert response.status_code == 200
    return url, response


@pytest.mark.django_db
def test_meeting_admin_shows_languages_and_regions_as_ticks(client, administrator):
    meeting = MeetingFactory(languages=["en", "fr"], regions=["african"])
    client.force_login(administrator)
    html = _meeting_change(client, meeting)[1].content.decode()

    for name, value, ticked in (("languages", "en", True), ("languages", "fr", True), ("languages", "ar", False),
                                ("regions", "african", True), ("regions", "asia_pacific", False)):  # fmt: skip
        tag = next(
            line
            for line in html.split("<input")[1:]
            if f'name="{name}" value="{value}"' in line.split(">")[0]
        ).split(">")[0]
        assert 'type="checkbox"' in tag and ("checked" in tag) is ticked, (name, value, tag)
    assert '<textarea name="languages"' not in html and '<textarea name="regions"' not in html


@pytest.mark.django_db
def test_meeting_admin_saves_ticked_languages_and_regions_as_the_same_json(client, administrator):
    meeting = MeetingFactory(languages=["en"], regions=[])
    client.force_login(administrator)
    url, response = _meeting_change(client, meeting)
    data = admin_post_data(response)
    data.update(languages=["es", "en", "fr"], regions=["latin_american_caribbean", "african"])

    response = client.post(url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    meeting.refresh_from_db()
    # The choices' order, whatever order the ticks were posted in: as the JSON boxes held them.
    assert (meeting.languages, meeting.regions) == (
        ["en", "fr", "es"],
        ["african", "latin_american_caribbean"],
    )


@pytest.mark.django_db
def test_meeting_admin_refuses_an_unknown_language_naming_the_field(client, administrator):
    meeting = MeetingFactory(languages=["en"], regions=["african"])
    client.force_login(administrator)
    url, response = _meeting_change(client, meeting)
    data = admin_post_data(response)
    data.update(languages=["en", "xx"], regions=["african", "oceania"])

    response = client.post(url, data)

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert errors["languages"] == ["Languages: xx is none of the choices (ar, zh, en, fr, ru, es)."]
    assert errors["regions"] == [
        "Regions served: oceania is none of the choices (african, asia_pacific, eastern_european, "
        "latin_american_caribbean, western_european_other)."
    ]
    meeting.refresh_from_db()
    assert (meeting.languages, meeting.regions) == (["en"], ["african"])


@pytest.mark.django_db
def test_participation_settings_admin_saves_eligible_classifications_from_ticks(client, administrator):
    settings = meeting_settings_get_or_create(meeting=MeetingFactory())
    client.force_login(administrator)
    url = reverse("admin:participants_meetingparticipationsettings_change", args=[settings.pk])
    data = admin_post_data(client.get(url))

    refused = client.post(url, {**data, "eligible_classifications": ["ldc", "g77"]})
    assert refused.context["adminform"].form.errors["eligible_classifications"] == [
        "Eligible classifications: g77 is none of the choices (developing, ldc, sids, eit)."
    ]

    response = client.post(url, {**data, "eligible_classifications": ["sids", "ldc"]})
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert MeetingParticipationSettings.objects.get(pk=settings.pk).eligible_classifications == [
        "ldc",
        "sids",
    ]


@pytest.mark.django_db
def test_registration_list_filters_have_distinct_titles(client, administrator):
    client.force_login(administrator)
    response = client.get(reverse("admin:participants_registration_changelist"))

    titles = [str(spec.title) for spec in response.context["cl"].filter_specs]
    assert len(titles) == len(set(titles)), titles
    assert "status" in titles and "funding status" in titles
    html = response.content.decode()
    assert html.count("By status") == 1 and html.count("By funding status") == 1


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_registration_list_shows_the_badge_column_at_1280_px_without_scrolling(browser, live_server):
    meeting = MeetingFactory(
        code="cop-badge-column", title_en="Sixth meeting of the Conference of the Parties"
    )
    RegistrationFactory(
        meeting=meeting, first_name="Maria Fernanda", last_name="Echeverría Villanueva", country=country("COL"),
        status=RegistrationStatus.ACCREDITED, delegation_role=DelegationRole.ALTERNATE,
    )  # fmt: skip
    RegistrationFactory(
        meeting=meeting, capacity=Capacity.NON_PARTY_STATE, country=country("USA"),
        first_name="Christopher", last_name="Montgomery-Richardson", status=RegistrationStatus.NOMINATED,
        participation_mode=ParticipationMode.ONLINE,
    )  # fmt: skip
    staff = StaffFactory(roles=["Secretariat administrator"])
    browser.set_window_size(1280, 900)
    sign_in(browser, live_server, staff)
    browser.get(live_server.url + reverse("admin:participants_registration_changelist"))
    wait_for(browser, lambda b: b.find_elements(By.CSS_SELECTOR, "#result_list td.field-badge_link"))
    if os.environ.get("SCREENSHOT_DIR"):
        browser.save_screenshot(os.path.join(os.environ["SCREENSHOT_DIR"], "admin-registrations-1280.png"))

    overflow = browser.execute_script(
        "var r = document.querySelector('#changelist .results');"
        "return [r.scrollWidth, r.clientWidth, document.documentElement.scrollWidth, window.innerWidth];"
    )
    assert overflow[0] <= overflow[1] and overflow[2] <= overflow[3], overflow
    headers = [th.text for th in browser.find_elements(By.CSS_SELECTOR, "#result_list thead th")][1:]
    assert headers == ["FULL NAME", "MEETING", "REPRESENTS", "ROLE", "STATUS", "BADGE"]
    rows = [row.text for row in browser.find_elements(By.CSS_SELECTOR, "#result_list tbody tr")]
    assert rows == [
        "Maria Fernanda Echeverría Villanueva cop-badge-column Colombia\nParty Alternate Accredited Issue badge",
        "Christopher Montgomery-Richardson cop-badge-column United States of America\nNon-party State - "
        "Nominated\nOnline -",
    ]
    issue = browser.find_element(By.CSS_SELECTOR, "#result_list td.field-badge_link button")
    right = browser.execute_script("return arguments[0].getBoundingClientRect().right;", issue)
    assert issue.is_displayed() and right <= browser.execute_script("return window.innerWidth;")

    if os.environ.get("SCREENSHOT_DIR"):  # the meeting's languages and regions, to look at
        browser.get(live_server.url + reverse("admin:meetings_meeting_change", args=[meeting.pk]))
        field = browser.find_element(By.CSS_SELECTOR, ".field-languages")
        browser.execute_script("arguments[0].scrollIntoView();", field)
        browser.save_screenshot(os.path.join(os.environ["SCREENSHOT_DIR"], "admin-meeting-languages.png"))
