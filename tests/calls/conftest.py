import datetime as dt

import pytest
from django.utils import timezone

from accounts import roles
from calls import services
from calls.enums import Audience, CallKind
from participants.enums import ObserverStatus
from participants.models import ObserverApplication
from tests.factories import FocalPointFactory, MeetingFactory, StaffFactory, UserFactory, country
from tests.participants.factories import OrganisationFactory


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def meeting(today):
    start = today + dt.timedelta(days=120)
    return MeetingFactory(
        code="cop-calls", number=40, start_date=start, end_date=start + dt.timedelta(days=4)
    )


@pytest.fixture
def officer():
    return StaffFactory(email="officer@un.example", roles=[roles.DOCUMENTS_OFFICER])


@pytest.fixture
def registration_officer():
    return StaffFactory(email="registrar@un.example", roles=[roles.REGISTRATION_OFFICER])


@pytest.fixture
def zambia():
    return FocalPointFactory(user=UserFactory(email="nfp@zambia.example", first_name="Mwila", last_name="Banda"),
                             country=country("ZMB"))  # fmt: skip


@pytest.fixture
def japan():
    return FocalPointFactory(user=UserFactory(email="nfp@japan.example"), country=country("JPN"))


@pytest.fixture
def andorra():
    """Andorra is not a Party (the 2026-12-01 table)."""
    return FocalPointFactory(user=UserFactory(email="nfp@andorra.example"), country=country("AND"))


@pytest.fixture
def observer(meeting):
    """An NGO admitted as an observer at the call's meeting, and the person who applied for it."""
    person = UserFactory(email="contact@zeromercury.example", first_name="Elena", last_name="Lymberidi")
    organisation = OrganisationFactory(name="Zero Mercury Working Group")
    ObserverApplication.objects.create(
        meeting=meeting, organisation=organisation, status=ObserverStatus.ADMITTED, statutes="s", competence="c",
        contact_name="Elena Lymberidi", contact_email="office@zeromercury.example", submitted_by=person,
    )  # fmt: skip
    return person, organisation


def make_call(meeting, officer, *, audience=Audience.PARTIES, deadline=None, send=True, **fields):
    call = services.call_create(
        by=officer,
        meeting=meeting,
        kind=fields.pop("kind", CallKind.SUBMISSIONS),
        title=fields.pop("title", "Capacity-building and technical assistance"),
        mandate=fields.pop("mandate", "decision MC-3/8"),
        body=fields.pop("body", "Please send information on capacity-building under Article 14."),
        audience=audience,
        deadline=deadline or timezone.localdate() + dt.timedelta(days=30),
        accepts_late=fields.pop("accepts_late", False),
    )
    if send:
        call = services.call_send(call=call, by=officer)
    return call
