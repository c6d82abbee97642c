"""Review of issue 12: the allocation declines, with the reason, a request the meeting can no
longer fund (here: the meeting's scope changed after the request), instead of leaving it
"requested" with no reason; the others are allocated as before."""

import pytest

from participants.enums import Capacity, FundingStatus
from participants.services.funding import funding_allocate, funding_request_create
from tests.factories import MeetingFactory, country

from .factories import RegistrationFactory

pytestmark = pytest.mark.django_db
F = FundingStatus


def _request(meeting, iso3):
    registration = RegistrationFactory(meeting=meeting, country=country(iso3), capacity=Capacity.PARTY)
    return funding_request_create(registration=registration, by=None)


def test_a_request_no_longer_eligible_is_declined_with_the_reason():
    meeting = MeetingFactory(title_en="African regional consultation")
    peru, zambia = _request(meeting, "PER"), _request(meeting, "ZMB")
    assert peru.status == zambia.status == F.REQUESTED
    meeting.regions = ["african"]  # the scope is set after the requests
    meeting.save()
    outcome = funding_allocate(meeting=meeting, by=None)
    assert outcome == {F.APPROVED: 1, F.WAITING: 0, "refusals": 1}
    peru.refresh_from_db()
    zambia.refresh_from_db()
    assert zambia.status == F.APPROVED
    assert peru.status == F.DECLINED
    assert (
        peru.decision_note
        == "Not eligible: Peru is not within the scope of African regional consultation: African States."
    )
