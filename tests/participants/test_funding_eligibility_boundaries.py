"""Who may be funded, at the boundaries of the rule (issue 19): a State's delegate only; at a
meeting funding Parties only, a State that is a Party on the meeting's first day (its entry into
force included), never a non-Party from an eligible country nor a Party whose date is unknown;
an eligible classification held on the meeting's first day; LDCs first where the meeting says
so, then small island developing States, then the others."""

import datetime as dt

import pytest

from participants.enums import Capacity, FundingPolicy
from participants.models import MeetingParticipationSettings, Registration
from participants.selectors import FundingEligibility, funding_eligibility
from tests.factories import MeetingFactory, country

pytestmark = pytest.mark.django_db


def _eligibility(iso3, *, starts=dt.date(2026, 6, 15), capacity=Capacity.PARTY, meeting=None, **rules):
    meeting = meeting or MeetingFactory(start_date=starts, end_date=starts + dt.timedelta(days=4))
    meeting._participation_settings = MeetingParticipationSettings(meeting=meeting, **rules)
    registration = Registration(meeting=meeting, capacity=capacity, country=country(iso3) if iso3 else None)
    return funding_eligibility(registration=registration)


def test_funding_for_an_ldc_party_comes_first():
    assert _eligibility("ZMB") == FundingEligibility(True, 1, "")


def test_funding_for_an_ldc_without_ldc_priority_ranks_with_the_others():
    assert _eligibility("ZMB", ldc_priority=False) == FundingEligibility(True, 3, "")


def test_funding_for_a_small_island_state_comes_second():
    assert _eligibility("JAM") == FundingEligibility(True, 2, "")


def test_funding_for_an_ldc_that_is_also_a_small_island_state_without_ldc_priority_comes_second():
    assert _eligibility("KIR", ldc_priority=False) == FundingEligibility(True, 2, "")


def test_funding_for_another_developing_party_comes_third():
    assert _eligibility("PER") == FundingEligibility(True, 3, "")


def test_funding_follows_the_meetings_eligible_classifications():
    assert _eligibility("PER", eligible_classifications=["ldc"]) == FundingEligibility(
        False, 9, "Not eligible: Peru is not in an eligible category on the meeting's dates."
    )
    assert _eligibility("ZMB", eligible_classifications=["ldc"]) == FundingEligibility(True, 1, "")


def test_funding_refused_to_a_developed_party():
    assert _eligibility("CHE") == FundingEligibility(
        False, 9, "Not eligible: Switzerland is not in an eligible category on the meeting's dates."
    )


def test_funding_refused_to_a_non_party_from_an_eligible_country_at_a_meeting_funding_parties_only():
    # Angola is a least developed country and not a Party.
    assert _eligibility("AGO", capacity=Capacity.NON_PARTY_STATE) == FundingEligibility(
        False, 9,
        "Not eligible: Angola is not a Party to the Convention on the meeting's dates, and this meeting "
        "funds Parties only.",
    )  # fmt: skip


def test_funding_for_a_non_party_from_an_eligible_country_where_the_meeting_funds_them():
    policy = FundingPolicy.PARTIES_AND_NON_PARTIES
    assert _eligibility(
        "AGO", capacity=Capacity.NON_PARTY_STATE, funding_policy=policy
    ) == FundingEligibility(True, 1, "")


def test_funding_refused_to_a_party_registered_as_a_non_party_state_at_a_meeting_funding_parties_only():
    assert _eligibility("ZMB", capacity=Capacity.NON_PARTY_STATE) == FundingEligibility(
        False, 9,
        "Not eligible: Zambia is not a Party to the Convention on the meeting's dates, and this meeting "
        "funds Parties only.",
    )  # fmt: skip


def test_funding_for_a_party_from_its_entry_into_force_day():
    # India: entry into force 16 September 2018.
    assert _eligibility("IND", starts=dt.date(2018, 9, 16)) == FundingEligibility(True, 3, "")
    assert _eligibility("IND", starts=dt.date(2018, 9, 15)).reason == (
        "Not eligible: India is not a Party to the Convention on the meeting's dates, and this meeting "
        "funds Parties only."
    )


def test_funding_refused_to_a_party_whose_date_is_unknown_before_the_table_is_valid():
    assert _eligibility("CMR", starts=dt.date(2019, 11, 25)) == FundingEligibility(
        False, 9,
        "Not eligible: this meeting funds Parties only, and the date on which Cameroon became a Party is not "
        "known, so it cannot be said that it was a Party on the meeting's dates.",
    )  # fmt: skip


def test_funding_refused_to_an_organisations_delegate():
    assert _eligibility(None, capacity=Capacity.NGO) == FundingEligibility(
        False, 9, "Not eligible: only the delegates of States are funded."
    )


def test_funding_refused_to_a_state_capacity_without_a_state():
    assert _eligibility(None) == FundingEligibility(
        False, 9, "Not eligible: only the delegates of States are funded."
    )


def test_funding_refused_to_a_state_outside_the_meetings_scope_names_the_scope():
    meeting = MeetingFactory(
        title_en="African regional consultation",
        start_date=dt.date(2026, 6, 15),
        end_date=dt.date(2026, 6, 19),
    )
    meeting.scope_states.set([country("ZMB")])
    assert _eligibility("PER", meeting=meeting) == FundingEligibility(
        False, 9, "Not eligible: Peru is not within the scope of African regional consultation: Zambia."
    )


def test_funding_refused_outside_the_scope_ends_the_reason_with_one_full_stop():
    # A State's name as corrected in the admin may end with a full stop: the reason keeps one.
    meeting = MeetingFactory(
        title_en="Pacific consultation", start_date=dt.date(2026, 6, 15), end_date=dt.date(2026, 6, 19)
    )
    named = country("KNA")
    named.name_en = "St. Kitts and Nevis Fed."
    named.save()
    meeting.scope_states.set([named])
    assert _eligibility("PER", meeting=meeting).reason == (
        "Not eligible: Peru is not within the scope of Pacific consultation: St. Kitts and Nevis Fed."
    )
