"""Registration windows and the credentials deadline at their exact instants (issue 19).

Registration is open from `registration_opens` (that instant included) until
`registration_closes` (excluded: at that instant it is closed), and only while the meeting's
status is "registration open". Credentials are due 24 hours (the meeting's setting) after the
opening at 10:00 in the venue's time; credentials received at that instant are on time."""

import datetime as dt

import pytest
from django.utils import timezone

from meetings.enums import MeetingStatus
from meetings.models import Meeting
from participants import selectors
from participants.enums import CredentialsForm, CredentialsIssuer
from participants.models import MeetingParticipationSettings
from participants.services.credentials import credentials_record
from tests.factories import MeetingFactory, country

OPENS = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
CLOSES = dt.datetime(2026, 4, 30, 23, 59, tzinfo=dt.UTC)
SECOND = dt.timedelta(seconds=1)


def _meeting(**kwargs):
    fields = {
        "status": MeetingStatus.REGISTRATION_OPEN,
        "registration_opens": OPENS,
        "registration_closes": CLOSES,
    }
    return Meeting(**{**fields, **kwargs})


def test_registration_is_closed_the_second_before_it_opens():
    assert selectors.registration_is_open(_meeting(), now=OPENS - SECOND) is False


def test_registration_is_open_at_the_instant_it_opens():
    assert selectors.registration_is_open(_meeting(), now=OPENS) is True


def test_registration_is_open_the_second_before_it_closes():
    assert selectors.registration_is_open(_meeting(), now=CLOSES - SECOND) is True


def test_registration_is_closed_at_the_instant_it_closes():
    assert selectors.registration_is_open(_meeting(), now=CLOSES) is False


def test_registration_without_an_opening_is_open_until_it_closes():
    meeting = _meeting(registration_opens=None)
    assert selectors.registration_is_open(meeting, now=dt.datetime(2000, 1, 1, tzinfo=dt.UTC)) is True
    assert selectors.registration_is_open(meeting, now=CLOSES) is False


def test_registration_without_a_closing_stays_open_once_opened():
    meeting = _meeting(registration_closes=None)
    assert selectors.registration_is_open(meeting, now=OPENS - SECOND) is False
    assert selectors.registration_is_open(meeting, now=dt.datetime(2100, 1, 1, tzinfo=dt.UTC)) is True


@pytest.mark.parametrize("status", [MeetingStatus.PLANNED, MeetingStatus.REGISTRATION_CLOSED])
def test_registration_is_closed_outside_the_registration_open_status_even_inside_the_window(status):
    assert selectors.registration_is_open(_meeting(status=status), now=OPENS + SECOND) is False


def test_registration_window_read_at_the_current_instant_without_now():
    now = timezone.now()
    assert selectors.registration_is_open(
        _meeting(registration_opens=now - SECOND * 60, registration_closes=None)
    )
    assert not selectors.registration_is_open(_meeting(registration_opens=now + dt.timedelta(hours=1)))


@pytest.mark.django_db
def test_credentials_due_24_hours_after_the_opening_at_10_in_the_venues_time():
    meeting = MeetingFactory(
        start_date=dt.date(2026, 6, 15), end_date=dt.date(2026, 6, 19), time_zone="Europe/Zurich"
    )
    assert selectors.credentials_deadline(meeting) == dt.datetime(2026, 6, 16, 8, 0, tzinfo=dt.UTC)


@pytest.mark.django_db
def test_credentials_deadline_follows_the_meetings_setting_in_hours():
    meeting = MeetingFactory(
        start_date=dt.date(2026, 6, 15), end_date=dt.date(2026, 6, 19), time_zone="Asia/Tokyo"
    )
    MeetingParticipationSettings.objects.create(meeting=meeting, credentials_deadline_hours=48)
    assert selectors.credentials_deadline(meeting) == dt.datetime(2026, 6, 17, 1, 0, tzinfo=dt.UTC)


@pytest.mark.django_db
def test_credentials_received_at_the_deadline_are_on_time_and_a_second_later_late():
    meeting = MeetingFactory(
        start_date=dt.date(2026, 6, 15), end_date=dt.date(2026, 6, 19), time_zone="Europe/Zurich"
    )
    deadline = dt.datetime(2026, 6, 16, 8, 0, tzinfo=dt.UTC)
    for iso3, received_at in (("ZMB", deadline), ("PER", deadline + SECOND)):
        credentials_record(
            meeting=meeting, country=country(iso3), form=CredentialsForm.ORIGINAL,
            issuer=CredentialsIssuer.FOREIGN_MINISTER, received_at=received_at, by=None,
        )  # fmt: skip
    rows = selectors.credentials_report(meeting=meeting, now=deadline)["rows"]
    assert {row["country"].iso3: row["late"] for row in rows} == {"ZMB": False, "PER": True}
