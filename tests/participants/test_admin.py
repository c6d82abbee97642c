import datetime as dt

import pytest
import tablib
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from letters.models import Letter
from meetings.enums import MeetingKind
from participants import selectors
from participants.enums import Capacity, ObserverStatus, RegistrationStatus
from participants.errors import ObserverError, RegistrationError
from participants.models import DsaRate, ObserverApplication, Organisation, Registration
from participants.resources import (
    AdmittedObserverResource,
    DsaRateResource,
    OrganisationResource,
    RegistrationResource,
)
from participants.services import funding as funding_services
from participants.services import observers as observer_services
from participants.services.funding import funding_approve, meeting_settings_get_or_create
from participants.services.observers import observer_admit, observer_apply
from participants.services.registration import registration_accredit
from tests.admin_forms import admin_post_data
from tests.factories import MeetingFactory, StaffFactory, UserFactory, country

from .factories import OrganisationFactory, RegistrationFactory, open_meeting

pytestmark = pytest.mark.django_db
S = RegistrationStatus


@pytest.fixture
def officer():
    return StaffFactory(roles=["Registration officer"])


def test_accredit_action_accredits_nominated_and_reports_refusals(client, officer):
    meeting = MeetingFactory()
    nominated = RegistrationFactory(meeting=meeting, status=S.NOMINATED)
    pending = RegistrationFactory(meeting=meeting, status=S.PRE_REGISTERED, last_name="Pending")
    client.force_login(officer)
    response = client.post(
        reverse("admin:participants_registration_changelist"),
        {"action": "accredit", "_selected_action": [nominated.pk, pending.pk]},
        follow=True,
    )
    nominated.refresh_from_db(), pending.refresh_from_db()
    assert (nominated.status, pending.status) == (S.ACCREDITED, S.PRE_REGISTERED)
    shown = [str(m) for m in response.context["messages"]]
    assert "1 registration(s) accredited." in shown
    assert any("has not been nominated" in m and "Pending" in m for m in shown)
    assert nominated.history.first().history_user == officer


def test_delegate_cannot_open_registration_admin(client):
    client.force_login(UserFactory())
    response = client.get(reverse("admin:participants_registration_changelist"))
    assert response.status_code == 302 and "login" in response["Location"]


def test_list_filters_by_region_and_funding(client, officer):
    meeting = MeetingFactory()
    RegistrationFactory(meeting=meeting, country=country("ZMB"), last_name="Zambian", funding_requested=True)
    RegistrationFactory(meeting=meeting, country=country("PER"), last_name="Peruvian")
    client.force_login(officer)
    url = reverse("admin:participants_registration_changelist")
    african = client.get(url, {"country__regional_group": "african"})
    assert [r.last_name for r in african.context["cl"].result_list] == ["Zambian"]
    funded = client.get(url, {"funding": "asked"})
    assert [r.last_name for r in funded.context["cl"].result_list] == ["Zambian"]


@pytest.mark.parametrize("count", [3, 12])
def test_admin_registration_list_query_count_is_fixed(client, officer, django_assert_num_queries, count):
    meeting = MeetingFactory()
    for i in range(count):
        RegistrationFactory(meeting=meeting, capacity=Capacity.NGO if i % 3 == 0 else Capacity.PARTY,
                            country=None if i % 3 == 0 else country("ZMB"),
                            organisation=OrganisationFactory() if i % 3 == 0 else None)  # fmt: skip
    client.force_login(officer)
    url = reverse("admin:participants_registration_changelist")
    client.get(url)  # warm the permission caches of the session user
    with django_assert_num_queries(12):
        response = client.get(url)
    assert response.context["cl"].result_count == count


def _dataset(rows):
    headers = [
        "meeting",
        "capacity",
        "country",
        "organisation",
        "first_name",
        "last_name",
        "email",
        "function",
    ]
    return tablib.Dataset(*rows, headers=headers)


