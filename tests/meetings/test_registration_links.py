import pytest
from django.urls import reverse

from meetings.enums import MeetingStatus
from tests.factories import MeetingFactory, StaffFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_an_open_meeting_page_offers_registration_and_observer_admission(client):
    meeting = MeetingFactory(status=MeetingStatus.REGISTRATION_OPEN)
    client.force_login(UserFactory())
    content = client.get(meeting.get_absolute_url(), secure=True).content.decode()
    assert reverse("participants:register", args=[meeting.code]) in content
    assert reverse("participants:observer_apply", args=[meeting.code]) in content
    assert reverse("participants:staff_meeting", args=[meeting.code]) not in content


def test_a_held_meeting_offers_no_registration_but_registration_staff_reach_the_desk(client):
    meeting = MeetingFactory(status=MeetingStatus.HELD)
    desk = reverse("participants:staff_meeting", args=[meeting.code])
    content = client.get(meeting.get_absolute_url(), secure=True).content.decode()
    assert reverse("participants:register", args=[meeting.code]) not in content
    client.force_login(StaffFactory(roles=["Registration officer"]))
    content = client.get(meeting.get_absolute_url(), secure=True).content.decode()
    assert desk in content
    assert "Registration desk" in client.get(desk, secure=True).content.decode()  # the link leads somewhere
    # Staff whose role gives no access to the desk are not shown a link that would refuse them.
    client.force_login(StaffFactory(roles=["Documents officer"]))
    assert desk not in client.get(meeting.get_absolute_url(), secure=True).content.decode()
