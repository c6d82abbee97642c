import datetime as dt

import pytest
from django.utils import timezone

from accounts import roles
from tests.bureau.factories import full_bureau
from tests.factories import AgendaItemFactory, AgendaVersionFactory, MeetingFactory, StaffFactory


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def current_bureau(today):
    """A balanced Bureau in office today: (term, memberships)."""
    return full_bureau(start=today - dt.timedelta(days=100), end=today + dt.timedelta(days=300))


@pytest.fixture
def staff():
    """The secretariat administrator: the role that holds the Bureau's permissions."""
    return StaffFactory(roles=[roles.SECRETARIAT_ADMIN])


@pytest.fixture
def cop_agenda():
    """A COP's draft provisional agenda with items 1–4 and sub-items 4 (a), 4 (b)."""
    meeting = MeetingFactory(code="cop-test", number=9)
    version = AgendaVersionFactory(meeting=meeting, number=1)
    items = [
        AgendaItemFactory(version=version, position=n, title_en=title)
        for n, title in enumerate(
            ["Opening of the meeting", "Organizational matters", "Rules of procedure", "Matters for action"],
            1,
        )
    ]
    AgendaItemFactory(version=version, parent=items[3], position=1, title_en="Mercury waste thresholds")
    AgendaItemFactory(version=version, parent=items[3], position=2, title_en="Cooperation with BRS")
    return version
