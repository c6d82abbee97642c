"""Accessibility (issue 15, WCAG 2.2 AA): axe-core, vendored (tests/vendor/axe-core), run in Chromium on
every page of the portal's own templates, as each role sees it, with zero serious or critical
violations allowed.

The pages come from the URL resolver (tests/test_access_layer.py's walk), not from a list written by
hand: a page another change routes is checked the moment it exists, or the test names it until it is
listed below as excluded with a reason. The URL's arguments come from the access matrix's world (one
object per loader, tests/test_access_matrix.py), and which role may open a page from the page's own
rule, so every role opens every page its rule lets it open. A form's error state is checked too: on
each page holding a form with required fields, the fields are emptied and the form posted once.
The allauth pages (sign-in, sign-up, password, e-mail, two-factor) use the portal's templates and are
listed by hand, as the access matrix leaves allauth out. The Django admin keeps the markup Django ships
(see README, Accessibility).
"""

import re
from collections import Counter, defaultdict

import pytest
from django.views.decorators.http import require_POST
from selenium.common.exceptions import NoSuchElementException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from accounts import roles
from tests.browser_helpers import SERIOUS, axe_report, axe_run, click_and_wait, sign_in
from tests.factories import StaffFactory
from tests.participants.factories import RegistrationFactory, upcoming_meeting
from tests.test_access_layer import _portal_views
from tests.test_access_matrix import (
    ALLOWED,
    ARGUMENT,
    _build_world,
    accepted_methods,
    expected_answer,
    url_arguments,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Routes of the portal not checked, each with the reason. A route answering GET that is neither
# checked nor named here fails the test.
NOT_HTML = "not an HTML page"
EXCLUDED = {
    "api/v1/": "the REST API answers JSON (its browsable pages are Django REST framework's)",
    "api/v1/docs/": "Swagger UI's own markup, served from the API's documentation",
    "bureau/decisions.json": NOT_HTML + " (JSON alias of the API)",
    "bureau/meetings/<slug:code>/report-file/": NOT_HTML + " (a PDF download)",
    "bureau/reports/<slug:code>/<slug:language>/": NOT_HTML + " (a report file download)",
    "expert-groups/drafts/<int:pk>/file/": NOT_HTML + " (a draft's file download)",
    "meetings/<slug:code>/materials/<int:pk>/": NOT_HTML + " (a material's file download)",
    "documents/d/<int:pk>/<slug:language>/": NOT_HTML + " (a document file download)",
    "documents/files/<int:pk>/": NOT_HTML + " (a file download)",
    "documents/submission-files/<int:pk>/": NOT_HTML + " (a file download)",
    "documents/meetings/<slug:code>/documents.json": NOT_HTML + " (JSON alias of the API)",
    "documents/meetings/<slug:code>/processing.xlsx": NOT_HTML + " (XLSX)",
    "healthz": NOT_HTML + " (health check for the load balancer)",
    "readyz": NOT_HTML + " (readiness check)",
    "metrics": NOT_HTML + " (Prometheus text)",
    "letters/<int:pk>/pdf/": NOT_HTML + " (a letter's PDF)",
    "meetings/<slug:code>/information/files/<int:pk>/": NOT_HTML + " (a file download)",
    "meetings/<slug:code>/programme.ics": NOT_HTML + " (iCalendar)",
    "meetings/<slug:code>/programme.pdf": NOT_HTML + " (PDF)",
    "meetings/calendar.ics": NOT_HTML + " (iCalendar)",
    "meetings/calendar/<slug:kind>.ics": NOT_HTML + " (iCalendar)",
    "meetings/upcoming.json": NOT_HTML + " (JSON alias of the API)",
    "participants/nomination-letters/<int:pk>/": NOT_HTML + " (the note verbale's PDF)",
    "participants/staff/<slug:code>/badges.pdf": NOT_HTML + " (PDF)",
    "participants/staff/<slug:code>/credentials.pdf": NOT_HTML + " (PDF)",
    "participants/staff/<slug:code>/funding.xlsx": NOT_HTML + " (XLSX)",
    "participants/staff/<slug:code>/list-of-participants.pdf": NOT_HTML + " (PDF)",
    "participants/staff/<slug:code>/list-of-participants.xlsx": NOT_HTML + " (XLSX)",
    "participants/staff/<slug:code>/statistics.xlsx": NOT_HTML + " (XLSX)",
    "participants/staff/registrations/<int:pk>/badge.pdf": NOT_HTML + " (PDF)",
}
EXCLUDED_PREFIXES = {"api/v1/": EXCLUDED["api/v1/"]}
# A route named like a file (a photo, an export) is one, whether or not it is named above.
FILE_SUFFIX = re.compile(r"\.(pdf|xlsx|csv|ics|json|jpg|jpeg|png|svg|zip|txt)$")
POST_ONLY = "an action (POST only): it redirects; its form is checked on the page that holds it"

# allauth's pages, in the portal's templates: (path, roles that open it). The two-factor pages that
# need a fresh reauthentication or an activated device are reached by staff signing in.
ACCOUNT_PAGES = [
    ("/accounts/login/", ["anonymous"]),
    ("/accounts/signup/", ["anonymous"]),
    ("/accounts/password/reset/", ["anonymous"]),
    ("/accounts/password/reset/done/", ["anonymous"]),
    ("/accounts/confirm-email/", ["anonymous"]),
    ("/accounts/email/", ["delegate"]),
    ("/accounts/password/change/", ["delegate"]),
    ("/accounts/logout/", ["delegate"]),
    ("/accounts/2fa/", ["staff"]),
]

# A few pages in French and Spanish, per role.
TRANSLATED = {
    "anonymous": ["", "meetings/", "meetings/<slug:code>/", "accounts/login/", "accounts/signup/"],
    "delegate": ["participants/mine/", "participants/register/<slug:code>/", "letters/"],
    "focal point": ["participants/focal-point/", "participants/focal-point/<slug:code>/<str:iso3>/"],
    "Bureau member": ["bureau/"],
    "staff": ["participants/staff/<slug:code>/"],
}


def _route_excluded(route, methods):
    if route in EXCLUDED:
        return EXCLUDED[route]
    for prefix, reason in EXCLUDED_PREFIXES.items():
        if route.startswith(prefix):
            return reason
    if "GET" not in methods:
        return POST_ONLY
    if FILE_SUFFIX.search(route):
        return f"{NOT_HTML} (a {FILE_SUFFIX.search(route).group(0)} file)"
    return None


def _users(world):
    return {
        "anonymous": None,
        "delegate": world["owner"],
        "focal point": world["focal_point"],
        "Bureau member": world["bureau_member"],
        "staff": StaffFactory(roles=[roles.SECRETARIAT_ADMIN]),
    }


DANGLING_REFERENCES = """
const missing = [];
for (const attribute of ['aria-describedby', 'aria-labelledby', 'aria-controls', 'aria-errormessage']) {
  for (const el of document.querySelectorAll('[' + attribute + ']')) {
    for (const id of el.getAttribute(attribute).split(/\\s+/).filter(Boolean)) {
      if (!document.getElementById(id)) missing.push(attribute + '=' + id);
    }
  }
}
return missing;
"""


class Tally:
    def __init__(self):
        self.pages = 0
        self.forms = 0
        self.by_impact = Counter()
        self.by_rule = Counter()
        self.where = defaultdict(set)
        self.failures = []

    def check(self, browser, what):
        self.pages += 1
        violations = axe_run(browser)
        for violation in violations:
            self.by_impact[violation["impact"]] += len(violation["nodes"])
            rule = f"{violation['id']} ({violation['impact']})"
            self.by_rule[rule] += len(violation["nodes"])
            self.where[rule].add(what)
        serious = [v for v in violations if v["impact"] in SERIOUS]
        if serious:
            self.failures.append(axe_report(serious, what))
        # axe passes a reference to an element that is not there (a help text never printed): not here.
        dangling = browser.execute_script(DANGLING_REFERENCES)
        if dangling:
            self.by_impact["dangling aria reference"] += len(dangling)
            self.failures.append(f"{what}: aria references to no element: {dangling}")


def _post_with_errors(browser):
    """Empty the required fields of the page's first form that has any and post it (browser checks
    off): the page that answers shows the form's errors. False when the page has no such form."""
    forms = browser.find_elements(By.CSS_SELECTOR, "main form[method=post], main form[method=POST]")
    for form in forms:
        required = form.find_elements(
            By.CSS_SELECTOR, "input[required], textarea[required], select[required]"
        )
        fillable = [
            f for f in required if f.get_attribute("type") not in ("checkbox", "radio", "hidden", "file")
        ]
        if not fillable:
            continue
        browser.execute_script(
            "const form = arguments[0]; form.noValidate = true;"
            "for (const f of arguments[1]) { f.value = ''; }",
            form,
            fillable,
        )
        try:
            button = form.find_element(
                By.CSS_SELECTOR, "button[type=submit], button:not([type]), input[type=submit]"
            )
        except NoSuchElementException:
            continue
        click_and_wait(browser, button)
        return True
    return False


def _set_language(browser, live_server, language):
    browser.get(live_server.url + "/healthz")
    browser.add_cookie({"name": "django_language", "value": language, "path": "/"})


def portal_pages(patterns, world):
    """The routes to check, with their URL; the routes excluded, with their reason; the routes the
    world cannot fill (a new loader: the test names it)."""
    pages, excluded, unfillable = [], {}, []
    for route, view in sorted(patterns):
        reason = _route_excluded(route, accepted_methods(view))
        if reason:
            excluded[route] = reason
            continue
        try:
            arguments = url_arguments(route, view, world)
        except LookupError as missing:
            unfillable.append(str(missing))
            continue
        url = "/" + ARGUMENT.sub(lambda m, a=arguments: a[m.group("name")], route)
        pages.append((route, view, arguments, url))
    return pages, excluded, unfillable


def test_every_page_has_no_serious_or_critical_axe_violation(
    browser, live_server, django_capture_on_commit_callbacks, settings, tmp_path, capsys
):
    settings.MEDIA_ROOT = tmp_path / "media"
    browser.implicitly_wait(0)  # pages are whole when loaded; a missing form must not cost seconds
    world = _build_world(django_capture_on_commit_callbacks)
    # A registration the delegate may still change: "My registrations" shows Edit and Withdraw.
    RegistrationFactory(meeting=upcoming_meeting(code="a11y-upcoming"), user=world["owner"])
    users = _users(world)

    pages, excluded, unfillable = portal_pages(_portal_views(), world)
    assert unfillable == [], "pages whose arguments the world cannot fill:\n" + "\n".join(unfillable)
    stale = sorted(set(EXCLUDED) - set(excluded) - set(EXCLUDED_PREFIXES))
    assert stale == [], f"excluded routes that no longer exist: {stale}"

    tally, unopened, seen_forms, checked_routes = Tally(), [], set(), set()
    urls = {route: url for route, _view, _arguments, url in pages}
    urls.update({path.strip("/") + "/": path for path, _roles in ACCOUNT_PAGES})
    for role, user in users.items():
        browser.delete_all_cookies()
        if user is not None:
            sign_in(browser, live_server, user)
            tally.check(browser, f"[{role}] after sign-in {browser.current_url}")
        opened = 0
        for route, view, arguments, url in pages:
            # APIs and downloads are excluded above; here what the rule lets this role open.
            if expected_answer(view, user, arguments, "GET", world) != ALLOWED:
                continue
            browser.get(live_server.url + url)
            opened += 1
            checked_routes.add(route)
            tally.check(browser, f"[{role}] {url}")
            if route not in seen_forms and _post_with_errors(browser):
                seen_forms.add(route)
                tally.forms += 1
                tally.check(browser, f"[{role}] {url} (form posted with errors)")
        for path, page_roles in ACCOUNT_PAGES:
            if role in page_roles:
                browser.get(live_server.url + path)
                opened += 1
                tally.check(browser, f"[{role}] {path}")
                if path not in seen_forms and _post_with_errors(browser):
                    seen_forms.add(path)
                    tally.forms += 1
                    tally.check(browser, f"[{role}] {path} (form posted with errors)")
        if opened == 0:
            unopened.append(role)
        for language in ("fr", "es"):
            _set_language(browser, live_server, language)
            for route in TRANSLATED[role]:
                browser.get(live_server.url + "/" + urls[route].lstrip("/"))
                assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == language
                tally.check(browser, f"[{role}, {language}] {urls[route]}")
    assert unopened == []
    never_opened = sorted({route for route, *_rest in pages} - checked_routes)
    assert never_opened == [], f"pages no role opened (give the world a role that may): {never_opened}"

    summary = (
        f"axe-core {browser.execute_script('return axe.version;')}: {tally.pages} pages checked "
        f"({len(pages)} routes of the portal and {len(ACCOUNT_PAGES)} account pages, {len(users)} roles, "
        f"{tally.forms} forms posted with errors, en + fr/es), {len(excluded)} routes excluded; "
        f"violations (nodes) by impact: {dict(tally.by_impact) or 'none'}"
    )
    with capsys.disabled():
        print("\n" + summary)
        for rule, count in tally.by_rule.most_common():
            where = sorted(tally.where[rule])
            print(f"    {rule}: {count} nodes on {len(where)} pages, e.g. {', '.join(where[:4])}")
    assert tally.failures == [], (
        f"{len(tally.failures)} pages with serious or critical violations:\n" + "\n".join(tally.failures)
    )


def test_a_new_route_is_checked_or_named_until_excluded_with_a_reason(db):
    """A route another change adds is a page to check (so axe runs on it, or the test names it
    when no role opens it); only a route named in EXCLUDED, or an action that answers POST alone,
    is left out, with its reason."""

    def page(request):
        raise AssertionError("not called")

    world = {"loaders": {}, "views": {}, "arguments": {"code": "cop-9"}}
    patterns = [
        ("meetings/<slug:code>/new-page/", page),
        ("meetings/<slug:code>/programme.pdf", page),
        ("participants/registrations/<int:pk>/withdraw/", require_POST(page)),
        ("api/v1/things/", page),
        ("things/<int:pk>/", page),
        ("participants/registrations/<int:pk>/photo.jpg", page),
    ]
    pages, excluded, unfillable = portal_pages(patterns, world)
    assert [(route, url) for route, _view, _arguments, url in pages] == [
        ("meetings/<slug:code>/new-page/", "/meetings/cop-9/new-page/")
    ]
    assert excluded == {
        "api/v1/things/": EXCLUDED["api/v1/"],
        "meetings/<slug:code>/programme.pdf": "not an HTML page (PDF)",
        "participants/registrations/<int:pk>/withdraw/": POST_ONLY,
        "participants/registrations/<int:pk>/photo.jpg": "not an HTML page (a .jpg file)",
    }
    assert len(unfillable) == 1 and unfillable[0].startswith("things/<int:pk>/")
    assert all(EXCLUDED.values())


# --- Focus and keyboard ---------------------------------------------------------------------------

FOCUS_STATE = """
const lum = (c) => {
  const [r, g, b] = c.match(/[\\d.]+/g).slice(0, 3).map(Number).map((v) => {
    v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
};
const behind = (el) => {
  for (let e = el.parentElement; e; e = e.parentElement) {
    const c = getComputedStyle(e).backgroundColor;
    if (c && c !== 'transparent' && !/^rgba\\(.*, 0\\)$/.test(c)) return c;
  }
  return 'rgb(255, 255, 255)';
};
const el = document.activeElement;
if (!el || el === document.body) return null;
const s = getComputedStyle(el);
const [a, b] = [lum(s.outlineColor), lum(behind(el))];
return {
  element: el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + ' «' +
    (el.innerText || el.value || el.name || '').trim().slice(0, 30) + '»',
  style: s.outlineStyle, width: parseFloat(s.outlineWidth),
  ratio: Math.round((Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05) * 100) / 100,
  node: el,
};
"""


def tab_through(browser, limit=120):
    """Press Tab from the top of the page until focus comes back round: what each stop shows."""
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys

    browser.execute_script("document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0);")
    stops, first = [], None
    for _ in range(limit):
        ActionChains(browser).send_keys(Keys.TAB).perform()
        state = browser.execute_script(FOCUS_STATE)
        if state is None:
            break
        if first is not None and state["node"] == first:
            break
        first = first or state["node"]
        stops.append(state)
    return stops


@pytest.fixture
def delegate_with_registration(db):
    from tests.factories import UserFactory

    delegate = UserFactory(roles=[roles.DELEGATE], first_name="Mwila", last_name="Banda")
    meeting = upcoming_meeting(code="cop-focus", title_en="Ninth meeting of the Conference of the Parties")
    registration = RegistrationFactory(meeting=meeting, user=delegate)
    return delegate, meeting, registration


def test_focus_is_visible_at_3_to_1_on_every_interactive_element(
    browser, live_server, delegate_with_registration, capsys
):
    """Tab through the public and the delegate's main pages: every stop shows a solid outline of
    2 px or more whose colour stands 3:1 or more against what surrounds it (WCAG 2.4.7, 1.4.11)."""
    delegate, meeting, _registration = delegate_with_registration
    browser.implicitly_wait(0)
    poor, stops = [], 0
    pages = [
        (None, ["/", "/meetings/", f"/meetings/{meeting.code}/", "/accounts/login/"]),
        (delegate, ["/participants/mine/", f"/participants/register/{meeting.code}/", "/accounts/email/"]),
    ]
    for user, paths in pages:
        browser.delete_all_cookies()
        if user is not None:
            sign_in(browser, live_server, user)
        for path in paths:
            browser.get(live_server.url + path)
            page_stops = tab_through(browser)
            assert len(page_stops) >= 8, f"{path}: only {len(page_stops)} focus stops"
            stops += len(page_stops)
            poor += [
                f"{path} {s['element']}: outline {s['style']} {s['width']}px, contrast {s['ratio']}:1"
                for s in page_stops
                if s["style"] in ("none", "hidden") or s["width"] < 2 or s["ratio"] < 3
            ]
    with capsys.disabled():
        print(f"\nfocus: {stops} focus stops on 7 pages, {len(poor)} below 3:1 or without an outline")
    assert poor == []


def test_withdraw_is_visible_and_works_from_the_keyboard(browser, live_server, delegate_with_registration):
    """On "My registrations" the Withdraw button reads (its text 4.5:1 on its background, it was white
    on white) and Tab then Enter withdraws, no mouse needed."""
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys

    from participants.enums import RegistrationStatus

    delegate, _meeting, registration = delegate_with_registration
    browser.implicitly_wait(0)
    sign_in(browser, live_server, delegate)
    browser.get(live_server.url + "/participants/mine/")
    button = browser.find_element(By.XPATH, "//main//button[normalize-space()='Withdraw']")
    ratio = browser.execute_script(
        FOCUS_STATE.split("const el =")[0]
        + "const el = arguments[0]; const [a, b] = [lum(getComputedStyle(el).color), lum(behind(el))];"
        "return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);",
        button,
    )
    assert ratio >= 4.5, f"Withdraw: text contrast {ratio:.2f}:1"
    for _ in range(80):
        ActionChains(browser).send_keys(Keys.TAB).perform()
        if browser.switch_to.active_element == button:
            break
    else:
        pytest.fail("Tab never reaches the Withdraw button")
    browser.execute_script("window.__portalOldPage = true;")
    ActionChains(browser).send_keys(Keys.ENTER).perform()
    WebDriverWait(browser, 10).until(
        lambda b: b.execute_script("return window.__portalOldPage === undefined;")
    )
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.WITHDRAWN


def test_a_form_with_errors_opens_with_a_summary_linked_to_its_fields(browser, live_server):
    """The sign-up form posted empty: a summary at the top (role alert) lists each error as a link to
    its field; the field says it is invalid and is described by its error; following the link from
    the keyboard puts the focus in the field."""
    from selenium.webdriver.common.keys import Keys

    browser.implicitly_wait(0)
    browser.get(live_server.url + "/accounts/signup/")
    assert _post_with_errors(browser)
    summary = browser.find_element(By.CSS_SELECTOR, "main .error-summary[role=alert]")
    form_top = browser.execute_script(
        "const f = arguments[0].closest('form'); return f.querySelector('input:not([type=hidden]), select, textarea')"
        ".compareDocumentPosition(arguments[0]) & Node.DOCUMENT_POSITION_PRECEDING;",
        summary,
    )
    assert form_top, "the summary comes before the form's first field"
    links = summary.find_elements(By.CSS_SELECTOR, "li a")
    assert [link.text.split(":")[0] for link in links] == ["Email", "Password", "Password (again)"]
    for link in links:
        field = browser.find_element(By.ID, link.get_attribute("href").split("#")[1])
        assert field.get_attribute("aria-invalid") == "true"
        described = field.get_attribute("aria-describedby").split()
        errors = [browser.find_element(By.ID, i).text for i in described if i.endswith("_error")]
        assert errors == ["This field is required."]
    links[1].send_keys(Keys.ENTER)
    assert browser.switch_to.active_element.get_attribute("name") == "password1"
