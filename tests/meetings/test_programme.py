import datetime as dt
import io
import zoneinfo

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from pypdf import PdfReader

from meetings.enums import SessionKind
from meetings.models import Session
from meetings.services import programme
from tests.factories import MeetingFactory, StaffFactory

from .factories import SessionFactory, geneva

pytestmark = pytest.mark.django_db


def _session(meeting, **kwargs):
    values = {"meeting": meeting, "kind": SessionKind.PLENARY, "title_en": "Plenary", "room": "Room 1",
              "starts": geneva(19, 10), "ends": geneva(19, 13)}  # fmt: skip
    values.update(kwargs)
    return Session(**values)


def test_session_must_end_after_it_starts():
    meeting = MeetingFactory()
    with pytest.raises(ValidationError) as error:
        programme.session_save(session=_session(meeting, starts=geneva(19, 13), ends=geneva(19, 10)))
    assert error.value.message_dict["ends"] == ["A session must end after it starts."]
    assert not Session.objects.exists()


def test_database_refuses_a_session_ending_before_it_starts():
    with pytest.raises(IntegrityError):
        _session(MeetingFactory(), starts=geneva(19, 13), ends=geneva(19, 10)).save()


@pytest.mark.parametrize(
    ("starts", "ends"),
    [
        (geneva(18, 23, 30), geneva(19, 1)),
        (geneva(23, 18), geneva(24, 0, 30)),
        (geneva(26, 10), geneva(26, 12)),
    ],
)
def test_session_outside_the_meeting_dates_is_refused(starts, ends):
    meeting = MeetingFactory()  # 19–23 November 2018, Geneva
    with pytest.raises(ValidationError) as error:
        programme.session_save(session=_session(meeting, starts=starts, ends=ends))
    assert (
        "within the meeting's dates (2018-11-19 to 2018-11-23, Europe/Zurich)"
        in error.value.message_dict["starts"][0]
    )


def test_dates_are_read_in_the_venue_time_zone():
    bali = zoneinfo.ZoneInfo("Asia/Makassar")
    meeting = MeetingFactory(
        time_zone="Asia/Makassar", start_date=dt.date(2022, 3, 21), end_date=dt.date(2022, 3, 25)
    )
    # 08:00 in Bali on the opening day is the evening before in UTC: still inside the meeting.
    session = programme.session_save(
        session=_session(
            meeting,
            starts=dt.datetime(2022, 3, 21, 8, tzinfo=bali),
            ends=dt.datetime(2022, 3, 21, 10, tzinfo=bali),
        )
    )
    assert session.starts.astimezone(dt.UTC).day == 21 and session.starts.astimezone(dt.UTC).hour == 0
    session = programme.session_save(
        session=_session(meeting, room="Room 2", starts=dt.datetime(2022, 3, 21, 7, tzinfo=bali),
                         ends=dt.datetime(2022, 3, 21, 7, 30, tzinfo=bali))
    )  # fmt: skip
    assert session.local_starts.hour == 7


def test_same_room_at_overlapping_times_is_refused_with_the_clashing_session():
    meeting = MeetingFactory()
    SessionFactory(
        meeting=meeting, title_en="Opening plenary", room="Room 1", starts=geneva(19, 10), ends=geneva(19, 13)
    )
    with pytest.raises(ValidationError) as error:
        programme.session_save(session=_session(meeting, starts=geneva(19, 12), ends=geneva(19, 14)))
    assert error.value.message_dict["room"] == [
        "Room 1 is already booked from 19 Nov 10:00 to 13:00 for “Opening plenary”."
    ]
    # Back to back is fine; so is another room, or an online session with no room.
    programme.session_save(session=_session(meeting, starts=geneva(19, 13), ends=geneva(19, 14)))
    programme.session_save(
        session=_session(meeting, room="Room 2", starts=geneva(19, 10), ends=geneva(19, 13))
    )
    programme.session_save(session=_session(meeting, room="", starts=geneva(19, 10), ends=geneva(19, 13)))
    programme.session_save(session=_session(meeting, room="", starts=geneva(19, 10), ends=geneva(19, 13)))
    assert Session.objects.count() == 5


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the exclusion constraint is PostgreSQL's")
def test_database_refuses_a_double_booking_written_directly():
    meeting = MeetingFactory()
    Session.objects.create(
        meeting=meeting, title_en="A", room="Room 1", starts=geneva(19, 13), ends=geneva(19, 15)
    )
    with pytest.raises(IntegrityError, match="session_room_not_double_booked"), transaction.atomic():
        Session.objects.create(
            meeting=meeting, title_en="B", room="Room 1", starts=geneva(19, 14), ends=geneva(19, 16)
        )
    # The same room in another meeting (another venue) is another room.
    Session.objects.create(
        meeting=MeetingFactory(), title_en="C", room="Room 1", starts=geneva(19, 14), ends=geneva(19, 16)
    )


