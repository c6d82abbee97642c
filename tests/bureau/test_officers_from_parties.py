"""Officers of the Bureau and of the Implementation and Compliance Committee are elected from the
Parties (on the day of the election); the Committee's Chair and Vice-Chair are required offices."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from bureau.enums import BodyKind, Office
from bureau.models import Membership
from bureau.selectors import term_balance
from bureau.services import body_ensure, body_update, membership_add, membership_replace, term_create
from tests.bureau.factories import bureau_member, bureau_term
from tests.factories import UserFactory, country

pytestmark = pytest.mark.django_db
D = dt.date


def test_a_state_not_yet_a_party_on_the_day_of_election_is_refused_with_the_reason():
    term = bureau_term(start=D(2017, 9, 29), end=D(2018, 11, 23))  # elected at the closure of COP-1
    with pytest.raises(ValidationError) as err:
        membership_add(term=term, user=UserFactory(), country=country("NGA"), office=Office.VICE_PRESIDENT)
    assert err.value.message_dict["country"] == [
        "Nigeria was not a Party to the Convention on Sept. 29, 2017, the day of the election: the officers of "
        "Bureau of the Conference of the Parties are elected from the Parties."
    ]
    assert not Membership.objects.exists()
    # Elected at COP-2, once a Party (Nigeria: entry into force 2 May 2018).
    later = bureau_term(start=D(2018, 11, 23), end=D(2019, 11, 29))
    assert membership_add(
        term=later, user=UserFactory(), country=country("NGA"), office=Office.VICE_PRESIDENT
    )


def test_a_replacement_from_a_non_party_is_refused_and_the_seat_is_kept():
    outgoing = bureau_member(iso3="MEX", term=bureau_term(start=D(2017, 9, 29), end=D(2018, 11, 23)))
    with pytest.raises(ValidationError, match="Trinidad and Tobago was not a Party"):
        membership_replace(membership=outgoing, user=UserFactory(), on=D(2018, 5, 2), country=country("TTO"))
    outgoing.refresh_from_db()
    assert outgoing.end_date is None and Membership.objects.count() == 1


def test_compliance_committee_members_must_be_parties_too():
    icc = body_ensure(kind=BodyKind.COMPLIANCE_COMMITTEE)
    term = term_create(body=icc, start_date=D(2017, 9, 29))
    with pytest.raises(ValidationError, match="Nigeria was not a Party"):
        membership_add(term=term, user=UserFactory(), country=country("NGA"), office=Office.MEMBER)


def test_a_party_whose_date_is_unknown_is_refused_saying_so():
    term = bureau_term(start=D(2019, 11, 29))
    with pytest.raises(ValidationError) as err:
        membership_add(term=term, user=UserFactory(), country=country("CMR"), office=Office.VICE_PRESIDENT)
    assert "The date on which Cameroon became a Party is not known" in err.value.message_dict["country"][0]


def test_committee_chair_and_vice_chair_are_required_offices_flagged_when_missing():
    icc = body_ensure(kind=BodyKind.COMPLIANCE_COMMITTEE)
    # A body row saved before the rule, with no offices: the Chair and Vice-Chair are still required.
    icc = body_update(body=icc, offices={})
    term = term_create(body=icc, start_date=D(2019, 11, 29))
    membership_add(term=term, user=UserFactory(), country=country("JPN"), office=Office.MEMBER)
    report = term_balance(term=term)
    assert report["ok"] is False
    assert "Chair: required office vacant" in report["problems"]
    assert "Vice-Chair: required office vacant" in report["problems"]
    membership_add(term=term, user=UserFactory(), country=country("ZMB"), office=Office.CHAIR)
    membership_add(term=term, user=UserFactory(), country=country("PER"), office=Office.VICE_CHAIR)
    problems = term_balance(term=term)["problems"]
    assert not [p for p in problems if "Chair" in p]


def test_a_new_committee_requires_a_chair_and_a_vice_chair():
    icc = body_ensure(kind=BodyKind.COMPLIANCE_COMMITTEE)
    assert icc.offices == {"chair": 1, "vice_chair": 1}


def test_the_composition_page_refuses_a_non_party_and_shows_the_committees_vacant_offices(client, staff):
    term = bureau_term(start=D(2017, 9, 29), end=D(2018, 11, 23))
    UserFactory(email="new.member@example.org")
    client.force_login(staff)
    response = client.post(
        term.get_absolute_url(),
        {"action": "add", "email": "new.member@example.org", "country": country("NGA").pk,
         "office": Office.VICE_PRESIDENT},
    )  # fmt: skip
    assert response.status_code == 400
    assert "Nigeria was not a Party to the Convention on Sept. 29, 2017" in response.content.decode()
    assert not Membership.objects.exists()
    icc = body_ensure(kind=BodyKind.COMPLIANCE_COMMITTEE)
    committee = term_create(body=icc, start_date=D(2019, 11, 29))
    membership_add(term=committee, user=UserFactory(), country=country("JPN"), office=Office.CHAIR)
    page = client.get(committee.get_absolute_url()).content.decode()
    assert "Vice-Chair: required office vacant" in page and "Chair: required office vacant;" not in page
