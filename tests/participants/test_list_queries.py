"""N+1 guards for the staff lists that had none: the same number of queries for one row as for six."""

import pytest
from django.urls import reverse

from participants.enums import RegistrationStatus
from participants.models import VisaRequest
from tests.factories import MeetingFactory, StaffFactory, country

from .factories import OrganisationFactory, RegistrationFactory

pytestmark = pytest.mark.django_db
STATES = ["ZMB", "PER", "CHE", "JPN", "NGA", "JAM"]


def _rows(count):
    meeting = MeetingFactory()
    registrations = [
        RegistrationFactory(meeting=meeting, country=country(iso3), status=RegistrationStatus.ACCREDITED)
        for iso3 in STATES[:count]
    ]
    for registration in registrations:
        VisaRequest.objects.create(
            registration=registration,
            embassy="Embassy",
            passport_number="X1234567",
            passport_country=country("ZMB"),
        )
    return meeting, registrations


@pytest.mark.parametrize("count", [1, 6])
def test_list_of_participants_query_count_is_fixed(client, django_assert_num_queries, count):
    meeting, registrations = _rows(count)
    client.force_login(StaffFactory(roles=["Registration officer"]))
    # The same 9 queries (session, user, meeting, the rows, ...) for one row as for six.
    with django_assert_num_queries(9):
        response = client.get(reverse("participants:list", args=[meeting.code]))
    page = response.content.decode()
    assert all(r.last_name in page for r in registrations)


@pytest.mark.parametrize("count", [1, 6])
def test_visa_requests_query_count_is_fixed(client, django_assert_num_queries, count):
    meeting, registrations = _rows(count)
    for i in range(count):  # an organisation's representatives too: the list names what they represent
        ngo = RegistrationFactory(
            meeting=meeting, capacity="ngo", country=None, organisation=OrganisationFactory(name=f"NGO {i}")
        )
        VisaRequest.objects.create(registration=ngo, embassy="Embassy", passport_number="X1234567")
        registrations.append(ngo)
    client.force_login(StaffFactory(roles=["Registration officer"]))
    # The same 9 queries (session, user, meeting, the rows, ...) for one row as for six.
    with django_assert_num_queries(9):
        response = client.get(reverse("participants:visa_requests", args=[meeting.code]))
    page = response.content.decode()
    assert all(r.last_name in page for r in registrations)
    assert all(f"NGO {i}" in page for i in range(count))
    assert "X1234567" not in page and "•••••567" in page
