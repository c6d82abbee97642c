"""Every write goes through a service, reads write nothing, and every page names its rule."""

import datetime as dt
from decimal import Decimal

import pytest
import tablib
from django.urls import URLPattern, reverse

from participants import selectors, urls
from participants.enums import Capacity, FundingStatus, RegistrationStatus
from participants.models import Credentials, FundingRequest, MeetingParticipationSettings, Registration
from participants.resources import RegistrationResource
from participants.services import registration as registration_services
from participants.services.funding import funding_approve, funding_request_create
from tests.factories import MeetingFactory, StaffFactory, UserFactory, country

from .factories import OrganisationFactory, RegistrationFactory

pytestmark = pytest.mark.django_db
S = RegistrationStatus


@pytest.fixture
def officer():
    return StaffFactory(roles=["Registration officer"])


def test_every_participants_page_is_public_or_names_its_rule():
    unmarked = [
        p.name
        for p in urls.urlpatterns
        if isinstance(p, URLPattern) and not getattr(p.callback, "access_public", False)
        and not getattr(p.callback, "access_rule", None)
    ]  # fmt: skip
    assert unmarked == []


def test_meeting_settings_selector_writes_nothing():
    meeting = MeetingFactory()
    found = selectors.meeting_settings(meeting)
    assert (found.pk, found.funded_per_party, found.credentials_deadline_hours) == (None, 1, 24)
    assert not MeetingParticipationSettings.objects.exists()


@pytest.mark.parametrize("name", ["statistics", "statistics_xlsx", "credentials", "funding"])
def test_staff_pages_write_no_settings_row_on_get(client, officer, name):
    """GET never changes anything: reading the quorum or the credentials deadline of a meeting
    whose settings were never saved uses the defaults, it does not create the row."""
    meeting = MeetingFactory()
    RegistrationFactory(meeting=meeting, status=S.ACCREDITED)
    client.force_login(officer)
    assert client.get(reverse(f"participants:{name}", args=[meeting.code])).status_code == 200
    assert not MeetingParticipationSettings.objects.exists()


def test_admin_add_form_runs_the_service_once_and_rehearses_nothing(client, officer, monkeypatch):
    calls = []
    real = registration_services.registration_create

    def counting(**kwargs):
        calls.append(kwargs["user"].email)
        return real(**kwargs)

    monkeypatch.setattr(registration_services, "registration_create", counting)
    meeting = MeetingFactory()
    person = UserFactory(email="walk.in@example.org")
    client.force_login(officer)
    response = client.post(
        reverse("admin:participants_registration_add"),
        {"meeting": meeting.pk, "user": person.pk, "capacity": "party", "country": country("PER").pk,
         "first_name": "Walk", "last_name": "In", "email": "walk.in@example.org", "delegation_role": "",
         "gender": "", "title": ""},
    )  # fmt: skip
    assert response.status_code == 302
    assert calls == ["walk.in@example.org"]


def test_import_stores_rows_as_the_service_does():
    """The import calls the registration service: an organisation's representative names no
    State (the service clears it), and the Party delegate asking for funding is ranked."""
    MeetingFactory(code="cop-import")
    OrganisationFactory(name="Zero Mercury")
    dataset = tablib.Dataset(
        ["cop-import", "ngo", "ZMB", "Zero Mercury", "Ana", "Quispe", "ana@zmwg.org", "0"],
        ["cop-import", "party", "ZMB", "", "Mwila", "Banda", "mwila@example.zm", "1"],
        headers=["meeting", "capacity", "country", "organisation", "first_name", "last_name", "email",
                 "funding_requested"],
    )  # fmt: skip
    officer = StaffFactory()
    result = RegistrationResource(by=officer).import_data(dataset, dry_run=False)
    assert not result.has_errors() and not result.has_validation_errors()
    rows = {r.email: r for r in Registration.objects.all()}
    assert (rows["ana@zmwg.org"].capacity, rows["ana@zmwg.org"].country) == (Capacity.NGO, None)
    assert rows["mwila@example.zm"].funding.status == FundingStatus.REQUESTED
    assert {r.history.get().history_user for r in rows.values()} == {officer}


