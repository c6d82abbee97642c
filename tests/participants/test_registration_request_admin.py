"""The admin of focal points' registration requests: the registration desk lists, filters and reads
them; every move (accept, refuse, withdraw) stays with the person and the focal point, through the
services, so the admin changes, adds and deletes nothing."""

import pytest
from django.urls import reverse

from accounts import roles
from participants.enums import RegistrationRequestStatus
from participants.models import RegistrationRequest
from participants.services.focal_points import registration_request_create, registration_request_refuse
from tests.factories import FocalPointFactory, StaffFactory, UserFactory, country

from .factories import open_meeting

pytestmark = pytest.mark.django_db
CHANGELIST = "admin:participants_registrationrequest_changelist"


@pytest.fixture
def officer():
    return StaffFactory(roles=[roles.REGISTRATION_OFFICER])


def _requests(count, meeting=None):
    meeting = meeting or open_meeting()
    focal_point = FocalPointFactory(country=country("ZMB")).user
    return [
        registration_request_create(
            meeting=meeting, country=country("ZMB"), person=UserFactory(), by=focal_point
        )
        for _ in range(count)
    ]


def test_the_desk_lists_requests_and_filters_them_by_status(client, officer):
    pending, refused = _requests(2)
    registration_request_refuse(request=refused, by=refused.user)
    client.force_login(officer)
    response = client.get(reverse(CHANGELIST))
    assert response.status_code == 200
    assert {r.pk for r in response.context["cl"].result_list} == {pending.pk, refused.pk}
    response = client.get(reverse(CHANGELIST), {"status__exact": RegistrationRequestStatus.REFUSED})
    assert [r.pk for r in response.context["cl"].result_list] == [refused.pk]
    page = response.content.decode()
    assert str(refused.user) in page and str(pending.user) not in page


def test_a_request_is_read_only_in_the_admin_and_cannot_be_added_or_deleted(client, officer):
    (request,) = _requests(1)
    client.force_login(officer)
    change = reverse("admin:participants_registrationrequest_change", args=[request.pk])
    page = client.get(change)
    assert page.status_code == 200
    assert 'name="status"' not in page.content.decode()  # shown, not a field
    response = client.post(change, {"status": RegistrationRequestStatus.ACCEPTED, "details": "{}"})
    assert response.status_code == 403
    assert client.get(reverse("admin:participants_registrationrequest_add")).status_code == 403
    delete = reverse("admin:participants_registrationrequest_delete", args=[request.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    request.refresh_from_db()
    assert request.status == RegistrationRequestStatus.PENDING
    assert RegistrationRequest.objects.count() == 1


def test_a_documents_officer_does_not_see_the_requests(client):
    _requests(1)
    client.force_login(StaffFactory(roles=[roles.DOCUMENTS_OFFICER]))
    assert client.get(reverse(CHANGELIST)).status_code == 403


@pytest.mark.parametrize("count", [1, 6])
def test_the_list_costs_a_fixed_number_of_queries(client, officer, django_assert_max_num_queries, count):
    _requests(count)
    client.force_login(officer)
    with django_assert_max_num_queries(16):
        response = client.get(reverse(CHANGELIST))
    assert len(response.context["cl"].result_list) == count
