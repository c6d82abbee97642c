import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pypdf import PdfReader

from participants import selectors
from participants.enums import RegistrationStatus
from participants.errors import CredentialsError
from participants.services.credentials import credentials_decide, credentials_record
from tests.bureau.factories import bureau_member, bureau_term
from tests.factories import MeetingFactory, StaffFactory, UserFactory, country

from .factories import RegistrationFactory

pytestmark = pytest.mark.django_db
S = RegistrationStatus
UTC = dt.UTC


@pytest.fixture
def cop():
    # COP-2: opened Monday 19 November 2018 in Geneva; credentials due 24 hours after the opening.
    return MeetingFactory(start_date=dt.date(2018, 11, 19), end_date=dt.date(2018, 11, 23), code="cop-creds")


def _record(meeting, iso3, *, form="original", hour=8, day=19, verdict=None):
    delegate = RegistrationFactory(meeting=meeting, country=country(iso3), status=S.ACCREDITED)
    credentials = credentials_record(
        meeting=meeting, country=country(iso3), form=form, issuer="foreign_minister",
        received_at=dt.datetime(2018, 11, day, hour, 0, tzinfo=UTC), by=None, delegates=[delegate],
    )  # fmt: skip
    if verdict:
        credentials_decide(credentials=credentials, verdict=verdict, by=None)
    return credentials


def test_deadline_is_24_hours_after_the_opening(cop):
    assert selectors.credentials_deadline(cop) == dt.datetime(2018, 11, 20, 9, 0, tzinfo=UTC)


def test_report_groups_parties_and_shows_who_is_late(cop):
    _record(cop, "ZMB", verdict="in_order")
    _record(cop, "PER", form="copy")
    _record(cop, "IND", day=21, verdict="not_in_order")  # received after the deadline
    RegistrationFactory(meeting=cop, country=country("CHE"), status=S.ACCREDITED)  # nothing received
    RegistrationFactory(
        meeting=cop, country=country("JPN"), status=S.NOMINATED
    )  # not accredited: not counted
    report = selectors.credentials_report(meeting=cop, now=dt.datetime(2018, 11, 22, tzinfo=UTC))
    names = {
        key: [r["country"].iso3 for r in report[key]]
        for key in ("in_order", "copies", "not_in_order", "none", "late")
    }
    assert names == {
        "in_order": ["ZMB"], "copies": ["PER"], "not_in_order": ["IND"], "none": ["CHE"], "late": ["IND", "CHE"],
    }  # fmt: skip


def test_credentials_only_for_parties_and_their_own_delegates(cop):
    with pytest.raises(CredentialsError, match="not a Party"):
        credentials_record(
            meeting=cop, country=country("RUS"), form="original", issuer="head_of_state",
            received_at=dt.datetime(2018, 11, 19, tzinfo=UTC), by=None,
        )  # fmt: skip
    peruvian = RegistrationFactory(meeting=cop, country=country("PER"))
    with pytest.raises(CredentialsError, match="delegates of that Party"):
        credentials_record(
            meeting=cop, country=country("ZMB"), form="original", issuer="head_of_state",
            received_at=dt.datetime(2018, 11, 19, tzinfo=UTC), by=None, delegates=[peruvian],
        )  # fmt: skip


def test_report_page_and_pdf_for_staff_and_bureau(client, cop):
    _record(cop, "ZMB", verdict="in_order")
    RegistrationFactory(meeting=cop, country=country("CHE"), status=S.ACCREDITED)
    client.force_login(bureau_member().user)
    page = client.get(reverse("participants:credentials", args=[cop.code])).content.decode()
    assert "Zambia" in page and "Switzerland" in page
    pdf = client.get(reverse("participants:credentials_pdf", args=[cop.code])).content
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "Report on credentials" in text
    assert "Parties whose credentials are in order (1)" in text
    assert "Parties from which no credentials were received (1)" in text
    assert "Switzerland" in text and "1 / 1" in text


def test_credentials_report_refused_to_former_bureau_member(client, cop):
    # Still in the group, but their term ended: the report is no longer theirs to see.
    term = bureau_term(start=dt.date(2017, 9, 29), end=dt.date(2019, 11, 29))
    client.force_login(bureau_member(term=term).user)
    assert client.get(reverse("participants:credentials", args=[cop.code])).status_code == 403
    assert client.get(reverse("participants:credentials_pdf", args=[cop.code])).status_code == 403


@pytest.mark.parametrize("roles", [[], ["National focal point"], ["Delegate"], ["Bureau member"]])
def test_credentials_report_refused_to_others(client, cop, roles):
    client.force_login(UserFactory(roles=roles))
    assert client.get(reverse("participants:credentials", args=[cop.code])).status_code == 403
    assert client.get(reverse("participants:credentials_pdf", args=[cop.code])).status_code == 403


def test_staff_marks_credentials_in_order_from_admin(client, cop):
    credentials = _record(cop, "ZMB")
    officer = StaffFactory(roles=["Registration officer"])
    client.force_login(officer)
    client.post(
        reverse("admin:participants_credentials_changelist"),
        {"action": "in_order", "_selected_action": [credentials.pk]},
    )
    credentials.refresh_from_db()
    assert credentials.verdict == "in_order"
    assert credentials.history.first().history_user == officer


def test_report_page_query_count_does_not_grow_with_the_parties(client, cop, django_assert_num_queries):
    """Two Parties, then six: the page and its PDF read the same number of times."""
    client.force_login(StaffFactory(roles=["Registration officer"]))
    url = reverse("participants:credentials", args=[cop.code])
    for iso3 in ("ZMB", "PER"):
        _record(cop, iso3, verdict="in_order")
    client.get(url)  # warm the per-process caches (reference data, templates)
    with CaptureQueriesContext(connection) as two:
        assert client.get(url).status_code == 200
    for iso3 in ("IND", "SEN", "MEX", "ECU"):
        _record(cop, iso3, form="copy")
    with django_assert_num_queries(len(two)):
        response = client.get(url)
    assert response.status_code == 200
    assert sum(len(response.context["report"][key]) for key in ("in_order", "copies")) == 6
