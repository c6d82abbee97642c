"""The documents officer's path in a real browser: sign in with two factors, find the late
version on the dashboard, upload its file, take it to published; the public page then offers it."""

import datetime as dt

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from accounts import roles
from documents.enums import ProcessingStatus, Series
from tests.browser_helpers import click_and_wait, sign_in
from tests.factories import MeetingFactory, StaffFactory

from .factories import pdf_bytes, publish, register, version

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_officer_publishes_a_late_version_from_the_dashboard(browser, live_server, tmp_path):
    meeting = MeetingFactory(
        code="cop-4", number=4, start_date=dt.date(2021, 11, 1), end_date=dt.date(2021, 11, 5), country=None
    )
    on_time = register(
        meeting, title_en="Provisional agenda", languages=["en", "ar"], title_ar="جدول الأعمال المؤقت"
    )
    publish(on_time, languages=["en", "ar"])
    late = register(
        meeting,
        Series.INFORMATION,
        title_en="Joint report",
        languages=["en"],
        target_date=dt.date(2021, 10, 1),
    )
    officer = StaffFactory(roles=[roles.DOCUMENTS_OFFICER])
    sign_in(browser, live_server, officer)

    browser.get(f"{live_server.url}/documents/meetings/cop-4/processing/")
    Select(browser.find_element(By.NAME, "timeliness")).select_by_value("late")
    click_and_wait(browser, browser.find_element(By.CSS_SELECTOR, "form.filters button[type=submit]"))
    rows = browser.find_elements(By.CSS_SELECTOR, ".proc-grid tbody tr")
    assert [r.find_element(By.TAG_NAME, "code").text for r in rows] == [late.symbol]
    click_and_wait(browser, browser.find_element(By.CSS_SELECTOR, "td.timely-late[data-language=en] a"))

    def act(label):
        click_and_wait(browser, browser.find_element(By.XPATH, f"//button[normalize-space()='{label}']"))

    act("Submit to conference services")
    act("Start editing/translation")
    path = tmp_path / "joint-report.pdf"
    path.write_bytes(pdf_bytes())
    browser.find_element(By.NAME, "file").send_keys(str(path))
    click_and_wait(browser, browser.find_element(By.XPATH, "//button[normalize-space()='Upload']"))
    assert "Upload 1 stored." in browser.find_element(By.CSS_SELECTOR, ".messages").text
    act("Mark ready")
    act("Publish")
    assert "is now “Published”" in browser.find_element(By.CSS_SELECTOR, ".messages").text
    assert version(late).status == ProcessingStatus.PUBLISHED

    browser.get(f"{live_server.url}/meetings/cop-4/")
    section = browser.find_element(By.CSS_SELECTOR, "section.meeting-documents")
    assert late.symbol in section.text and on_time.symbol in section.text
    arabic = section.find_element(By.CSS_SELECTOR, "a[hreflang=ar]")
    assert (arabic.get_attribute("dir"), arabic.get_attribute("lang"), arabic.text) == (
        "rtl",
        "ar",
        "العربية",
    )
