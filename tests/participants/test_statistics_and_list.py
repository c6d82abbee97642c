import datetime as dt
import io
import math
from decimal import Decimal

import pytest
import tablib
from django.urls import reverse
from pypdf import PdfReader

from participants import selectors
from participants.enums import Capacity, RegistrationStatus
from participants.services.badges import badge_token, registration_check_in
from participants.services.credentials import credentials_decide, credentials_record
from participants.services.funding import meeting_settings_get_or_create
from reference.models import ConventionParty
from reference.selectors import parties_count_on
from tests.factories import MeetingFactory, StaffFactory, UserFactory, country

from .factories import OrganisationFactory, RegistrationFactory

pytestmark = pytest.mark.django_db
S = RegistrationStatus


@pytest.fixture
def officer():
    return StaffFactory(roles=["Registration officer"])


@pytest.fixture
def cop():
    return MeetingFactory(start_date=dt.date(2018, 11, 19), end_date=dt.date(2018, 11, 23), code="cop-stats",
                          symbol_prefix="UNEP/MC/COP.2")  # fmt: skip


def _people(meeting):
    zmb = RegistrationFactory(meeting=meeting, country=country("ZMB"), status=S.ACCREDITED, last_name="Banda",
                              first_name="Mwila", title="H.E.", delegation_role="head", email="mwila@env.gov.zm",
                              publish_email=True, gender="female")  # fmt: skip
    RegistrationFactory(meeting=meeting, country=country("ZMB"), status=S.ACCREDITED, last_name="Aardvark",
                        first_name="Ben", delegation_role="adviser", email="ben@env.gov.zm", publish_contact=False)  # fmt: skip
    RegistrationFactory(meeting=meeting, country=country("DEU"), status=S.CHECKED_IN, last_name="Schmidt",
                        first_name="Anna", gender="female")  # fmt: skip
    RegistrationFactory(meeting=meeting, country=country("RUS"), capacity=Capacity.NON_PARTY_STATE,
                        status=S.ACCREDITED, last_name="Ivanov", first_name="Ivan", gender="male")  # fmt: skip
    RegistrationFactory(meeting=meeting, capacity=Capacity.NGO, country=None, status=S.BADGE_ISSUED,
                        organisation=OrganisationFactory(name="Zero Mercury Working Group"), last_name="Ngo",
                        first_name="Nora")  # fmt: skip
    RegistrationFactory(meeting=meeting, capacity=Capacity.UN_BODY, country=None, status=S.ACCREDITED,
                        organisation=OrganisationFactory(name="World Health Organization", kind="un_body"),
                        last_name="Who", first_name="Wanda")  # fmt: skip
    RegistrationFactory(meeting=meeting, country=country("PER"), status=S.NOMINATED, last_name="Pending")
    return zmb


def test_list_groups_parties_alphabetically_then_others(cop):
    _people(cop)
    groups = selectors.list_of_participants(meeting=cop, language="en")
    assert [g["heading"] for g in groups] == [
        "Parties", "States not parties to the Convention", "United Nations bodies and specialised agencies",
        "Non-governmental organisations",
    ]  # fmt: skip
    parties = groups[0]["blocks"]
    assert [label for label, _people_ in parties] == ["Germany", "Zambia"]
    # Head of delegation first, then the rest.
    assert [p.last_name for p in parties[1][1]] == ["Banda", "Aardvark"]
    # Pending (not accredited) people never appear.
    assert "Pending" not in str([[p.last_name for p in people] for g in groups for _l, people in g["blocks"]])


def test_list_in_french_sorts_by_french_state_names(cop):
    _people(cop)
    groups = selectors.list_of_participants(meeting=cop, language="fr")
    assert (
        groups[1]["heading"] == "États non parties à la Convention"
        or groups[1]["heading"] == "States not parties to the Convention"
    )
    assert [label for label, _p in groups[0]["blocks"]] == ["Allemagne", "Zambie"]


