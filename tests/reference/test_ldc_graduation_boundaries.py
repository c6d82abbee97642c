"""Classifications and Party standing on the days they begin and end (issue 19).

A classification holds from its `start` (included) to its `end` (excluded: the graduation date
is the first day a State is no longer a least developed country). A State is a Party from the
day the Convention enters into force for it (included). Each test was seen failing against a
mutant of reference.models, reference.selectors or reference.services before it was kept."""

import datetime as dt

import pytest

from reference import services as reference_services
from reference.enums import Classification, PartyStanding
from reference.models import ConventionParty, CountryClassification
from reference.selectors import parties_count_on, parties_on, party_standing, party_standings
from tests.factories import country

pytestmark = pytest.mark.django_db
LDC = Classification.LEAST_DEVELOPED
# Bhutan: a least developed country since 1971 (1 January used), graduated on 13 December 2023.
BHUTAN_ADDED, BHUTAN_GRADUATED = dt.date(1971, 1, 1), dt.date(2023, 12, 13)
# India: the Convention entered into force for it on 16 September 2018.
INDIA_PARTY_FROM = dt.date(2018, 9, 16)
DAY = dt.timedelta(days=1)


def _ldcs_on(day):
    return set(
        CountryClassification.objects.filter(kind=LDC).holding_on(day).values_list("country__iso3", flat=True)
    )


def test_ldc_graduation_day_is_the_first_day_no_longer_an_ldc():
    bhutan = country("BTN")
    assert LDC in bhutan.classifications_on(BHUTAN_GRADUATED - DAY)
    assert LDC not in bhutan.classifications_on(BHUTAN_GRADUATED)
    assert "BTN" in _ldcs_on(BHUTAN_GRADUATED - DAY)
    assert "BTN" not in _ldcs_on(BHUTAN_GRADUATED)


def test_ldc_from_the_day_added_not_the_day_before():
    bhutan = country("BTN")
    assert LDC in bhutan.classifications_on(BHUTAN_ADDED)
    assert LDC not in bhutan.classifications_on(BHUTAN_ADDED - DAY)
    assert "BTN" in _ldcs_on(BHUTAN_ADDED)
    assert "BTN" not in _ldcs_on(BHUTAN_ADDED - DAY)


def test_ldc_without_an_end_holds_on_any_later_day():
    assert LDC in country("ZMB").classifications_on(dt.date(2100, 1, 1))
    assert "ZMB" in _ldcs_on(dt.date(2100, 1, 1))


def test_classification_without_a_start_holds_on_any_earlier_day():
    record = CountryClassification.objects.get(country__iso3="BTN", kind=LDC)
    record.start = None
    assert record.holds_on(dt.date(1900, 1, 1)) is True
    assert record.holds_on(BHUTAN_GRADUATED) is False
    record.save(update_fields=["start"])
    assert "BTN" in _ldcs_on(dt.date(1900, 1, 1))


def test_party_from_the_day_of_entry_into_force_not_the_day_before():
    india = country("IND")
    record = ConventionParty.objects.get(code="IND")
    assert party_standing(india, INDIA_PARTY_FROM) == PartyStanding.PARTY
    assert party_standing(india, INDIA_PARTY_FROM - DAY) == PartyStanding.NOT_PARTY
    assert (india.is_party_on(INDIA_PARTY_FROM), india.is_party_on(INDIA_PARTY_FROM - DAY)) == (True, False)
    assert (record.is_party_on(INDIA_PARTY_FROM), record.is_party_on(INDIA_PARTY_FROM - DAY)) == (True, False)
    assert party_standings(INDIA_PARTY_FROM)[india.pk] == PartyStanding.PARTY
    assert party_standings(INDIA_PARTY_FROM - DAY)[india.pk] == PartyStanding.NOT_PARTY


def test_parties_on_and_their_count_take_in_a_party_on_its_entry_into_force_day():
    before = set(parties_on(INDIA_PARTY_FROM - DAY).values_list("iso3", flat=True))
    on = set(parties_on(INDIA_PARTY_FROM).values_list("iso3", flat=True))
    assert on - before == {"IND"}
    assert parties_count_on(INDIA_PARTY_FROM).total == parties_count_on(INDIA_PARTY_FROM - DAY).total + 1
    dated = set(parties_on(INDIA_PARTY_FROM, include_date_unknown=False).values_list("iso3", flat=True))
    assert "IND" in dated and "CMR" not in dated and "CMR" in on


def test_no_state_is_no_party():
    assert party_standing(None, INDIA_PARTY_FROM) == PartyStanding.NOT_PARTY
    assert party_standings(INDIA_PARTY_FROM)[-1] == PartyStanding.NOT_PARTY


@pytest.mark.parametrize(
    ("value", "read"),
    [
        ("2023-12-13", (dt.date(2023, 12, 13), "")),
        ("1994-12", (dt.date(1994, 12, 1), "Day not confirmed (1994-12); first of month used.")),
        (" 1971 ", (dt.date(1971, 1, 1), "Year only (1971); 1 January used.")),
        ("", (None, "")),
        (None, (None, "")),
    ],
)
def test_graduation_and_entry_dates_are_read_from_the_sources_as_given(value, read):
    assert reference_services._date(value) == read


def test_an_unreadable_date_in_the_sources_stops_the_load():
    with pytest.raises(ValueError, match=r"^unreadable date '13/12/2023'$"):
        reference_services._date("13/12/2023")
