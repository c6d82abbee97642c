"""Signing in from the browser tests, two-factor step included for staff."""

from pathlib import Path

from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value, yield_hotp_counters_from_time
from selenium.common.exceptions import StaleElementReferenceException, WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from tests.factories import PASSWORD


def totp_code(secret):
    counters = list(yield_hotp_counters_from_time())
    return format_hotp_value(hotp_value(secret, counters[len(counters) // 2]))


def sign_in(browser, live_server, user, password=PASSWORD):
    """Sign `user` in through the real login form; staff made by StaffFactory also pass the
    two-factor step with a code computed from their `totp_secret`."""
    browser.get(live_server.url + "/accounts/login/")
    browser.find_element(By.NAME, "login").send_keys(user.email)
    browser.find_element(By.NAME, "password").send_keys(password)
    browser.find_element(By.CSS_SELECTOR, "form[action*=login] button[type=submit]").click()
    WebDriverWait(browser, 10).until(lambda b: "/accounts/login/" not in b.current_url)
    if "/accounts/2fa/authenticate/" in browser.current_url:
        browser.find_element(By.NAME, "code").send_keys(totp_code(user.totp_secret))
        browser.find_element(By.CSS_SELECTOR, "main form button[type=submit]").click()
        WebDriverWait(browser, 10).until(lambda b: "/accounts/2fa/authenticate/" not in b.current_url)


def wait_for(browser, condition, timeout=10):
    """Wait until `condition(browser)` is truthy. While a submitted form's page is replaced, an
    element found on the old page goes stale under the condition's feet: that is "not yet"."""
    return WebDriverWait(browser, timeout, ignored_exceptions=(StaleElementReferenceException,)).until(
        condition
    )


def click_and_wait(browser, element, timeout=10):
    """Click something that loads a new page and wait until that new page is whole.

    The old page is marked with a flag in its window; the new page has none. Asking the element
    whether it went stale is not enough: mid-navigation Chromium may answer with an inspector
    error ("Node with given id does not belong to the document") instead of "stale"."""
    browser.execute_script("window.__portalOldPage = true;")
    element.click()

    def new_page_loaded(b):
        try:
            return b.execute_script(
                "return window.__portalOldPage === undefined && document.readyState === 'complete';"
            )
        except WebDriverException:  # the old document is going away under the script
            return False

    WebDriverWait(browser, timeout).until(new_page_loaded)


AXE_SCRIPT = Path(__file__).resolve().parent / "vendor" / "axe-core" / "axe.min.js"
# WCAG 2.0, 2.1 and 2.2 at levels A and AA, and axe's best practices (landmarks, heading order).
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
SERIOUS = ("serious", "critical")


def axe_run(browser, tags=AXE_TAGS):
    """Run the vendored axe-core on the page the browser shows; its violations, every impact."""
    if not browser.execute_script("return typeof window.axe === 'object';"):
        browser.execute_script(AXE_SCRIPT.read_text(encoding="utf-8"))
    result = browser.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {runOnly: {type: 'tag', values: arguments[0]}, resultTypes: ['violations']})"
        ".then(r => done(r.violations)).catch(e => done({error: String(e)}));",
        tags,
    )
    if isinstance(result, dict) and "error" in result:
        raise RuntimeError(f"axe-core failed on {browser.current_url}: {result['error']}")
    return result


def axe_violations(browser, impacts=SERIOUS):
    """The page's axe-core violations of the given impacts (serious and critical by default)."""
    return [violation for violation in axe_run(browser) if violation["impact"] in impacts]


def axe_report(violations, url=""):
    """A readable account of violations: rule, impact, help and the selectors of each node."""
    lines = []
    for violation in violations:
        lines.append(f"{url} {violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"][:10]:
            lines.append(
                f"    {' '.join(str(t) for t in node['target'])}: {node.get('failureSummary', '')[:200]}"
            )
        if len(violation["nodes"]) > 10:
            lines.append(f"    ... and {len(violation['nodes']) - 10} more")
    return "\n".join(lines)
