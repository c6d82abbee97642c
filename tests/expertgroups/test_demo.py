"""The demo's expert group: mandate set by MC-2/2 until COP-3, extended by MC-3/5 until COP-4."""

import datetime as dt

import pytest

from accounts import roles
from expertgroups import demo, selectors
from meetings.models import ExpertGroup
from tests.factories import FocalPointFactory, MeetingFactory, StaffFactory, UserFactory, country

pytestmark = pytest.mark.django_db


def test_demo_group_has_extended_mandate_and_listed_members():
    group = ExpertGroup.objects.create(name_en=demo.GROUP)
    for number, start in ((2, dt.date(2018, 11, 19)), (3, dt.date(2019, 11, 25)), (4, dt.date(2021, 11, 1))):
        MeetingFactory(
            code=f"cop-{number}", number=number, start_date=start, end_date=start + dt.timedelta(days=4)
        )
    StaffFactory(email="admin@demo.mercury.test", roles=[roles.SECRETARIAT_ADMIN])
    for iso3 in ("ZMB", "PER"):
        FocalPointFactory(user=UserFactory(email=f"fp.{iso3}@demo.mercury.test"), country=country(iso3))

    assert demo.load() == {"expert group members": 3, "expert group mandates": 2}
    assert demo.load() == {}  # loading again adds nothing

    assert (
        selectors.mandate_summary(group=group) == "Mandate: decision MC-2/2, until COP-4 (extended by MC-3/5)"
    )
    assert [(m.name, m.get_role_display(), m.term_to) for m in selectors.members_public(group=group)] == [
        ("DEMO Expert (Zambia)", "Co-chair", dt.date(2021, 11, 5)),
        ("DEMO Expert (Peru)", "Member", dt.date(2021, 11, 5)),
    ]
