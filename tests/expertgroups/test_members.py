"""Members of expert groups: nominated by a Party's focal point (for their State only) or an
organisation's observer contact, appointed or declined by the secretariat, with history."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from expertgroups import selectors, services
from expertgroups.enums import MemberRole, NominationStatus
from expertgroups.models import Member, Nomination
from reference.enums import RegionalGroup
from tests.factories import country

from .helpers import appointed

pytestmark = pytest.mark.django_db


def _post_nomination(client, user, **overrides):
    client.force_login(user)
    data = {
        "group": overrides.pop("group").pk,
        "country": overrides.pop("country").pk,
        "name": "Mwansa Phiri",
        "email": "mwansa@zema.example",
        "expertise": "Hazardous waste management",
        "role": MemberRole.MEMBER,
        "publish_consent": "on",
        **overrides,
    }
    return client.post(reverse("expertgroups:nominate"), data)


def test_focal_point_nominates_for_own_state(client, group, zambia_fp):
    response = _post_nomination(client, zambia_fp, group=group, country=country("ZMB"))

    assert response.status_code == 302
    nomination = Nomination.objects.get()
    assert (nomination.country.iso3, nomination.organisation, nomination.status) == ("ZMB", None, "nominated")
    assert (nomination.name, nomination.email, nomination.publish_consent) == (
        "Mwansa Phiri", "mwansa@zema.example", True,
    )  # fmt: skip
    assert nomination.nominated_by == zambia_fp
    assert [(h.history_type, h.history_user) for h in nomination.history.all()] == [("+", zambia_fp)]
    page = client.get(reverse("expertgroups:nominate"))
    assert "Mwansa Phiri" in page.content.decode()


def test_focal_point_cannot_nominate_for_other_state(client, group, zambia_fp):
    response = _post_nomination(client, zambia_fp, group=group, country=country("KEN"))

    assert response.status_code == 400
    assert response.context["form"].errors["country"] == [
        "You are not the focal point of Kenya: nominate for your own State."
    ]
    assert Nomination.objects.count() == 0


def test_nomination_without_expertise_names_the_field(client, group, zambia_fp):
    response = _post_nomination(client, zambia_fp, group=group, country=country("ZMB"), expertise="")

    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["expertise"]
    assert Nomination.objects.count() == 0


def test_observer_contact_nominates_for_their_organisation(group, organisation, observer_contact):
    nomination = services.nomination_create(
        group=group, organisation=organisation, name="Dr A", email="a@zmwg.example", expertise="Waste",
        by=observer_contact,
    )  # fmt: skip
    assert (nomination.organisation, nomination.country) == (organisation, None)


def test_user_not_speaking_for_organisation_cannot_nominate_for_it(group, organisation, delegate):
    with pytest.raises(ValidationError) as refused:
        services.nomination_create(
            group=group, organisation=organisation, name="Dr A", email="a@zmwg.example", expertise="Waste",
            by=delegate,
        )  # fmt: skip
    assert refused.value.message_dict == {
        "organisation": ["You do not speak for Zero Mercury Working Group as its observer contact."]
    }
    assert Nomination.objects.count() == 0


def test_nominate_page_by_role(client, zambia_fp, observer_contact, delegate, admin_user):
    url = reverse("expertgroups:nominate")
    assert client.get(url).status_code == 302  # anonymous: to sign in
    for user, expected in ((zambia_fp, 200), (observer_contact, 200), (delegate, 403)):
        client.force_login(user)
        assert client.get(url).status_code == expected, user


def test_staff_appoint_in_admin_with_region_and_term_to_mandate_end(
    client, group, zambia_fp, admin_user, decisions, cops, today
):
    services.mandate_record(
        group=group, decision=decisions["set"], ends_with_meeting=cops["cop4"], by=admin_user
    )
    nomination = services.nomination_create(
        group=group, country=country("ZMB"), name="Mwansa Phiri", email="mwansa@zema.example",
        expertise="Waste", role=MemberRole.CO_CHAIR, by=zambia_fp,
    )  # fmt: skip
    client.force_login(admin_user)
    response = client.post(
        reverse("admin:expertgroups_nomination_changelist"),
        {"action": "appoint", "_selected_action": [nomination.pk]},
    )

    assert response.status_code == 302
    member = Member.objects.get()
    assert (member.region, member.role, member.term_from, member.term_to) == (
        RegionalGroup.AFRICAN, MemberRole.CO_CHAIR, today, cops["cop4"].end_date,
    )  # fmt: skip
    nomination.refresh_from_db()
    assert (nomination.status, nomination.decided_by) == (NominationStatus.APPOINTED, admin_user)
    assert [h.history_user for h in member.history.all()] == [admin_user]
    assert [h.status for h in nomination.history.order_by("history_id")] == ["nominated", "appointed"]


def test_staff_decline_in_admin_with_reason(client, group, zambia_fp, admin_user):
    nomination = services.nomination_create(
        group=group, country=country("ZMB"), name="Mwansa Phiri", email="m@zema.example", expertise="Waste",
        by=zambia_fp,
    )  # fmt: skip
    client.force_login(admin_user)
    url = reverse("admin:expertgroups_nomination_changelist")
    asked = client.post(url, {"action": "decline", "_selected_action": [nomination.pk]})
    assert asked.status_code == 200
    assert "Reason for declining" in asked.content.decode()
    nomination.refresh_from_db()
    assert nomination.status == NominationStatus.NOMINATED

    client.post(
        url,
        {"action": "decline", "_selected_action": [nomination.pk], "decline_reason": "The group is full."},
    )
    nomination.refresh_from_db()
    assert (nomination.status, nomination.decline_reason) == (NominationStatus.DECLINED, "The group is full.")
    assert Member.objects.count() == 0


def test_decline_without_reason_is_refused(group, zambia_fp, admin_user):
    nomination = services.nomination_create(
        group=group, country=country("ZMB"), name="X", email="x@zema.example", expertise="Waste", by=zambia_fp
    )
    with pytest.raises(ValidationError) as refused:
        services.nomination_decline(nomination=nomination, reason="  ", by=admin_user)
    assert refused.value.message_dict == {"decline_reason": ["Give the reason for declining the nomination."]}
    nomination.refresh_from_db()
    assert nomination.status == NominationStatus.NOMINATED


def test_appointing_twice_is_refused(group, zambia_fp, admin_user, today):
    member = appointed(
        group=group, focal_point=zambia_fp, email="e@zema.example", by=admin_user,
        term_to=today + dt.timedelta(days=30),
    )  # fmt: skip
    with pytest.raises(ValidationError) as refused:
        services.nomination_appoint(nomination=member.nomination, term_to=today, by=admin_user)
    assert refused.value.messages == ["This is “Appointed” and cannot become “Appointed”."]
    assert Member.objects.count() == 1


def test_appointment_without_mandate_or_term_end_is_refused(group, zambia_fp, admin_user):
    nomination = services.nomination_create(
        group=group, country=country("ZMB"), name="X", email="x@zema.example", expertise="Waste", by=zambia_fp
    )
    with pytest.raises(ValidationError) as refused:
        services.nomination_appoint(nomination=nomination, by=admin_user)
    assert list(refused.value.message_dict) == ["term_to"]
    nomination.refresh_from_db()
    assert nomination.status == NominationStatus.NOMINATED
    assert Member.objects.count() == 0


def test_term_includes_its_last_day(group, zambia_fp, admin_user, today):
    last = today + dt.timedelta(days=10)
    member = appointed(
        group=group, focal_point=zambia_fp, email="e@zema.example", by=admin_user, term_to=last
    )
    assert list(selectors.members_serving(group=group, day=last)) == [member]
    assert list(selectors.members_serving(group=group, day=last + dt.timedelta(days=1))) == []


def test_focal_point_withdraws_own_nomination_not_another_states(client, group, zambia_fp, kenya_fp):
    nomination = services.nomination_create(
        group=group, country=country("ZMB"), name="X", email="x@zema.example", expertise="Waste", by=zambia_fp
    )
    url = reverse("expertgroups:nomination_withdraw", args=[nomination.pk])
    client.force_login(kenya_fp)
    assert client.post(url).status_code == 404
    nomination.refresh_from_db()
    assert nomination.status == NominationStatus.NOMINATED

    client.force_login(zambia_fp)
    assert client.post(url).status_code == 302
    nomination.refresh_from_db()
    assert nomination.status == NominationStatus.WITHDRAWN


def test_member_term_changed_in_admin_through_service(client, group, zambia_fp, admin_user, today):
    member = appointed(
        group=group, focal_point=zambia_fp, email="e@zema.example", by=admin_user,
        term_to=today + dt.timedelta(days=30),
    )  # fmt: skip
    client.force_login(admin_user)
    url = reverse("admin:expertgroups_member_change", args=[member.pk])
    refused = client.post(
        url,
        {
            "role": "member",
            "term_from": today.isoformat(),
            "term_to": (today - dt.timedelta(days=1)).isoformat(),
        },
    )
    assert refused.status_code == 200
    assert "The term cannot end before it starts." in refused.content.decode()
    member.refresh_from_db()
    assert member.term_to == today + dt.timedelta(days=30)

    client.post(url, {"role": "co_chair", "term_from": today.isoformat(), "term_to": "2030-12-31"})
    member.refresh_from_db()
    assert (member.role, member.term_to, member.publish_consent) == ("co_chair", dt.date(2030, 12, 31), False)
    assert member.history.first().history_user == admin_user
