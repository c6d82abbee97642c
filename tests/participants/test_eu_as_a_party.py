"""The European Union, a Party to the Convention (a regional economic integration organisation):
registers in the Party capacity, has a focal point, presents credentials, counts in the quorum and
the statistics, and is listed among the Parties in alphabetical order."""

import datetime as dt

import pytest

from participants import selectors
from participants.enums import Capacity, CredentialsVerdict, RegistrationStatus
from participants.errors import CredentialsError, RegistrationError
from participants.services.badges import badge_token, registration_check_in
from participants.services.credentials import credentials_decide, credentials_record
from participants.services.focal_points import focal_point_pre_register
from participants.services.registration import registration_create, registration_nominate
from reference.enums import CountryKind
from reference.models import ConventionParty
from reference.selectors import parties_count_on
from tests.factories import FocalPointFactory, MeetingFactory, UserFactory, country

from .factories import NominationLetterFactory, RegistrationFactory, open_meeting

pytestmark = pytest.mark.django_db
S = RegistrationStatus


@pytest.fixture
def eu():
    eu = country("EUU")
    assert eu.kind == CountryKind.REIO and eu.name_en == "European Union"
    return eu


def test_the_eu_registers_in_the_party_capacity_only(eu):
    meeting = open_meeting()  # 19 November 2018: the EU has been a Party since 16 August 2017
    user = UserFactory()
    registration = registration_create(
        meeting=meeting, user=user, by=user, capacity=Capacity.PARTY, country=eu
    )
    assert (registration.capacity, registration.country) == (Capacity.PARTY, eu)
    with pytest.raises(RegistrationError, match="European Union is a Party"):
        registration_create(
            meeting=meeting, user=UserFactory(), by=None, capacity=Capacity.NON_PARTY_STATE, country=eu
        )


def test_the_eus_focal_point_pre_registers_and_nominates_its_delegation(eu):
    meeting = open_meeting()
    focal_point = FocalPointFactory(country=eu).user
    registration = focal_point_pre_register(
        meeting=meeting, country=eu, by=focal_point, email="head@ec.europa.example", delegation_role="head"
    )
    assert (registration.capacity, registration.country) == (Capacity.PARTY, eu)
    letter = NominationLetterFactory(meeting=meeting, country=eu)
    nominated = registration_nominate(registration=registration, by=focal_point, letter=letter, role="head")
    assert nominated.status == S.NOMINATED


def test_the_eu_presents_credentials_counts_in_the_quorum_and_in_the_statistics(eu):
    cop = MeetingFactory(code="eu-cop")
    head = RegistrationFactory(
        meeting=cop,
        country=eu,
        status=S.BADGE_ISSUED,
        delegation_role="head",
        first_name="Hugo",
        last_name="Schally",
    )
    credentials = credentials_record(
        meeting=cop, country=eu, form="original", issuer="authorised", authorised_by="foreign_minister",
        authorisation="President of the European Commission, letter of 12 November 2018",
        received_at=dt.datetime(2018, 11, 19, 8, tzinfo=dt.UTC), by=None, delegates=[head],
    )  # fmt: skip
    assert credentials_decide(
        credentials=credentials, verdict=CredentialsVerdict.IN_ORDER, by=None
    ).verdict == (CredentialsVerdict.IN_ORDER)
    report = selectors.credentials_report(meeting=cop, now=dt.datetime(2018, 11, 19, 9, tzinfo=dt.UTC))
    assert [r["country"] for r in report["in_order"]] == [eu] and report["without_head"] == []
    registration_check_in(meeting=cop, token=badge_token(head), by=None, day=dt.date(2018, 11, 19))
    stats = selectors.meeting_statistics(meeting=cop)
    # The EU is in the quorum's denominator (as a Party) and present on the day.
    assert ConventionParty.objects.filter(country=eu, entry_into_force__lte=cop.start_date).exists()
    assert stats["parties_total"] == parties_count_on(cop.start_date).total
    assert stats["days"][0]["parties_present"] == 1


def test_the_list_of_participants_places_the_eu_among_the_parties_in_alphabetical_order(eu):
    cop = MeetingFactory(code="eu-list")
    for iso3 in ("ZMB", "FIN", "ECU"):
        RegistrationFactory(meeting=cop, country=country(iso3), status=S.ACCREDITED)
    RegistrationFactory(meeting=cop, country=eu, status=S.ACCREDITED)
    groups = selectors.list_of_participants(meeting=cop)
    parties = next(g for g in groups if g["key"] == "parties")
    assert [label for label, _people in parties["blocks"]] == [
        "Ecuador",
        "European Union",
        "Finland",
        "Zambia",
    ]
    french = next(
        g for g in selectors.list_of_participants(meeting=cop, language="fr") if g["key"] == "parties"
    )
    assert "Union européenne" in [label for label, _people in french["blocks"]]


def test_only_the_eu_presents_credentials_from_the_competent_authority_of_a_reio(eu):
    cop = MeetingFactory(code="eu-reio")
    with pytest.raises(CredentialsError, match="Zambia is a State, not a regional economic integration"):
        credentials_record(
            meeting=cop, country=country("ZMB"), form="original", issuer="reio_authority",
            received_at=dt.datetime(2018, 11, 19, 8, tzinfo=dt.UTC), by=None,
        )  # fmt: skip
    credentials = credentials_record(
        meeting=cop, country=eu, form="original", issuer="reio_authority",
        received_at=dt.datetime(2018, 11, 19, 8, tzinfo=dt.UTC), by=None,
    )  # fmt: skip
    assert credentials_decide(
        credentials=credentials, verdict=CredentialsVerdict.IN_ORDER, by=None
    ).verdict == (CredentialsVerdict.IN_ORDER)