def test_import_with_any_bad_row_imports_nothing_and_reports_every_bad_row(officer):
    meeting = MeetingFactory(code="cop-import")
    dataset = _dataset([
        ["cop-import", "party", "ZMB", "", "Mwila", "Banda", "mwila@example.zm", "Director"],
        ["cop-import", "party", "XXX", "", "Bad", "Country", "bad@example.org", ""],
        ["cop-import", "party", "RUS", "", "Not", "Party", "np@example.org", ""],
        ["cop-import", "party", "PER", "", "Ana", "Quispe", "MWILA@example.zm", ""],
    ])  # fmt: skip
    result = RegistrationResource(by=officer).import_data(dataset, dry_run=False)
    assert Registration.objects.filter(meeting=meeting).count() == 0
    bad_rows = sorted(row.number for row in result.invalid_rows) + sorted(n for n, _e in result.row_errors())
    assert sorted(bad_rows) == [2, 3, 4]
    messages = " ".join(str(e) for row in result.invalid_rows for e in row.error_dict.values())
    assert "No State (ISO alpha-3) “XXX”." in messages
    assert "not a Party" in messages
    duplicate = " ".join(str(e.error) for _n, errors in result.row_errors() for e in errors)
    assert "mwila@example.zm appears twice" in duplicate


def test_clean_import_creates_pre_registered_people_once(officer):
    meeting = MeetingFactory(code="cop-import")
    existing = UserFactory(email="mwila@example.zm")
    dataset = _dataset([
        ["cop-import", "party", "ZMB", "", "Mwila", "Banda", "Mwila@Example.zm", "Director"],
        ["cop-import", "ngo", "", "Zero Mercury", "Ana", "Quispe", "ana@zmwg.org", ""],
    ])  # fmt: skip
    OrganisationFactory(name="Zero Mercury")
    result = RegistrationResource(by=officer).import_data(dataset, dry_run=False)
    assert not result.has_errors() and not result.has_validation_errors()
    rows = Registration.objects.filter(meeting=meeting).order_by("last_name")
    assert [(r.user.email, r.status, r.created_by) for r in rows] == [
        ("mwila@example.zm", S.PRE_REGISTERED, officer), ("ana@zmwg.org", S.PRE_REGISTERED, officer),
    ]  # fmt: skip
    assert rows[0].user == existing


def test_imported_party_delegate_asking_for_funding_gets_a_ranked_request(officer):
    MeetingFactory(code="cop-import")
    dataset = tablib.Dataset(
        ["cop-import", "party", "ZMB", "Mwila", "Banda", "mwila@example.zm", "1"],
        headers=["meeting", "capacity", "country", "first_name", "last_name", "email", "funding_requested"],
    )
    result = RegistrationResource(by=officer).import_data(dataset, dry_run=False)
    assert not result.has_errors() and not result.has_validation_errors()
    funding = Registration.objects.get().funding
    assert (funding.status, funding.priority) == ("requested", 1)


def test_import_of_already_registered_person_is_refused(officer):
    meeting = MeetingFactory(code="cop-import")
    RegistrationFactory(meeting=meeting, user=UserFactory(email="mwila@example.zm"))
    dataset = _dataset([["cop-import", "party", "ZMB", "", "Mwila", "Banda", "mwila@example.zm", ""]])
    result = RegistrationResource(by=officer).import_data(dataset, dry_run=False)
    assert result.has_validation_errors()
    assert "already registered" in str(result.invalid_rows[0].error_dict)
    assert Registration.objects.filter(meeting=meeting).count() == 1


def test_export_neutralises_formula_cells():
    RegistrationFactory(first_name='=HYPERLINK("http://evil")', function="+1-2", last_name="@SUM(A1)")
    exported = RegistrationResource().export()
    row = exported.dict[0]
    assert row["first_name"] == '\'=HYPERLINK("http://evil")'
    assert (row["function"], row["last_name"]) == ("'+1-2", "'@SUM(A1)")