def test_list_pdf_has_header_footer_page_numbers_and_consented_contacts_only(client, cop, officer):
    _people(cop)
    client.force_login(officer)
    response = client.get(reverse("participants:list_pdf", args=[cop.code]))
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "UNEP/MC/COP.2" in text and "1 / 1" in text and "List of participants" in text
    assert "H.E. Mwila Banda" in text and "mwila@env.gov.zm" in text
    assert "ben@env.gov.zm" not in text  # no consent to publish
    assert text.count(cop.title) == 1  # under the heading (the running header has the symbol and the page)
    assert text.index("ZAMBIA") < text.index("STATES NOT PARTIES") < text.index("ZERO MERCURY WORKING GROUP")
    assert "Pending" not in text


def test_list_xlsx_rows_in_order_without_unconsented_contacts(client, cop, officer):
    _people(cop)
    client.force_login(officer)
    response = client.get(reverse("participants:list_xlsx", args=[cop.code]))
    sheet = tablib.Dataset().load(response.content, format="xlsx")
    assert [(r["State or organisation"], r["Name"], r["E-mail"] or "") for r in sheet.dict] == [
        ("Germany", "Anna Schmidt", ""),
        ("Zambia", "Mwila Banda", "mwila@env.gov.zm"),
        ("Zambia", "Ben Aardvark", ""),
        ("Russian Federation", "Ivan Ivanov", ""),
        ("World Health Organization", "Wanda Who", ""),
        ("Zero Mercury Working Group", "Nora Ngo", ""),
    ]


def test_statistics_counts_and_quorum(cop):
    zmb = _people(cop)
    rules = meeting_settings_get_or_create(meeting=cop)
    rules.quorum_fraction = Decimal("0.015")
    rules.save()
    credentials_record(
        meeting=cop, country=country("ZMB"), form="original", issuer="foreign_minister",
        received_at=dt.datetime(2018, 11, 19, tzinfo=dt.UTC), by=None,
    )  # fmt: skip
    credentials_decide(credentials=cop.credentials.get(), verdict="in_order", by=None)
    zmb.status = S.BADGE_ISSUED
    zmb.save()
    registration_check_in(meeting=cop, token=badge_token(zmb), by=None, day=dt.date(2018, 11, 19))
    stats = selectors.meeting_statistics(meeting=cop)
    assert stats["total"] == 7 and stats["accredited_count"] == 6
    assert dict(stats["by_status"])["Nominated"] == 1
    assert dict(stats["by_capacity"])["Party"] == 4
    assert dict(stats["by_region"])["African States"] == 2
    assert dict(stats["by_gender"]) == {"Female": 2, "Male": 1, "Other": 0, "Not given": 4}
    # Parties whose date is unknown count (reference.selectors.parties_count_on), with a footnote.
    parties = parties_count_on(cop.start_date).total
    assert parties >= ConventionParty.objects.filter(entry_into_force__lte=cop.start_date).count()
    assert stats["parties_total"] == parties
    assert stats["quorum"] == math.ceil(parties * Decimal("0.015")) == 2
    assert stats["days"] == [
        {"day": dt.date(2018, 11, 19), "people": 1, "people_in_person": 1, "people_online": 0,
         "parties_in_person": 1, "parties_online": 0, "parties_present": 1, "quorum_met": False}
    ]  # fmt: skip
    assert stats["present"] == 1
    assert dict(stats["attended"]["by_region"]) == {"African States": 1}
    assert dict(stats["attended"]["by_gender"])["Female"] == 1


def test_statistics_page_renders_svg_charts_and_xlsx(client, cop, officer):
    _people(cop)
    client.force_login(officer)
    page = client.get(reverse("participants:statistics", args=[cop.code])).content.decode()
    assert page.count("<svg") >= 5 and "Registrations by region" in page
    book = tablib.Databook().load(
        client.get(reverse("participants:statistics_xlsx", args=[cop.code])).content, "xlsx"
    )
    assert {row[0]: row[1] for row in book.sheets()[0]}["Accredited"] == 4
    assert {row[0]: row[1:] for row in book.sheets()[2]}["Party"] == (4, 0)


@pytest.mark.parametrize("name", ["statistics", "statistics_xlsx", "list", "list_pdf", "list_xlsx"])
def test_statistics_and_list_are_staff_only(client, cop, name):
    client.force_login(UserFactory())
    assert client.get(reverse(f"participants:{name}", args=[cop.code])).status_code == 403
