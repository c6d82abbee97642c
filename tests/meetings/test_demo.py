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
