"""In a real browser, a hostile upload (a valid PDF with a script, named x.html) stored as a Bureau
report downloads as a PDF: it never opens as a page of the portal and its script never runs."""

import datetime as dt
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from selenium.common.exceptions import NoAlertPresentException
from selenium.webdriver.common.by import By

from accounts import roles
from bureau.services import bureau_meeting_report_save
from meetings.enums import MeetingKind
from reference.models import Country
from tests.browser_helpers import sign_in
from tests.factories import MeetingFactory, StaffFactory
from tests.test_files import HOSTILE_SCRIPT, hostile_pdf


@pytest.fixture
def reference_data(transactional_db):
    """An earlier transactional test may have emptied the tables without loading them again."""
    if not Country.objects.exists():
        call_command("load_reference_data", verbosity=0)


def _wait_for_file(directory, timeout=15):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        done = [p for p in directory.iterdir() if not p.name.endswith(".crdownload")]
        if done:
            return done
        time.sleep(0.2)
    return []


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_hostile_bureau_report_downloads_and_its_script_never_runs(
    reference_data, browser, live_server, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    staff = StaffFactory(roles=[roles.SECRETARIAT_ADMIN])
    today = dt.date.today()
    meeting = MeetingFactory(
        kind=MeetingKind.BUREAU, code="bureau-hostile", number=None, start_date=today, end_date=today
    )
    bureau_meeting_report_save(
        meeting=meeting,
        report_file=SimpleUploadedFile("x.html", hostile_pdf(), content_type="text/html"),
        by=staff,
    )
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    browser.execute_cdp_cmd(
        "Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)}
    )

    sign_in(browser, live_server, staff)
    browser.get(live_server.url + reverse("bureau:meeting", args=["bureau-hostile"]))
    title = browser.title
    assert title and "pwned" not in title
    file_url = reverse("bureau:meeting_report_file", args=["bureau-hostile"])
    browser.find_element(By.CSS_SELECTOR, f"a[href='{file_url}']").click()

    files = _wait_for_file(downloads)
    assert [p.name for p in files] == ["bureau-hostile-report.pdf"]
    assert files[0].read_bytes() == hostile_pdf() and HOSTILE_SCRIPT in files[0].read_bytes()
    # The portal's page is still there, untouched: no alert, the script did not set the title.
    with pytest.raises(NoAlertPresentException):
        browser.switch_to.alert.text  # noqa: B018
    assert browser.title == title
    assert browser.current_url.endswith(reverse("bureau:meeting", args=["bureau-hostile"]))
    # Opening the file's address directly does not make a page of it either.
    browser.get(live_server.url + file_url)
    time.sleep(1)
    with pytest.raises(NoAlertPresentException):
        browser.switch_to.alert.text  # noqa: B018
    assert "pwned" not in browser.title
    headers = browser.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "fetch(arguments[0]).then(r => done([r.headers.get('content-type'),"
        " r.headers.get('content-disposition'), r.headers.get('x-content-type-options')]));",
        file_url,
    )
    assert headers == ["application/pdf", 'attachment; filename="bureau-hostile-report.pdf"', "nosniff"]