def test_export_selected_action_returns_spreadsheet(client, officer):
    registration = RegistrationFactory(last_name="Exported")
    RegistrationFactory(last_name="NotSelected")
    client.force_login(officer)
    response = client.post(
        reverse("admin:participants_registration_changelist"),
        {"action": "export_admin_action", "_selected_action": [registration.pk], "format": "0"},
    )
    assert response.status_code == 200
    assert "spreadsheetml" in response["Content-Type"]
    sheet = tablib.Dataset().load(response.content, format="xlsx")
    assert [row["last_name"] for row in sheet.dict] == ["Exported"]


# --- Observers ----------------------------------------------------------------------------------


def test_observer_request_and_admission_gate_accreditation():
    meeting = MeetingFactory()
    organisation = OrganisationFactory()
    registration = RegistrationFactory(
        meeting=meeting, capacity=Capacity.NGO, country=None, organisation=organisation
    )
    with pytest.raises(RegistrationError, match="not admitted"):
        registration_accredit(registration=registration, by=StaffFactory())
    application = observer_apply(
        meeting=meeting, organisation=organisation, by=None, statutes="Statutes", competence="Mercury work",
        contact_name="Ana", contact_email="ana@zmwg.org",
    )  # fmt: skip
    observer_admit(application=application, by=StaffFactory())
    registration_accredit(registration=registration, by=StaffFactory())
    registration.refresh_from_db()
    assert registration.status == S.ACCREDITED


def test_observer_admitted_earlier_need_not_apply_again():
    organisation = OrganisationFactory()
    cop1 = MeetingFactory(start_date=dt.date(2017, 9, 24), end_date=dt.date(2017, 9, 29))
    cop2 = MeetingFactory(start_date=dt.date(2018, 11, 19), end_date=dt.date(2018, 11, 23))
    ObserverApplication.objects.create(
        meeting=cop1, organisation=organisation, status=ObserverStatus.ADMITTED, statutes="s", competence="c",
        contact_name="n", contact_email="n@example.org",
    )  # fmt: skip
    assert selectors.organisation_is_admitted(organisation=organisation, meeting=cop2)
    with pytest.raises(ObserverError, match="no need to apply again"):
        observer_apply(meeting=cop2, organisation=organisation, by=None, statutes="s", competence="c",
                                contact_name="n", contact_email="n@example.org")  # fmt: skip
    registration = RegistrationFactory(
        meeting=cop2, capacity=Capacity.NGO, country=None, organisation=organisation
    )
    registration_accredit(registration=registration, by=StaffFactory())
    assert registration.status == S.ACCREDITED


def test_observer_request_after_deadline_refused(client):
    meeting = open_meeting()
    settings_row = meeting_settings_get_or_create(meeting=meeting)
    settings_row.observer_deadline = timezone.now() - dt.timedelta(days=1)
    settings_row.save()
    client.force_login(UserFactory())
    response = client.post(
        reverse("participants:observer_apply", args=[meeting.code]),
        {"name": "Late NGO", "kind": "ngo", "statutes": "s", "competence": "c", "contact_name": "n",
         "contact_email": "n@example.org"},
    )  # fmt: skip
    assert response.status_code == 200
    assert "closed on" in " ".join(response.context["form"].non_field_errors())
    assert not ObserverApplication.objects.exists()
    assert not Organisation.objects.filter(name="Late NGO").exists()  # nothing left half-made


def test_observer_request_page_creates_request(client):
    meeting = open_meeting()
    client.force_login(UserFactory())
    response = client.post(
        reverse("participants:observer_apply", args=[meeting.code]),
        {"name": "Zero Mercury Working Group", "kind": "ngo", "statutes": "Statutes of 2005",
         "competence": "Mercury campaigns", "contact_name": "Ana", "contact_email": "ana@zmwg.org"},
    )  # fmt: skip
    assert response.status_code == 302
    application = ObserverApplication.objects.get()
    assert (application.organisation.name, application.status) == ("Zero Mercury Working Group", "requested")


