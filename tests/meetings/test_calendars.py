import datetime as dt

import pytest
from django.urls import reverse
from icalendar import Calendar

from meetings.enums import MeetingKind, MeetingMode, MeetingStatus
from tests.factories import MeetingFactory, country

from .factories import SessionFactory, geneva

pytestmark = pytest.mark.django_db


def _parse(response):
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return Calendar.from_ical(response.content)


def _events(calendar):
    return {str(e["SUMMARY"]): e for e in calendar.walk("VEVENT")}


@pytest.fixture
def meetings():
    cop4 = MeetingFactory(code="cop-4", number=4, title_en="COP-4", mode=MeetingMode.HYBRID,
                          start_date=dt.date(2021, 11, 1), end_date=dt.date(2022, 3, 25))  # fmt: skip
    MeetingFactory(code="cop-4-online", parent=cop4, number=4, title_en="COP-4 online segment", mode=MeetingMode.ONLINE,
                   start_date=dt.date(2021, 11, 1), end_date=dt.date(2021, 11, 5), city="", country=None)  # fmt: skip
    MeetingFactory(code="cop-4-bali", parent=cop4, number=4, title_en="COP-4 resumed segment", city="Nusa Dua, Bali",
                   country=country("IDN"), venue="Bali International Convention Centre", time_zone="Asia/Makassar",
                   start_date=dt.date(2022, 3, 21), end_date=dt.date(2022, 3, 25))  # fmt: skip
    MeetingFactory(code="bureau-2018-04", kind=MeetingKind.BUREAU, number=None, title_en="Bureau teleconference",
                   start_date=dt.date(2018, 4, 27), end_date=dt.date(2018, 4, 27), status=MeetingStatus.CANCELLED)  # fmt: skip
    return cop4


def test_all_meetings_feed_is_valid_with_all_day_events_and_stable_uids(client, meetings):
    response = client.get(reverse("meetings:calendar"))
    calendar = _parse(response)
    assert calendar["VERSION"] == "2.0" and "Minamata" in str(calendar["PRODID"])
    events = _events(calendar)
    # A COP held in segments appears as its segments, not as one event spanning five months.
    assert sorted(events) == ["Bureau teleconference", "COP-4 online segment", "COP-4 resumed segment"]
    bali = events["COP-4 resumed segment"]
    assert bali["DTSTART"].params["VALUE"] == "DATE"
    assert bali.decoded("DTSTART") == dt.date(2022, 3, 21)
    assert bali.decoded("DTEND") == dt.date(2022, 3, 26)  # exclusive: the day after the last day
    assert str(bali["LOCATION"]) == "Bali International Convention Centre, Nusa Dua, Bali, Indonesia"
    assert str(bali["URL"]).endswith("/meetings/cop-4-bali/")
    assert isinstance(bali.decoded("DTSTAMP"), dt.datetime) and bali.decoded("DTSTAMP").tzinfo is not None
    assert str(events["Bureau teleconference"]["STATUS"]) == "CANCELLED"
    one_day = events["Bureau teleconference"]
    assert one_day.decoded("DTEND") - one_day.decoded("DTSTART") == dt.timedelta(days=1)
    uids = {str(e["UID"]) for e in calendar.walk("VEVENT")}
    assert len(uids) == 3
    # Renaming a meeting changes neither its UID nor the set of UIDs a client holds.
    meetings.segments.filter(code="cop-4-bali").update(title_en="Resumed session, Bali", code="cop-4-resumed")
    again = {str(e["UID"]) for e in _parse(client.get(reverse("meetings:calendar"))).walk("VEVENT")}
    assert again == uids


def test_feed_per_kind(client, meetings):
    calendar = _parse(client.get(reverse("meetings:calendar_kind", args=["bureau"])))
    assert list(_events(calendar)) == ["Bureau teleconference"]
    assert "Bureau" in str(calendar["X-WR-CALNAME"])
    assert client.get(reverse("meetings:calendar_kind", args=["party"])).status_code == 404


