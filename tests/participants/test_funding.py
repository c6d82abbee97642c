import datetime as dt
from decimal import Decimal

import pytest
import tablib
from django.urls import reverse

from letters.enums import LetterKind
from letters.models import Letter
from participants import selectors
from participants.enums import FundingStatus
from participants.errors import FundingError, RegistrationError
from participants.models import DsaRate, FundingRequest
from participants.resources import DsaRateResource
from participants.services.funding import (
    dsa_amount,
    funding_allocate,
    funding_approve,
    funding_close,
    funding_compute_dsa,
    funding_issue_ticket,
    funding_pay_dsa,
    funding_request_create,
    funding_update_itinerary,
    meeting_settings_get_or_create,
)
from participants.services.registration import registration_create, registration_update
from tests.factories import MeetingFactory, StaffFactory, UserFactory, country

from .factories import RegistrationFactory

pytestmark = pytest.mark.django_db
F = FundingStatus


def _request(meeting, iso3, **kwargs):
    registration = RegistrationFactory(meeting=meeting, country=country(iso3), **kwargs)
    return funding_request_create(registration=registration, by=None)


def test_eligibility_from_classifications_on_meeting_dates():
    cop2 = MeetingFactory(start_date=dt.date(2018, 11, 19), end_date=dt.date(2018, 11, 23))
    assert _request(cop2, "ZMB").priority == 1  # least developed country
    assert _request(cop2, "JAM").priority == 2  # small island developing State
    assert _request(cop2, "PER").priority == 3  # developing country
    declined = _request(cop2, "CHE")
    assert declined.status == F.DECLINED and "Not eligible: Switzerland" in declined.decision_note


def test_ldc_priority_configurable_per_meeting():
    meeting = MeetingFactory()
    rules = meeting_settings_get_or_create(meeting=meeting)
    rules.ldc_priority = False
    rules.eligible_classifications = ["ldc"]
    rules.save()
    assert _request(meeting, "ZMB").priority == 3
    assert _request(meeting, "PER").status == F.DECLINED


def test_registering_with_funding_request_creates_the_request():
    from .factories import open_meeting

    meeting = open_meeting()
    user = UserFactory()
    registration = registration_create(
        meeting=meeting, user=user, by=user, capacity="party", country=country("ZMB"), funding_requested=True
    )
    assert registration.funding.status == F.REQUESTED and registration.funding.priority == 1


def test_asking_for_funding_after_registering_creates_the_request_once():
    from .factories import upcoming_meeting

    meeting = upcoming_meeting()  # the delegate changes their registration before the meeting
    user = UserFactory()
    registration = registration_create(
        meeting=meeting, user=user, by=user, capacity="party", country=country("ZMB")
    )
    assert not FundingRequest.objects.exists()
    registration_update(registration=registration, by=user, funding_requested=True)
    registration_update(registration=registration, by=user, function="Director")
    funding = FundingRequest.objects.get()
    assert (funding.registration, funding.status, funding.priority) == (registration, F.REQUESTED, 1)


def test_one_funded_participant_per_party():
    meeting = MeetingFactory()
    first, second = _request(meeting, "ZMB"), _request(meeting, "ZMB")
    funding_approve(funding=first, by=None)
    with pytest.raises(FundingError, match="Zambia already has 1 funded participant"):
        funding_approve(funding=second, by=None)
    second.refresh_from_db()
    assert (first.status, second.status) == (F.APPROVED, F.REQUESTED)


def test_allocation_ranks_ldcs_first_and_waiting_list_when_budget_runs_out():
    meeting = MeetingFactory()
    rules = meeting_settings_get_or_create(meeting=meeting)
    rules.funded_places = 2
    rules.save()
    peru = _request(meeting, "PER")  # asked first, but not an LDC
    jamaica = _request(meeting, "JAM")
    zambia = _request(meeting, "ZMB")
    assert [f.pk for f in selectors.funding_ranked(meeting=meeting)] == [zambia.pk, jamaica.pk, peru.pk]
    outcome = funding_allocate(meeting=meeting, by=None)
    assert outcome == {F.APPROVED: 2, F.WAITING: 1, "refusals": 0}
    statuses = dict(FundingRequest.objects.values_list("registration__country__iso3", "status"))
    assert statuses == {"ZMB": F.APPROVED, "JAM": F.APPROVED, "PER": F.WAITING}


def test_approving_funding_requests_the_funding_letter(django_capture_on_commit_callbacks):
    funding = _request(MeetingFactory(), "ZMB")
    with django_capture_on_commit_callbacks(execute=True):
        funding_approve(funding=funding, by=StaffFactory())
    assert list(Letter.objects.values_list("kind", "registration")) == [
        (LetterKind.FUNDING, funding.registration_id)
    ]


