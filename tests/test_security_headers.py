"""The security headers on every kind of response, and pages with no inline code for the CSP to
block (issue 14: a strict Content-Security-Policy, the admin still working)."""

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from selenium.webdriver.common.by import By

from tests.browser_helpers import click_and_wait, sign_in, wait_for
from tests.factories import PASSWORD, MeetingFactory, StaffFactory

EXPECTED_CSP = {
    "default-src": {"'self'"},
    "script-src": {"'self'"},
    "style-src": {"'self'"},
    "img-src": {"'self'", "data:"},
    "font-src": {"'self'"},
    "connect-src": {"'self'"},
    "object-src": {"'none'"},
    "base-uri": {"'self'"},
    "form-action": {"'self'"},
    "frame-ancestors": {"'none'"},
}
DENIED_FEATURES = {"camera", "microphone", "geolocation", "payment", "usb"}


def parse_csp(value):
    directives = {}
    for part in value.split(";"):
        name, *sources = part.split()
        directives[name] = set(sources)
    return directives


def assert_security_headers(response, x_frame_options=True):
    csp = parse_csp(response["Content-Security-Policy"])
    assert csp == EXPECTED_CSP
    assert not any("unsafe" in source for sources in csp.values() for source in sources)
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    if x_frame_options:
        assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    features = dict(item.strip().split("=", 1) for item in response["Permissions-Policy"].split(","))
    assert all(features[feature] == "()" for feature in DENIED_FEATURES)


class InlineCode(HTMLParser):
    """Collects what a strict CSP refuses: inline scripts (a data block of type application/json
    is not run, so it is allowed), inline style elements and attributes, on… handlers and
    javascript: links."""

    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script" and "src" not in attrs and attrs.get("type") != "application/json":
            self.found.append(f"inline <script> at line {self.getpos()[0]}")
        if tag == "style":
            self.found.append(f"<style> at line {self.getpos()[0]}")
        for name, value in attrs.items():
            if name == "style" or re.fullmatch(r"on[a-z]+", name):
                self.found.append(f"<{tag} {name}=…> at line {self.getpos()[0]}")
            if name in ("href", "src", "action") and (value or "").strip().lower().startswith("javascript:"):
                self.found.append(f"<{tag} {name}=javascript:…> at line {self.getpos()[0]}")


def inline_code(html):
    parser = InlineCode()
    parser.feed(html)
    return parser.found


@pytest.fixture
def meeting(db):
    return MeetingFactory(code="cop-headers", title_en="Headers meeting")


@pytest.fixture
def superuser(db):
    return StaffFactory(is_superuser=True)


PAGES = {
    # name: (who, url, kind)
    "home": ("anonymous", lambda m: reverse("home"), "html"),
    "meeting page": ("anonymous", lambda m: reverse("meetings:detail", args=[m.code]), "html"),
    "document list": ("anonymous", lambda m: reverse("documents:meeting", args=[m.code]), "html"),
    "document search": ("anonymous", lambda m: reverse("documents:search"), "html"),
    "sign-in (allauth)": ("anonymous", lambda m: reverse("account_login"), "html"),
    "registration desk": ("officer", lambda m: reverse("participants:check_in", args=[m.code]), "html"),
    "admin change list": ("superuser", lambda m: reverse("admin:meetings_meeting_changelist"), "html"),
    "admin change form": (
        "superuser",
        lambda m: reverse("admin:meetings_meeting_change", args=[m.pk]),
        "html",
    ),
    "admin add form": ("superuser", lambda m: reverse("admin:meetings_meeting_add"), "html"),
    "admin export form": ("superuser", lambda m: reverse("admin:meetings_meeting_export"), "html"),
    "admin reference caveats": ("superuser", lambda m: reverse("admin:reference_country_changelist"), "html"),
    "JSON endpoint": ("anonymous", lambda m: reverse("legacy:upcoming_json"), "json"),
    "PDF download": ("anonymous", lambda m: reverse("meetings:programme_pdf", args=[m.code]), "pdf"),
    "error page (404)": ("anonymous", lambda m: "/no-such-page/", "404"),
}


@pytest.mark.django_db
@pytest.mark.parametrize("page", list(PAGES))
def test_every_kind_of_response_carries_the_security_headers(client, meeting, superuser, page):
    who, url, kind = PAGES[page]
    if who == "superuser":
        client.force_login(superuser)
    elif who == "officer":
        client.force_login(StaffFactory(roles=["Registration officer"]))
    response = client.get(url(meeting))
    expected_status = 404 if kind == "404" else 200
    assert response.status_code == expected_status, page
    if kind == "pdf":
        assert response["Content-Type"] == "application/pdf"
    if kind == "json":
        assert response["Content-Type"].startswith("application/json")
    assert_security_headers(response)
    if kind in ("html", "404"):
        assert inline_code(response.content.decode()) == [], page


@pytest.mark.django_db
def test_a_request_refused_as_too_large_carries_them_too(client):
    response = client.post(
        reverse("home"), data=b"", content_type="application/octet-stream", CONTENT_LENGTH=str(10**10)
    )
    assert response.status_code == 413
    # Refused ahead of XFrameOptionsMiddleware; frame-ancestors 'none' forbids framing it all the same.
    assert_security_headers(response, x_frame_options=False)


def test_the_inline_code_finder_finds_what_the_csp_blocks():
    html = (
        '<script>alert(1)</script><script src="/static/x.js"></script>'
        '<script type="application/json">{"a": 1}</script>'
        '<p style="color:red">x</p><input onchange="go()"><a href="javascript:go()">x</a><style>p{}</style>'
    )
    assert len(inline_code(html)) == 5


