"""Credentials "in order" only in due form (rule 18: Head of State or Government, Minister for Foreign
Affairs, or a person authorised by one of them, recorded); copies and other authorities recorded
as such. A delegation has exactly one head of delegation."""

import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from participants import selectors
from participants.enums import CredentialsVerdict, DelegationRole, RegistrationStatus
from participants.errors import CredentialsError, RegistrationError
from participants.models import Credentials, Registration
from participants.services.credentials import credentials_decide, credentials_record
from participants.services.focal_points import focal_point_pre_register
from participants.services.registration import (
    registration_create,
    registration_decline,
    registration_nominate,
    registration_reset,
    registration_update,
)
from tests.factories import FocalPointFactory, MeetingFactory, StaffFactory, UserFactory, country

from .factories import NominationLetterFactory, RegistrationFactory, open_meeting, upcoming_meeting

pytestmark = pytest.mark.django_db
S = RegistrationStatus
V = CredentialsVerdict
UTC = dt.UTC


@pytest.fixture
def cop():
    return MeetingFactory(
        start_date=dt.date(2018, 11, 19), end_date=dt.date(2018, 11, 23), code="cop-due-form"
    )


def _record(meeting, iso3, **kwargs):
    delegate = Registration.objects.filter(
        meeting=meeting, country=country(iso3)
    ).first() or RegistrationFactory(
        meeting=meeting, country=country(iso3), status=S.ACCREDITED, delegation_role=DelegationRole.HEAD
    )
    data = {
        "form": "original",
        "issuer": "foreign_minister",
        "received_at": dt.datetime(2018, 11, 19, 8, tzinfo=UTC),
    }
    data.update(kwargs)
    return credentials_record(meeting=meeting, country=country(iso3), by=None, delegates=[delegate], **data)


# --- Credentials in due form -------------------------------------------------------------------


@pytest.mark.parametrize("issuer", ["head_of_state", "foreign_minister"])
def test_originals_from_the_head_of_state_or_foreign_minister_are_in_order(cop, issuer):
    credentials = credentials_decide(
        credentials=_record(cop, "ZMB", issuer=issuer), verdict=V.IN_ORDER, by=None
    )
    assert credentials.verdict == V.IN_ORDER


def test_a_copy_cannot_be_in_order_and_is_recorded_as_a_copy(cop):
    credentials = _record(cop, "PER", form="copy")
    with pytest.raises(CredentialsError) as err:
        credentials_decide(credentials=credentials, verdict=V.IN_ORDER, by=None)
    assert err.value.message_dict["verdict"] == [
        "Peru sent a copy only: record it as a copy, not as credentials in order."
    ]
    credentials.refresh_from_db()
    assert credentials.verdict == V.PENDING
    assert credentials_decide(credentials=credentials, verdict=V.COPY, by=None).verdict == V.COPY


def test_an_original_from_another_authority_is_not_in_due_form(cop):
    credentials = _record(cop, "ZMB", issuer="other", issuer_other="Minister of Environment")
    with pytest.raises(CredentialsError, match="not in due form"):
        credentials_decide(credentials=credentials, verdict=V.IN_ORDER, by=None)
    assert credentials_decide(credentials=credentials, verdict=V.NOT_IN_DUE_FORM, by=None).verdict == (
        V.NOT_IN_DUE_FORM
    )


def test_a_person_authorised_needs_who_authorised_them_and_the_authorisation(cop):
    with pytest.raises(CredentialsError) as err:
        _record(cop, "ZMB", issuer="authorised")
    assert set(err.value.message_dict) == {"authorised_by", "authorisation"}
    assert not Credentials.objects.exists()
    credentials = _record(
        cop, "ZMB", issuer="authorised", authorised_by="foreign_minister",
        authorisation="Ambassador J. Banda, Permanent Representative; full powers of 2 November 2018",
    )  # fmt: skip
    assert credentials_decide(credentials=credentials, verdict=V.IN_ORDER, by=None).verdict == V.IN_ORDER


def test_the_database_refuses_in_order_for_a_copy_and_an_unrecorded_authorisation(cop):
    credentials = _record(cop, "PER", form="copy")
    with pytest.raises(IntegrityError), transaction.atomic():
        Credentials.objects.filter(pk=credentials.pk).update(verdict=V.IN_ORDER)
    with pytest.raises(IntegrityError), transaction.atomic():
        Credentials.objects.filter(pk=credentials.pk).update(issuer="authorised")


