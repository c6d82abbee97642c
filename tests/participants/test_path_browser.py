"""The whole path of one delegate, in a real browser: register, nomination by the focal point
with the letter, accreditation by staff in the admin, check-in with the badge token."""

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

from participants.enums import RegistrationStatus
from participants.models import Attendance, Registration
from participants.services.badges import badge_token
from tests.browser_helpers import sign_in, wait_for
from tests.factories import FocalPointFactory, StaffFactory, UserFactory, country

from .factories import open_meeting, pdf_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _sign_out(browser, live_server):
    browser.get(live_server.url + "/")
    browser.delete_all_cookies()


def test_register_nominate_accredit_check_in(browser, live_server, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    meeting = open_meeting(code="cop-path", title_en="Second meeting of the Conference of the Parties")
    delegate = UserFactory(first_name="Mwila", last_name="Banda")
    focal_point = FocalPointFactory(country=country("ZMB")).user
    staff = StaffFactory(roles=["Registration officer"])

    # 1. The delegate registers.
    sign_in(browser, live_server, delegate)
    browser.get(f"{live_server.url}/participants/register/{meeting.code}/")
    Select(browser.find_element(By.NAME, "capacity")).select_by_value("party")
    Select(browser.find_element(By.NAME, "country")).select_by_visible_text("Zambia")
    browser.find_element(By.NAME, "function").send_keys("Director of Environment")
    browser.find_element(By.CSS_SELECTOR, "form.registration-form button[type=submit]").click()
    WebDriverWait(browser, 10).until(lambda b: "/participants/mine/" in b.current_url)
    assert "Pre-registered" in browser.find_element(By.TAG_NAME, "main").text
    registration = Registration.objects.get(meeting=meeting, user=delegate)
    _sign_out(browser, live_server)

    # 2. Zambia's focal point nominates the delegate as head of delegation, with the note verbale.
    sign_in(browser, live_server, focal_point)
    browser.get(f"{live_server.url}/participants/focal-point/{meeting.code}/ZMB/")
    browser.find_element(By.LINK_TEXT, "Nominate").click()
    Select(browser.find_element(By.NAME, "role")).select_by_value("head")
    letter = tmp_path / "note-verbale.pdf"
    letter.write_bytes(pdf_bytes())
    browser.find_element(By.NAME, "letter").send_keys(str(letter))
    browser.find_element(By.CSS_SELECTOR, "main form button[type=submit]").click()
    WebDriverWait(browser, 10).until(lambda b: "/nominate/" not in b.current_url)
    assert "Nominated" in browser.find_element(By.TAG_NAME, "main").text
    _sign_out(browser, live_server)

    # 3. Staff accredit in the admin.
    sign_in(browser, live_server, staff)
    browser.get(f"{live_server.url}/admin/participants/registration/?meeting__id__exact={meeting.pk}")
    browser.find_element(By.CSS_SELECTOR, f"input[name=_selected_action][value='{registration.pk}']").click()
    Select(browser.find_element(By.NAME, "action")).select_by_value("accredit")
    browser.find_element(By.CSS_SELECTOR, "button[name=index]").click()
    wait_for(browser, lambda b: "accredited" in b.find_element(By.CSS_SELECTOR, ".messagelist").text)
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.ACCREDITED

    # 4. The badge is issued (a POST from the change list's button), then its token typed at the
    # check-in desk.
    browser.get(f"{live_server.url}/admin/participants/registration/?meeting__id__exact={meeting.pk}")
    browser.find_element(By.CSS_SELECTOR, "button[formaction$='/badge/issue/']").click()
    WebDriverWait(browser, 10).until(
        lambda b: Registration.objects.get(pk=registration.pk).status == RegistrationStatus.BADGE_ISSUED
    )
    browser.get(f"{live_server.url}/participants/staff/{meeting.code}/check-in/")
    browser.find_element(By.NAME, "token").send_keys(badge_token(registration))
    browser.find_element(By.CSS_SELECTOR, "main form button[type=submit]").click()
    confirmation = wait_for(browser, lambda b: b.find_element(By.ID, "checked-in"))
    assert "Mwila Banda checked in." in confirmation.text
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CHECKED_IN
    assert Attendance.objects.filter(registration=registration).count() == 1
    history = registration.history.order_by("history_date")
    assert [(h.status, h.history_user) for h in history] == [
        ("pre_registered", delegate), ("nominated", focal_point),
        ("accredited", staff), ("badge_issued", staff), ("checked_in", staff),
    ]  # fmt: skip
