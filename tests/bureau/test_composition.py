import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction

from bureau.enums import BodyKind, Office
from bureau.models import Membership, Term
from bureau.selectors import body_rotation, term_balance, user_is_current_bureau_member
from bureau.services import body_ensure, membership_add, membership_replace, term_close, term_create
from tests.bureau.factories import bureau_member, bureau_term, full_bureau
from tests.factories import MeetingFactory, StaffFactory, UserFactory, country

pytestmark = pytest.mark.django_db

D = dt.date


def test_member_is_current_within_term_and_not_after_its_end():
    membership = bureau_member(term=bureau_term(start=D(2017, 9, 29), end=D(2018, 11, 23)))
    user = membership.user
    assert user_is_current_bureau_member(user, on=D(2017, 9, 29)) is True
    assert user_is_current_bureau_member(user, on=D(2018, 11, 22)) is True
    # The term ends at the closure of COP-2: that day the outgoing Bureau hands over.
    assert user_is_current_bureau_member(user, on=D(2018, 11, 23)) is False
    assert user_is_current_bureau_member(user, on=D(2017, 9, 28)) is False


def test_closing_a_term_ends_membership_of_open_ended_members():
    term = bureau_term(start=D(2017, 9, 29))
    membership = bureau_member(term=term)
    assert user_is_current_bureau_member(membership.user, on=D(2030, 1, 1)) is True
    term_close(term=term, end_date=D(2018, 11, 23))
    assert user_is_current_bureau_member(membership.user, on=D(2018, 11, 23)) is False


def test_non_member_staff_and_anonymous_are_not_bureau_members():
    from django.contrib.auth.models import AnonymousUser

    bureau_member()
    assert user_is_current_bureau_member(UserFactory(), on=D(2018, 1, 1)) is False
    assert user_is_current_bureau_member(StaffFactory(), on=D(2018, 1, 1)) is False
    assert user_is_current_bureau_member(AnonymousUser(), on=D(2018, 1, 1)) is False


def test_compliance_committee_member_is_not_a_bureau_member():
    icc = body_ensure(kind=BodyKind.COMPLIANCE_COMMITTEE)
    term = term_create(body=icc, start_date=D(2017, 9, 29))
    user = UserFactory()
    membership_add(term=term, user=user, country=country("JPN"), office=Office.MEMBER)
    assert user_is_current_bureau_member(user, on=D(2018, 1, 1)) is False


def test_state_without_region_is_refused_with_clear_error():
    term = bureau_term()
    with pytest.raises(ValidationError) as err:
        membership_add(term=term, user=UserFactory(), country=country("VAT"), office=Office.VICE_PRESIDENT)
    assert "Holy See belongs to no UN regional group" in str(err.value.message_dict["country"])
    assert Membership.objects.count() == 0


def test_united_states_may_sit_for_weog_when_said_explicitly():
    membership = bureau_member(iso3="USA", region="western_european_other")
    assert membership.region == "western_european_other"


def test_second_president_overlapping_is_refused():
    term = bureau_term()
    bureau_member(term=term, iso3="ZMB", office=Office.PRESIDENT)
    with pytest.raises(ValidationError) as err:
        bureau_member(term=term, iso3="PER", office=Office.PRESIDENT, start_date=D(2018, 1, 1))
    assert "President is already held by" in str(err.value.message_dict["office"])
    assert term.memberships.count() == 1


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="exclusion constraints exist on PostgreSQL only"
)
def test_database_refuses_overlapping_president_even_past_the_service():
    term = bureau_term()
    first = bureau_member(term=term, iso3="ZMB", office=Office.PRESIDENT)
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(
            term=term, user=UserFactory(), country=country("PER"), region="latin_american_caribbean",
            office=Office.PRESIDENT, start_date=D(2018, 5, 1),
        )  # fmt: skip
    assert list(term.memberships.all()) == [first]


def test_overlapping_terms_of_the_bureau_are_refused():
    bureau_term(start=D(2017, 9, 29), end=D(2018, 11, 23))
    with pytest.raises(ValidationError) as err:
        bureau_term(start=D(2018, 6, 1), end=D(2019, 11, 29))
    assert "overlaps another term" in str(err.value.message_dict["start_date"])
    assert Term.objects.count() == 1
    # The next term may start the day the previous one ends.
    bureau_term(start=D(2018, 11, 23), end=D(2019, 11, 29))