TEMPLATES_NOT_PAGES = re.compile(r"(/pdf/|_pdf\.html$|/email/|^tests/)")
TEMPLATE_COMMENTS = re.compile(r"{#.*?#}|{% comment %}.*?{% endcomment %}", re.S)


def test_no_template_of_the_portal_has_inline_code():
    """PDFs (WeasyPrint) and mails are not served as pages; every other template, the admin's
    overrides included, keeps its scripts and styles in static/."""
    base = Path(settings.BASE_DIR)
    templates = [
        path
        for path in sorted(base.glob("templates/**/*.html")) + sorted(base.glob("*/templates/**/*.html"))
        if ".venv" not in path.parts and not TEMPLATES_NOT_PAGES.search(str(path.relative_to(base)))
    ]
    assert len(templates) > 20
    found = {
        str(path.relative_to(base)): inline_code(TEMPLATE_COMMENTS.sub("", path.read_text()))
        for path in templates
    }
    assert {path: code for path, code in found.items() if code} == {}


# --- In the browser: no CSP violation, the admin's JavaScript still runs --------------------------

RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(
    `${event.effectiveDirective} blocked ${event.blockedURI || "inline"} in ${event.sourceFile}:${event.lineNumber}`
  );
}, true);
"""


def violations(browser):
    wait_for(browser, lambda b: b.execute_script("return document.readyState") == "complete")
    recorded = browser.execute_script("return window.__cspViolations || [];")
    logged = [
        entry["message"] for entry in _browser_log(browser) if "Content Security Policy" in entry["message"]
    ]
    return recorded + logged


def _browser_log(browser):
    try:
        return browser.get_log("browser")
    except Exception:  # the driver may not keep the console log; the listener above still counts
        return []


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_admin_and_public_pages_run_with_no_csp_violation(browser, live_server):
    meeting = MeetingFactory(code="cop-csp", title_en="CSP meeting")
    superuser = StaffFactory(is_superuser=True)
    # Injected by the driver before any page script, outside the page's CSP.
    browser.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": RECORD_VIOLATIONS})

    browser.get(live_server.url + reverse("meetings:detail", args=[meeting.code]))
    assert "CSP meeting" in browser.page_source
    assert violations(browser) == []
    # The portal's stylesheet applied (style-src 'self'): the header is not unstyled.
    assert (
        browser.execute_script("return getComputedStyle(document.querySelector('.site-header')).display")
        != "inline"
    )

    sign_in(browser, live_server, superuser)
    assert violations(browser) == []

    # Change list: the filter sidebar's script (filters.js) runs and the actions bar works.
    browser.get(live_server.url + reverse("admin:meetings_meeting_changelist"))
    assert browser.find_elements(By.ID, "changelist-filter")
    assert browser.execute_script("return typeof window.django !== 'undefined' && !!window.django.jQuery;")
    details = browser.find_element(By.CSS_SELECTOR, "#changelist-filter details")
    summary = details.find_element(By.TAG_NAME, "summary")
    summary.click()
    summary.click()
    # filters.js keeps the open/closed state of each filter in sessionStorage.
    assert browser.execute_script("return sessionStorage.getItem('django.admin.filtersState');") is not None
    assert violations(browser) == []

    # Change form: the date widgets (DateTimeShortcuts.js) add their calendar links and open.
    browser.get(live_server.url + reverse("admin:meetings_meeting_change", args=[meeting.pk]))
    wait_for(browser, lambda b: b.find_elements(By.CSS_SELECTOR, ".datetimeshortcuts a[id^=calendarlink]"))
    browser.find_element(By.CSS_SELECTOR, ".datetimeshortcuts a[id^=calendarlink]").click()
    wait_for(browser, lambda b: b.find_element(By.CSS_SELECTOR, ".calendarbox").is_displayed())
    # The autocomplete (select2) and the two-box selector (SelectFilter2.js) were built too.
    assert browser.find_elements(By.CSS_SELECTOR, ".select2-container")
    assert browser.find_elements(By.CSS_SELECTOR, ".selector-available")
    assert violations(browser) == []

    # The export form's "Select all" box works from its static script.
    browser.get(live_server.url + reverse("admin:meetings_meeting_export"))
    toggle = browser.find_element(By.ID, "select-all-toggle")
    toggle.click()
    boxes = browser.find_elements(By.CSS_SELECTOR, '.selectable-field-export-row input[type="checkbox"]')
    assert boxes and not any(box.is_selected() for box in boxes)
    assert violations(browser) == []

    # The reference tables' caveats are styled from static/portal_admin/admin.css.
    browser.get(live_server.url + reverse("admin:reference_country_changelist"))
    assert (
        browser.execute_script(
            "return getComputedStyle(document.querySelector('.reference-caveats')).borderLeftStyle"
        )
        == "solid"
    )
    assert violations(browser) == []

    # Staff not yet enrolled in two-factor: allauth's enrolment QR code is a data: image.
    browser.delete_all_cookies()
    sign_in(browser, live_server, StaffFactory(totp=False))
    if "/accounts/reauthenticate/" in browser.current_url:  # allauth confirms the password first
        assert violations(browser) == []
        browser.find_element(By.NAME, "password").send_keys(PASSWORD)
        click_and_wait(browser, browser.find_element(By.CSS_SELECTOR, "main form button[type=submit]"))
    wait_for(browser, lambda b: "/accounts/2fa/totp/activate" in b.current_url)
    qr = browser.find_element(By.CSS_SELECTOR, "main img[src^='data:image/svg+xml']")
    assert wait_for(browser, lambda b: b.execute_script("return arguments[0].naturalWidth;", qr) > 0)
    assert violations(browser) == []
