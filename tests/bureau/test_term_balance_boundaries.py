"""The Bureau's balance on a day, and which term and members hold on a day (issue 19).

A membership holds from its first day (included) to its end (excluded: on the day of a
replacement the newcomer counts, the outgoing member no longer does); a term likewise from the
closure of the electing COP (included) to the closure of the next (excluded). Each test was seen
failing against a mutant of bureau.selectors before it was kept."""

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from bureau.enums import Office
from bureau.selectors import (
    memberships_on,
    term_balance,
    term_current,
    terms_overlapping,
    user_is_current_bureau_member,
)
from bureau.services import membership_replace
from tests.bureau.factories import bureau_member, bureau_term, full_bureau
from tests.factories import UserFactory, country

pytestmark = pytest.mark.django_db
D = dt.date
START, END = D(2017, 9, 29), D(2018, 11, 23)
REPLACED_ON = D(2018, 3, 1)


def test_balance_on_the_day_of_a_replacement_counts_the_newcomer_not_the_outgoing_member():
    term, members = full_bureau(start=START, end=END)
    membership_replace(membership=members[4], user=UserFactory(), on=REPLACED_ON)
    for day in (REPLACED_ON - dt.timedelta(days=1), REPLACED_ON, REPLACED_ON + dt.timedelta(days=1)):
        report = term_balance(term=term, on=day)
        assert (report["day"], report["seats"], report["ok"], report["problems"]) == (day, 10, True, [])


def test_balance_on_the_day_after_a_replacement_without_a_successor_is_short_of_a_seat():
    term, members = full_bureau(start=START, end=END)
    outgoing = members[4]  # the rapporteur, from the Republic of Moldova
    outgoing.end_date = REPLACED_ON
    outgoing.save(update_fields=["end_date"])
    assert term_balance(term=term, on=REPLACED_ON - dt.timedelta(days=1))["ok"] is True
    report = term_balance(term=term, on=REPLACED_ON)
    assert (report["seats"], report["ok"]) == (9, False)
    assert report["problems"] == ["Eastern European States: 1 / 2", "Vice-President and rapporteur: 0 / 1"]
    assert [o for o in report["offices"] if o["office"] == Office.RAPPORTEUR] == [
        {"office": "rapporteur", "label": "Vice-President and rapporteur", "count": 0, "required": 1, "ok": False,
         "vacant": False},
    ]  # fmt: skip


def test_balance_by_default_is_on_the_terms_first_day():
    term, _members = full_bureau(start=START, end=END)
    late = bureau_member(term=term, iso3="GHA", start_date=D(2018, 1, 10))
    assert term_balance(term=term)["day"] == START
    assert term_balance(term=term)["seats"] == 10
    report = term_balance(term=term, on=late.start_date)
    assert (report["seats"], report["ok"]) == (11, False)
    assert report["problems"] == ["African States: 3 / 2", "Vice-President: 9 / 8"]


def test_balance_of_ten_seats_with_unbalanced_regions_is_not_ok():
    term, members = full_bureau(start=START, end=END)
    # Japan's seat goes to Ghana: ten seats still, but three African States and one Asia-Pacific.
    membership_replace(membership=members[2], user=UserFactory(), on=REPLACED_ON, country=country("GHA"))
    report = term_balance(term=term, on=REPLACED_ON)
    assert report["seats"] == 10
    assert [(r["region"], r["count"], r["required"], r["ok"]) for r in report["regions"]] == [
        ("african", 3, 2, False), ("asia_pacific", 1, 2, False), ("eastern_european", 2, 2, True),
        ("latin_american_caribbean", 2, 2, True), ("western_european_other", 2, 2, True),
    ]  # fmt: skip
    assert (report["ok"], report["problems"]) == (
        False,
        ["African States: 3 / 2", "Asia-Pacific States: 1 / 2"],
    )


def test_balance_read_on_an_instant_uses_its_local_day():
    term, _members = full_bureau(start=START, end=END)
    instant = dt.datetime(2018, 3, 1, 23, 30, tzinfo=dt.UTC)
    assert term_balance(term=term, on=instant)["day"] == timezone.localdate(instant)
    assert term_balance(term=term, on=dt.datetime(2018, 3, 1, 23, 30))["day"] == D(2018, 3, 1)


def test_term_current_on_the_closing_day_is_the_next_term():
    first = bureau_term(start=START, end=END)
    second = bureau_term(start=END, end=D(2019, 11, 29))
    assert term_current(on=START) == first
    assert term_current(on=END - dt.timedelta(days=1)) == first
    assert term_current(on=END) == second
    assert term_current(on=D(2019, 11, 29)) is None
    assert term_current(on=START - dt.timedelta(days=1)) is None


def test_memberships_hold_from_their_first_day_to_the_day_before_the_terms_closure():
    term = bureau_term(start=START, end=END)
    member = bureau_member(term=term, start_date=D(2018, 1, 10))
    assert list(memberships_on(on=D(2018, 1, 9))) == []
    assert list(memberships_on(on=D(2018, 1, 10))) == [member]
    assert list(memberships_on(on=END - dt.timedelta(days=1))) == [member]
    assert list(memberships_on(on=END)) == []


def test_a_member_is_current_until_the_day_before_the_terms_closure():
    term = bureau_term(start=START, end=END)
    member = bureau_member(term=term)
    assert user_is_current_bureau_member(member.user, on=END - dt.timedelta(days=1)) is True
    assert user_is_current_bureau_member(member.user, on=END) is False
    assert user_is_current_bureau_member(member.user, on=START - dt.timedelta(days=1)) is False


def test_an_inactive_or_anonymous_user_is_no_current_member():
    member = bureau_member(term=bureau_term(start=START, end=END))
    assert user_is_current_bureau_member(None, on=START) is False
    assert user_is_current_bureau_member(AnonymousUser(), on=START) is False
    member.user.is_active = False
    assert user_is_current_bureau_member(member.user, on=START) is False


def test_terms_overlapping_share_a_day_of_the_span_with_an_exclusive_end():
    term = bureau_term(start=START, end=END)
    body = term.body
    assert list(terms_overlapping(body=body, start=END, end=None)) == []
    assert list(terms_overlapping(body=body, start=END - dt.timedelta(days=1), end=None)) == [term]
    assert list(terms_overlapping(body=body, start=D(2016, 1, 1), end=START)) == []
    assert list(terms_overlapping(body=body, start=D(2016, 1, 1), end=START + dt.timedelta(days=1))) == [term]