def _programme_meeting():
    meeting = MeetingFactory(
        code="cop-2", title_en="Second meeting of the Conference of the Parties", venue="CICG"
    )
    SessionFactory(
        meeting=meeting, title_en="Opening plenary", room="Room 1", starts=geneva(19, 10), ends=geneva(19, 13)
    )
    SessionFactory(meeting=meeting, kind=SessionKind.REGIONAL_GROUP, title_en="African Group", room="Room 3",
                   starts=geneva(19, 8, 30), ends=geneva(19, 9, 30))  # fmt: skip
    SessionFactory(meeting=meeting, kind=SessionKind.CONTACT_GROUP, title_en="Contact group on budget",
                   room="Room 2", starts=geneva(20, 15), ends=geneva(20, 18))  # fmt: skip
    return meeting


def test_programme_page_groups_sessions_by_venue_day(client):
    meeting = _programme_meeting()
    response = client.get(reverse("meetings:programme", args=[meeting.code]))
    days = response.context["days"]
    assert [(day.isoformat(), [s.title_en for s in sessions]) for day, sessions in days] == [
        ("2018-11-19", ["African Group", "Opening plenary"]),
        ("2018-11-20", ["Contact group on budget"]),
    ]
    page = response.content.decode()
    assert "08:30–09:30" in page and "15:00–18:00" in page and "Regional group meeting" in page


def test_programme_pdf_reads_back(client):
    meeting = _programme_meeting()
    response = client.get(reverse("meetings:programme_pdf", args=[meeting.code]))
    assert response["Content-Type"] == "application/pdf"
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Second meeting of the Conference of the Parties" in text
    assert "Monday 19 November 2018" in text and "Tuesday 20 November 2018" in text
    assert "08:30–09:30" in text and "Opening plenary" in text and "Contact group on budget" in text
    assert "times in Europe/Zurich" in text


@pytest.mark.parametrize("count", [2, 10])
def test_programme_page_uses_a_fixed_number_of_queries(client, django_assert_num_queries, count):
    meeting = MeetingFactory()
    for n in range(count):
        SessionFactory(
            meeting=meeting, room=f"Room {n}", starts=geneva(19 + n % 5, 9), ends=geneva(19 + n % 5, 10)
        )
    with django_assert_num_queries(2):  # meeting, sessions with their side events (no transaction)
        response = client.get(reverse("meetings:programme", args=[meeting.code]))
    assert sum(len(sessions) for _day, sessions in response.context["days"]) == count


def test_admin_session_form_reads_times_at_the_venue(client):
    meeting = MeetingFactory(
        time_zone="Asia/Makassar", start_date=dt.date(2022, 3, 21), end_date=dt.date(2022, 3, 25)
    )
    client.force_login(StaffFactory(is_superuser=True))
    response = client.post(
        reverse("admin:meetings_session_add"),
        {"meeting": meeting.pk, "kind": "plenary", "title_en": "Opening", "room": "Hall A",
         "starts_0": "2022-03-21", "starts_1": "10:00", "ends_0": "2022-03-21", "ends_1": "09:00"},
    )  # fmt: skip
    assert response.status_code == 200
    assert "A session must end after it starts." in response.content.decode()
    response = client.post(
        reverse("admin:meetings_session_add"),
        {"meeting": meeting.pk, "kind": "plenary", "title_en": "Opening", "room": "Hall A",
         "starts_0": "2022-03-21", "starts_1": "10:00", "ends_0": "2022-03-21", "ends_1": "13:00"},
    )  # fmt: skip
    assert response.status_code == 302
    session = Session.objects.get()
    assert session.starts.astimezone(dt.UTC).hour == 2  # 10:00 WITA is 02:00 UTC


def test_admin_meeting_form_reads_its_programme_in_the_time_zone_being_saved(client):
    meeting = MeetingFactory(time_zone="Europe/Zurich")
    client.force_login(StaffFactory(is_superuser=True))
    url = reverse("admin:meetings_meeting_change", args=[meeting.pk])
    form = client.get(url).context["adminform"].form
    data = {name: form[name].value() or "" for name in form.fields}
    data.update({"time_zone": "Asia/Makassar", "back_to_back_with": [], "country": meeting.country_id})
    data.update({"start_date": "2018-11-19", "end_date": "2018-11-23", "languages": [], "regions": [],
                 "scope_states": [], "scope_groups": []})  # fmt: skip
    for prefix in ("contributions", "partners", "sessions", "side_event_slots"):
        data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"})
    data.update({"sessions-TOTAL_FORMS": "1", "sessions-0-kind": "plenary", "sessions-0-title_en": "Opening",
                 "sessions-0-room": "Hall A", "sessions-0-starts_0": "2018-11-19", "sessions-0-starts_1": "10:00",
                 "sessions-0-ends_0": "2018-11-19", "sessions-0-ends_1": "12:00"})  # fmt: skip
    response = client.post(url, data)
    assert response.status_code == 302, response.context and response.context["errors"]
    session = meeting.sessions.get()
    assert session.starts.astimezone(dt.UTC).hour == 2  # 10:00 in Bali
