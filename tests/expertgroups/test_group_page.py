"""The public page of an expert group: meetings, members who agreed to be listed, mandate, outputs."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from documents.enums import Language
from expertgroups import services
from meetings.enums import MeetingKind
from tests.documents.factories import publish, register
from tests.factories import MeetingFactory

from .helpers import appointed

pytestmark = pytest.mark.django_db


def test_public_page_lists_meetings_public_members_mandate_and_outputs(
    client, group, other_group, zambia_fp, admin_user, decisions, cops, today
):
    services.mandate_record(
        group=group, decision=decisions["set"], ends_with_meeting=cops["cop3"], by=admin_user
    )
    services.mandate_record(
        group=group, decision=decisions["extend"], ends_with_meeting=cops["cop4"], by=admin_user
    )
    meeting = MeetingFactory(
        code="eg-wt-1", kind=MeetingKind.EXPERT_GROUP, number=None, expert_group=group,
        title_en="First meeting of the group on thresholds", start_date=dt.date(2019, 3, 4),
        end_date=dt.date(2019, 3, 6), symbol_prefix="UNEP/MC/WT.1",
    )  # fmt: skip
    MeetingFactory(code="eg-ee-1", kind=MeetingKind.EXPERT_GROUP, number=None, expert_group=other_group,
                   title_en="Meeting of another group")  # fmt: skip
    published = publish(
        register(meeting, title_en="Report of the group on thresholds"), languages=(Language.ENGLISH,)
    )
    register(meeting, title_en="Working draft not yet out")
    appointed(
        group=group, focal_point=zambia_fp, email="listed@zema.example", name="Listed Expert", by=admin_user
    )
    appointed(
        group=group, focal_point=zambia_fp, email="private@zema.example", name="Private Expert", consent=False,
        by=admin_user,
    )  # fmt: skip

    response = client.get(reverse("expertgroups:detail", args=[group.pk]))

    assert response.status_code == 200
    assert response.context["mandate"] == "Mandate: decision MC-2/2, until COP-4 (extended by MC-3/5)"
    assert [m.code for m in response.context["meetings"]] == ["eg-wt-1"]
    assert [m.name for m in response.context["members"]] == ["Listed Expert"]
    assert [d.pk for d in response.context["outputs"]] == [published.pk]
    page = response.content.decode()
    assert "Mandate: decision MC-2/2, until COP-4 (extended by MC-3/5)" in page
    assert "Listed Expert" in page and "African States" in page
    assert "Private Expert" not in page
    assert "Report of the group on thresholds" in page and "Working draft not yet out" not in page
    assert "Drafts for comment" not in page  # a visitor sees no link to the members' drafts


def test_unknown_group_is_404(client):
    assert client.get(reverse("expertgroups:detail", args=[999999])).status_code == 404


def test_group_list_is_public(client, group, other_group):
    page = client.get(reverse("expertgroups:list")).content.decode()
    assert group.name_en in page and other_group.name_en in page


def _page_queries(client, group):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse("expertgroups:detail", args=[group.pk])).status_code == 200
    return len(captured)


def test_group_page_queries_do_not_grow_with_members_and_outputs(client, group, zambia_fp, admin_user, today):
    meeting = MeetingFactory(
        code="eg-wt-2",
        kind=MeetingKind.EXPERT_GROUP,
        number=None,
        expert_group=group,
        symbol_prefix="UNEP/MC/WT.2",
    )
    term = {"term_to": today + dt.timedelta(days=30)}
    appointed(group=group, focal_point=zambia_fp, email="a@zema.example", by=admin_user, **term)
    publish(register(meeting, title_en="Output one"))
    small = _page_queries(client, group)
    for n in range(3):
        appointed(group=group, focal_point=zambia_fp, email=f"b{n}@zema.example", by=admin_user, **term)
        publish(register(meeting, title_en=f"Output {n + 2}"))
    assert _page_queries(client, group) == small