def test_closing_a_term_cannot_run_into_the_next_term():
    """A bug until issue 11: `term_close` moved the end past the start of the next term."""
    first = bureau_term(start=D(2017, 9, 29), end=D(2018, 11, 23))
    bureau_term(start=D(2018, 11, 23), end=D(2019, 11, 29))
    with pytest.raises(ValidationError) as err:
        term_close(term=first, end_date=D(2019, 1, 1))
    assert "overlaps another term" in str(err.value.message_dict["end_date"])
    first.refresh_from_db()
    assert first.end_date == D(2018, 11, 23)
    # Ending earlier, or on the day the next term starts, is a correction the rule allows.
    assert term_close(term=first, end_date=D(2018, 11, 20)).end_date == D(2018, 11, 20)
    assert term_close(term=first, end_date=D(2018, 11, 23)).end_date == D(2018, 11, 23)


def test_compliance_committee_terms_may_be_closed_across_each_other():
    icc = body_ensure(kind=BodyKind.COMPLIANCE_COMMITTEE)
    first = term_create(body=icc, start_date=D(2019, 1, 1), end_date=D(2021, 1, 1))
    term_create(body=icc, start_date=D(2020, 1, 1), end_date=D(2023, 1, 1))
    assert term_close(term=first, end_date=D(2022, 1, 1)).end_date == D(2022, 1, 1)


def test_term_dates_come_from_the_electing_and_closing_meetings():
    cop1 = MeetingFactory(code="t-cop-1", start_date=D(2017, 9, 24), end_date=D(2017, 9, 29))
    cop2 = MeetingFactory(code="t-cop-2", start_date=D(2018, 11, 19), end_date=D(2018, 11, 23))
    term = bureau_term(start=None, elected_at=cop1, ends_at=cop2)
    assert (term.start_date, term.end_date) == (D(2017, 9, 29), D(2018, 11, 23))


def test_replacement_keeps_both_memberships_with_dates():
    outgoing = bureau_member(iso3="MEX")  # a Party on the day of the election (Jamaica was not yet)
    newcomer = UserFactory()
    incoming = membership_replace(membership=outgoing, user=newcomer, on=D(2018, 3, 1))
    outgoing.refresh_from_db()
    assert outgoing.end_date == D(2018, 3, 1)
    assert incoming.replaces == outgoing
    assert (incoming.start_date, incoming.office, incoming.country.iso3) == (
        D(2018, 3, 1),
        outgoing.office,
        "MEX",
    )
    assert user_is_current_bureau_member(outgoing.user, on=D(2018, 3, 1)) is False
    assert user_is_current_bureau_member(newcomer, on=D(2018, 3, 1)) is True
    assert user_is_current_bureau_member(outgoing.user, on=D(2018, 2, 28)) is True


def test_balance_report_of_full_bureau_is_ok_and_names_missing_region():
    term, _members = full_bureau()
    report = term_balance(term=term)
    assert report["ok"] is True
    assert report["seats"] == 10
    assert [r["count"] for r in report["regions"]] == [2, 2, 2, 2, 2]
    assert {o["office"]: o["count"] for o in report["offices"]} == {
        "president": 1, "vice_president": 8, "rapporteur": 1,
    }  # fmt: skip
    term2 = bureau_term(start=D(2018, 11, 23), end=D(2019, 11, 29))
    bureau_member(term=term2, iso3="ZMB", office=Office.PRESIDENT)
    report = term_balance(term=term2)
    assert report["ok"] is False
    assert "African States: 1 / 2" in report["problems"]
    assert "Asia-Pacific States: 0 / 2" in report["problems"]


def test_rotation_shows_regions_of_president_and_rapporteur_over_terms():
    term1 = bureau_term(start=D(2017, 9, 29), end=D(2018, 11, 23))
    bureau_member(term=term1, iso3="CHE", office=Office.PRESIDENT)
    bureau_member(term=term1, iso3="ZMB", office=Office.RAPPORTEUR)
    term2 = bureau_term(start=D(2018, 11, 23), end=D(2019, 11, 29))
    bureau_member(term=term2, iso3="PER", office=Office.PRESIDENT)
    bureau_member(term=term2, iso3="JPN", office=Office.RAPPORTEUR)
    rotation = body_rotation(body=term1.body)
    assert [(r["term"], r["president"].region, r["rapporteur"].region) for r in rotation] == [
        (term1, "western_european_other", "african"),
        (term2, "latin_american_caribbean", "asia_pacific"),
    ]