def test_lifecycle_ticket_dsa_paid_closed_and_itinerary_frozen():
    meeting = MeetingFactory(start_date=dt.date(2018, 11, 19), end_date=dt.date(2018, 11, 23), city="Geneva")
    funding = _request(meeting, "ZMB", arrival=dt.date(2018, 11, 18), departure=dt.date(2018, 11, 24))
    rate = DsaRate.objects.create(
        country=country("CHE"), location="Geneva", valid_from=dt.date(2018, 11, 1), daily_rate=Decimal("417.00"),
        currency="USD", room_percent=Decimal("55"),
    )  # fmt: skip
    officer = StaffFactory()
    funding_approve(funding=funding, by=officer)
    funding_issue_ticket(
        funding=funding, by=officer, itinerary="LUN-ADD-GVA / GVA-ADD-LUN", travel_class="economy", cost="1450.50",
        currency="usd",
    )  # fmt: skip
    with pytest.raises(FundingError, match="itinerary can no longer change"):
        funding_update_itinerary(funding=funding, by=officer, itinerary="LUN-DXB-GVA")
    with pytest.raises(RegistrationError, match="itinerary can no longer change"):
        registration_update(
            registration=funding.registration, by=officer, as_delegate=False, departure=dt.date(2018, 11, 25)
        )
    computed = funding_compute_dsa(
        funding=funding,
        by=officer,
        lodging_provided=False,
        meals_percent=Decimal("0"),
        terminal_expenses=Decimal("76"),
    )
    # 6 nights at USD 417 + USD 76 terminal expenses.
    assert (computed.dsa_nights, computed.dsa_rate, computed.dsa_amount, computed.dsa_currency) == (
        6, rate, Decimal("2578.00"), "USD",
    )  # fmt: skip
    with pytest.raises(FundingError, match="sign the receipt"):
        funding_pay_dsa(funding=funding, by=officer, receipt_signed=False)
    funding_pay_dsa(funding=funding, by=officer, receipt_signed=True)
    funding_close(funding=funding, by=officer)
    funding.refresh_from_db()
    assert (funding.status, funding.dsa_paid_by, funding.receipt_signed, funding.ticket_cost) == (
        F.CLOSED, officer, True, Decimal("1450.50"),
    )  # fmt: skip
    assert funding.itinerary == "LUN-ADD-GVA / GVA-ADD-LUN"


@pytest.mark.parametrize(
    ("lodging", "meals", "expected"),
    [
        (False, 0, Decimal("1000.00")),  # 4 nights x 250
        (True, 0, Decimal("400.00")),  # room share (60 %) not paid: 4 x 100
        (True, 50, Decimal("200.00")),  # and half the meals provided: 4 x 50
        (False, 50, Decimal("800.00")),  # 4 x (150 + 50)
    ],
)
def test_dsa_reductions_when_lodging_or_meals_provided(lodging, meals, expected):
    rate = DsaRate(daily_rate=Decimal("250"), room_percent=Decimal("60"), currency="USD")
    amount = dsa_amount(
        rate=rate, nights=4, lodging_provided=lodging, meals_percent=meals, terminal_expenses=0
    )
    assert amount == expected


def test_dsa_refused_without_a_rate():
    meeting = MeetingFactory(city="Geneva")
    funding = _request(meeting, "ZMB")
    funding_approve(funding=funding, by=None)
    with pytest.raises(FundingError, match="No DSA rate for Geneva"):
        funding_compute_dsa(funding=funding, by=None)


def test_dsa_rates_import_all_or_nothing():
    good = ["CHE", "Geneva", "2018-11-01", "", "417.00", "USD", "55"]
    bad = ["XXX", "Nowhere", "2018-11-01", "", "100", "USD", "150"]
    headers = ["country", "location", "valid_from", "valid_until", "daily_rate", "currency", "room_percent"]
    result = DsaRateResource().import_data(tablib.Dataset(good, bad, headers=headers), dry_run=False)
    assert (result.has_errors() or result.has_validation_errors()) and not DsaRate.objects.exists()
    result = DsaRateResource().import_data(tablib.Dataset(good, headers=headers), dry_run=False)
    assert not result.has_validation_errors()
    assert DsaRate.objects.get().daily_rate == Decimal("417.00")


def test_funding_overview_page_and_xlsx(client):
    meeting = MeetingFactory()
    zambia = _request(meeting, "ZMB")
    funding_approve(funding=zambia, by=None)
    FundingRequest.objects.filter(pk=zambia.pk).update(
        ticket_cost=Decimal("1200"), ticket_currency="USD", donor="Switzerland"
    )
    _request(meeting, "PER")
    client.force_login(StaffFactory(roles=["Registration officer"]))
    page = client.get(reverse("participants:funding", args=[meeting.code])).content.decode()
    assert "African States" in page and "1,200.00 USD" in page
    response = client.get(reverse("participants:funding_xlsx", args=[meeting.code]))
    book = tablib.Databook().load(response.content, format="xlsx")
    by_region = {row[0]: row for row in book.sheets()[0]}
    assert by_region["African States"][1:5] == (1, 1, 0, "1,200.00 USD")
    assert by_region["Latin American and Caribbean States"][1:3] == (1, 0)
    by_donor = [row[0] for row in book.sheets()[1]]
    assert sorted(by_donor) == ["Switzerland", "—"]


def test_funding_overview_staff_only(client):
    meeting = MeetingFactory()
    client.force_login(UserFactory())
    assert client.get(reverse("participants:funding", args=[meeting.code])).status_code == 403
    assert client.get(reverse("participants:funding_xlsx", args=[meeting.code])).status_code == 403
