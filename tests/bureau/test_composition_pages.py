import datetime as dt

import pytest

from bureau.enums import BodyKind, Office
from bureau.models import Membership, Term
from bureau.services import body_ensure
from tests.bureau.factories import bureau_member, bureau_term
from tests.factories import MeetingFactory, UserFactory, country

pytestmark = pytest.mark.django_db

D = dt.date


def test_staff_records_term_from_electing_and_closing_meetings(client, staff):
    body = body_ensure(kind=BodyKind.COP_BUREAU)
    cop1 = MeetingFactory(code="c1", number=1, start_date=D(2017, 9, 24), end_date=D(2017, 9, 29))
    cop2 = MeetingFactory(code="c2", number=2, start_date=D(2018, 11, 19), end_date=D(2018, 11, 23))
    client.force_login(staff)
    r = client.post("/bureau/composition/", {"body": body.pk, "elected_at": cop1.pk, "ends_at": cop2.pk})
    term = Term.objects.get()
    assert r["Location"] == term.get_absolute_url()
    assert (term.start_date, term.end_date, term.elected_at, term.ends_at) == (
        D(2017, 9, 29),
        D(2018, 11, 23),
        cop1,
        cop2,
    )


def test_overlapping_term_from_page_is_refused_with_field_message(client, staff):
    existing = bureau_term(start=D(2017, 9, 29), end=D(2018, 11, 23))
    client.force_login(staff)
    r = client.post(
        "/bureau/composition/",
        {"body": existing.body.pk, "start_date": "2018-01-01", "end_date": "2019-01-01"},
    )
    assert r.status_code == 400
    assert "This term overlaps another term of Bureau of the Conference of the Parties." in r.content.decode()
    assert Term.objects.count() == 1


def test_staff_adds_member_and_state_without_region_is_refused(client, staff):
    term = bureau_term()
    person = UserFactory(email="new.member@example.org")
    client.force_login(staff)
    url = term.get_absolute_url()
    r = client.post(
        url,
        {
            "action": "add",
            "email": "new.member@example.org",
            "country": country("VAT").pk,
            "office": Office.VICE_PRESIDENT,
        },
    )
    assert r.status_code == 400
    assert (
        "Holy See belongs to no UN regional group, so it cannot hold a regional seat." in r.content.decode()
    )
    assert Membership.objects.count() == 0
    r = client.post(
        url,
        {
            "action": "add",
            "email": "NEW.member@example.org",
            "country": country("PER").pk,
            "office": Office.PRESIDENT,
        },
    )
    assert r.status_code == 302
    m = Membership.objects.get()
    assert (m.user, m.country.iso3, m.region, m.office, m.start_date) == (
        person,
        "PER",
        "latin_american_caribbean",
        "president",
        term.start_date,
    )


def test_unknown_person_is_refused_by_the_form(client, staff):
    term = bureau_term()
    client.force_login(staff)
    r = client.post(
        term.get_absolute_url(),
        {
            "action": "add",
            "email": "nobody@example.org",
            "country": country("PER").pk,
            "office": Office.VICE_PRESIDENT,
        },
    )
    assert r.status_code == 400
    assert "No account uses this e-mail address" in r.content.decode()


def test_staff_replaces_member_and_page_shows_both_with_dates(client, staff):
    term = bureau_term(start=D(2017, 9, 29), end=D(2018, 11, 23))
    outgoing = bureau_member(term=term, iso3="MEX")  # a Party on the day of the election
    newcomer = UserFactory(email="newcomer@example.org", first_name="Simone", last_name="Ellington")
    client.force_login(staff)
    r = client.post(
        term.get_absolute_url(),
        {"action": "replace", "membership": outgoing.pk, "email": "newcomer@example.org", "on": "2018-05-02"},
    )
    assert r.status_code == 302
    outgoing.refresh_from_db()
    assert outgoing.end_date == D(2018, 5, 2)
    page = client.get(term.get_absolute_url()).content.decode()
    assert f"Replaced by {newcomer}" in page and f"Replaces {outgoing.user}" in page


def test_member_cannot_change_composition(client, current_bureau):
    term, members = current_bureau
    client.force_login(members[0].user)
    r = client.post(
        term.get_absolute_url(),
        {
            "action": "add",
            "email": members[1].user.email,
            "country": country("PER").pk,
            "office": Office.VICE_PRESIDENT,
        },
    )
    assert r.status_code == 403
    assert term.memberships.count() == 10
    assert client.post("/bureau/composition/", {"body": term.body.pk}).status_code == 403


def test_staff_ends_term_at_closure_of_next_cop_and_members_lose_access(client, staff, today):
    term = bureau_term(start=today - dt.timedelta(days=300))
    member = bureau_member(term=term).user
    cop = MeetingFactory(code="cop-closing", start_date=today - dt.timedelta(days=5), end_date=today)
    client.force_login(member)
    assert client.get("/bureau/").status_code == 200
    client.force_login(staff)
    r = client.post(term.get_absolute_url(), {"action": "close", "ends_at": cop.pk})
    assert r.status_code == 302
    term.refresh_from_db()
    assert (term.end_date, term.ends_at) == (today, cop)
    client.force_login(member)
    assert client.get("/bureau/").status_code == 403


def test_closing_without_meeting_or_date_is_refused(client, staff):
    term = bureau_term()
    client.force_login(staff)
    r = client.post(term.get_absolute_url(), {"action": "close"})
    assert r.status_code == 400
    assert "Give the meeting whose closure ends the term, or the date." in r.content.decode()
    term.refresh_from_db()
    assert term.end_date is None
