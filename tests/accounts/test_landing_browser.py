"""In Chromium: a focal point signs in and lands on their State's delegations, pre-registers
someone new, and that person, told by e-mail (through the outbox and a real SMTP server), sets
their password with the link and lands on "My registrations"."""

import os
import re
from pathlib import Path

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.select import Select

from accounts.models import User
from participants.models import Registration
from tests.accounts.test_landing import _current_bureau_member
from tests.browser_helpers import click_and_wait, sign_in
from tests.factories import FocalPointFactory, StaffFactory, UserFactory, country
from tests.participants.factories import upcoming_meeting

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
# Set SCREENSHOT_DIR to keep the pages the test lands on (to look at them).
SCREENSHOTS = Path(os.environ.get("SCREENSHOT_DIR", "/nonexistent"))


def _shot(browser, name):
    if SCREENSHOTS.is_dir():
        browser.save_screenshot(str(SCREENSHOTS / name))


def test_focal_point_lands_on_their_state_and_the_person_they_pre_register_is_told(
    browser, live_server, smtp_server, settings
):
    settings.SITE_URL = live_server.url
    meeting = upcoming_meeting(title_en="Demo COP")
    focal_point = FocalPointFactory(country=country("ZMB")).user
    focal_point.first_name, focal_point.last_name = "Mwila", "Banda"
    focal_point.save()

    sign_in(browser, live_server, focal_point)
    assert browser.current_url == live_server.url + "/participants/focal-point/"
    nav = browser.find_element(By.CSS_SELECTOR, ".main-nav")
    current = nav.find_element(By.CSS_SELECTOR, "a[aria-current=page]")
    assert current.text == "My State's delegations"
    assert browser.find_element(By.TAG_NAME, "h2").text == "Zambia"
    _shot(browser, "fp_landing.png")

    # The home page says who they act for.
    browser.get(live_server.url + "/")
    assert "National focal point for Zambia" in browser.find_element(By.CSS_SELECTOR, ".role-panel").text

    browser.get(f"{live_server.url}/participants/focal-point/{meeting.code}/ZMB/pre-register/")
    browser.find_element(By.NAME, "first_name").send_keys("Chanda")
    browser.find_element(By.NAME, "last_name").send_keys("Phiri")
    browser.find_element(By.NAME, "email").send_keys("chanda.phiri@example.zm")
    Select(browser.find_element(By.NAME, "correspondence_language")).select_by_value("en")
    click_and_wait(browser, browser.find_element(By.CSS_SELECTOR, "main form button[type=submit]"))
    registration = Registration.objects.get(meeting=meeting, email="chanda.phiri@example.zm")
    assert not registration.user.has_usable_password()

    [received] = smtp_server.wait_for(1)
    assert received["to"] == ["chanda.phiri@example.zm"]
    assert (
        received["message"]["Subject"]
        == "You have been pre-registered for Demo COP in the delegation of Zambia"
    )
    body = received["message"].get_body(preferencelist=("plain",)).get_content()
    assert "Mwila Banda" in body and "focal point of Zambia" in body
    link = re.search(r"https?://\S+/accounts/password/reset/key/\S+/", body).group(0)

    # The person, in their own browser session, sets their password and signs in.
    browser.delete_all_cookies()
    browser.get(link)
    password = "Mercury free 2026 delegate!"
    browser.find_element(By.NAME, "password1").send_keys(password)
    browser.find_element(By.NAME, "password2").send_keys(password)
    click_and_wait(browser, browser.find_element(By.CSS_SELECTOR, "main form button[type=submit]"))
    person = User.objects.get(email="chanda.phiri@example.zm")
    assert person.has_usable_password()
    sign_in(browser, live_server, person, password=password)
    assert browser.current_url == live_server.url + "/participants/mine/"
    assert "Demo COP" in browser.find_element(By.TAG_NAME, "main").text
    _shot(browser, "pre_registered_mine.png")


@pytest.mark.parametrize(
    ("role", "landing", "current"),
    [
        ("delegate", "/participants/mine/", None),
        ("bureau", "/bureau/", "Bureau"),
        ("staff", "/admin/", None),
    ],
)
def test_each_role_lands_on_what_it_acts_on(browser, live_server, role, landing, current):
    user = {
        "delegate": lambda: UserFactory(),
        "bureau": _current_bureau_member,
        "staff": lambda: StaffFactory(roles=["Registration officer"]),
    }[role]()
    sign_in(browser, live_server, user)
    assert browser.current_url == live_server.url + landing
    _shot(browser, f"landing_{role}.png")
    if current is not None:
        nav = browser.find_element(By.CSS_SELECTOR, ".main-nav")
        assert nav.find_element(By.CSS_SELECTOR, "a[aria-current=page]").text == current
    elif role == "delegate":
        assert browser.find_element(By.TAG_NAME, "h1").text == "My registrations"
    else:
        # The admin's index, after the two-factor step: the registration officer's desk.
        assert browser.find_element(By.ID, "site-name").text
