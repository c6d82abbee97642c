"""Every move of every participants table names a rule whose predicates accept that table's record:
`table.can(record, action, user)` answers for a real record of the table's model, yes for a user
the rule lets act and no for one it does not (a rule written for registrations would crash on a
visa request)."""

import datetime as dt

import pytest
from django.utils import timezone

from participants.enums import (
    CREDENTIALS_TRANSITIONS,
    FUNDING_TRANSITIONS,
    OBSERVER_TRANSITIONS,
    REGISTRATION_TRANSITIONS,
    VISA_TRANSITIONS,
    Capacity,
    CredentialsForm,
    CredentialsIssuer,
    ObserverStatus,
    OrganisationKind,
    RegistrationStatus,
    VisaStatus,
)
from participants.errors import RegistrationError
from participants.models import Credentials, FundingRequest, ObserverApplication, VisaRequest
from participants.services.registration import registration_accredit
from tests.factories import FocalPointFactory, StaffFactory, UserFactory, country

from .factories import OrganisationFactory, RegistrationFactory, upcoming_meeting

pytestmark = pytest.mark.django_db
S = RegistrationStatus


@pytest.fixture
def world():
    meeting = upcoming_meeting()
    registration = RegistrationFactory(meeting=meeting)
    organisation = OrganisationFactory()
    return {
        "registration": registration,
        "staff": StaffFactory(roles=["Registration officer"]),
        "focal_point": FocalPointFactory(country=country("ZMB")).user,
        "stranger": UserFactory(),
        "records": {
            "registration": registration,
            "observer": ObserverApplication.objects.create(
                meeting=meeting,
                organisation=organisation,
                status=ObserverStatus.REQUESTED,
                statutes="s",
                competence="c",
                contact_name="n",
                contact_email="n@example.org",
            ),
            "credentials": Credentials.objects.create(
                meeting=meeting,
                country=country("ZMB"),
                form=CredentialsForm.ORIGINAL,
                issuer=CredentialsIssuer.HEAD_OF_STATE,
                received_at=timezone.now(),
            ),
            "visa": VisaRequest.objects.create(
                registration=registration,
                embassy="Embassy",
                passport_number="X1234567",
                passport_expires=dt.date.today() + dt.timedelta(days=900),
            ),
            "funding": FundingRequest.objects.create(registration=registration),
        },
    }


TABLES = [
    ("registration", REGISTRATION_TRANSITIONS),
    ("observer", OBSERVER_TRANSITIONS),
    ("credentials", CREDENTIALS_TRANSITIONS),
    ("visa", VISA_TRANSITIONS),
    ("funding", FUNDING_TRANSITIONS),
]
# Who the named rule lets act on the participants' records of the fixture.
ALLOWED = {
    "participants.edit_own_registration": "delegate",
    "participants.change_own_registration": "delegate",
    "participants.request_visa_again": "delegate",
    "participants.nominate_registration": "focal_point",
}


@pytest.mark.parametrize(
    ("kind", "table", "action"),
    [(kind, table, action) for kind, table in TABLES for action in table.moves],
)
def test_every_move_asks_a_rule_that_fits_its_record(world, kind, table, action):
    record = world["records"][kind]
    found = table[action]
    assert found.rule, f"{kind}: the move {action} names no rule"
    # A source the move leaves from (nominated rather than pre-registered: see the accredit test).
    sources = sorted(found.sources, key=lambda s: s == S.PRE_REGISTERED)
    setattr(record, table.field, sources[0])
    who = ALLOWED.get(found.rule, "staff")
    allowed = world["registration"].user if who == "delegate" else world[who]
    assert table.can(record, action, allowed), f"{kind}.{action} refused to {who}"
    assert not table.can(record, action, world["stranger"]), f"{kind}.{action} allowed to a stranger"
    if who != "staff":
        assert not table.can(record, action, world["staff"]), f"{kind}.{action} allowed to staff"


def test_can_accredit_answers_what_the_service_allows(world):
    staff = world["staff"]
    state_delegate = world["registration"]
    assert not REGISTRATION_TRANSITIONS.can(state_delegate, "accredit", staff)
    with pytest.raises(RegistrationError):
        registration_accredit(registration=state_delegate, by=staff)
    un_official = RegistrationFactory(
        meeting=state_delegate.meeting, capacity=Capacity.UN_BODY, country=None,
        organisation=OrganisationFactory(kind=OrganisationKind.UN_BODY),
    )  # fmt: skip
    assert REGISTRATION_TRANSITIONS.can(un_official, "accredit", staff)
    registration_accredit(registration=un_official, by=staff)
    un_official.refresh_from_db()
    assert un_official.status == S.ACCREDITED


def test_a_refused_visa_request_may_be_made_again_by_its_delegate_only(world):
    visa = world["records"]["visa"]
    visa.status = VisaStatus.REFUSED
    assert VISA_TRANSITIONS.can(visa, "request_again", world["registration"].user)
    assert not VISA_TRANSITIONS.can(visa, "request_again", FocalPointFactory(country=country("ZMB")).user)