def test_an_organisation_applying_again_under_another_spelling_is_the_same_organisation(client):
    first, second = open_meeting(), open_meeting()
    client.force_login(UserFactory())
    for meeting, typed in ((first, "Zero Mercury Working Group"), (second, "  zero mercury  working group ")):
        response = client.post(
            reverse("participants:observer_apply", args=[meeting.code]),
            {"name": typed, "kind": "ngo", "statutes": "s", "competence": "c", "contact_name": "Ana",
             "contact_email": "ana@zmwg.org"},
        )  # fmt: skip
        assert response.status_code == 302
    assert Organisation.objects.filter(name__iexact="Zero Mercury Working Group").count() == 1
    assert ObserverApplication.objects.filter(organisation__name="Zero Mercury Working Group").count() == 2


def test_export_of_admitted_observers_lists_only_admitted():
    meeting = MeetingFactory(code="cop-x")
    admitted, pending = OrganisationFactory(name="Admitted NGO"), OrganisationFactory(name="Pending NGO")
    for organisation, status in ((admitted, "admitted"), (pending, "requested")):
        ObserverApplication.objects.create(
            meeting=meeting, organisation=organisation, status=status, statutes="s", competence="c",
            contact_name="n", contact_email="n@example.org",
        )  # fmt: skip
    exported = AdmittedObserverResource().export(ObserverApplication.objects.all())
    assert [row["Organisation"] for row in exported.dict] == ["Admitted NGO"]
    assert exported.dict[0]["Kind"] == "Non-governmental organisation"


def test_on_site_registration_in_admin_goes_through_the_service(client, officer):
    meeting = MeetingFactory()
    person = UserFactory(email="walk.in@example.org")
    client.force_login(officer)
    response = client.post(
        reverse("admin:participants_registration_add"), _add_form_data(meeting, person, "PER")
    )
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    registration = Registration.objects.get(meeting=meeting, user=person)
    assert (registration.status, registration.created_by) == (S.PRE_REGISTERED, officer)
    assert registration.history.get().history_user == officer


def test_on_site_registration_asking_for_funding_can_then_be_funded(client, officer):
    """The form's trial run of the service is rolled back, settings row included: the real save
    must make that row again, or approving the funding fails on a row that is not there."""
    from participants.models import FundingRequest, MeetingParticipationSettings

    meeting = MeetingFactory()
    assert not MeetingParticipationSettings.objects.filter(meeting=meeting).exists()
    person = UserFactory(email="funded@example.zm")
    client.force_login(officer)
    response = client.post(
        reverse("admin:participants_registration_add"),
        _add_form_data(meeting, person, "ZMB", funding_requested="on"),
    )
    assert response.status_code == 302
    assert MeetingParticipationSettings.objects.filter(meeting=meeting).exists()
    funding = FundingRequest.objects.get(registration__user=person)
    assert funding_approve(funding=funding, by=officer).status == "approved"


def test_admin_import_preview_reports_bad_rows_and_keeps_the_file_only_in_the_cache(
    client, officer, tmp_path
):
    from django.core.cache import cache
    from django.core.files.uploadedfile import SimpleUploadedFile

    from participants.resources import ShortLivedImportStorage

    MeetingFactory(code="cop-import")
    cache.clear()
    csv = (
        b"meeting,capacity,country,organisation,first_name,last_name,email,function\n"
        b"cop-import,party,ZMB,,Mwila,Banda,mwila@example.zm,Director\n"
        b"cop-import,party,XXX,,Bad,Row,bad@example.org,\n"
    )
    client.force_login(officer)
    response = client.post(
        reverse("admin:participants_registration_import"),
        {
            "resource": "0",
            "format": "1",
            "import_file": SimpleUploadedFile("people.csv", csv, content_type="text/csv"),
        },
    )
    page = response.content.decode()
    assert "No State (ISO alpha-3) “XXX”." in page
    assert not Registration.objects.exists()
    # The pending file waits in the cache (forgotten after an hour), never on the disk.
    assert ShortLivedImportStorage.CACHE_LIFETIME == 3600
    keys = [k for k in cache._cache if ShortLivedImportStorage.CACHE_PREFIX in k]
    assert keys


