import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from accounts import roles
from meetings.enums import SideEventStatus
from meetings.models import SideEvent
from tests.browser_helpers import click_and_wait, sign_in
from tests.factories import MeetingFactory, StaffFactory

from .factories import SideEventSlotFactory, geneva

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_visitor_requests_a_side_event_and_staff_approve_it(
    browser, live_server, smtp_server, reference_data
):
    meeting = MeetingFactory(code="cop-2", title_en="Second meeting of the Conference of the Parties")
    SideEventSlotFactory(meeting=meeting, starts=geneva(19, 13, 15), ends=geneva(19, 14, 45))
    SideEventSlotFactory(meeting=meeting, starts=geneva(20, 18, 15), ends=geneva(20, 19, 45))

    browser.get(f"{live_server.url}/meetings/cop-2/")
    browser.find_element(By.LINK_TEXT, "Request a side event").click()
    fields = {
        "organisation": "Zero Mercury Working Group",
        "title": "Mercury-free dentistry",
        "description": "Phasing down dental amalgam under Annex A.",
        "expected_attendance": "80",
        "technical_needs": "Projector and two microphones",
        "contact_name": "Ana Ruiz",
        "contact_email": "ana@zeromercury.example",
    }
    for name, value in fields.items():
        browser.find_element(By.NAME, name).send_keys(value)
    browser.find_element(By.ID, "id_preferred_slots_1").click()
    browser.find_element(By.CSS_SELECTOR, "form.side-event-request button[type=submit]").click()
    WebDriverWait(browser, 10).until(lambda b: "/side-events/requested/" in b.current_url)
    assert browser.find_element(By.TAG_NAME, "h1").text == "Request received"
    smtp_server.wait_for(1)

    staff = StaffFactory(roles=[roles.SECRETARIAT_ADMIN])
    sign_in(browser, live_server, staff)
    browser.get(f"{live_server.url}/meetings/cop-2/side-events/review/")
    browser.find_element(By.LINK_TEXT, "Mercury-free dentistry").click()
    assert "Tue 20 Nov 18:15–19:45" in browser.find_element(By.CSS_SELECTOR, "dl.facts").text
    click_and_wait(browser, browser.find_element(By.NAME, "approve"))
    assert browser.find_element(By.ID, "side-event-status").text == "Approved"

    event = SideEvent.objects.get()
    assert event.status == SideEventStatus.APPROVED
    assert event.history.first().history_user == staff
    messages = smtp_server.wait_for(2)
    assert [(m["to"], m["message"]["Subject"]) for m in messages] == [
        (["ana@zeromercury.example"], "Side-event request received: Mercury-free dentistry"),
        (["ana@zeromercury.example"], "Side event approved: Mercury-free dentistry"),
    ]
    # The approved event is now on the public list.
    browser.get(f"{live_server.url}/meetings/cop-2/side-events/")
    assert "Mercury-free dentistry" in browser.find_element(By.TAG_NAME, "main").text
