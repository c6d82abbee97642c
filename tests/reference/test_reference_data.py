import datetime as dt

import pytest

from reference.enums import Classification, CountryKind, RegionalGroup
from reference.models import ConventionParty, Country, CountryClassification, ReferenceDataset

pytestmark = pytest.mark.django_db

COP2_OPENING = dt.date(2018, 11, 19)


def test_every_member_state_is_in_exactly_one_group_and_observers_are_apart():
    assert Country.objects.filter(member_status="member").count() == 193
    assert set(Country.objects.filter(member_status="observer_state").values_list("iso3", flat=True)) == {
        "VAT",
        "PSE",
    }
    counts = {
        g: Country.objects.filter(member_status="member", regional_group=g).count() for g in RegionalGroup
    }
    assert counts == {
        RegionalGroup.AFRICAN: 54,
        RegionalGroup.ASIA_PACIFIC: 54,
        RegionalGroup.EASTERN_EUROPEAN: 23,
        RegionalGroup.LATIN_AMERICAN_CARIBBEAN: 33,
        RegionalGroup.WESTERN_EUROPEAN_OTHER: 28,
        RegionalGroup.NONE: 1,
    }


@pytest.mark.parametrize(
    ("iso3", "group"),
    [("CYP", "asia_pacific"), ("GEO", "eastern_european"), ("TUR", "western_european_other"),
     ("ISR", "western_european_other"), ("USA", "none"), ("KIR", "asia_pacific"), ("ZMB", "african")],
)  # fmt: skip
def test_special_cases_of_the_regional_groups(iso3, group):
    assert Country.objects.get(iso3=iso3).regional_group == group


def test_names_come_in_english_french_and_spanish():
    germany = Country.objects.get(iso3="DEU")
    assert (germany.name_en, germany.name_fr, germany.name_es) == ("Germany", "Allemagne", "Alemania")
    assert Country.objects.get(iso3="CIV").name_en == "Côte d’Ivoire"
    assert Country.objects.filter(name_fr="").count() == 0
    assert Country.objects.filter(name_es="").count() == 0


def test_bhutan_was_a_least_developed_country_at_cop2_and_graduated_on_13_december_2023():
    bhutan = Country.objects.get(iso3="BTN")
    assert Classification.LEAST_DEVELOPED in bhutan.classifications_on(COP2_OPENING)
    assert Classification.LEAST_DEVELOPED in bhutan.classifications_on(dt.date(2023, 12, 12))
    assert Classification.LEAST_DEVELOPED not in bhutan.classifications_on(dt.date(2023, 12, 13))


def test_scheduled_graduation_is_kept_but_not_applied():
    bangladesh = CountryClassification.objects.get(country__iso3="BGD", kind=Classification.LEAST_DEVELOPED)
    assert bangladesh.scheduled_end == dt.date(2026, 11, 24)
    assert bangladesh.end is None
    assert Classification.LEAST_DEVELOPED in bangladesh.country.classifications_on(dt.date(2027, 6, 1))


def test_current_least_developed_countries_number_44():
    current = CountryClassification.objects.filter(kind=Classification.LEAST_DEVELOPED).holding_on(
        dt.date(2026, 11, 23)
    )
    assert current.count() == 44


def test_small_islands_and_economies_in_transition():
    sids = set(
        CountryClassification.objects.filter(kind=Classification.SMALL_ISLAND).values_list(
            "country__iso3", flat=True
        )
    )
    assert {"FJI", "JAM", "MDV", "CPV"} <= sids
    assert "BHR" not in sids
    assert len(sids) == 37
    eit = set(
        CountryClassification.objects.filter(kind=Classification.ECONOMY_IN_TRANSITION).values_list(
            "country__iso3", flat=True
        )
    )
    assert {"MDA", "UKR", "KAZ", "SRB"} <= eit
    assert len(eit) == 17


def test_developing_excludes_developed_economies_and_economies_in_transition():
    on = dt.date(2020, 1, 1)
    assert Classification.DEVELOPING in Country.objects.get(iso3="ZMB").classifications_on(on)
    assert Classification.DEVELOPING in Country.objects.get(iso3="PER").classifications_on(on)
    assert Classification.DEVELOPING not in Country.objects.get(iso3="JPN").classifications_on(on)
    assert Classification.DEVELOPING not in Country.objects.get(iso3="MDA").classifications_on(on)


def test_parties_with_their_dates_and_the_european_union_as_a_party_of_its_own_kind():
    eu = ConventionParty.objects.get(code="EU")
    assert eu.country.iso3 == "EUU" and eu.country.kind == CountryKind.REIO
    assert eu.deposit_date == dt.date(2017, 5, 18)
    assert ConventionParty.objects.count() == 140
    assert ConventionParty.objects.filter(country__isnull=True).count() == 0
    iraq = ConventionParty.objects.get(code="IRQ")
    assert iraq.entry_into_force == dt.date(2021, 12, 15)
    # Jamaica as corrected in the 2026-12-01 table (IEADB was a month off).
    assert ConventionParty.objects.get(code="JAM").deposit_date == dt.date(2017, 7, 19)
    assert Country.objects.get(iso3="ZMB").is_party_on(COP2_OPENING)
    assert not Country.objects.get(iso3="IRQ").is_party_on(COP2_OPENING)


def test_caveats_are_kept_for_staff():
    parties = ReferenceDataset.objects.get(key="minamata_parties")
    assert "not confirmed" in parties.caveats
    assert "Cameroon" in parties.caveats and "Missing (not identified)" in parties.caveats
    assert parties.rows == 140
    assert parties.valid_on == dt.date(2026, 12, 1)
    assert "WESP" in ReferenceDataset.objects.get(key="developed_economies").caveats


def test_loading_again_keeps_corrections_made_by_staff():
    from reference.services import reference_data_load

    peru = Country.objects.get(iso3="PER")
    peru.name_fr = "Pérou (corrigé)"
    peru.save()
    reference_data_load()
    assert Country.objects.get(iso3="PER").name_fr == "Pérou (corrigé)"
    reference_data_load(refresh=True)
    assert Country.objects.get(iso3="PER").name_fr == "Pérou"
