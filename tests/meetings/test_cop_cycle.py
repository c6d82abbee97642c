"""The COP cycle: "create the next COP" plans it COP_INTERVAL_MONTHS later (two years now), on
the same weekday, never in the past, with its segments at the same offsets and the venue left to
be confirmed."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from meetings.enums import MeetingKind, MeetingMode, MeetingStatus
from meetings.models import Meeting
from meetings.services import planning
from tests.factories import MeetingFactory, StaffFactory, country

pytestmark = pytest.mark.django_db

D = dt.date


def _cop4():
    """COP-4 as it was held: an online segment in November 2021, resumed in person in Bali in
    March 2022; the whole meeting spans both."""
    cop4 = MeetingFactory(
        code="cop-4", number=4, mode=MeetingMode.HYBRID, start_date=D(2021, 11, 1), end_date=D(2022, 3, 25),
        city="", country=None, title_en="Fourth meeting of the Conference of the Parties",
        status=MeetingStatus.HELD,
    )  # fmt: skip
    MeetingFactory(
        code="cop-4-online", number=4, parent=cop4, mode=MeetingMode.ONLINE, title_en="COP-4, first segment (online)",
        title_fr="COP-4, première partie (en ligne)", start_date=D(2021, 11, 1), end_date=D(2021, 11, 5), city="",
        country=None, status=MeetingStatus.HELD,
    )  # fmt: skip
    MeetingFactory(
        code="cop-4-bali", number=4, parent=cop4, mode=MeetingMode.IN_PERSON,
        title_en="COP-4, resumed in-person segment", start_date=D(2022, 3, 21), end_date=D(2022, 3, 25),
        city="Nusa Dua, Bali", country=country("IDN"), venue="Bali International Convention Centre",
        time_zone="Asia/Makassar", host="Government of Indonesia", status=MeetingStatus.HELD,
    )  # fmt: skip
    return cop4


def _cop6():
    return MeetingFactory(
        code="cop-6", number=6, start_date=D(2025, 11, 3), end_date=D(2025, 11, 7), city="Geneva",
        venue="Centre International de Conférences Genève", country=country("CHE"), status=MeetingStatus.HELD,
    )  # fmt: skip


def test_cop7_is_planned_two_years_after_cop6_on_a_monday_with_the_venue_to_be_confirmed():
    cop7 = planning.meeting_create_next_cop(meeting=_cop6(), today=D(2026, 12, 2))
    assert (cop7.code, cop7.number, cop7.status) == ("cop-7", 7, MeetingStatus.PLANNED)
    # 3 November 2027 is a Wednesday: the nearest Monday is 1 November.
    assert (cop7.start_date, cop7.end_date) == (D(2027, 11, 1), D(2027, 11, 5))
    assert cop7.start_date.weekday() == 0
    assert (cop7.venue, cop7.city, cop7.country, cop7.host, cop7.venue_confirmed) == ("", "", None, "", False)
    assert cop7.time_zone == "Europe/Zurich"


def test_from_cop4_the_segments_keep_their_offsets_and_cop5_falls_on_its_real_dates():
    cop5 = planning.meeting_create_next_cop(meeting=_cop4(), today=D(2023, 1, 1))
    # COP-5 was held in Geneva from 30 October to 3 November 2023: two years and a Monday later.
    assert (cop5.start_date, cop5.end_date, cop5.mode) == (
        D(2023, 10, 30),
        D(2024, 3, 22),
        MeetingMode.HYBRID,
    )
    segments = list(cop5.segments.order_by("start_date"))
    assert [(s.code, s.mode, s.start_date, s.end_date) for s in segments] == [
        ("cop-5-online", MeetingMode.ONLINE, D(2023, 10, 30), D(2023, 11, 3)),
        ("cop-5-bali", MeetingMode.IN_PERSON, D(2024, 3, 18), D(2024, 3, 22)),
    ]
    online, in_person = segments
    assert (online.title_en, online.title_fr) == (
        "COP-5, first segment (online)",
        "COP-5, première partie (en ligne)",
    )
    assert in_person.title_en == "COP-5, resumed in-person segment"
    assert (in_person.start_date - cop5.start_date) == (D(2022, 3, 21) - D(2021, 11, 1))
    # An online segment has no venue to confirm; the in-person one's venue is not guessed.
    assert (online.venue_confirmed, in_person.venue_confirmed) == (True, False)
    assert (in_person.venue, in_person.city, in_person.country, in_person.host) == ("", "", None, "")
    assert all(s.number == 5 and s.symbol_prefix == "UNEP/MC/COP.5" for s in segments)
    assert {s.status for s in segments} == {MeetingStatus.PLANNED}


def test_the_next_cop_is_never_in_the_past():
    today = timezone.localdate()
    cop5 = planning.meeting_create_next_cop(meeting=_cop4())
    assert cop5.start_date > today
    assert cop5.segments.filter(start_date__lte=today).count() == 0
    # Rolled by whole intervals: still a Monday, an even number of years after COP-4.
    assert cop5.start_date.weekday() == 0 and (cop5.start_date.year - 2021) % 2 == 0
    assert (cop5.start_date - D(2021, 11, 1)).days > 365 * 2
    # With today fixed: from COP-4 in December 2026, two years are not enough, six are.
    Meeting.objects.filter(parent=cop5).delete()
    cop5.delete()
    cop5 = planning.meeting_create_next_cop(meeting=Meeting.objects.get(code="cop-4"), today=D(2026, 12, 2))
    assert (cop5.start_date, cop5.end_date) == (D(2027, 11, 1), D(2028, 3, 24))
    # A COP that would open today is in the past for planning: it is rolled on.
    shift = planning.next_cop_shift(start=D(2025, 11, 3), today=D(2027, 11, 1))
    assert D(2025, 11, 3) + shift == D(2029, 11, 5)


def test_the_interval_is_a_setting(settings):
    settings.COP_INTERVAL_MONTHS = 12
    cop7 = planning.meeting_create_next_cop(meeting=_cop6(), today=D(2025, 12, 1))
    assert (cop7.start_date, cop7.end_date) == (D(2026, 11, 2), D(2026, 11, 6))
    settings.COP_INTERVAL_MONTHS = 36
    assert D(2025, 11, 3) + planning.next_cop_shift(start=D(2025, 11, 3), today=D(2025, 12, 1)) == D(
        2028, 11, 6
    )


def test_the_meeting_page_and_the_list_flag_the_venue_to_be_confirmed(client):
    cop7 = planning.meeting_create_next_cop(meeting=_cop6(), today=D(2026, 12, 2))
    text = client.get(cop7.get_absolute_url()).content.decode()
    assert 'id="venue-to-be-confirmed"' in text and "To be confirmed" in text
    assert "Venue to be confirmed" in client.get(reverse("meetings:list")).content.decode()
    assert 'id="venue-to-be-confirmed"' not in client.get(_cop6_page(client)).content.decode()


def _cop6_page(client):
    return Meeting.objects.get(code="cop-6").get_absolute_url()


def test_staff_create_cop7_from_cop6_in_the_admin_and_see_its_dates(client):
    cop6 = _cop6()
    client.force_login(StaffFactory(is_superuser=True))
    response = client.post(
        reverse("admin:meetings_meeting_changelist"),
        {"action": "create_next_cop", "_selected_action": [cop6.pk]},
        follow=True,
    )
    cop7 = Meeting.objects.get(code="cop-7", kind=MeetingKind.COP)
    text = response.content.decode()
    assert f"COP-7 created for {cop7.start_date.isoformat()} to {cop7.end_date.isoformat()}" in text
    assert "its venue is to be confirmed" in text
    assert cop7.start_date > timezone.localdate() and not cop7.venue_confirmed


def test_a_provisional_venue_shows_as_provisional_until_staff_confirm_it(client):
    cop7 = planning.meeting_create_next_cop(meeting=_cop6(), today=D(2026, 12, 2))
    cop7.city = "Geneva"
    planning.meeting_save(meeting=cop7)
    text = client.get(cop7.get_absolute_url()).content.decode()
    assert "To be confirmed</span> (provisionally Geneva)" in text
    cop7.venue_confirmed = True
    planning.meeting_save(meeting=cop7)
    text = client.get(cop7.get_absolute_url()).content.decode()
    assert 'id="venue-to-be-confirmed"' not in text and "<dd>Geneva</dd>" in text
