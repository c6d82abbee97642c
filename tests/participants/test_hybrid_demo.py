"""The hybrid demo meeting: Peru's delegation in person and online, with the statistics showing
Peru present both ways, loaded through the services and only once."""

import pytest

from accounts import demo as accounts_demo
from meetings import demo as meetings_demo
from participants import demo, selectors
from participants.enums import ParticipationMode, RegistrationStatus
from participants.models import Registration

pytestmark = pytest.mark.django_db


def test_hybrid_demo_has_a_delegate_in_person_and_one_online_present_both_ways():
    accounts_demo.load()
    meetings_demo.load()
    assert demo.load_hybrid() == {"hybrid demo registrations": 2}
    meeting = Registration.objects.filter(meeting__code=demo.HYBRID_DEMO_CODE).first().meeting
    people = {r.participation_mode: r for r in Registration.objects.filter(meeting=meeting)}
    assert people[ParticipationMode.IN_PERSON].status == RegistrationStatus.BADGE_ISSUED
    assert people[ParticipationMode.ONLINE].status == RegistrationStatus.ACCREDITED
    days = selectors.meeting_statistics(meeting=meeting)["days"]
    assert [(d["parties_in_person"], d["parties_online"], d["parties_present"]) for d in days] == [
        (0, 1, 1),
        (1, 1, 1),
    ]
    assert demo.load_hybrid() == {}  # loading twice adds nothing
