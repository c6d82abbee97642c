"""A meeting's scope (regions, groups of States, named States) in every participants path, and who
may be funded at it (`funding_policy`), with the real reason of each decline."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from meetings.enums import MeetingKind
from participants.enums import Capacity, FundingPolicy, FundingStatus, RegistrationStatus
from participants.errors import FundingError, RegistrationError
from participants.models import FundingRequest, Registration, RegistrationRequest
from participants.services.focal_points import focal_point_pre_register
from participants.services.funding import funding_approve, funding_request_create, meeting_settings_update
from participants.services.registration import registration_create, registration_nominate
from reference.models import ConventionParty
from tests.factories import FocalPointFactory, MeetingFactory, UserFactory, country

from .factories import NominationLetterFactory, OrganisationFactory, RegistrationFactory, open_meeting

pytestmark = pytest.mark.django_db
F = FundingStatus
S = RegistrationStatus


@pytest.fixture
def lusaka():
    """A regional consultation for the African States (as in Lusaka), registration open."""
    return open_meeting(
        kind=MeetingKind.REGIONAL_CONSULTATION, code="rc-africa", title_en="African regional consultation",
        regions=["african"], start_date=dt.date(2018, 11, 19), end_date=dt.date(2018, 11, 21),
    )  # fmt: skip


# --- Scope: registration, focal point, nomination ------------------------------------------------


def test_state_out_of_scope_cannot_register_and_nothing_is_stored(lusaka):
    user = UserFactory()
    with pytest.raises(RegistrationError) as err:
        registration_create(
            meeting=lusaka, user=user, by=user, capacity=Capacity.PARTY, country=country("PER")
        )
    assert err.value.message_dict["country"] == [
        "Peru is not within the scope of African regional consultation: African States"
    ]
    assert not Registration.objects.exists()
    inside = registration_create(
        meeting=lusaka, user=user, by=user, capacity=Capacity.PARTY, country=country("ZMB")
    )
    assert inside.country.iso3 == "ZMB"


def test_register_page_shows_the_scope_refusal_on_the_state_field(client, lusaka):
    client.force_login(UserFactory())
    response = client.post(
        reverse("participants:register", args=[lusaka.code]),
        {"capacity": "party", "country": country("PER").pk, "first_name": "Rosa", "last_name": "Quispe",
         "email": "rosa@example.pe", "correspondence_language": "es"},
    )  # fmt: skip
    assert response.status_code == 200
    assert "Peru is not within the scope of African regional consultation" in response.content.decode()
    assert not Registration.objects.exists()


def test_named_states_scope_admits_them_and_no_other(lusaka):
    lusaka.regions = []
    lusaka.save()
    lusaka.scope_states.set([country("PER")])
    user = UserFactory()
    registration_create(meeting=lusaka, user=user, by=user, capacity=Capacity.PARTY, country=country("PER"))
    with pytest.raises(RegistrationError, match="Zambia is not within the scope"):
        registration_create(
            meeting=lusaka, user=UserFactory(), by=None, capacity=Capacity.PARTY, country=country("ZMB")
        )


def test_observers_are_not_limited_by_the_scope(lusaka):
    user = UserFactory()
    registration = registration_create(
        meeting=lusaka, user=user, by=user, capacity=Capacity.NGO, organisation=OrganisationFactory()
    )
    assert registration.country is None


def test_focal_point_of_a_state_out_of_scope_cannot_pre_register(lusaka):
    peru = FocalPointFactory(country=country("PER")).user
    with pytest.raises(RegistrationError, match="Peru is not within the scope"):
        focal_point_pre_register(meeting=lusaka, country=country("PER"), by=peru, email="new@example.pe")
    existing = UserFactory(email="known@example.pe")
    with pytest.raises(RegistrationError, match="Peru is not within the scope"):
        focal_point_pre_register(meeting=lusaka, country=country("PER"), by=peru, email=existing.email)
    assert not Registration.objects.exists() and not RegistrationRequest.objects.exists()


def test_focal_point_cannot_nominate_once_the_state_is_out_of_scope(lusaka):
    registration = RegistrationFactory(meeting=lusaka, country=country("PER"))  # registered before a change
    letter = NominationLetterFactory(meeting=lusaka, country=country("PER"))
    with pytest.raises(RegistrationError, match="Peru is not within the scope"):
        registration_nominate(registration=registration, by=None, letter=letter, role="head")
    registration.refresh_from_db()
    assert registration.status == S.PRE_REGISTERED


# --- Funding: the policy and the reasons ---------------------------------------------------------


def _funding(meeting, iso3, capacity=Capacity.PARTY):
    registration = RegistrationFactory(meeting=meeting, country=country(iso3), capacity=capacity)
    return funding_request_create(registration=registration, by=None)


def test_funding_out_of_scope_is_declined_with_that_reason(lusaka):
    funding = _funding(lusaka, "PER")  # registered before the scope was set: the funding says why not
    assert funding.status == F.DECLINED
    assert funding.decision_note == (
        "Not eligible: Peru is not within the scope of African regional consultation: African States."
    )


def test_approval_refused_when_the_scope_changed_after_the_request(lusaka):
    lusaka.regions = []
    lusaka.save()
    funding = _funding(lusaka, "PER")
    assert funding.status == F.REQUESTED
    lusaka.regions = ["african"]
    lusaka.save()
    with pytest.raises(FundingError, match="Peru is not within the scope"):
        funding_approve(funding=funding, by=None)
    funding.refresh_from_db()
    assert funding.status == F.REQUESTED


def test_cop_funds_parties_only_and_says_a_non_party_is_not_a_party():
    cop = MeetingFactory()  # 19 November 2018; Malawi, an LDC, was no Party
    assert not ConventionParty.objects.filter(country=country("MWI")).exists()
    funding = _funding(cop, "MWI", capacity=Capacity.NON_PARTY_STATE)
    assert funding.status == F.DECLINED
    assert funding.decision_note == (
        "Not eligible: Malawi is not a Party to the Convention on the meeting's dates, and this meeting funds "
        "Parties only."
    )


def test_a_non_party_ldc_is_funded_where_the_meeting_funds_eligible_non_parties():
    workshop = MeetingFactory(kind=MeetingKind.WORKSHOP)
    meeting_settings_update(meeting=workshop, by=None, funding_policy=FundingPolicy.PARTIES_AND_NON_PARTIES)
    funding = _funding(workshop, "MWI", capacity=Capacity.NON_PARTY_STATE)
    assert (funding.status, funding.priority, funding.decision_note) == (F.REQUESTED, 1, "")
    assert funding_approve(funding=funding, by=None).status == F.APPROVED
    # A State in no eligible category is still declined, for that reason.
    declined = _funding(workshop, "USA", capacity=Capacity.PARTY)
    assert declined.decision_note == (
        "Not eligible: United States of America is not in an eligible category on the meeting's dates."
    )


def test_a_non_party_registering_with_funding_gets_a_declined_request_naming_the_cause():
    meeting = open_meeting()
    user = UserFactory()
    registration = registration_create(
        meeting=meeting, user=user, by=user, capacity=Capacity.NON_PARTY_STATE, country=country("MWI"),
        funding_requested=True,
    )  # fmt: skip
    assert registration.funding.status == F.DECLINED
    assert "Malawi is not a Party" in registration.funding.decision_note


def test_party_whose_date_is_unknown_is_declined_at_a_parties_only_meeting_saying_so():
    cop = MeetingFactory()
    assert ConventionParty.objects.get(country=country("CMR")).entry_into_force is None
    funding = _funding(cop, "CMR")
    assert funding.status == F.DECLINED
    assert "the date on which Cameroon became a Party is not known" in funding.decision_note
    # Where non-Parties are funded too, the unknown date does not matter: its category decides.
    workshop = MeetingFactory(kind=MeetingKind.WORKSHOP)
    meeting_settings_update(meeting=workshop, by=None, funding_policy=FundingPolicy.PARTIES_AND_NON_PARTIES)
    assert _funding(workshop, "CMR").status == F.REQUESTED


def test_cap_reached_names_the_state_and_the_limit():
    meeting = MeetingFactory()
    first, second = _funding(meeting, "ZMB"), _funding(meeting, "ZMB")
    funding_approve(funding=first, by=None)
    with pytest.raises(FundingError, match="Zambia already has 1 funded participant"):
        funding_approve(funding=second, by=None)
    assert FundingRequest.objects.filter(status=F.APPROVED).count() == 1


def test_focal_point_home_lists_for_each_state_only_the_meetings_in_its_scope(client, lusaka):
    cop = open_meeting(code="fp-cop", title_en="Open COP")
    focal_point = FocalPointFactory(country=country("PER")).user
    FocalPointFactory(user=focal_point, country=country("ZMB"))
    client.force_login(focal_point)

    def listed():
        response = client.get(reverse("participants:fp_home"))
        return {
            state.iso3: {m.code for m in meetings}
            for state, meetings in response.context["meetings_by_state"]
        }

    assert listed() == {"PER": {cop.code}, "ZMB": {cop.code, lusaka.code}}
    # A fixed number of queries whatever the number of meetings and their scopes.
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("participants:fp_home"))
    for n in range(4):
        extra = open_meeting(code=f"fp-more-{n}", regions=["african"] if n % 2 else [])
        extra.scope_states.set([country("PER")] if n == 2 else [])
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("participants:fp_home"))
    assert len(many) == len(few)


def test_a_change_refused_for_scope_leaves_the_participation_mode_as_it_was():
    """registration_update is one transaction: the mode change it makes on the way is undone
    when the State it moves to is out of the meeting's scope."""
    from meetings.enums import MeetingMode
    from participants.enums import ParticipationMode
    from participants.services.registration import registration_update

    hybrid = open_meeting(
        kind=MeetingKind.REGIONAL_CONSULTATION, code="rc-hybrid", title_en="Hybrid African consultation",
        regions=["african"], mode=MeetingMode.HYBRID,
        start_date=dt.date(2030, 11, 19), end_date=dt.date(2030, 11, 21),
    )  # fmt: skip
    user = UserFactory()
    registration = registration_create(
        meeting=hybrid, user=user, by=user, capacity=Capacity.PARTY, country=country("ZMB"),
        participation_mode=ParticipationMode.IN_PERSON,
    )  # fmt: skip
    with pytest.raises(RegistrationError) as err:
        registration_update(
            registration=registration, by=user, country=country("PER"),
            participation_mode=ParticipationMode.ONLINE,
        )  # fmt: skip
    assert "country" in err.value.message_dict
    stored = Registration.objects.get(pk=registration.pk)
    assert (stored.participation_mode, stored.country.iso3) == (ParticipationMode.IN_PERSON, "ZMB")