def test_correcting_credentials_in_order_to_a_copy_takes_the_verdict_with_it(cop):
    credentials = credentials_decide(credentials=_record(cop, "ZMB"), verdict=V.IN_ORDER, by=None)
    corrected = _record(cop, "ZMB", form="copy")
    assert corrected.pk == credentials.pk and corrected.verdict == V.COPY


def test_report_groups_copies_not_in_due_form_and_authorised_issuers(client, cop):
    credentials_decide(credentials=_record(cop, "ZMB"), verdict=V.IN_ORDER, by=None)
    _record(cop, "PER", form="copy")
    _record(cop, "JAM", issuer="other", issuer_other="Minister of Health")
    _record(cop, "JPN")
    authorised = _record(
        cop,
        "CHE",
        issuer="authorised",
        authorised_by="head_of_state",
        authorisation="Letter of 1 November 2018",
    )
    credentials_decide(credentials=authorised, verdict=V.IN_ORDER, by=None)
    report = selectors.credentials_report(meeting=cop, now=dt.datetime(2018, 11, 19, 9, tzinfo=UTC))
    groups = {
        key: [r["country"].iso3 for r in report[key]]
        for key in ("in_order", "copies", "not_in_due_form", "pending", "not_in_order", "none")
    }
    assert groups == {
        "in_order": ["CHE", "ZMB"], "copies": ["PER"], "not_in_due_form": ["JAM"], "pending": ["JPN"],
        "not_in_order": [], "none": [],
    }  # fmt: skip
    client.force_login(StaffFactory(roles=["Registration officer"]))
    page = client.get(reverse("participants:credentials", args=[cop.code])).content.decode()
    assert "Credentials not in due form" in page
    assert "authorised by the Head of State or Government: Letter of 1 November 2018" in page


# --- One head of delegation --------------------------------------------------------------------


def test_a_second_head_of_delegation_is_refused_naming_the_head():
    meeting = open_meeting()
    head = RegistrationFactory(meeting=meeting, country=country("ZMB"), delegation_role="head", first_name="Mwila",
                               last_name="Banda")  # fmt: skip
    user = UserFactory()
    with pytest.raises(RegistrationError) as err:
        registration_create(
            meeting=meeting,
            user=user,
            by=user,
            capacity="party",
            country=country("ZMB"),
            delegation_role="head",
        )
    assert err.value.message_dict["delegation_role"] == [
        "Mwila Banda is already the head of the delegation of Zambia: a delegation has one head. "
        "Change Mwila Banda's role first."
    ]
    assert list(Registration.objects.all()) == [head]
    # Another State's head, or a member of the same delegation, is fine.
    registration_create(meeting=meeting, user=user, by=user, capacity="party", country=country("PER"),
                        delegation_role="head")  # fmt: skip
    registration_create(meeting=meeting, user=UserFactory(), by=None, capacity="party", country=country("ZMB"),
                        delegation_role="member")  # fmt: skip


def test_focal_point_cannot_pre_register_or_nominate_a_second_head():
    meeting = open_meeting()
    zambia = FocalPointFactory(country=country("ZMB")).user
    RegistrationFactory(meeting=meeting, country=country("ZMB"), delegation_role="head")
    with pytest.raises(RegistrationError, match="already the head of the delegation of Zambia"):
        focal_point_pre_register(
            meeting=meeting, country=country("ZMB"), by=zambia, email="new@example.zm", delegation_role="head"
        )
    adviser = RegistrationFactory(meeting=meeting, country=country("ZMB"), delegation_role="adviser")
    letter = NominationLetterFactory(meeting=meeting, country=country("ZMB"))
    with pytest.raises(RegistrationError) as err:
        registration_nominate(registration=adviser, by=zambia, letter=letter, role="head")
    assert "already the head of the delegation" in err.value.message_dict["role"][0]
    adviser.refresh_from_db()
    assert (adviser.status, adviser.delegation_role) == (S.PRE_REGISTERED, "adviser")


def test_changing_ones_role_to_head_is_refused_while_another_heads():
    meeting = upcoming_meeting()  # a past meeting's registration is no longer the delegate's to change
    RegistrationFactory(meeting=meeting, country=country("ZMB"), delegation_role="head")
    member = RegistrationFactory(meeting=meeting, country=country("ZMB"), delegation_role="member")
    with pytest.raises(RegistrationError, match="already the head"):
        registration_update(registration=member, by=member.user, delegation_role="head")
    member.refresh_from_db()
    assert member.delegation_role == "member"


