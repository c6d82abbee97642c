"""Attendance of online participants: the platform's report (CSV) imported all or nothing with
every bad row named, unknown e-mails listed; staff entries; and the statistics and quorum counting
a Party present in person or online."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from meetings.enums import MeetingMode
from participants import selectors
from participants.enums import AttendanceSource, ParticipationMode, RegistrationStatus
from participants.errors import AttendanceError
from participants.models import Attendance
from participants.services.attendance import attendance_import, attendance_record
from participants.services.badges import badge_token, registration_check_in
from participants.services.credentials import credentials_decide, credentials_record
from participants.services.funding import meeting_settings_get_or_create
from tests.factories import StaffFactory, UserFactory, country

from .factories import RegistrationFactory, open_meeting, pdf_bytes

pytestmark = pytest.mark.django_db
S = RegistrationStatus
ONLINE, IN_PERSON = ParticipationMode.ONLINE, ParticipationMode.IN_PERSON
DAY1, DAY2 = dt.date(2025, 11, 3), dt.date(2025, 11, 4)


@pytest.fixture
def meeting():
    return open_meeting(code="hybrid-att", mode=MeetingMode.HYBRID, start_date=DAY1, end_date=dt.date(2025, 11, 7),
                        time_zone="Europe/Zurich")  # fmt: skip


@pytest.fixture
def officer():
    return StaffFactory(roles=["Registration officer"])


def _csv(text, name="attendance.csv"):
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


def _online(meeting, email, iso3="ZMB", status=S.ACCREDITED):
    return RegistrationFactory(meeting=meeting, country=country(iso3), email=email, status=status,
                               participation_mode=ONLINE)  # fmt: skip


def _credentials_in_order(meeting, iso3):
    credentials_record(
        meeting=meeting, country=country(iso3), form="original", issuer="foreign_minister",
        received_at=dt.datetime(2025, 11, 3, 9, tzinfo=dt.UTC), by=None,
    )  # fmt: skip
    credentials_decide(
        credentials=meeting.credentials.get(country=country(iso3)), verdict="in_order", by=None
    )


# --- The platform's report -----------------------------------------------------------------------


def test_import_merges_several_rows_of_one_person_on_one_day(meeting):
    mwila = _online(meeting, "mwila@env.gov.zm")
    report = (
        "Name,User Email,Join Time,Leave Time,Duration (Minutes)\n"
        "Mwila Banda,Mwila@env.gov.zm,2025-11-03 09:58:00,2025-11-03 12:30:00,152\n"
        "Mwila Banda,mwila@env.gov.zm,2025-11-03 14:55:00,2025-11-03 18:02:00,187\n"
        "Mwila Banda,mwila@env.gov.zm,2025-11-04 10:00:00,2025-11-04 11:00:00,60\n"
    )
    result = attendance_import(meeting=meeting, uploaded=_csv(report), by=None)
    assert (result.rows, result.created, result.merged, result.unknown) == (3, 2, 0, [])
    rows = list(Attendance.objects.filter(registration=mwila).order_by("day"))
    assert [(a.day, a.mode, a.source) for a in rows] == [
        (DAY1, ONLINE, AttendanceSource.PLATFORM_REPORT), (DAY2, ONLINE, AttendanceSource.PLATFORM_REPORT)
    ]  # fmt: skip
    zurich = meeting.tz
    assert rows[0].joined_at == dt.datetime(2025, 11, 3, 9, 58, tzinfo=zurich)
    assert rows[0].left_at == dt.datetime(2025, 11, 3, 18, 2, tzinfo=zurich)
    # The same report again changes nothing but says it merged.
    again = attendance_import(meeting=meeting, uploaded=_csv(report), by=None)
    assert (again.created, again.merged) == (0, 2)
    assert Attendance.objects.filter(registration=mwila).count() == 2


def test_a_bad_report_is_refused_whole_with_every_bad_row_named(meeting):
    _online(meeting, "mwila@env.gov.zm")
    report = (
        "e-mail;join time;leave time\n"
        "mwila@env.gov.zm;2025-11-03 09:58;2025-11-03 12:30\n"
        "not-an-address;2025-11-03 09:58;2025-11-03 12:30\n"
        "mwila@env.gov.zm;yesterday;2025-11-03 12:30\n"
        "mwila@env.gov.zm;2025-11-03 12:00;2025-11-03 11:00\n"
        "mwila@env.gov.zm;2025-12-03 10:00;2025-12-03 11:00\n"
    )
    with pytest.raises(AttendanceError) as refused:
        attendance_import(meeting=meeting, uploaded=_csv(report), by=None)
    assert refused.value.message_dict["file"] == [
        "Line 3: the e-mail “not-an-address” is not an e-mail address.",
        "Line 4: the join time “yesterday” is not a date and time.",
        "Line 5: the leave time is before the join time.",
        "Line 6: 2025-12-03 is not a day of the meeting (2025-11-03 to 2025-11-07).",
    ]
    assert not Attendance.objects.exists()  # not even the good first row


def test_a_report_without_the_columns_says_which_are_missing(meeting):
    with pytest.raises(AttendanceError) as refused:
        attendance_import(meeting=meeting, uploaded=_csv("email,duration\na@b.org,10\n"), by=None)
    assert "missing: join time, leave time" in refused.value.message_dict["file"][0]


def test_a_file_that_is_not_csv_or_too_large_is_refused(meeting, settings):
    with pytest.raises(AttendanceError) as refused:
        attendance_import(meeting=meeting, uploaded=SimpleUploadedFile("report.csv", pdf_bytes()), by=None)
    assert "not a CSV text file" in refused.value.message_dict["file"][0]
    settings.UPLOAD_MAX_BYTES = 20
    with pytest.raises(AttendanceError) as refused:
        attendance_import(meeting=meeting, uploaded=_csv("e-mail,join time,leave time\n" * 3), by=None)
    assert "larger than" in refused.value.message_dict["file"][0]


def test_unknown_and_not_accredited_emails_are_listed_not_recorded(meeting):
    _online(meeting, "mwila@env.gov.zm")
    _online(meeting, "pending@env.gov.zm", status=S.NOMINATED)
    report = (
        "email,join time,leave time\n"
        "mwila@env.gov.zm,2025-11-03 10:00,2025-11-03 11:00\n"
        "stranger@example.org,2025-11-03 10:00,2025-11-03 11:00\n"
        "pending@env.gov.zm,2025-11-03 10:00,2025-11-03 11:00\n"
    )
    result = attendance_import(meeting=meeting, uploaded=_csv(report), by=None)
    assert result.created == 1
    assert result.unknown == ["stranger@example.org"]
    assert result.not_accredited == [("pending@env.gov.zm", "Nominated")]
    assert Attendance.objects.count() == 1


def test_a_day_checked_in_at_the_desk_stays_in_person(meeting):
    delegate = RegistrationFactory(meeting=meeting, country=country("ZMB"), email="desk@env.gov.zm",
                                   status=S.BADGE_ISSUED)  # fmt: skip
    registration_check_in(meeting=meeting, token=badge_token(delegate), by=None, day=DAY1)
    report = "email,join time,leave time\ndesk@env.gov.zm,2025-11-03 10:00,2025-11-03 11:00\n"
    result = attendance_import(meeting=meeting, uploaded=_csv(report), by=None)
    assert (result.created, result.in_person) == (0, 1)
    assert Attendance.objects.get(registration=delegate).mode == IN_PERSON


def test_staff_upload_page_lists_unknown_emails_and_bad_rows(client, meeting, officer):
    _online(meeting, "mwila@env.gov.zm")
    client.force_login(officer)
    url = reverse("participants:attendance_import", args=[meeting.code])
    good = "email,join time,leave time\nmwila@env.gov.zm,2025-11-03 10:00,2025-11-03 11:00\nx@y.org,2025-11-03 10:00,2025-11-03 11:00\n"
    page = client.post(url, {"file": _csv(good)}).content.decode()
    assert "x@y.org" in page and "Not registered for this meeting" in page
    bad = "email,join time,leave time\nmwila@env.gov.zm,soon,2025-11-03 11:00\n"
    response = client.post(url, {"file": _csv(bad)})
    assert response.status_code == 400
    assert "Line 2: the join time “soon” is not a date and time." in response.content.decode()
    assert Attendance.objects.count() == 1


def test_attendance_pages_are_registration_staff_only_and_need_csrf(meeting, officer):
    client = Client()
    client.force_login(UserFactory())
    assert client.get(reverse("participants:attendance", args=[meeting.code])).status_code == 403
    csrf_client = Client(enforce_csrf_checks=True)
    csrf_client.force_login(officer)
    _online(meeting, "mwila@env.gov.zm")
    report = "email,join time,leave time\nmwila@env.gov.zm,2025-11-03 10:00,2025-11-03 11:00\n"
    response = csrf_client.post(
        reverse("participants:attendance_import", args=[meeting.code]), {"file": _csv(report)}
    )
    assert response.status_code == 403 and not Attendance.objects.exists()
    # The same upload with the CSRF token is taken: the 403 above was the CSRF check, not the rule.
    csrf_client.get(reverse("participants:attendance", args=[meeting.code]))
    token = csrf_client.cookies["csrftoken"].value
    csrf_client.post(
        reverse("participants:attendance_import", args=[meeting.code]),
        {"file": _csv(report), "csrfmiddlewaretoken": token},
    )
    assert Attendance.objects.count() == 1


# --- Staff entries -------------------------------------------------------------------------------


def test_staff_record_attendance_of_accredited_participants_on_meeting_days(client, meeting, officer):
    mwila = _online(meeting, "mwila@env.gov.zm")
    pending = _online(meeting, "pending@env.gov.zm", status=S.NOMINATED)
    row, created = attendance_record(registration=mwila, day=DAY2, mode=ONLINE, by=officer)
    assert created and (row.mode, row.source, row.checked_in_by) == (ONLINE, AttendanceSource.STAFF, officer)
    with pytest.raises(AttendanceError) as refused:
        attendance_record(registration=pending, day=DAY2, mode=ONLINE, by=officer)
    assert "only accredited participants attend" in refused.value.message_dict["registration"][0]
    with pytest.raises(AttendanceError) as refused:
        attendance_record(registration=mwila, day=dt.date(2025, 11, 8), mode=ONLINE, by=officer)
    assert "is not a day of the meeting" in refused.value.message_dict["day"][0]
    client.force_login(officer)
    response = client.post(reverse("participants:attendance_record", args=[meeting.code]),
                           {"registration": mwila.pk, "day": "2025-11-03", "mode": "in_person"})  # fmt: skip
    assert response.status_code == 302
    assert Attendance.objects.get(registration=mwila, day=DAY1).mode == IN_PERSON


# --- Statistics and quorum -------------------------------------------------------------------------


def test_a_party_counts_present_online_or_in_person_and_once_when_both(meeting):
    rules = meeting_settings_get_or_create(meeting=meeting)
    rules.quorum_fraction = Decimal("0.015")  # 3 of about 150 Parties
    rules.save()
    zmb_online = _online(meeting, "mwila@env.gov.zm", "ZMB")
    zmb_desk = RegistrationFactory(meeting=meeting, country=country("ZMB"), status=S.ACCREDITED)
    che_online = _online(meeting, "anna@bafu.admin.ch", "CHE")
    deu_no_credentials = _online(meeting, "karl@bmu.de", "DEU")
    per_not_accredited = _online(meeting, "rosa@minam.gob.pe", "PER", status=S.NOMINATED)
    for iso3 in ("ZMB", "CHE", "DEU", "PER"):
        if iso3 != "DEU":
            _credentials_in_order(meeting, iso3)
    for registration in (zmb_online, che_online, deu_no_credentials, per_not_accredited):
        Attendance.objects.create(registration=registration, day=DAY1, mode=ONLINE,
                                  source=AttendanceSource.PLATFORM_REPORT)  # fmt: skip
    attendance_record(registration=zmb_desk, day=DAY1, mode=IN_PERSON, by=None)
    stats = selectors.meeting_statistics(meeting=meeting)
    day = stats["days"][0]
    assert (day["people"], day["people_in_person"], day["people_online"]) == (5, 1, 4)
    # Zambia in person and online, Switzerland online; Germany (no credentials in order) and Peru
    # (not accredited) do not count.
    assert (day["parties_in_person"], day["parties_online"], day["parties_present"]) == (1, 2, 2)
    assert stats["quorum"] == 3 and day["quorum_met"] is False
    assert dict(stats["by_mode"]) == {"In person": 1, "Online": 3}


def test_statistics_page_shows_presence_in_person_and_online(client, meeting, officer):
    zmb = _online(meeting, "mwila@env.gov.zm", "ZMB")
    _credentials_in_order(meeting, "ZMB")
    Attendance.objects.create(registration=zmb, day=DAY1, mode=ONLINE, source=AttendanceSource.STAFF)
    client.force_login(officer)
    page = client.get(reverse("participants:statistics", args=[meeting.code])).content.decode()
    assert "Parties present online" in page and "Parties present in person and online" in page


def test_attendance_page_and_statistics_cost_the_same_queries_at_one_and_six_people(client, meeting, officer):
    def add(n):
        registration = _online(meeting, f"delegate{n}@env.gov.zm", "ZMB")
        Attendance.objects.create(
            registration=registration, day=DAY1, mode=ONLINE, source=AttendanceSource.STAFF
        )
        Attendance.objects.create(
            registration=registration, day=DAY2, mode=ONLINE, source=AttendanceSource.STAFF
        )
        people.append(registration)

    people = []

    def queries(name):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse(f"participants:{name}", args=[meeting.code])).status_code == 200
        return len(captured)

    client.force_login(officer)
    add(0)
    one = (queries("attendance"), queries("statistics"))
    for n in range(1, 6):
        add(n)
    assert (queries("attendance"), queries("statistics")) == one
    # ...and the page does list the twelve days recorded (equal counts of an empty page prove nothing)
    page = client.get(reverse("participants:attendance", args=[meeting.code])).content.decode()
    assert all(page.count(escape(r.full_name)) >= 2 for r in people), "each person on both days"


def test_quorum_counts_parties_whose_date_is_unknown_and_says_so(client, meeting, officer):
    from reference.selectors import parties_count_on

    parties = parties_count_on(meeting.start_date)
    stats = selectors.meeting_statistics(meeting=meeting)
    assert (stats["parties_total"], stats["parties_date_unknown"]) == (parties.total, parties.date_unknown)
    client.force_login(officer)
    page = client.get(reverse("participants:statistics", args=[meeting.code])).content.decode()
    assert parties.date_unknown == 1  # Cameroon in the 2026 table: a Party, date unknown
    assert (
        'id="quorum-footnote"' in page
        and "1 Party is counted whose date of becoming a Party is not known" in page
    )


def test_statistics_xlsx_has_presence_in_person_and_online_per_day(client, meeting, officer):
    import tablib

    zmb = _online(meeting, "mwila@env.gov.zm", "ZMB")
    _credentials_in_order(meeting, "ZMB")
    Attendance.objects.create(registration=zmb, day=DAY1, mode=ONLINE, source=AttendanceSource.STAFF)
    client.force_login(officer)
    book = tablib.Databook().load(
        client.get(reverse("participants:statistics_xlsx", args=[meeting.code])).content, "xlsx"
    )
    attendance = book.sheets()[-1]
    assert attendance.headers == [
        "Day", "Participants present", "Present in person", "Present online", "Parties present in person",
        "Parties present online", "Parties present", "Quorum met",
    ]  # fmt: skip
    assert list(attendance[0])[1:7] == [1, 0, 1, 0, 1, 1]
