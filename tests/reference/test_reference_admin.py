import pytest
import tablib
from django.urls import reverse

from reference.admin import CountryResource
from reference.models import Country
from tests.factories import StaffFactory, UserFactory

pytestmark = pytest.mark.django_db

HEADERS = [
    "iso2",
    "iso3",
    "m49",
    "name_en",
    "name_fr",
    "name_es",
    "regional_group",
    "member_status",
    "notes",
    "source",
]


def test_an_import_with_a_bad_row_changes_nothing_and_reports_every_bad_row():
    dataset = tablib.Dataset(headers=HEADERS)
    dataset.append(
        ["PE", "PER", "604", "Peru", "Pérou (corrigé)", "Perú", "latin_american_caribbean", "member", "", "x"]
    )
    dataset.append(["ZM", "ZMB", "894", "Zambia", "Zambie", "Zambia", "atlantis", "member", "", "x"])
    dataset.append(["XX", "XXX", "999", "", "", "", "african", "nowhere", "", "x"])
    # As the admin's import view calls it: one transaction, rolled back on any invalid row.
    result = CountryResource().import_data(
        dataset, dry_run=False, raise_errors=False, use_transactions=True, rollback_on_validation_errors=True
    )
    assert result.has_validation_errors()
    bad_rows = {row.number: row.error_dict for row in result.invalid_rows}
    assert set(bad_rows) == {2, 3}
    assert "regional_group" in bad_rows[2]
    assert {"name_en", "member_status"} <= set(bad_rows[3])
    assert Country.objects.get(iso3="PER").name_fr == "Pérou"
    assert not Country.objects.filter(iso3="XXX").exists()


def test_a_clean_import_corrects_a_state():
    dataset = tablib.Dataset(headers=HEADERS)
    dataset.append(
        ["PE", "PER", "604", "Peru", "Pérou (corrigé)", "Perú", "latin_american_caribbean", "member", "", "x"]
    )
    result = CountryResource().import_data(dataset, dry_run=False, raise_errors=False)
    assert not result.has_errors() and not result.has_validation_errors()
    assert Country.objects.get(iso3="PER").name_fr == "Pérou (corrigé)"
    assert Country.objects.count() == 196  # 195 States and the European Union


def test_staff_see_the_caveats_above_the_reference_lists(client):
    client.force_login(StaffFactory(is_superuser=True))
    response = client.get(reverse("admin:reference_country_changelist"), secure=True)
    content = response.content.decode()
    assert "Read before relying on these tables" in content
    assert "Parties to the Minamata Convention" in content
    assert "not confirmed" in content


def test_delegates_cannot_reach_the_reference_admin(client):
    client.force_login(UserFactory())
    response = client.get(reverse("admin:reference_country_changelist"), secure=True, follow=True)
    assert response.status_code == 403
    assert "Read before relying" not in response.content.decode()
