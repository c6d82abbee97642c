"""The pure checks of a registration, each refusal with the message naming its field (issue 19):
capacity and State (a Party on the meeting's first day, its entry into force included), one head
per delegation among the registrations still taking part, what may no longer change once
nominated, accredited or ticketed, one registration per person. Each test was seen failing
against a mutant of participants.services.registration before it was kept."""

import datetime as dt

import pytest

from participants.enums import Capacity, DelegationRole, FundingStatus, RegistrationStatus
from participants.errors import RegistrationError
from participants.models import FundingRequest, Registration
from participants.services.registration import (
    delegation_head_check,
    registration_capacity_check,
    registration_change_check,
    registration_duplicate_check,
    registration_scope_check,
)
from tests.factories import MeetingFactory, UserFactory, country

from .factories import OrganisationFactory, RegistrationFactory

pytestmark = pytest.mark.django_db
S = RegistrationStatus


def _meeting(start=dt.date(2026, 6, 15)):
    return MeetingFactory(start_date=start, end_date=start + dt.timedelta(days=4), title_en="COP-7")


def _capacity(capacity, iso3=None, *, organisation=None, start=dt.date(2026, 6, 15)):
    registration_capacity_check(
        meeting=_meeting(start),
        capacity=capacity,
        country=country(iso3) if iso3 else None,
        organisation=organisation,
    )


def _refusal(call, *args, **kwargs):
    with pytest.raises(RegistrationError) as caught:
        call(*args, **kwargs)
    return caught.value.message_dict if hasattr(caught.value, "error_dict") else caught.value.messages


def test_a_states_delegate_names_the_state():
    assert _refusal(_capacity, Capacity.PARTY) == {"country": ["Name the State you represent."]}
    assert _refusal(_capacity, Capacity.NON_PARTY_STATE) == {"country": ["Name the State you represent."]}


def test_a_party_delegate_from_the_day_of_entry_into_force():
    _capacity(Capacity.PARTY, "IND", start=dt.date(2018, 9, 16))
    assert _refusal(_capacity, Capacity.PARTY, "IND", start=dt.date(2018, 9, 15)) == {
        "capacity": ["India is not a Party to the Convention on the meeting's dates."]
    }


def test_a_non_party_state_registers_as_such_until_it_becomes_a_party():
    _capacity(Capacity.NON_PARTY_STATE, "IND", start=dt.date(2018, 9, 15))
    _capacity(Capacity.NON_PARTY_STATE, "AGO")
    assert _refusal(_capacity, Capacity.NON_PARTY_STATE, "IND", start=dt.date(2018, 9, 16)) == {
        "capacity": ["India is a Party: register as a Party delegate."]
    }


def test_an_organisations_delegate_names_the_organisation_the_secretariat_none():
    assert _refusal(_capacity, Capacity.NGO) == {"organisation": ["Name the organisation you represent."]}
    _capacity(Capacity.NGO, organisation=OrganisationFactory())
    _capacity(Capacity.SECRETARIAT)


def test_the_scope_refusal_on_the_form_or_on_the_field():
    meeting = _meeting()
    meeting.scope_states.set([country("ZMB")])
    registration_scope_check(meeting=meeting, country=country("ZMB"))
    on_field = _refusal(registration_scope_check, meeting=meeting, country=country("PER"), field="state")
    assert list(on_field) == ["state"] and on_field["state"][0].startswith(
        "Peru is not within the scope of COP-7"
    )
    whole_form = _refusal(registration_scope_check, meeting=meeting, country=country("PER"), field=None)
    assert whole_form == on_field["state"]


def _head(meeting, status=S.PRE_REGISTERED):
    return RegistrationFactory(
        meeting=meeting, country=country("ZMB"), delegation_role=DelegationRole.HEAD, status=status,
        first_name="Chanda", last_name="Mwale",
    )  # fmt: skip


def test_a_second_head_is_refused_naming_the_head_on_the_field():
    meeting = _meeting()
    head = _head(meeting)
    message = (
        "Chanda Mwale is already the head of the delegation of Zambia: a delegation has one head. "
        "Change Chanda Mwale's role first."
    )
    kwargs = {"meeting": meeting, "country": country("ZMB"), "role": DelegationRole.HEAD}
    assert _refusal(delegation_head_check, **kwargs) == {"delegation_role": [message]}
    assert _refusal(delegation_head_check, **kwargs, field="role") == {"role": [message]}
    delegation_head_check(**kwargs, exclude_pk=head.pk)  # the head themself
    delegation_head_check(meeting=meeting, country=country("ZMB"), role=DelegationRole.MEMBER)
    delegation_head_check(meeting=meeting, country=None, role=DelegationRole.HEAD)
    delegation_head_check(meeting=meeting, country=country("PER"), role=DelegationRole.HEAD)
    delegation_head_check(meeting=_meeting(), country=country("ZMB"), role=DelegationRole.HEAD)


