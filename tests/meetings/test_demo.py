import pytest

from meetings import demo
from meetings.enums import AgendaStatus, SideEventStatus
from meetings.models import Meeting, SideEvent
from outbox.models import OutgoingMail

pytestmark = pytest.mark.django_db


def test_demo_loads_real_meetings_agendas_donors_programme_and_side_events(client):
    counts = demo.load()
    assert demo.load() == counts  # loading twice adds nothing
    cop2 = Meeting.objects.get(code="cop-2")
    adopted = cop2.agenda_versions.get()
    assert adopted.status == AgendaStatus.ADOPTED
    labels = [
        i.label for i in adopted.items.select_related("parent").order_by("parent__position", "position")
    ]
    assert "2 (a)" in labels and "4 (a)" in labels
    cop4 = Meeting.objects.get(code="cop-4")
    assert list(cop4.agenda_versions.order_by("number").values_list("status", flat=True)) == [
        AgendaStatus.SUPERSEDED,
        AgendaStatus.ADOPTED,
    ]
    page = client.get("/meetings/cop-4/").content.decode()
    assert "Capacity-building, technical assistance and technology transfer" in page
    assert "International cooperation and coordination" in page
    lusaka = Meeting.objects.get(code="rc-africa-2018")
    assert sorted(c.donor_country.iso3 for c in lusaka.contributions.all()) == ["AUT", "CHE", "JPN", "SWE"]
    assert cop2.sessions.filter(kind="side_event").count() == 2
    public = client.get("/meetings/cop-2/side-events/").context["side_events"]
    assert {e.status for e in public} == {SideEventStatus.APPROVED, SideEventStatus.SCHEDULED}
    assert len(public) == 3


def test_demo_side_events_move_through_the_transition_table_with_their_history():
    """Each demo request walks the same moves a reviewer makes (submitted → approved →
    scheduled, or declined), so its history shows every step, and no mail is queued."""
    demo.load()
    steps = {
        event.title: [h.status for h in event.history.order_by("history_date", "history_id")]
        for event in SideEvent.objects.filter(meeting__code="cop-2")
    }
    submitted, approved = SideEventStatus.SUBMITTED, SideEventStatus.APPROVED
    assert steps["Phasing down dental amalgam: experiences from Parties"] == [
        submitted, approved, SideEventStatus.SCHEDULED,
    ]  # fmt: skip
    assert steps["Mercury-added medical devices after 2020"] == [submitted, approved]
    assert steps["Product showcase"] == [submitted, SideEventStatus.DECLINED]
    assert not OutgoingMail.objects.exists()


def test_demo_holds_cop5_cop6_an_upcoming_hybrid_meeting_and_regional_scopes(client):
    import datetime as dt

    from django.utils import timezone

    from meetings.enums import MeetingMode, MeetingStatus
    from meetings.selectors import meeting_scope, online_segments
    from meetings.services import planning
    from participants.selectors import registration_is_open
    from tests.factories import country

    demo.load()
    cop5, cop6 = Meeting.objects.get(code="cop-5"), Meeting.objects.get(code="cop-6")
    assert (cop5.start_date, cop5.end_date, cop5.city, cop5.status) == (
        dt.date(2023, 10, 30), dt.date(2023, 11, 3), "Geneva", MeetingStatus.HELD,
    )  # fmt: skip
    assert (cop6.start_date, cop6.end_date, cop6.venue, cop6.status) == (
        dt.date(2025, 11, 3), dt.date(2025, 11, 7), "Geneva International Conference Centre (CICG)",
        MeetingStatus.HELD,
    )  # fmt: skip
    assert not cop5.agenda_versions.exists() and not cop6.agenda_versions.exists()  # nothing invented
    listing = client.get("/meetings/").content.decode()
    assert "Fifth meeting of the Conference of the Parties" in listing
    assert "Sixth meeting of the Conference of the Parties" in listing

    today = timezone.localdate()
    upcoming = Meeting.objects.get(code="demo-hybrid")
    assert upcoming.title_en.startswith("DEMO meeting (not a real meeting)")
    assert upcoming.mode == MeetingMode.HYBRID and registration_is_open(upcoming)
    assert upcoming.end_date == today + dt.timedelta(days=64)
    online = Meeting.objects.get(code="demo-hybrid-online")
    assert online_segments(upcoming) == [upcoming, online]
    assert online.start_date > today and online.parent == upcoming
    assert (
        upcoming.online_join_url
        and "meet.example.org" not in client.get(upcoming.get_absolute_url()).content.decode()
    )
    page = client.get(upcoming.get_absolute_url()).content.decode()
    assert "Register for this meeting" in page

    lusaka = meeting_scope(Meeting.objects.get(code="rc-africa-2018"))
    assert lusaka.describe() == "African States" and not lusaka.includes(country("PER"))
    chisinau = meeting_scope(Meeting.objects.get(code="rc-ceeca-2018"))
    assert chisinau.includes(country("KAZ")) and chisinau.includes(country("MDA"))
    assert not chisinau.includes(country("FRA"))
    assert chisinau.describe().startswith("Central and Eastern Europe and Central Asia (")
    gaborone = meeting_scope(Meeting.objects.get(code="rc-africa-2025"))
    assert gaborone.describe() == "African States"

    cop7 = planning.meeting_create_next_cop(meeting=cop6, today=dt.date(2026, 12, 2))
    assert (cop7.start_date, cop7.end_date, cop7.venue_confirmed) == (
        dt.date(2027, 11, 1),
        dt.date(2027, 11, 5),
        False,
    )


def test_the_upcoming_demo_meeting_moves_ahead_once_it_has_started():
    import datetime as dt

    from reference.models import Country

    demo.load()
    countries = {c.iso3: c for c in Country.objects.all()}
    first = Meeting.objects.get(code="demo-hybrid")
    later = first.start_date + dt.timedelta(days=30)
    moved = demo._upcoming_demo_meeting(countries, today=later)
    assert moved.pk == first.pk and moved.start_date == later + dt.timedelta(days=53)
    assert Meeting.objects.get(code="demo-hybrid-online").start_date == moved.start_date
    assert demo._upcoming_demo_meeting(countries, today=later).start_date == moved.start_date
