"""The inline PDF viewer under the Content-Security-Policy (issue 14): `object-src 'none'` forbids
<object> and <embed> in the portal's pages, and Chromium shows a PDF in its own viewer, which is an
<embed> in a document Chromium makes for the PDF response. A published document's PDF, served
`inline`, must still open in that viewer, without a download and without a CSP violation in the
console; a letter (personal data) downloads as an attachment and is never stored in a cache."""

import datetime as dt
import time

import pytest
from django.core.management import call_command
from django.urls import reverse

from accounts import roles
from letters.enums import LetterKind
from letters.models import Letter
from participants.enums import RegistrationStatus
from participants.services.visas import visa_request_approve, visa_request_create
from reference.models import Country
from tests.browser_helpers import sign_in
from tests.documents.factories import publish, register
from tests.factories import MeetingFactory, StaffFactory, country
from tests.participants.factories import RegistrationFactory, open_meeting


@pytest.fixture
def reference_data(transactional_db):
    if not Country.objects.exists():
        call_command("load_reference_data", verbosity=0)


# Chromium's built-in PDF viewer (the component extension "mhjfbmdgcfjbbpaeojofohoefgiehjai").
PDF_VIEWER = "chrome-extension://mhjfbmdgcfjbbpaeojofohoefgiehjai/"


def _headers(browser, url, names):
    return browser.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "fetch(arguments[0]).then(r => done(arguments[1].map(n => r.headers.get(n))));",
        url,
        names,
    )


def _csp_messages(browser):
    return [e["message"] for e in browser.get_log("browser") if "Content Security Policy" in e["message"]]


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_published_pdf_opens_in_chromiums_viewer_under_the_csp(
    reference_data, browser, live_server, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    meeting = MeetingFactory(code="cop-viewer", number=4)
    document = publish(register(meeting, title_en="A note shown inline"))
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    browser.execute_cdp_cmd(
        "Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)}
    )
    pdf_url = reverse("documents:download", args=[document.pk, "en"])

    browser.get(live_server.url + reverse("documents:detail", args=[document.pk]))
    assert _csp_messages(browser) == []
    content_type, disposition, csp, sniff = _headers(
        browser,
        pdf_url,
        ["content-type", "content-disposition", "content-security-policy", "x-content-type-options"],
    )
    assert content_type == "application/pdf"
    assert disposition.startswith("inline; filename=")
    assert "object-src 'none'" in csp and sniff == "nosniff"

    browser.get(live_server.url + pdf_url)
    time.sleep(2)  # the viewer loads after the navigation commits
    assert browser.execute_script("return document.contentType") == "application/pdf"
    # Chromium's viewer is its PDF extension, in a frame of the page, showing the PDF in a frame of
    # its own (out-of-process frames: the page's DOM holds none of it). It is there, with the file.
    targets = browser.execute_cdp_cmd("Target.getTargets", {})["targetInfos"]
    viewer = [t for t in targets if t["type"] == "iframe" and t["url"].startswith(PDF_VIEWER)]
    assert len(viewer) == 1, targets
    shown = [t for t in targets if t.get("parentId") == viewer[0]["targetId"]]
    assert [t["url"] for t in shown] == [live_server.url + pdf_url]
    (page,) = [t for t in targets if t["type"] == "page" and t["url"] == live_server.url + pdf_url]
    assert page["title"].endswith("-en.pdf")  # the viewer names the tab after the file
    assert list(downloads.iterdir()) == []  # shown, not downloaded
    assert _csp_messages(browser) == []


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_visa_letter_downloads_as_an_attachment_that_no_cache_keeps(
    reference_data, browser, live_server, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    registration = RegistrationFactory(meeting=open_meeting(), status=RegistrationStatus.ACCREDITED)
    visa = visa_request_create(
        registration=registration, by=registration.user, passport_number="ZN1122334",
        passport_country=country("ZMB"), passport_issued=dt.date(2016, 1, 1),
        passport_expires=dt.date(2035, 1, 1), embassy="Embassy of Switzerland",
    )  # fmt: skip
    visa_request_approve(visa=visa, by=StaffFactory(roles=[roles.REGISTRATION_OFFICER]))
    letter = Letter.objects.get(kind=LetterKind.VISA, registration=registration)
    assert letter.pdf
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    browser.execute_cdp_cmd(
        "Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)}
    )

    sign_in(browser, live_server, registration.user)
    url = reverse("letters:download", args=[letter.pk])
    browser.get(live_server.url + reverse("letters:mine"))
    content_type, disposition, cache_control = _headers(
        browser, url, ["content-type", "content-disposition", "cache-control"]
    )
    assert content_type == "application/pdf" and disposition.startswith("attachment; ")
    assert "no-store" in cache_control
    browser.get(live_server.url + url)
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline and not [p for p in downloads.iterdir() if p.suffix == ".pdf"]:
        time.sleep(0.2)
    assert [p.name for p in downloads.iterdir()] == [letter.reference.replace("/", "-") + ".pdf"]
    assert _csp_messages(browser) == []
