"""Review of issue 12: the statistics charts name the days as the page's language writes them
("6 avr." / "6 Abr"), not in English whatever the language."""

import datetime as dt

import pytest
from django.urls import reverse

from meetings.enums import MeetingMode
from participants.enums import AttendanceSource
from participants.models import Attendance
from tests.factories import StaffFactory

from .factories import open_meeting
from .test_attendance_online import ONLINE, _online

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 4, 6)


@pytest.mark.parametrize(("language", "month"), [("en", "Apr"), ("fr", "Avr"), ("es", "Abr")])
def test_chart_days_are_written_in_the_pages_language(client, language, month):
    meeting = open_meeting(code="hybrid-apr", mode=MeetingMode.HYBRID, start_date=DAY, end_date=DAY)
    registration = _online(meeting, "mwila@env.gov.zm", "ZMB")
    Attendance.objects.create(registration=registration, day=DAY, mode=ONLINE, source=AttendanceSource.STAFF)
    client.force_login(StaffFactory(roles=["Registration officer"]))
    page = client.get(
        reverse("participants:statistics", args=[meeting.code]), HTTP_ACCEPT_LANGUAGE=language
    ).content.decode()
    assert f"6 {month}" in page
    if language != "en":
        assert "06 Apr" not in page and "6 Apr" not in page
