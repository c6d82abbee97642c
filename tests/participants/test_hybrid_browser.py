"""A hybrid meeting in a real browser: one delegate registers in person and one online; Zambia's
focal point nominates both and staff accredit them; the online one is mailed the join link and
gets no badge, the in-person one a badge; the platform's attendance report is imported; the
statistics show Zambia present online."""

import datetime as dt

import pytest
from django.utils import timezone
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from meetings.enums import MeetingMode
from participants.enums import ParticipationMode, RegistrationStatus
from participants.models import Attendance, Registration
from participants.services.credentials import credentials_decide, credentials_record
from tests.browser_helpers import click_and_wait, sign_in, wait_for
from tests.factories import FocalPointFactory, StaffFactory, UserFactory, country

from .factories import open_meeting, pdf_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
JOIN = "https://meet.example.org/j/5550199?pwd=hybrid"


def _sign_out(browser, live_server):
    browser.get(live_server.url + "/")
    browser.delete_all_cookies()


def _register(browser, live_server, meeting, user, mode):
    sign_in(browser, live_server, user)
    browser.get(f"{live_server.url}/participants/register/{meeting.code}/")
    Select(browser.find_element(By.NAME, "capacity")).select_by_value("party")
    Select(browser.find_element(By.NAME, "country")).select_by_visible_text("Zambia")
    browser.find_element(By.CSS_SELECTOR, f"input[name=participation_mode][value={mode}]").click()
    click_and_wait(
        browser, browser.find_element(By.CSS_SELECTOR, "form.registration-form button[type=submit]")
    )
    assert "/participants/mine/" in browser.current_url, browser.find_element(By.TAG_NAME, "main").text
    _sign_out(browser, live_server)
    return Registration.objects.get(meeting=meeting, user=user)


def _nominate(browser, live_server, registration, role, letter=None, existing=False):
    browser.get(f"{live_server.url}/participants/focal-point/registrations/{registration.pk}/nominate/")
    Select(browser.find_element(By.NAME, "role")).select_by_value(role)
    if existing:
        Select(browser.find_element(By.NAME, "existing_letter")).select_by_index(1)
    else:
        browser.find_element(By.NAME, "letter").send_keys(str(letter))
    click_and_wait(browser, browser.find_element(By.CSS_SELECTOR, "main form button[type=submit]"))