def test_a_declined_head_frees_the_role_and_comes_back_as_a_member_if_replaced():
    meeting = upcoming_meeting()
    first = RegistrationFactory(meeting=meeting, country=country("ZMB"), delegation_role="head")
    registration_decline(registration=first, by=None, reason="Replaced")
    second = RegistrationFactory(meeting=meeting, country=country("ZMB"), delegation_role="member")
    registration_update(registration=second, by=second.user, delegation_role="head")
    registration_reset(registration=first, by=None)
    first.refresh_from_db()
    assert (first.status, first.delegation_role) == (S.PRE_REGISTERED, "member")


def test_the_database_refuses_two_active_heads_past_the_services():
    meeting = open_meeting()
    RegistrationFactory(meeting=meeting, country=country("ZMB"), delegation_role="head")
    RegistrationFactory(meeting=meeting, country=country("ZMB"), delegation_role="head", status=S.WITHDRAWN)
    with pytest.raises(IntegrityError), transaction.atomic():
        RegistrationFactory(meeting=meeting, country=country("ZMB"), delegation_role="head")


def test_credentials_report_flags_a_delegation_without_a_head(client, cop):
    _record(cop, "ZMB")  # its delegate is the head
    RegistrationFactory(meeting=cop, country=country("PER"), status=S.ACCREDITED, delegation_role="member")
    report = selectors.credentials_report(meeting=cop, now=dt.datetime(2018, 11, 19, 9, tzinfo=UTC))
    assert [r["country"].iso3 for r in report["without_head"]] == ["PER"]
    client.force_login(StaffFactory(roles=["Registration officer"]))
    page = client.get(reverse("participants:credentials", args=[cop.code])).content.decode()
    assert "Delegations without a head of delegation:</strong> Peru" in page


def test_the_admin_records_an_authorised_issuer_with_the_authorisation_and_offers_each_verdict(client, cop):
    delegate = RegistrationFactory(meeting=cop, country=country("ZMB"), status=S.ACCREDITED)
    client.force_login(StaffFactory(roles=["Registration officer"]))
    data = {
        "meeting": cop.pk, "country": country("ZMB").pk, "form": "original", "issuer": "authorised",
        "issuer_other": "", "authorised_by": "", "authorisation": "", "received_at_0": "2018-11-19",
        "received_at_1": "08:00:00", "notes": "", "delegates": [delegate.pk],
    }  # fmt: skip
    response = client.post(reverse("admin:participants_credentials_add"), data)
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "Say who authorised the issuer" in " ".join(errors["authorised_by"])
    assert "Record the authorisation" in " ".join(errors["authorisation"])
    assert not Credentials.objects.exists()
    data.update(authorised_by="foreign_minister", authorisation="Ambassador, letter of 2 November 2018")
    response = client.post(reverse("admin:participants_credentials_add"), data)
    assert response.status_code == 302
    credentials = Credentials.objects.get()
    assert (credentials.authorised_by, credentials.authorisation) == (
        "foreign_minister", "Ambassador, letter of 2 November 2018",
    )  # fmt: skip
    changelist = client.get(reverse("admin:participants_credentials_changelist"))
    actions = dict(changelist.context["action_form"].fields["action"].choices)
    assert {"in_order", "copy", "not_in_due_form", "not_in_order", "pending"} <= set(actions)


def test_the_registration_desk_flags_delegations_without_a_head(client, cop):
    RegistrationFactory(meeting=cop, country=country("ZMB"), status=S.ACCREDITED, delegation_role="head")
    RegistrationFactory(meeting=cop, country=country("PER"), status=S.ACCREDITED, delegation_role="adviser")
    RegistrationFactory(meeting=cop, country=country("JAM"), status=S.NOMINATED, delegation_role="head")
    RegistrationFactory(meeting=cop, country=country("JAM"), status=S.ACCREDITED, delegation_role="member")
    assert [c.iso3 for c in selectors.delegations_without_head(meeting=cop)] == ["JAM", "PER"]
    client.force_login(StaffFactory(roles=["Registration officer"]))
    page = client.get(reverse("participants:staff_meeting", args=[cop.code])).content.decode()
    assert "Delegations without a head of delegation:</strong> Jamaica, Peru" in page
