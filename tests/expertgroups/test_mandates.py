"""A group's mandate: the decision that set it and its end ("until COP-4"), extended by a later decision."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from expertgroups import selectors, services
from expertgroups.models import GroupMandate

pytestmark = pytest.mark.django_db


def test_mandate_set_then_extended_reads_as_a_chain(group, decisions, cops, admin_user):
    first = services.mandate_record(
        group=group, decision=decisions["set"], ends_with_meeting=cops["cop3"], by=admin_user
    )
    extension = services.mandate_record(
        group=group, decision=decisions["extend"], ends_with_meeting=cops["cop4"], by=admin_user
    )

    assert (first.extends, extension.extends) == (None, first)
    assert selectors.mandate_chain(group=group) == [first, extension]
    assert (
        selectors.mandate_summary(group=group) == "Mandate: decision MC-2/2, until COP-4 (extended by MC-3/5)"
    )
    assert selectors.mandate_end(group=group) == cops["cop4"].end_date
    assert [h.history_user for h in GroupMandate.history.order_by("history_id")] == [admin_user, admin_user]


def test_mandate_until_a_date(group, decisions, admin_user):
    services.mandate_record(
        group=group, decision=decisions["set"], ends_on=dt.date(2030, 6, 30), by=admin_user
    )
    assert selectors.mandate_summary(group=group) == "Mandate: decision MC-2/2, until June 30, 2030"


def test_group_without_mandate_has_no_summary(group):
    assert selectors.mandate_summary(group=group) == ""


def test_mandate_without_end_is_refused(group, decisions, admin_user):
    with pytest.raises(ValidationError) as refused:
        services.mandate_record(group=group, decision=decisions["set"], by=admin_user)
    assert refused.value.message_dict == {
        "ends_with_meeting": ["Say when the mandate ends: a meeting (until COP-4) or a date."]
    }
    assert GroupMandate.objects.count() == 0


def test_extension_must_end_later(group, decisions, cops, admin_user):
    services.mandate_record(
        group=group, decision=decisions["set"], ends_with_meeting=cops["cop4"], by=admin_user
    )
    with pytest.raises(ValidationError) as refused:
        services.mandate_record(
            group=group, decision=decisions["extend"], ends_with_meeting=cops["cop3"], by=admin_user
        )
    assert list(refused.value.message_dict) == ["ends_on"]
    assert GroupMandate.objects.count() == 1


def test_same_decision_cannot_extend_twice(group, decisions, cops, admin_user):
    services.mandate_record(
        group=group, decision=decisions["set"], ends_with_meeting=cops["cop3"], by=admin_user
    )
    with pytest.raises(ValidationError) as refused:
        services.mandate_record(
            group=group, decision=decisions["set"], ends_with_meeting=cops["cop4"], by=admin_user
        )
    assert refused.value.message_dict == {"decision": ["This decision is in the group's mandate already."]}


def test_admin_adds_mandate_and_extension_through_the_service(client, group, decisions, cops, admin_user):
    client.force_login(admin_user)
    url = reverse("admin:expertgroups_groupmandate_add")
    client.post(
        url, {"group": group.pk, "decision": decisions["set"].pk, "ends_with_meeting": cops["cop3"].pk}
    )
    refused = client.post(
        url, {"group": group.pk, "decision": decisions["extend"].pk, "ends_with_meeting": cops["cop2"].pk}
    )
    assert refused.status_code == 200
    assert GroupMandate.objects.count() == 1
    client.post(
        url, {"group": group.pk, "decision": decisions["extend"].pk, "ends_with_meeting": cops["cop4"].pk}
    )
    assert (
        selectors.mandate_summary(group=group) == "Mandate: decision MC-2/2, until COP-4 (extended by MC-3/5)"
    )
