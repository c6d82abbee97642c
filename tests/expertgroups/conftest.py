import datetime as dt

import pytest
from django.utils import timezone

from accounts import roles
from bureau.services import decision_create
from meetings.enums import MeetingKind
from meetings.models import ExpertGroup
from participants.enums import ObserverStatus
from participants.models import ObserverApplication
from tests.factories import FocalPointFactory, MeetingFactory, StaffFactory, UserFactory, country
from tests.participants.factories import OrganisationFactory


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def group():
    return ExpertGroup.objects.create(name_en="Group of technical experts on mercury waste thresholds")


@pytest.fixture
def other_group():
    return ExpertGroup.objects.create(name_en="Ad hoc expert group on effectiveness evaluation")


@pytest.fixture
def cops(today):
    """COP-2 and COP-3 (past, where the decisions were taken) and COP-4 (ahead, where the mandate ends)."""
    cop2 = MeetingFactory(
        code="eg-cop-2", number=2, start_date=dt.date(2018, 11, 19), end_date=dt.date(2018, 11, 23)
    )
    cop3 = MeetingFactory(
        code="eg-cop-3", number=3, start_date=dt.date(2019, 11, 25), end_date=dt.date(2019, 11, 29)
    )
    start = today + dt.timedelta(days=200)
    cop4 = MeetingFactory(code="eg-cop-4", number=4, start_date=start, end_date=start + dt.timedelta(days=4))
    return {"cop2": cop2, "cop3": cop3, "cop4": cop4}


@pytest.fixture
def decisions(cops):
    return {
        "set": decision_create(meeting=cops["cop2"], symbol="MC-2/2", title_en="Mercury waste thresholds"),
        "extend": decision_create(meeting=cops["cop3"], symbol="MC-3/5", title_en="Mercury waste thresholds"),
    }


@pytest.fixture
def admin_user():
    return StaffFactory(email="admin@un.example", roles=[roles.SECRETARIAT_ADMIN])


@pytest.fixture
def zambia_fp():
    return FocalPointFactory(
        user=UserFactory(email="nfp@zambia.example", roles=[roles.FOCAL_POINT]), country=country("ZMB")
    ).user


@pytest.fixture
def kenya_fp():
    return FocalPointFactory(
        user=UserFactory(email="nfp@kenya.example", roles=[roles.FOCAL_POINT]), country=country("KEN")
    ).user


@pytest.fixture
def delegate():
    return UserFactory(email="delegate@example.org", roles=[roles.DELEGATE])


@pytest.fixture
def organisation():
    return OrganisationFactory(name="Zero Mercury Working Group")


@pytest.fixture
def observer_contact(organisation):
    user = UserFactory(email="contact@zmwg.example")
    meeting = MeetingFactory(code="eg-obs-cop", kind=MeetingKind.COP, number=9)
    ObserverApplication.objects.create(
        meeting=meeting, organisation=organisation, status=ObserverStatus.ADMITTED, statutes="s",
        competence="c", contact_name="Contact", contact_email="other@zmwg.example", submitted_by=user,
    )  # fmt: skip
    return user
