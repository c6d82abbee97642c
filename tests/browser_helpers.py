"""Signing in from the browser tests, two-factor step included for staff."""

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
