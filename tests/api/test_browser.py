"""In Chromium: the API's documentation renders from the portal's own files under its
Content-Security-Policy, and a staff member makes a token on the page and uses it."""

import pytest
import requests
from selenium.webdriver.common.by import By

from api.models import ApiToken
from participants.enums import RegistrationStatus
from tests.browser_helpers import click_and_wait, sign_in, wait_for
from tests.factories import StaffFactory, country
from tests.participants.factories import RegistrationFactory, open_meeting

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _csp_errors(browser):
    return [e["message"] for e in browser.get_log("browser") if "Content Security Policy" in e["message"]]


def test_swagger_ui_renders_the_schema_with_no_csp_violation_and_nothing_from_elsewhere(browser, live_server):
    browser.get(live_server.url + "/api/v1/docs/")
    title = wait_for(
        browser, lambda b: b.find_elements(By.CSS_SELECTOR, ".swagger-ui .info .title"), timeout=20
    )
    assert "Minamata COP Portal API" in title[0].text
    operations = browser.find_elements(By.CSS_SELECTOR, ".opblock-summary-path")
    assert len(operations) == 13
    resources = browser.execute_script("return performance.getEntriesByType('resource').map(e => e.name)")
    assert resources and all(url.startswith(live_server.url) for url in resources), resources
    assert _csp_errors(browser) == []


def test_a_staff_member_makes_a_token_on_the_page_and_their_tool_accredits_with_it(browser, live_server):
    officer = StaffFactory(roles=["Registration officer"])
    meeting = open_meeting(code="cop-9")
    registration = RegistrationFactory(
        meeting=meeting, country=country("ZMB"), status=RegistrationStatus.NOMINATED
    )
    sign_in(browser, live_server, officer)
    browser.get(live_server.url + "/api/tokens/")
    browser.find_element(By.NAME, "name").send_keys("Registration sheet")
    browser.find_element(By.CSS_SELECTOR, "select[name=scope] option[value=read_write]").click()
    click_and_wait(browser, browser.find_element(By.CSS_SELECTOR, "main form button[type=submit]"))
    raw = browser.find_element(By.CSS_SELECTOR, ".token-value").text
    assert raw.startswith("mcp_")
    headers = {"Authorization": f"Bearer {raw}"}
    listed = requests.get(
        f"{live_server.url}/api/v1/meetings/cop-9/registrations/", headers=headers, timeout=10
    )
    assert [r["id"] for r in listed.json()["results"]] == [registration.pk]
    accredited = requests.post(
        f"{live_server.url}/api/v1/registrations/{registration.pk}/accredit/", headers=headers, timeout=10
    )
    assert accredited.status_code == 200 and accredited.json()["status"] == "accredited"
    # Revoked on the page: the tool is refused at its next request.
    browser.get(live_server.url + "/api/tokens/")
    click_and_wait(browser, browser.find_element(By.XPATH, "//td/form/button"))
    assert ApiToken.objects.get(owner=officer).revoked_at is not None
    again = requests.get(
        f"{live_server.url}/api/v1/meetings/cop-9/registrations/", headers=headers, timeout=10
    )
    assert again.status_code == 401
    assert _csp_errors(browser) == []
