"""Property tests of the arithmetic rules (issue 19): the daily subsistence allowance and the
"six months after" of the passport rule, over every input Hypothesis can think of."""

import calendar
import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from participants.models import DsaRate
from participants.services.funding import dsa_amount
from participants.services.visas import _six_months_after

money = st.decimals(min_value=0, max_value=2000, places=2)
percent = st.integers(min_value=0, max_value=100)
nights = st.integers(min_value=0, max_value=60)
# No time limit per example: these also run under `make mutation`, on a loaded machine.
relaxed = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _amount(rate, nights, lodging, meals, terminal):
    return dsa_amount(
        rate=rate, nights=nights, lodging_provided=lodging, meals_percent=meals, terminal_expenses=terminal
    )


@st.composite
def rates(draw):
    return DsaRate(daily_rate=draw(money), room_percent=draw(percent), currency="USD")


@relaxed
@given(rate=rates(), nights=nights, lodging=st.booleans(), meals=percent, terminal=money)
def test_dsa_is_never_negative(rate, nights, lodging, meals, terminal):
    assert _amount(rate, nights, lodging, meals, terminal) >= 0


@relaxed
@given(rate=rates(), nights=nights, lodging=st.booleans(), meals=percent, terminal=money)
def test_dsa_grows_with_the_nights(rate, nights, lodging, meals, terminal):
    one_more = _amount(rate, nights + 1, lodging, meals, terminal)
    assert one_more >= _amount(rate, nights, lodging, meals, terminal)


@relaxed
@given(rate=rates(), nights=nights, lodging=st.booleans(), meals=percent, terminal=money)
def test_dsa_never_exceeds_the_full_rate(rate, nights, lodging, meals, terminal):
    full = (rate.daily_rate * nights + terminal).quantize(Decimal("0.01"))
    assert _amount(rate, nights, lodging, meals, terminal) <= full
    # With nothing provided, the full rate is what is paid.
    assert _amount(rate, nights, False, 0, terminal) == full


@relaxed
@given(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(9000, 12, 31)))
def test_six_months_after_lands_on_the_same_day_or_the_months_last_day(day):
    after = _six_months_after(day)
    months = (after.year - day.year) * 12 + after.month - day.month
    assert months == 6
    last = calendar.monthrange(after.year, after.month)[1]
    assert after.day == min(day.day, last)


# Exact amounts beside the properties (the properties alone let a wrong percentage through).
@pytest.mark.parametrize(
    ("lodging", "meals", "expected"),
    [
        (True, 50, Decimal("200.00")),  # 4 x half of the 100 left once the room share (150) is not paid
        (False, 50, Decimal("800.00")),  # 4 x (50 + 150)
        (False, 0, Decimal("1000.00")),  # the full rate
    ],
)
def test_dsa_amount_with_lodging_and_meals_provided(lodging, meals, expected):
    rate = DsaRate(daily_rate=Decimal("250"), room_percent=Decimal("60"), currency="USD")
    assert _amount(rate, 4, lodging, meals, 0) == expected


def test_dsa_half_cent_rounds_up():
    # 100.25 with half the meals provided and no room share: 50.125 a night.
    rate = DsaRate(daily_rate=Decimal("100.25"), room_percent=Decimal("0"), currency="USD")
    assert _amount(rate, 1, False, 50, 0) == Decimal("50.13")
