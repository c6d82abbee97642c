"""Focal points recorded by the admin or its import get the focal-point role, as an accepted
invitation does: all three go through `accounts.services.focal_point_save`."""

import pytest
import tablib
from django.urls import reverse

from accounts import roles
from accounts.admin import FocalPointResource
from accounts.models import FocalPoint
from tests.factories import StaffFactory, UserFactory, country

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_user():
    return StaffFactory(is_superuser=True)


def _in_focal_point_group(user) -> bool:
    return user.groups.filter(name=roles.FOCAL_POINT).exists()


def test_a_focal_point_added_in_the_admin_gets_the_role(client, admin_user):
    """A bug until issue 11: the admin saved the record and left the user without the role."""
    user = UserFactory()
    client.force_login(admin_user)
    response = client.post(
        reverse("admin:accounts_focalpoint_add"),
        {
            "user": user.pk,
            "country": country("ZMB").pk,
            "kind": FocalPoint.Kind.NATIONAL_FOCAL_POINT,
            "active": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    focal_point = FocalPoint.objects.get(user=user)
    assert _in_focal_point_group(user)
    assert focal_point.history.latest().history_user == admin_user


def test_an_inactive_focal_point_gives_no_role(client, admin_user):
    user = UserFactory()
    client.force_login(admin_user)
    client.post(
        reverse("admin:accounts_focalpoint_add"),
        {"user": user.pk, "country": country("ZMB").pk, "kind": FocalPoint.Kind.NATIONAL_FOCAL_POINT},
    )
    assert FocalPoint.objects.filter(user=user, active=False).exists()
    assert not _in_focal_point_group(user)


def test_imported_focal_points_get_the_role():
    """A bug until issue 11: the import wrote the rows and gave nobody the role."""
    officer, user = UserFactory(), UserFactory()
    dataset = tablib.Dataset(
        ["", user.email, "ZMB", FocalPoint.Kind.PERMANENT_MISSION, "1"],
        headers=["id", "email", "country", "kind", "active"],
    )
    result = FocalPointResource(by=officer).import_data(dataset, dry_run=False)
    assert not result.has_errors(), [e.traceback for row in result.row_errors() for e in row[1]]
    assert not result.has_validation_errors()
    focal_point = FocalPoint.objects.get(user=user)
    assert focal_point.country == country("ZMB")
    assert _in_focal_point_group(user)
    assert focal_point.history.latest().history_user == officer
