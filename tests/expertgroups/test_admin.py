"""The expert groups' admin pages open for the secretariat administrator and for nobody else."""

import datetime as dt

import pytest
from django.urls import reverse

from accounts import roles
from tests.factories import StaffFactory

from .helpers import appointed

pytestmark = pytest.mark.django_db


def test_admin_pages_open_for_the_administrator_only(client, group, zambia_fp, admin_user, today):
    member = appointed(
        group=group,
        focal_point=zambia_fp,
        email="e@zema.example",
        by=admin_user,
        term_to=today + dt.timedelta(days=9),
    )
    urls = [
        reverse("admin:expertgroups_nomination_changelist"),
        reverse("admin:expertgroups_nomination_change", args=[member.nomination.pk]),
        reverse("admin:expertgroups_member_changelist"),
        reverse("admin:expertgroups_member_change", args=[member.pk]),
        reverse("admin:expertgroups_groupmandate_add"),
        reverse("admin:expertgroups_draft_changelist"),
        reverse("admin:expertgroups_draftcomment_changelist"),
    ]
    client.force_login(admin_user)
    for url in urls:
        assert client.get(url).status_code == 200, url
    client.force_login(StaffFactory(roles=[roles.REGISTRATION_OFFICER]))
    for url in urls:
        assert client.get(url).status_code == 403, url
