"""The Bureau's demo loads through the services, and every officer it seats was from a Party on
the day of their election (the rule `membership_party_check` enforces)."""

import pytest

from accounts import demo as accounts_demo
from bureau import demo
from bureau.models import Membership
from meetings import demo as meetings_demo
from reference.enums import PartyStanding
from reference.selectors import party_standing

pytestmark = pytest.mark.django_db


def test_demo_bureau_officers_are_all_from_parties_on_the_day_of_their_election():
    accounts_demo.load()
    meetings_demo.load()
    counts = demo.load()
    assert counts["memberships"] == Membership.objects.count() > 30
    for membership in Membership.objects.select_related("country"):
        assert party_standing(membership.country, membership.start_date) == PartyStanding.PARTY, membership
