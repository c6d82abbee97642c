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


def test_the_members_and_nominations_lists_cost_the_same_queries_with_one_row_or_three(
    client, group, zambia_fp, kenya_fp, admin_user, today
):
    """Each row shows its State or organisation and its group: read with the rows, not per row;
    and the rows are the members appointed."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    term_to = today + dt.timedelta(days=9)
    first = appointed(
        group=group, focal_point=zambia_fp, email="a@zema.example", by=admin_user, term_to=term_to
    )
    client.force_login(admin_user)
    pages = [
        reverse("admin:expertgroups_member_changelist"),
        reverse("admin:expertgroups_nomination_changelist"),
    ]
    for page in pages:
        client.get(page)
    with CaptureQueriesContext(connection) as one:
        for page in pages:
            assert client.get(page).status_code == 200
    others = [
        appointed(
            group=group, focal_point=kenya_fp, email=f"k{n}@kenya.example", by=admin_user, term_to=term_to
        )
        for n in range(2)
    ]
    with CaptureQueriesContext(connection) as three:
        response = client.get(pages[0])
        client.get(pages[1])
    assert len(three) == len(one)
    assert {m.pk for m in response.context["cl"].result_list} == {first.pk, *(m.pk for m in others)}