def _add_form_data(meeting, person, iso3, **extra):
    """What the add page posts for a State's delegate (its other fields left empty)."""
    return {
        "meeting": meeting.pk, "user": person.pk, "capacity": "party", "country": country(iso3).pk,
        "first_name": "Walk", "last_name": "In", "email": person.email, "delegation_role": "", "gender": "",
        "title": "", **extra,
    }  # fmt: skip


def test_admin_add_form_shows_the_services_refusal_on_the_field(client, officer):
    meeting = MeetingFactory()
    person = UserFactory(email="walk.in@example.org")
    client.force_login(officer)
    response = client.post(
        reverse("admin:participants_registration_add"), _add_form_data(meeting, person, "RUS")
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "is not a Party to the Convention" in " ".join(errors["capacity"])
    assert not Registration.objects.exists()


def test_admin_add_form_refuses_a_state_outside_the_meetings_scope_with_the_reason(client):
    meeting = open_meeting(
        kind=MeetingKind.REGIONAL_CONSULTATION, code="rc-africa-admin", title_en="African regional consultation",
        regions=["african"],
    )  # fmt: skip
    client.force_login(StaffFactory(roles=["Secretariat administrator"]))
    response = client.post(
        reverse("admin:participants_registration_add"), _add_form_data(meeting, UserFactory(), "PER")
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["country"] == [
        "Peru is not within the scope of African regional consultation: African States"
    ]
    assert not Registration.objects.filter(meeting=meeting).exists()


def _change_form_data(client, registration):
    return admin_post_data(
        client.get(reverse("admin:participants_registration_change", args=[registration.pk]))
    )


def test_admin_change_form_shows_the_services_refusal_and_changes_nothing(client, officer):
    registration = RegistrationFactory(country=country("ZMB"), status=S.NOMINATED)
    client.force_login(officer)
    data = _change_form_data(client, registration)
    data["country"] = country("RUS").pk
    response = client.post(reverse("admin:participants_registration_change", args=[registration.pk]), data)
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "Russian Federation is not a Party" in " ".join(errors["capacity"])
    registration.refresh_from_db()
    assert registration.country == country("ZMB")
    assert registration.history.count() == 1


def test_admin_change_form_saves_an_accepted_change_once(client, officer):
    registration = RegistrationFactory(country=country("ZMB"), status=S.NOMINATED)
    client.force_login(officer)
    data = _change_form_data(client, registration)
    data["function"] = "Minister"
    response = client.post(reverse("admin:participants_registration_change", args=[registration.pk]), data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    registration.refresh_from_db()
    assert registration.function == "Minister"
    assert [h.function for h in registration.history.all()] == ["Minister", "Director of Environment"]


@pytest.fixture
def cop2():
    return MeetingFactory(
        start_date=dt.date(2018, 11, 19), end_date=dt.date(2018, 11, 23), code="cop-2-creds"
    )


def _credentials_form(meeting, iso3, delegates):
    return {
        "meeting": meeting.pk, "country": country(iso3).pk, "form": "original", "issuer": "foreign_minister",
        "issuer_other": "", "received_at_0": "2018-11-19", "received_at_1": "08:00:00", "notes": "",
        "delegates": [d.pk for d in delegates],
    }  # fmt: skip


def test_credentials_admin_records_a_partys_credentials_for_its_own_delegates(client, officer, cop2):
    from participants.models import Credentials

    zambian = RegistrationFactory(meeting=cop2, country=country("ZMB"), status=S.ACCREDITED)
    client.force_login(officer)
    response = client.post(
        reverse("admin:participants_credentials_add"), _credentials_form(cop2, "ZMB", [zambian])
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    credentials = Credentials.objects.get()
    assert (credentials.country.iso3, list(credentials.delegates.all()), credentials.recorded_by) == (
        "ZMB", [zambian], officer,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("iso3", "whose", "field", "message"),
    [
        # Chile's ratification entered into force on 25 November 2018, after COP-2 opened.
        ("CHL", "CHL", "country", "is not a Party"),
        ("ZMB", "PER", "delegates", "only cover delegates of that Party"),
    ],
)
def test_credentials_admin_refuses_what_the_service_refuses_on_the_field(
    client, officer, cop2, iso3, whose, field, message
):
    from participants.models import Credentials

    delegate = RegistrationFactory(meeting=cop2, country=country(whose), status=S.ACCREDITED)
    client.force_login(officer)
    response = client.post(
        reverse("admin:participants_credentials_add"), _credentials_form(cop2, iso3, [delegate])
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert message in " ".join(errors[field])
    assert not Credentials.objects.exists()


def test_admin_change_form_keeps_meeting_and_user(client, officer):
    """Whose registration and for which meeting cannot be changed in the admin (no service does it)."""
    registration = RegistrationFactory(country=country("ZMB"), status=S.NOMINATED)
    owner, meeting = registration.user, registration.meeting
    client.force_login(officer)
    url = reverse("admin:participants_registration_change", args=[registration.pk])
    form = client.get(url).context["adminform"].form
    assert {"meeting", "user"}.isdisjoint(form.fields)
    data = _change_form_data(client, registration)
    data.update(meeting=MeetingFactory().pk, user=UserFactory().pk, function="Minister")
    response = client.post(url, data)
    assert response.status_code == 302
    registration.refresh_from_db()
    assert (registration.meeting, registration.user, registration.function) == (meeting, owner, "Minister")


def test_observer_requests_are_not_added_or_edited_in_the_admin(client, officer):
    """Requests come through observer_apply (deadline, earlier admission): the admin adds none and
    shows each read-only; its status moves only by the actions."""
    application = ObserverApplication.objects.create(
        meeting=MeetingFactory(), organisation=OrganisationFactory(), status=ObserverStatus.REQUESTED,
        statutes="s", competence="c", contact_name="n", contact_email="n@example.org",
    )  # fmt: skip
    client.force_login(officer)
    assert client.get(reverse("admin:participants_observerapplication_add")).status_code == 403
    url = reverse("admin:participants_observerapplication_change", args=[application.pk])
    assert not client.get(url).context["adminform"].form.fields
    client.post(url, {"contact_email": "other@example.org", "status": ObserverStatus.ADMITTED})
    application.refresh_from_db()
    assert (application.contact_email, application.status) == ("n@example.org", ObserverStatus.REQUESTED)


def test_organisation_admin_and_import_save_through_the_service(client, officer, monkeypatch):
    saved = []
    real = observer_services.organisation_save
    monkeypatch.setattr(
        observer_services, "organisation_save", lambda **kw: saved.append(kw["by"]) or real(**kw)
    )
    monkeypatch.setattr(
        OrganisationResource, "save_service", staticmethod(observer_services.organisation_save)
    )
    client.force_login(officer)
    response = client.post(
        reverse("admin:participants_organisation_add"),
        {
            "name": "  Zero   Mercury  Group ",
            "acronym": "ZMG",
            "kind": "ngo",
            "website": "",
            "contact_email": "",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert Organisation.objects.get().name == "Zero Mercury Group"
    dataset = tablib.Dataset(headers=["name", "acronym", "kind", "country", "website", "contact_email"])
    dataset.append(["Artisanal Gold Council", "AGC", "ngo", "CAN", "", ""])
    result = OrganisationResource(by=officer).import_data(dataset, dry_run=False)
    assert not result.has_errors() and not result.has_validation_errors()
    assert saved == [officer, officer]
    assert Organisation.objects.get(name="Artisanal Gold Council").country == country("CAN")


def test_dsa_rate_admin_and_import_save_through_the_service(client, officer, monkeypatch):
    saved = []
    real = funding_services.dsa_rate_save
    monkeypatch.setattr(
        DsaRateResource, "save_service", staticmethod(lambda **kw: saved.append(kw) or real(**kw))
    )
    monkeypatch.setattr(funding_services, "dsa_rate_save", lambda **kw: saved.append(kw) or real(**kw))
    client.force_login(officer)
    response = client.post(
        reverse("admin:participants_dsarate_add"),
        {"country": country("CHE").pk, "location": "Geneva", "valid_from": "2018-11-01", "daily_rate": "417",
         "currency": "USD", "room_percent": "58"},
    )  # fmt: skip
    assert response.status_code == 302, response.context["adminform"].form.errors
    dataset = tablib.Dataset(headers=["country", "location", "valid_from", "valid_until", "daily_rate", "currency",
                                      "room_percent"])  # fmt: skip
    dataset.append(["KEN", "Nairobi", "2018-11-01", "", "300", "USD", "50"])
    result = DsaRateResource(by=officer).import_data(dataset, dry_run=False)
    assert not result.has_errors() and not result.has_validation_errors()
    assert [kw["by"] for kw in saved] == [officer, officer]
    assert sorted(DsaRate.objects.values_list("location", flat=True)) == ["Geneva", "Nairobi"]


def test_participation_settings_admin_updates_through_the_service(client, officer, monkeypatch):
    meeting = MeetingFactory()
    settings_row = meeting_settings_get_or_create(meeting=meeting)
    calls = []
    real = funding_services.meeting_settings_update
    monkeypatch.setattr(
        funding_services, "meeting_settings_update", lambda **kw: calls.append(kw) or real(**kw)
    )
    client.force_login(officer)
    url = reverse("admin:participants_meetingparticipationsettings_change", args=[settings_row.pk])
    form = client.get(url).context["adminform"].form
    assert "meeting" not in form.fields
    data = {"funded_per_party": "2", "funded_places": "30", "eligible_classifications": ["ldc"], "ldc_priority": "on",
            "credentials_deadline_hours": "24", "quorum_fraction": "0.333", "observer_deadline_0": "",
            "observer_deadline_1": "", "funding_policy": "parties_and_eligible_non_parties"}  # fmt: skip
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    settings_row.refresh_from_db()
    assert (settings_row.funded_per_party, settings_row.funded_places) == (2, 30)
    assert (settings_row.funding_policy, settings_row.eligible_classifications) == (
        "parties_and_eligible_non_parties", ["ldc"]
    )  # fmt: skip
    assert [(c["meeting"], c["by"], c["funded_per_party"]) for c in calls] == [(meeting, officer, 2)]


def test_send_confirmation_letters_is_not_offered_to_who_may_not_send_letters(client):
    registration = RegistrationFactory(status=S.ACCREDITED)
    viewer = StaffFactory()
    viewer.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_registration", "change_registration"])
    )
    client.force_login(viewer)
    url = reverse("admin:participants_registration_changelist")
    offered = [name for name, _label in client.get(url).context["action_form"].fields["action"].choices]
    assert "send_confirmation_letters" not in offered
    client.post(url, {"action": "send_confirmation_letters", "_selected_action": [registration.pk]})
    assert not Letter.objects.exists()
    client.force_login(StaffFactory(roles=["Registration officer"]))
    offered = [name for name, _label in client.get(url).context["action_form"].fields["action"].choices]
    assert "send_confirmation_letters" in offered