def test_hybrid_meeting_in_person_and_online(browser, live_server, tmp_path, settings, smtp_server):
    settings.MEDIA_ROOT = tmp_path / "media"
    today = timezone.localdate()
    meeting = open_meeting(
        code="hybrid-path", title_en="Hybrid meeting (demo)", mode=MeetingMode.HYBRID, start_date=today,
        end_date=today + dt.timedelta(days=2), online_join_url=JOIN, online_join_details="Passcode 314159",
        time_zone="Europe/Zurich",
    )  # fmt: skip
    in_person_user = UserFactory(first_name="Mwila", last_name="Banda")
    online_user = UserFactory(first_name="Chanda", last_name="Phiri")
    focal_point = FocalPointFactory(country=country("ZMB")).user
    staff = StaffFactory(roles=["Registration officer"])

    # 1. One registers in person, the other online.
    in_person = _register(browser, live_server, meeting, in_person_user, "in_person")
    online = _register(browser, live_server, meeting, online_user, "online")
    assert (in_person.participation_mode, online.participation_mode) == (
        ParticipationMode.IN_PERSON, ParticipationMode.ONLINE
    )  # fmt: skip

    # 2. Zambia's focal point nominates both, with one note verbale.
    sign_in(browser, live_server, focal_point)
    letter = tmp_path / "note-verbale.pdf"
    letter.write_bytes(pdf_bytes())
    _nominate(browser, live_server, in_person, "head", letter=letter)
    _nominate(browser, live_server, online, "member", existing=True)
    page = browser.find_element(By.TAG_NAME, "main").text
    assert page.count("Nominated") >= 2 and "Online" in page
    _sign_out(browser, live_server)

    # 3. Staff accredit both in the admin.
    sign_in(browser, live_server, staff)
    browser.get(f"{live_server.url}/admin/participants/registration/?meeting__id__exact={meeting.pk}")
    browser.find_element(By.ID, "action-toggle").click()
    Select(browser.find_element(By.NAME, "action")).select_by_value("accredit")
    click_and_wait(browser, browser.find_element(By.CSS_SELECTOR, "button[name=index]"))
    wait_for(
        browser,
        lambda b: "2 registration(s) accredited" in b.find_element(By.CSS_SELECTOR, ".messagelist").text,
    )

    # 4. The online participant is mailed the join link (the in-person one only the confirmation
    # letter's mail); the change list offers a badge for the in-person one alone.
    wait_for(browser, lambda b: any(JOIN in _text(m["message"]) for m in smtp_server.messages), timeout=60)
    joins = [m for m in smtp_server.messages if JOIN in _text(m["message"])]
    assert [m["to"] for m in joins] == [[online.email]]
    assert "Passcode 314159" in _text(joins[0]["message"])
    buttons = browser.find_elements(By.CSS_SELECTOR, "button[formaction$='/badge/issue/']")
    assert [b.get_attribute("formaction").split("/")[-4] for b in buttons] == [str(in_person.pk)]

    # 5. The desk issues every badge: the online participant gets none.
    browser.get(f"{live_server.url}/participants/staff/{meeting.code}/")
    click_and_wait(browser, browser.find_element(By.CSS_SELECTOR, "form[action$='/badges/issue/'] button"))
    # The desk lands on the badges' PDF; its messages show on the next page.
    browser.get(f"{live_server.url}/participants/staff/{meeting.code}/")
    messages = browser.find_element(By.TAG_NAME, "body").text
    assert (
        "1 badge(s) issued." in messages
        and "1 accredited participant(s) take part online and get no badge." in messages
    )
    assert Registration.objects.get(pk=in_person.pk).status == RegistrationStatus.BADGE_ISSUED
    assert Registration.objects.get(pk=online.pk).status == RegistrationStatus.ACCREDITED

    # 6. Zambia's credentials are in order (the credentials desk; not this test's subject).
    credentials_record(
        meeting=meeting, country=country("ZMB"), form="original", issuer="foreign_minister",
        received_at=timezone.now(), by=staff,
    )  # fmt: skip
    credentials_decide(credentials=meeting.credentials.get(), verdict="in_order", by=staff)

    # 7. The platform's attendance report: the online delegate twice on the first day, and
    # someone nobody registered.
    day = today.isoformat()
    report = tmp_path / "attendance.csv"
    report.write_text(
        "Name,User Email,Join Time,Leave Time\n"
        f"Chanda Phiri,{online.email},{day} 09:55:00,{day} 12:31:00\n"
        f"Chanda Phiri,{online.email},{day} 14:58:00,{day} 18:00:00\n"
        f"Guest,guest@example.org,{day} 10:00:00,{day} 10:20:00\n"
    )
    browser.get(f"{live_server.url}/participants/staff/{meeting.code}/attendance/")
    browser.find_element(By.NAME, "file").send_keys(str(report))
    click_and_wait(
        browser, browser.find_element(By.CSS_SELECTOR, "form.attendance-import button[type=submit]")
    )
    result = browser.find_element(By.ID, "import-result").text
    assert "3 row(s) read: 1 day(s) recorded online" in result and "guest@example.org" in result
    attendance = Attendance.objects.get(registration=online)
    assert (attendance.day, attendance.mode) == (today, ParticipationMode.ONLINE)

    # 8. The statistics show Zambia present online that day.
    browser.get(f"{live_server.url}/participants/staff/{meeting.code}/statistics/")
    row = browser.find_element(By.CSS_SELECTOR, "#attendance-days tbody tr").find_elements(By.TAG_NAME, "td")
    # Day, participants, in person, online, Parties in person, Parties online, Parties present, quorum.
    assert [cell.text for cell in row[1:6]] == ["1", "0", "1", "0", "1"]
    assert row[6].text.startswith("1 / ")
    _sign_out(browser, live_server)

    # 9. The online delegate finds the join link on their page; the in-person one does not.
    sign_in(browser, live_server, online_user)
    browser.get(f"{live_server.url}/participants/mine/")
    assert browser.find_element(By.LINK_TEXT, "Join online").get_attribute("href") == JOIN
    _sign_out(browser, live_server)
    sign_in(browser, live_server, in_person_user)
    browser.get(f"{live_server.url}/participants/mine/")
    assert JOIN not in browser.page_source


def _text(message) -> str:
    part = message.get_body(preferencelist=("plain",))
    return part.get_content() if part is not None else ""
