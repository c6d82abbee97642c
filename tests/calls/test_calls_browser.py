"""A call in a real browser: staff send it; the Zambia focal point uploads a submission; staff
remind those who have not answered, accept the submission and compile the answers into an INF
document."""

import datetime as dt

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from accounts import roles
from calls.enums import AnswerStatus, CallStatus
from calls.models import Answer, Call
from documents.models import Document
from letters.enums import LetterKind
from letters.models import Letter
from outbox.models import OutgoingMail
from tests.browser_helpers import click_and_wait, sign_in
from tests.documents.factories import pdf_bytes
from tests.factories import FocalPointFactory, MeetingFactory, StaffFactory, UserFactory, country

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _button(browser, label):
    return browser.find_element(By.XPATH, f"//button[normalize-space()='{label}']")


def test_staff_send_a_call_zambia_answers_staff_remind_and_compile(browser, live_server, tmp_path):
    start = dt.date.today() + dt.timedelta(days=200)
    meeting = MeetingFactory(code="cop-9", number=9, start_date=start, end_date=start + dt.timedelta(days=4))
    officer = StaffFactory(email="officer@un.example", roles=[roles.DOCUMENTS_OFFICER])
    zambia = FocalPointFactory(user=UserFactory(email="nfp@zambia.example"), country=country("ZMB"))
    FocalPointFactory(user=UserFactory(email="nfp@japan.example"), country=country("JPN"))

    # Staff write the call and send it.
    sign_in(browser, live_server, officer)
    browser.get(f"{live_server.url}/calls/staff/new/")
    Select(browser.find_element(By.NAME, "meeting")).select_by_value(str(meeting.pk))
    Select(browser.find_element(By.NAME, "kind")).select_by_value("submissions")
    browser.find_element(By.NAME, "title").send_keys("Capacity-building and technical assistance")
    browser.find_element(By.NAME, "mandate").send_keys("decision MC-3/8")
    browser.find_element(By.NAME, "body").send_keys("Please send information on capacity-building.")
    Select(browser.find_element(By.NAME, "audience")).select_by_value("parties")
    deadline = browser.find_element(By.NAME, "deadline")
    browser.execute_script(
        "arguments[0].value = arguments[1];", deadline, (start - dt.timedelta(days=60)).isoformat()
    )
    click_and_wait(browser, _button(browser, "Save"))
    assert "Call saved as a draft" in browser.find_element(By.CSS_SELECTOR, ".messages").text
    click_and_wait(browser, _button(browser, "Send the call"))
    assert "The call has been sent." in browser.find_element(By.CSS_SELECTOR, ".messages").text
    call = Call.objects.get()
    assert call.status == CallStatus.SENT
    letter = Letter.objects.get(kind=LetterKind.CALL, recipient_email="nfp@zambia.example")
    assert letter.pdf  # rendered and mailed like any letter
    assert OutgoingMail.objects.filter(
        trigger_key__startswith=f"letter:{letter.pk}:send:", to=letter.recipient_email
    ).exists()

    # The Zambia focal point uploads a submission. Staff's session is kept aside: signing in again
    # within the same 30 seconds would replay the two-factor code, which is refused.
    staff_session = browser.get_cookies()
    browser.delete_all_cookies()
    sign_in(browser, live_server, zambia.user)
    browser.get(f"{live_server.url}/calls/")
    click_and_wait(browser, browser.find_element(By.LINK_TEXT, "Zambia"))
    browser.find_element(By.NAME, "text").send_keys("Zambia needs support for its inventory.")
    path = tmp_path / "zambia-submission.pdf"
    path.write_bytes(pdf_bytes())
    browser.find_element(By.NAME, "files").send_keys(str(path))
    click_and_wait(browser, _button(browser, "Submit"))
    assert "Your answer has been received" in browser.find_element(By.CSS_SELECTOR, ".messages").text
    assert "zambia-submission.pdf" in browser.find_element(By.ID, "answers").text
    answer = Answer.objects.get()
    assert (answer.country.iso3, answer.files.get().original_name) == ("ZMB", "zambia-submission.pdf")
    assert OutgoingMail.objects.filter(
        trigger_key__startswith=f"call-answer:{answer.pk}:receipt:"
    ).get().to == ("nfp@zambia.example")

    # Staff remind those who have not answered, accept Zambia's answer and compile.
    browser.delete_all_cookies()
    for cookie in staff_session:
        browser.add_cookie(
            {"name": cookie["name"], "value": cookie["value"], "path": cookie.get("path", "/")}
        )
    browser.get(f"{live_server.url}/calls/staff/{call.pk}/")
    assert "Zambia" in browser.find_element(By.ID, "answered").text
    waiting = browser.find_element(By.ID, "not-answered").text
    assert "Japan" in waiting and "Zambia" not in waiting
    click_and_wait(browser, browser.find_element(By.NAME, "remind"))
    assert "Reminder sent to 1 person whose State" in browser.find_element(By.CSS_SELECTOR, ".messages").text
    reminded = OutgoingMail.objects.filter(trigger_key__startswith=f"call:{call.pk}:reminder:")
    assert list(reminded.values_list("to", flat=True)) == ["nfp@japan.example"]
    click_and_wait(browser, _button(browser, "Accept"))
    assert Answer.objects.get().status == AnswerStatus.ACCEPTED
    click_and_wait(browser, browser.find_element(By.NAME, "compile"))
    assert (
        "The answers are compiled in UNEP/MC/COP.9/INF/1."
        in browser.find_element(By.CSS_SELECTOR, ".messages").text
    )
    assert browser.find_element(By.ID, "call-compilation").text == "UNEP/MC/COP.9/INF/1"
    document = Document.objects.get(symbol="UNEP/MC/COP.9/INF/1")
    assert Call.objects.get().compilation == document
    assert document.versions.get(language="en").files.get().kind == "pdf"
