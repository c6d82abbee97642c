"""Review of issue 12: deleting a saved group of States that a meeting's scope uses would silently
open the meeting to every State; refused (service and admin, one or "delete selected"), naming
the meetings. A group no meeting uses goes."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from meetings.enums import MeetingKind
from meetings.models import StateGroup
from meetings.selectors import meeting_scope
from meetings.services.scope import state_group_delete, state_group_save
from tests.factories import MeetingFactory, StaffFactory, country

pytestmark = pytest.mark.django_db


def _group(name="Central and Eastern Europe and Central Asia"):
    return state_group_save(group=StateGroup(name_en=name), members=[country("ARM"), country("GEO")])


def _chisinau(group):
    meeting = MeetingFactory(
        code="rc-ceeca-2018", kind=MeetingKind.REGIONAL_CONSULTATION, number=None,
        start_date=dt.date(2018, 9, 4), end_date=dt.date(2018, 9, 5),
    )  # fmt: skip
    meeting.scope_groups.set([group])
    return meeting


def test_a_group_a_meetings_scope_uses_is_not_deleted():
    group = _group()
    meeting = _chisinau(group)
    with pytest.raises(ValidationError) as refused:
        state_group_delete(group=group)
    assert "rc-ceeca-2018" in str(refused.value)
    assert StateGroup.objects.filter(pk=group.pk).exists()
    scope = meeting_scope(meeting)
    assert scope.is_limited and not scope.includes(country("DEU"))


def test_a_group_no_meeting_uses_is_deleted():
    group = _group()
    state_group_delete(group=group)
    assert not StateGroup.objects.filter(pk=group.pk).exists()


def test_the_admin_refuses_to_delete_a_group_in_use_naming_the_meeting(client):
    group = _group()
    unused = _group("Pacific small island developing States")
    _chisinau(group)
    client.force_login(StaffFactory(is_superuser=True))
    url = reverse("admin:meetings_stategroup_delete", args=[group.pk])
    assert "rc-ceeca-2018" in client.get(url).content.decode()
    client.post(url, {"post": "yes"})
    assert StateGroup.objects.filter(pk=group.pk).exists()
    # "Delete selected": the group in use stays, and nothing is deleted with it.
    response = client.post(
        reverse("admin:meetings_stategroup_changelist"),
        {"action": "delete_selected", "_selected_action": [group.pk, unused.pk], "post": "yes"},
    )
    assert "rc-ceeca-2018" in response.content.decode()
    assert StateGroup.objects.filter(pk=group.pk).exists()
    # Out of the meeting's scope first, then it goes.
    group.meetings.clear()
    client.post(url, {"post": "yes"})
    assert not StateGroup.objects.filter(pk=group.pk).exists()
