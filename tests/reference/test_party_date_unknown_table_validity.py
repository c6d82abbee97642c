"""Review of issue 12: a Party whose date is unknown (Cameroon in the 2026 table) is a Party on and
after the day the Parties' table is valid on (its ReferenceDataset's `valid_on`, inclusive), and of
unknown standing before it: both sides, in the selectors, funding, the Bureau and the credentials
report."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from bureau.enums import Office
from bureau.services import membership_add
from participants import selectors as participant_selectors
from participants.enums import Capacity, FundingStatus, RegistrationStatus
from participants.services.funding import funding_request_create
from reference.enums import PartyStanding
from reference.models import ConventionParty, ReferenceDataset
from reference.selectors import parties_count_on, parties_on, party_standing, party_standings
from tests.bureau.factories import bureau_term
from tests.factories import MeetingFactory, UserFactory, country
from tests.participants.factories import RegistrationFactory

pytestmark = pytest.mark.django_db
D = dt.date
# Not the 2026 table's own date: the rule reads the dataset row, not a constant.
VALID_ON = D(2025, 3, 10)


@pytest.fixture(autouse=True)
def table_valid_on():
    assert ConventionParty.objects.get(code="CMR").entry_into_force is None
    assert ReferenceDataset.objects.filter(key="minamata_parties").update(valid_on=VALID_ON) == 1


def test_standing_is_unknown_before_the_tables_date_and_party_from_it_on(django_assert_num_queries):
    cameroon = country("CMR")
    assert party_standing(cameroon, VALID_ON - dt.timedelta(days=1)) == PartyStanding.PARTY_DATE_UNKNOWN
    assert party_standing(cameroon, VALID_ON) == PartyStanding.PARTY  # inclusive
    assert party_standing(cameroon, VALID_ON + dt.timedelta(days=400)) == PartyStanding.PARTY
    with django_assert_num_queries(1):
        before, on = party_standings(VALID_ON - dt.timedelta(days=1)), None
    with django_assert_num_queries(1):
        on = party_standings(VALID_ON)
    assert before[cameroon.pk] == PartyStanding.PARTY_DATE_UNKNOWN
    assert on[cameroon.pk] == PartyStanding.PARTY
    flagged = {c.iso3: c.party_date_unknown for c in parties_on(VALID_ON - dt.timedelta(days=1))}
    assert flagged["CMR"] is True
    flagged = {c.iso3: c.party_date_unknown for c in parties_on(VALID_ON)}
    assert flagged["CMR"] is False
    assert "CMR" in set(parties_on(VALID_ON, include_date_unknown=False).values_list("iso3", flat=True))
    assert parties_count_on(VALID_ON - dt.timedelta(days=1)).date_unknown == 1
    assert parties_count_on(VALID_ON).date_unknown == 0


def _funding(start):
    meeting = MeetingFactory(start_date=start, end_date=start + dt.timedelta(days=4))
    registration = RegistrationFactory(meeting=meeting, country=country("CMR"), capacity=Capacity.PARTY)
    return funding_request_create(registration=registration, by=None)


def test_funding_a_parties_only_meeting_declines_before_and_funds_from_the_tables_date():
    before = _funding(VALID_ON - dt.timedelta(days=1))
    assert before.status == FundingStatus.DECLINED
    assert "the date on which Cameroon became a Party is not known" in before.decision_note
    on = _funding(VALID_ON)
    assert on.status != FundingStatus.DECLINED, on.decision_note


def test_bureau_officer_refused_before_and_elected_from_the_tables_date():
    with pytest.raises(ValidationError, match="The date on which Cameroon became a Party is not known"):
        membership_add(
            term=bureau_term(start=VALID_ON - dt.timedelta(days=10), end=VALID_ON - dt.timedelta(days=1)),
            user=UserFactory(),
            country=country("CMR"), office=Office.VICE_PRESIDENT,
        )  # fmt: skip
    assert membership_add(
        term=bureau_term(start=VALID_ON),
        user=UserFactory(),
        country=country("CMR"),
        office=Office.VICE_PRESIDENT,
    )


def test_the_credentials_report_counts_a_party_whose_date_is_unknown():
    """Its local list of Parties left out a Party whose date is unknown: an accredited Cameroon
    delegation without credentials was missing from the report."""
    cop = MeetingFactory(
        start_date=VALID_ON - dt.timedelta(days=30), end_date=VALID_ON - dt.timedelta(days=26)
    )
    RegistrationFactory(
        meeting=cop, country=country("CMR"), capacity=Capacity.PARTY, status=RegistrationStatus.ACCREDITED
    )
    report = participant_selectors.credentials_report(meeting=cop)
    assert "CMR" in [row["country"].iso3 for row in report["rows"]]