def test_programme_feed_carries_the_venue_time_zone(client):
    meeting = MeetingFactory(code="cop-2", venue="CICG")
    SessionFactory(
        meeting=meeting, title_en="Opening plenary", room="Room 1", starts=geneva(19, 10), ends=geneva(19, 13)
    )
    SessionFactory(
        meeting=meeting, title_en="Closing plenary", room="Room 1", starts=geneva(23, 15), ends=geneva(23, 18)
    )
    calendar = _parse(client.get(reverse("meetings:programme_ics", args=[meeting.code])))
    [vtimezone] = calendar.walk("VTIMEZONE")
    assert str(vtimezone["TZID"]) == "Europe/Zurich"
    opening = _events(calendar)["Opening plenary"]
    assert opening["DTSTART"].params["TZID"] == "Europe/Zurich"
    assert opening.decoded("DTSTART").replace(tzinfo=None) == dt.datetime(2018, 11, 19, 10, 0)
    assert opening.decoded("DTSTART").utcoffset() == dt.timedelta(hours=1)
    assert opening.decoded("DTEND").hour == 13
    assert str(opening["LOCATION"]) == "Room 1, CICG, Geneva"
    assert all(str(e["UID"]).startswith("session-") for e in calendar.walk("VEVENT"))
    assert b"DTSTART;TZID=Europe/Zurich:20181119T100000" in calendar.to_ical()


def test_upcoming_json_for_aggregators_is_the_apis_list_of_upcoming_meetings(client, meetings):
    """/meetings/upcoming.json answers as /api/v1/meetings/?upcoming=true (api/legacy.py)."""
    future = MeetingFactory(
        code="cop-9", title_en="Ninth meeting", title_fr="Neuvième réunion", start_date=dt.date.today() + dt.timedelta(days=30),
        end_date=dt.date.today() + dt.timedelta(days=34), languages=["en"],
    )  # fmt: skip
    response = client.get("/meetings/upcoming.json")
    assert response["Content-Type"] == "application/json"
    assert response["ETag"]
    data = response.json()
    assert (data["count"], data["next"], data["previous"]) == (1, None, None)
    [item] = data["results"]
    assert (item["id"], item["code"]) == (future.pk, "cop-9")
    assert item["titles"] == {"en": "Ninth meeting", "fr": "Neuvième réunion"}
    assert (item["kind"], item["country"], item["treaty"]) == ("cop", "CHE", "minamata")
    assert item["start_date"] == future.start_date.isoformat()
    assert item["end_date"] == future.end_date.isoformat()
    assert item["url"] == "http://testserver/meetings/cop-9/"
    assert item["api_url"] == "http://testserver/api/v1/meetings/cop-9/"


# The API's list: savepoint, count, the page of meetings with country and parent, release (the
# answer carries an ETag of its body, no Last-Modified, so no query for the latest change).
UPCOMING_JSON_QUERIES = 4


@pytest.mark.parametrize("count", [2, 12])
def test_feeds_use_a_fixed_number_of_queries(client, django_assert_num_queries, count):
    # Segments of one COP, each in a country: the feeds read every meeting's parent and country,
    # so a lost select_related would show here as a query per row.
    today = dt.date.today()
    cop = MeetingFactory(kind=MeetingKind.COP, start_date=today, end_date=today + dt.timedelta(days=count))
    for n in range(count):
        meeting = MeetingFactory(
            kind=MeetingKind.COP,
            parent=cop,
            country=country("IDN"),
            start_date=today + dt.timedelta(days=n),
            end_date=today + dt.timedelta(days=n),
        )
        SessionFactory(meeting=meeting)
    with django_assert_num_queries(1):  # meetings with country and parent (no transaction)
        assert len(_parse(client.get(reverse("meetings:calendar"))).walk("VEVENT")) == count
    with django_assert_num_queries(1):
        feed = _parse(client.get(reverse("meetings:calendar_kind", args=[MeetingKind.COP])))
    assert len(feed.walk("VEVENT")) == count
    with django_assert_num_queries(UPCOMING_JSON_QUERIES):
        items = client.get("/meetings/upcoming.json").json()["results"]
    assert len(items) == count + 1  # the COP itself and its segments
    assert sorted({item["parent"] for item in items}, key=str) == [None, cop.code]
    assert {item["country"] for item in items if item["parent"]} == {"IDN"}


@pytest.mark.parametrize("count", [2, 12])
def test_programme_feed_uses_a_fixed_number_of_queries(client, django_assert_num_queries, count):
    meeting = MeetingFactory()
    for n in range(count):
        SessionFactory(meeting=meeting, room=f"Room {n}")
    with django_assert_num_queries(2):  # meeting, sessions (no transaction)
        calendar = _parse(client.get(reverse("meetings:programme_ics", args=[meeting.code])))
    assert len(calendar.walk("VEVENT")) == count
