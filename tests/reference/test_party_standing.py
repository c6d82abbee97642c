"""Who is a Party on a given day: the 140 rows of the 2026-12-01 table, the European Union as a
Party with a Country row of its own, and Cameroon, a Party whose date is not known."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from participants.forms import VisaRequestForm
from reference.enums import Classification, CountryKind, MemberStatus, PartyStanding, RegionalGroup
from reference.models import ConventionParty, Country, ReferenceDataset
from reference.selectors import (
    parties_count_on,
    parties_on,
    parties_with_unknown_date,
    party_standing,
    party_standings,
)
from reference.services import reference_data_load
from tests.factories import StaffFactory, UserFactory, country

pytestmark = pytest.mark.django_db

COP1_OPENING = dt.date(2017, 9, 24)
COP5_OPENING = dt.date(2023, 10, 30)
BEFORE_ENTRY_INTO_FORCE = dt.date(2017, 8, 15)


def test_the_european_union_is_a_party_with_a_country_row_of_its_own_kind():
    eu = country("EUU")
    assert (eu.iso2, eu.name_en, eu.name_fr, eu.name_es) == (
        "EU",
        "European Union",
        "Union européenne",
        "Unión Europea",
    )
    assert eu.kind == CountryKind.REIO
    assert eu.regional_group == RegionalGroup.NONE
    assert eu.member_status == MemberStatus.ORGANISATION
    assert ConventionParty.objects.get(code="EU").country == eu
    # No State's classification: not "developing" by derivation, not eligible for funding by it.
    assert eu.classifications.count() == 0
    assert Classification.DEVELOPING not in eu.classifications_on(COP5_OPENING)
    assert party_standing(eu, COP1_OPENING) == PartyStanding.PARTY
    assert party_standing(eu, BEFORE_ENTRY_INTO_FORCE) == PartyStanding.NOT_PARTY
    assert Country.objects.filter(kind=CountryKind.STATE).count() == 195


def test_cameroon_is_a_party_from_an_unknown_date_never_a_guessed_one():
    cameroon = ConventionParty.objects.get(code="CMR")
    assert cameroon.deposit_date is None and cameroon.entry_into_force is None
    assert cameroon.country == country("CMR")
    assert "Date of deposit unknown" in cameroon.notes
    for day in (COP1_OPENING, COP5_OPENING):
        assert party_standing(country("CMR"), day) == PartyStanding.PARTY_DATE_UNKNOWN
    # Existing callers (capacity, credentials) count it as a Party: the table says it is one.
    assert country("CMR").is_party_on(COP5_OPENING)
    assert ConventionParty.objects.filter(entry_into_force__isnull=True).count() == 1


def test_party_standings_in_one_query_for_every_state(django_assert_num_queries):
    with django_assert_num_queries(1):
        standings = party_standings(COP1_OPENING)
    assert standings[country("ZMB").pk] == PartyStanding.PARTY
    assert standings[country("EUU").pk] == PartyStanding.PARTY
    assert standings[country("CMR").pk] == PartyStanding.PARTY_DATE_UNKNOWN
    # Iraq deposited in 2021; Russia is not in the table at all.
    assert standings[country("IRQ").pk] == PartyStanding.NOT_PARTY
    assert standings[country("RUS").pk] == PartyStanding.NOT_PARTY
    assert country("RUS").pk not in standings


def test_parties_on_a_day_count_and_flag_those_whose_date_is_unknown(django_assert_num_queries):
    with django_assert_num_queries(1):
        parties = list(parties_on(COP5_OPENING))
    codes = {p.iso3 for p in parties}
    assert {"ZMB", "EUU", "CMR", "DZA"} <= codes
    assert "TTO" not in codes  # acceded in 2026
    assert [p.iso3 for p in parties if p.party_date_unknown] == ["CMR"]
    dated = ConventionParty.objects.filter(entry_into_force__lte=COP5_OPENING).count()
    assert len(parties) == dated + 1
    assert "CMR" not in set(
        parties_on(COP5_OPENING, include_date_unknown=False).values_list("iso3", flat=True)
    )
    with django_assert_num_queries(1):
        count = parties_count_on(COP5_OPENING)
    assert count == (dated + 1, 1)
    assert parties_count_on(dt.date(2026, 12, 1)).total == 140


def test_loading_again_changes_nothing_and_links_a_european_union_loaded_without_its_row():
    ConventionParty.objects.filter(code="EU").update(country=None)
    counts = reference_data_load()
    assert counts["parties"] == 140 and counts["parties_date_unknown"] == 1
    assert Country.objects.count() == 196
    assert ConventionParty.objects.get(code="EU").country == country("EUU")


def test_the_european_union_is_no_issuing_state_of_a_passport():
    form = VisaRequestForm(registration=None)
    issuing = form.fields["passport_country"].queryset
    assert issuing.filter(iso3="ZMB").exists()
    assert not issuing.filter(iso3="EUU").exists()


# --- Staff: the caveats, the unknown date, corrections through the service ------------------


@pytest.fixture
def staff_client(client):
    staff = StaffFactory(is_superuser=True)
    client.force_login(staff)
    client.staff = staff
    return client


def test_staff_see_the_caveats_and_the_unknown_date_on_the_party_page(staff_client):
    cameroon = ConventionParty.objects.get(code="CMR")
    page = staff_client.get(
        reverse("admin:reference_conventionparty_change", args=[cameroon.pk]), secure=True
    ).content.decode()
    assert "Read before relying on these tables" in page
    assert "Missing (not identified)" in page
    assert "is not known" in page
    zambia = ConventionParty.objects.get(code="ZMB")
    page = staff_client.get(
        reverse("admin:reference_conventionparty_change", args=[zambia.pk]), secure=True
    ).content.decode()
    assert "Read before relying on these tables" in page
    assert "is not known" not in page


def test_staff_find_the_parties_whose_date_is_unknown(staff_client):
    page = staff_client.get(
        reverse("admin:reference_conventionparty_changelist") + "?party_date=unknown", secure=True
    ).content.decode()
    assert "Cameroon" in page and "Zambia" not in page


def test_the_state_page_says_whether_it_is_a_party_today(staff_client):
    url = reverse("admin:reference_country_change", args=[country("CMR").pk])
    # Before the table's date of validity, Cameroon's standing is unknown...
    ReferenceDataset.objects.filter(key="minamata_parties").update(
        valid_on=timezone.localdate() + dt.timedelta(days=1)
    )
    page = staff_client.get(url, secure=True).content.decode()
    assert "Party (date of becoming a Party unknown)" in page
    assert "Read before relying on these tables" in page
    # ... from it on (today is after 2026-12-01), the table says it is a Party.
    ReferenceDataset.objects.filter(key="minamata_parties").update(valid_on=timezone.localdate())
    assert (
        "Party (date of becoming a Party unknown)" not in staff_client.get(url, secure=True).content.decode()
    )


def _party_post(party, **changes):
    data = {
        "code": party.code,
        "country": party.country_id,
        "name_en": party.name_en,
        "deposit_date": party.deposit_date.isoformat() if party.deposit_date else "",
        "instrument_type": party.instrument_type,
        "entry_into_force": party.entry_into_force.isoformat() if party.entry_into_force else "",
        "notes": party.notes,
        "source": party.source,
    }
    data.update(changes)
    return data


def test_staff_correct_a_party_date_and_entry_into_force_follows_article_31(staff_client):
    cameroon = ConventionParty.objects.get(code="CMR")
    url = reverse("admin:reference_conventionparty_change", args=[cameroon.pk])
    response = staff_client.post(url, _party_post(cameroon, deposit_date="2019-03-15"), secure=True)
    assert response.status_code == 302, response.content.decode()[:2000]
    cameroon.refresh_from_db()
    assert cameroon.deposit_date == dt.date(2019, 3, 15)
    assert cameroon.entry_into_force == dt.date(2019, 6, 13)  # the 90th day after deposit
    assert party_standing(country("CMR"), dt.date(2019, 6, 12)) == PartyStanding.NOT_PARTY
    assert cameroon.history.first().history_user == staff_client.staff


def test_an_entry_into_force_before_the_deposit_is_refused_and_nothing_changes(staff_client):
    zambia = ConventionParty.objects.get(code="ZMB")
    before = (zambia.deposit_date, zambia.entry_into_force)
    url = reverse("admin:reference_conventionparty_change", args=[zambia.pk])
    response = staff_client.post(
        url, _party_post(zambia, entry_into_force=(zambia.deposit_date - dt.timedelta(days=1)).isoformat()),
        secure=True,
    )  # fmt: skip
    assert response.status_code == 200
    assert "Entry into force cannot be before the deposit." in response.content.decode()
    zambia.refresh_from_db()
    assert (zambia.deposit_date, zambia.entry_into_force) == before


def test_a_second_party_record_for_a_state_is_refused(staff_client):
    response = staff_client.post(
        reverse("admin:reference_conventionparty_add"),
        {"code": "ZZZ", "country": country("ZMB").pk, "name_en": "Zambia again", "deposit_date": "2016-03-11",
         "instrument_type": "", "entry_into_force": "", "notes": "", "source": ""},
        secure=True,
    )  # fmt: skip
    assert response.status_code == 200
    assert "This State already has a Party record." in response.content.decode()
    assert not ConventionParty.objects.filter(code="ZZZ").exists()


def test_delegates_cannot_correct_parties(client):
    client.force_login(UserFactory())
    cameroon = ConventionParty.objects.get(code="CMR")
    response = client.post(
        reverse("admin:reference_conventionparty_change", args=[cameroon.pk]),
        _party_post(cameroon, deposit_date="2019-03-15"),
        secure=True,
    )
    assert response.status_code in (302, 403)
    cameroon.refresh_from_db()
    assert cameroon.deposit_date is None


def test_without_the_tables_row_a_party_of_unknown_date_is_one_from_the_shipped_tables_date():
    # Until the Parties' dataset row is loaded, the shipped table's date (1 December 2026, that
    # day included) stands in for it, in the one-query selectors as in the model.
    ReferenceDataset.objects.filter(key="minamata_parties").delete()
    shipped = dt.date(2026, 12, 1)
    for day, standing, unknown in (
        (shipped - dt.timedelta(days=1), PartyStanding.PARTY_DATE_UNKNOWN, 1),
        (shipped, PartyStanding.PARTY, 0),
    ):
        assert party_standings(day)[country("CMR").pk] == standing
        assert party_standing(country("CMR"), day) == standing
        assert parties_count_on(day).date_unknown == unknown


def test_a_parties_table_valid_from_a_later_day_leaves_the_date_unknown_until_that_day():
    ReferenceDataset.objects.filter(key="minamata_parties").update(valid_on=dt.date(2027, 1, 10))
    assert party_standings(dt.date(2027, 1, 9))[country("CMR").pk] == PartyStanding.PARTY_DATE_UNKNOWN
    assert party_standings(dt.date(2027, 1, 10))[country("CMR").pk] == PartyStanding.PARTY
    assert parties_count_on(dt.date(2027, 1, 9)).date_unknown == 1


def test_the_parties_whose_date_is_unknown_are_listed_with_their_state_in_one_query(
    django_assert_num_queries,
):
    with django_assert_num_queries(1):
        rows = [(party.code, party.country.name_en) for party in parties_with_unknown_date()]
    assert rows == [("CMR", "Cameroon")]
