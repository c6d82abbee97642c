"""The demo's national focal points: Parties in all five regions, so that the Lusaka
consultation's invitation batch (scoped to the African States) means something."""

import pytest

from accounts import demo as accounts_demo
from accounts.models import FocalPoint, User
from meetings import demo as meetings_demo
from meetings.letters import letter_batch_invite_parties, party_focal_points
from meetings.models import Meeting
from reference.enums import RegionalGroup
from reference.selectors import party_standing

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    accounts_demo.load()
    meetings_demo.load()


def test_demo_focal_points_are_parties_of_every_region_on_the_2018_dates(demo):
    focal_points = list(FocalPoint.objects.select_related("country", "user"))
    assert len(focal_points) == 2 + len(accounts_demo.DEMO_NATIONAL_FOCAL_POINTS) == 24
    per_region = {}
    for fp in focal_points:
        per_region.setdefault(fp.country.regional_group, set()).add(fp.country.iso3)
    assert set(per_region) == set(RegionalGroup.values) - {"none"}
    assert all(len(states) >= 4 for states in per_region.values()), per_region
    assert len(per_region["african"] - {"ZMB"}) >= 5
    lusaka, cop2 = Meeting.objects.get(code="rc-africa-2018"), Meeting.objects.get(code="cop-2")
    for fp in focal_points:
        for meeting in (lusaka, cop2):
            assert party_standing(fp.country, meeting.start_date) == "party", (fp.country, meeting)


def test_demo_focal_points_write_in_the_states_language(demo):
    language = dict(FocalPoint.objects.values_list("country__iso3", "user__preferred_language"))
    assert [language[iso3] for iso3 in ("SEN", "BEN", "GAB", "MDG", "CHE")] == ["fr"] * 5
    assert [language[iso3] for iso3 in ("PER", "MEX", "ECU", "ARG")] == ["es"] * 4
    assert [language[iso3] for iso3 in ("ZMB", "GHA", "NGA", "JPN", "JAM")] == ["en"] * 5


def test_lusaka_invitation_batch_goes_to_the_african_focal_points_only(demo):
    lusaka = Meeting.objects.get(code="rc-africa-2018")
    assert {fp.country.regional_group for fp in party_focal_points(lusaka)} == {"african"}
    batch = letter_batch_invite_parties(meeting=lusaka)
    iso3s = sorted(batch.letters.values_list("focal_point__country__iso3", flat=True))
    assert iso3s == ["BEN", "GAB", "GHA", "MDG", "NGA", "SEN", "ZMB"]
    assert "(scope: African States)" in batch.description
    cop2 = Meeting.objects.get(code="cop-2")
    assert len(party_focal_points(cop2)) == 24  # COP-2 is not limited: every region's


def test_loading_the_accounts_demo_again_adds_nobody(demo):
    users, focal_points = User.objects.count(), FocalPoint.objects.count()
    accounts_demo.load()
    assert (User.objects.count(), FocalPoint.objects.count()) == (users, focal_points)
    senegal = User.objects.get(email="focalpoint.senegal@demo.mercury.test")
    assert not senegal.has_usable_password() and senegal.groups.filter(name="National focal point").exists()