def test_credentials_admin_records_through_the_service(client, officer):
    cop2 = MeetingFactory(start_date=dt.date(2018, 11, 19), end_date=dt.date(2018, 11, 23))
    zambian = RegistrationFactory(meeting=cop2, country=country("ZMB"), status=S.ACCREDITED)
    client.force_login(officer)
    response = client.post(
        reverse("admin:participants_credentials_add"),
        {"meeting": cop2.pk, "country": country("ZMB").pk, "form": "original", "issuer": "foreign_minister",
         "issuer_other": "Minister of Environment", "received_at_0": "2018-11-19", "received_at_1": "08:00:00",
         "notes": "", "delegates": [zambian.pk]},
    )  # fmt: skip
    assert response.status_code == 302, response.context["adminform"].form.errors
    credentials = Credentials.objects.get()
    # The service keeps "other issuer" only when the issuer is "other", and records who did it.
    assert (credentials.issuer_other, credentials.recorded_by) == ("", officer)
    assert list(credentials.delegates.all()) == [zambian]
    assert credentials.history.get().history_user == officer
    change = client.get(reverse("admin:participants_credentials_change", args=[credentials.pk]))
    assert {"meeting", "country"}.isdisjoint(change.context["adminform"].form.fields)


def _funding(meeting=None):
    registration = RegistrationFactory(meeting=meeting or MeetingFactory(), country=country("ZMB"))
    return funding_request_create(registration=registration, by=None)


def test_funding_admin_edits_the_itinerary_through_the_service(client, officer):
    funding = _funding()
    funding_approve(funding=funding, by=officer)
    client.force_login(officer)
    url = reverse("admin:participants_fundingrequest_change", args=[funding.pk])
    form = client.get(url).context["adminform"].form
    assert {"itinerary", "ticket_cost", "lodging_provided", "terminal_expenses"} <= set(form.fields)
    response = client.post(
        url, {"donor": "Switzerland", "itinerary": "LUN-ADD-GVA", "travel_class": "economy", "ticket_cost": "900",
              "ticket_currency": "usd", "meals_percent_provided": "0", "terminal_expenses": "0"},
    )  # fmt: skip
    assert response.status_code == 302, response.context["adminform"].form.errors
    funding.refresh_from_db()
    assert (funding.donor, funding.itinerary, funding.ticket_cost, funding.ticket_currency, funding.status) == (
        "Switzerland", "LUN-ADD-GVA", Decimal("900"), "USD", FundingStatus.APPROVED,
    )  # fmt: skip
    assert funding.history.first().history_user == officer


def test_funding_admin_dsa_inputs_read_only_once_the_dsa_is_computed(client, officer):
    funding = _funding()
    FundingRequest.objects.filter(pk=funding.pk).update(
        status=FundingStatus.APPROVED, dsa_amount=Decimal("2578.00"), dsa_currency="USD", terminal_expenses=76
    )
    client.force_login(officer)
    url = reverse("admin:participants_fundingrequest_change", args=[funding.pk])
    form = client.get(url).context["adminform"].form
    assert {"lodging_provided", "meals_percent_provided", "terminal_expenses"}.isdisjoint(form.fields)
    response = client.post(
        url, {"donor": "", "itinerary": "", "travel_class": "economy", "ticket_cost": "", "ticket_currency": "USD",
              "lodging_provided": "on", "meals_percent_provided": "50", "terminal_expenses": "0"},
    )  # fmt: skip
    assert response.status_code == 302
    funding.refresh_from_db()
    assert (funding.lodging_provided, funding.meals_percent_provided, funding.terminal_expenses) == (
        False, Decimal("0"), Decimal("76"),
    )  # fmt: skip


def test_admin_add_form_refuses_a_second_registration_of_the_same_person(client, officer):
    registration = RegistrationFactory(country=country("PER"))
    client.force_login(officer)
    response = client.post(
        reverse("admin:participants_registration_add"),
        {"meeting": registration.meeting.pk, "user": registration.user.pk, "capacity": "party",
         "country": country("PER").pk, "first_name": "Walk", "last_name": "In", "email": "walk.in@example.org",
         "delegation_role": "", "gender": "", "title": ""},
    )  # fmt: skip
    assert response.status_code == 200
    assert "already registered" in str(response.context["adminform"].form.errors)
    assert Registration.objects.count() == 1
