"""The daily subsistence allowance at its boundaries (issue 19): the nights between arrival and
departure (a stay of no night earns terminal expenses only; a departure before the arrival is
refused), the rate valid on the day of arrival (its first and last day of validity included),
and only for an approved request."""

import datetime as dt
from decimal import Decimal

import pytest

from participants.enums import FundingStatus
from participants.errors import FundingError
from participants.models import DsaRate, FundingRequest
from participants.selectors import dsa_rate_for
from participants.services.funding import funding_approve, funding_compute_dsa, funding_request_create
from tests.factories import MeetingFactory, country

from .factories import RegistrationFactory

pytestmark = pytest.mark.django_db


def _approved(**registration):
    meeting = MeetingFactory(start_date=dt.date(2026, 6, 15), end_date=dt.date(2026, 6, 19), city="Geneva")
    funding = funding_request_create(
        registration=RegistrationFactory(meeting=meeting, country=country("ZMB"), **registration), by=None
    )
    return funding_approve(funding=funding, by=None)


def _rate(valid_from=dt.date(2026, 1, 1), valid_until=None, daily="400.00", location="Geneva"):
    return DsaRate.objects.create(
        country=country("CHE"), location=location, valid_from=valid_from, valid_until=valid_until,
        daily_rate=Decimal(daily), currency="CHF", room_percent=Decimal("50"),
    )  # fmt: skip


def test_dsa_of_a_stay_without_a_night_is_the_terminal_expenses():
    funding = _approved(arrival=dt.date(2026, 6, 15), departure=dt.date(2026, 6, 15))
    rate = _rate()
    computed = funding_compute_dsa(funding=funding, by=None, terminal_expenses=Decimal("76"))
    assert (computed.dsa_nights, computed.dsa_amount, computed.dsa_rate, computed.dsa_currency) == (
        0, Decimal("76.00"), rate, "CHF",
    )  # fmt: skip


def test_dsa_refused_for_a_departure_before_the_arrival():
    # The database refuses a departure before the arrival on the registration; without a
    # departure, the meeting's last day (19 June) is the departure, here before the arrival.
    funding = _approved(arrival=dt.date(2026, 6, 20), departure=None)
    _rate()
    with pytest.raises(FundingError) as caught:
        funding_compute_dsa(funding=funding, by=None)
    assert caught.value.message_dict == {"departure": ["Departure cannot be before arrival."]}
    assert FundingRequest.objects.get(pk=funding.pk).dsa_amount is None


def test_dsa_of_a_one_night_stay():
    funding = _approved(arrival=dt.date(2026, 6, 15), departure=dt.date(2026, 6, 16))
    _rate()
    computed = funding_compute_dsa(funding=funding, by=None)
    assert (computed.dsa_nights, computed.dsa_amount) == (1, Decimal("400.00"))


def test_dsa_without_travel_dates_counts_the_meetings_nights():
    funding = _approved(arrival=None, departure=None)
    _rate()
    computed = funding_compute_dsa(funding=funding, by=None, lodging_provided=True, meals_percent=50)
    # 4 nights (15 to 19 June), lodging provided: half of the rest of 200 a night.
    assert (computed.dsa_nights, computed.dsa_amount) == (4, Decimal("400.00"))
    stored = FundingRequest.objects.get(pk=funding.pk)
    assert (stored.lodging_provided, stored.meals_percent_provided, stored.dsa_amount) == (
        True, 50, Decimal("400.00"),
    )  # fmt: skip


def test_dsa_not_computed_for_a_request_not_yet_approved():
    meeting = MeetingFactory(city="Geneva")
    funding = funding_request_create(registration=RegistrationFactory(meeting=meeting), by=None)
    assert funding.status == FundingStatus.REQUESTED
    with pytest.raises(FundingError) as caught:
        funding_compute_dsa(funding=funding, by=None, rate=_rate())
    assert caught.value.messages == ["The DSA is computed for approved requests only."]


def test_dsa_rate_valid_from_the_day_of_arrival_applies():
    funding = _approved(arrival=dt.date(2026, 6, 14), departure=dt.date(2026, 6, 20))
    _rate(valid_from=dt.date(2026, 1, 1), valid_until=dt.date(2026, 6, 13), daily="100.00")
    rate = _rate(valid_from=dt.date(2026, 6, 14), daily="410.00")
    assert funding_compute_dsa(funding=funding, by=None).dsa_rate == rate


def test_dsa_rate_valid_until_the_day_of_arrival_applies():
    funding = _approved(arrival=dt.date(2026, 6, 14), departure=dt.date(2026, 6, 20))
    rate = _rate(valid_from=dt.date(2026, 1, 1), valid_until=dt.date(2026, 6, 14), daily="390.00")
    _rate(valid_from=dt.date(2026, 6, 15), daily="999.00")
    computed = funding_compute_dsa(funding=funding, by=None)
    assert (computed.dsa_rate, computed.dsa_amount) == (rate, Decimal("2340.00"))


def test_dsa_rate_starting_the_day_after_arrival_does_not_apply():
    funding = _approved(arrival=dt.date(2026, 6, 14), departure=dt.date(2026, 6, 20))
    _rate(valid_from=dt.date(2026, 6, 15))
    with pytest.raises(FundingError) as caught:
        funding_compute_dsa(funding=funding, by=None)
    assert caught.value.messages == ["No DSA rate for Geneva on 2026-06-14: import the rates first."]


def test_dsa_rate_of_the_latest_validity_applies_and_the_place_ignores_case():
    funding = _approved(arrival=dt.date(2026, 6, 14), departure=dt.date(2026, 6, 15))
    _rate(valid_from=dt.date(2025, 1, 1), location="GENEVA", daily="300.00")
    latest = _rate(valid_from=dt.date(2026, 1, 1), location="geneva", daily="350.00")
    _rate(valid_from=dt.date(2026, 2, 1), location="Lausanne", daily="999.00")
    assert funding_compute_dsa(funding=funding, by=None).dsa_rate == latest


def test_dsa_computed_with_a_rate_given_by_the_officer():
    funding = _approved(arrival=dt.date(2026, 6, 14), departure=dt.date(2026, 6, 16))
    given = _rate(valid_from=dt.date(2030, 1, 1), daily="123.45", location="Bern")
    computed = funding_compute_dsa(funding=funding, by=None, rate=given)
    assert (computed.dsa_rate, computed.dsa_amount) == (given, Decimal("246.90"))


def test_dsa_rate_is_the_venue_countrys_not_that_of_a_city_of_the_same_name_elsewhere():
    swiss = _rate(valid_from=dt.date(2026, 1, 1), daily="400.00")
    # Geneva, New York: a later rate for a city of the same name in another country.
    DsaRate.objects.create(
        country=country("USA"), location="Geneva", valid_from=dt.date(2026, 3, 1),
        daily_rate=Decimal("180.00"), currency="USD", room_percent=Decimal("50"),
    )  # fmt: skip
    assert dsa_rate_for(country=country("CHE"), location="geneva", day=dt.date(2026, 6, 15)) == swiss
    assert dsa_rate_for(country=country("USA"), location="Geneva", day=dt.date(2026, 6, 15)).daily_rate == (
        Decimal("180.00")
    )