@pytest.mark.parametrize("status", [S.DECLINED, S.WITHDRAWN])
def test_a_head_no_longer_taking_part_leaves_the_role_free(status):
    meeting = _meeting()
    _head(meeting, status=status)
    delegation_head_check(meeting=meeting, country=country("ZMB"), role=DelegationRole.HEAD)


def test_a_delegation_with_members_but_no_head_accepts_a_head():
    meeting = _meeting()
    RegistrationFactory(meeting=meeting, country=country("ZMB"), delegation_role=DelegationRole.MEMBER)
    delegation_head_check(meeting=meeting, country=country("ZMB"), role=DelegationRole.HEAD)


def _stored(status, **kwargs):
    return RegistrationFactory(meeting=_meeting(), country=country("ZMB"), status=status, **kwargs)


def test_an_accredited_registration_cannot_be_changed_by_the_delegate_but_by_staff():
    registration = _stored(S.ACCREDITED)
    assert _refusal(registration_change_check, registration=registration, data={"function": "Minister"}) == [
        "This registration is accredited and can no longer be changed by the delegate."
    ]
    registration_change_check(
        registration=registration, data={"capacity": Capacity.NON_PARTY_STATE}, as_delegate=False
    )


NOMINATED_MESSAGE = {
    "capacity": [
        "You have been nominated: the capacity and the State or organisation represented can no longer change."
    ]
}


def test_once_nominated_the_capacity_and_state_no_longer_change_for_the_delegate():
    registration = _stored(S.NOMINATED)
    check = registration_change_check
    assert (
        _refusal(check, registration=registration, data={"capacity": Capacity.NON_PARTY_STATE})
        == NOMINATED_MESSAGE
    )
    assert _refusal(check, registration=registration, data={"country": country("PER")}) == NOMINATED_MESSAGE
    assert (
        _refusal(check, registration=registration, data={"organisation": OrganisationFactory()})
        == NOMINATED_MESSAGE
    )
    check(
        registration=registration,
        data={"capacity": Capacity.PARTY, "country": country("ZMB"), "organisation": None},
    )
    check(registration=registration, data={"function": "Minister"})


def test_once_nominated_an_organisations_delegate_may_send_back_no_state():
    # The form of an organisation's delegate sends no State: nothing represented has changed.
    organisation = OrganisationFactory()
    registration = RegistrationFactory(
        meeting=_meeting(), capacity=Capacity.NGO, country=None, organisation=organisation, status=S.NOMINATED
    )
    registration_change_check(
        registration=registration,
        data={"capacity": Capacity.NGO, "country": None, "organisation": organisation},
    )


def test_before_nomination_the_delegate_may_change_capacity_and_state():
    registration = _stored(S.PRE_REGISTERED)
    registration_change_check(
        registration=registration, data={"capacity": Capacity.NON_PARTY_STATE, "country": country("AGO")}
    )


def test_once_the_ticket_is_issued_the_dates_no_longer_change_for_anyone():
    registration = _stored(S.NOMINATED, arrival=dt.date(2026, 6, 14), departure=dt.date(2026, 6, 20))
    FundingRequest.objects.create(registration=registration, status=FundingStatus.TICKET_ISSUED, priority=1)
    message = {"arrival": ["The ticket has been issued: the itinerary can no longer change."]}
    for change in ({"arrival": dt.date(2026, 6, 13)}, {"departure": dt.date(2026, 6, 21)}):
        assert (
            _refusal(registration_change_check, registration=registration, data=change, as_delegate=False)
            == message
        )
    registration_change_check(
        registration=registration, data={"arrival": dt.date(2026, 6, 14)}, as_delegate=False
    )


def test_another_delegates_ticket_leaves_these_dates_free_to_change():
    registration = _stored(S.NOMINATED, arrival=dt.date(2026, 6, 14))
    other = RegistrationFactory(meeting=registration.meeting, country=country("ZMB"), status=S.NOMINATED)
    FundingRequest.objects.create(registration=other, status=FundingStatus.TICKET_ISSUED, priority=1)
    registration_change_check(
        registration=registration, data={"arrival": dt.date(2026, 6, 13)}, as_delegate=False
    )


def test_before_the_ticket_the_dates_may_change():
    registration = _stored(S.NOMINATED, arrival=dt.date(2026, 6, 14))
    FundingRequest.objects.create(registration=registration, status=FundingStatus.APPROVED, priority=1)
    registration_change_check(registration=registration, data={"arrival": dt.date(2026, 6, 13)})


def test_one_registration_per_person_and_meeting():
    meeting = _meeting()
    user = UserFactory(email="chanda.mwale@example.org")
    registration_duplicate_check(meeting=meeting, user=user)
    RegistrationFactory(meeting=meeting, user=user)
    assert _refusal(registration_duplicate_check, meeting=meeting, user=user) == {
        "email": [
            "chanda.mwale@example.org is already registered for this meeting (one registration per person)."
        ]
    }
    registration_duplicate_check(meeting=_meeting(), user=user)
    registration_duplicate_check(meeting=meeting, user=None)
    assert Registration.objects.filter(meeting=meeting).count() == 1
