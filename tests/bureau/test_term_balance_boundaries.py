"""The Bureau's balance on a day, and which term and members hold on a day (issue 19).

A membership holds from its first day (included) to its end (excluded: on the day of a
replacement the newcomer counts, the outgoing member no longer does); a term likewise from the
closure of the electing COP (included) to the closure of the next (excluded). Each test was seen
failing against a mutant of bureau.selectors before it was kept."""

import datetime as dt
import zoneinfo

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from bureau.enums import BodyKind, Office
from bureau.selectors import (
    memberships_on,
    term_balance,
    term_current,
    terms_overlapping,
    user_is_current_bureau_member,
)
from bureau.services import body_ensure, membership_add, membership_replace, term_create
from tests.bureau.factories import bureau_member, bureau_term, full_bureau
from tests.factories import MeetingFactory, UserFactory, country

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


def test_balance_read_on_an_instant_uses_the_local_day_of_the_active_time_zone():
    term, _members = full_bureau(start=START, end=END)
    instant = dt.datetime(2018, 3, 1, 23, 30, tzinfo=dt.UTC)  # 2 March, 00:30 in Zurich
    with timezone.override(zoneinfo.ZoneInfo("Europe/Zurich")):
        assert term_balance(term=term, on=instant)["day"] == D(2018, 3, 2)


def test_balance_of_a_body_requiring_no_seat_per_region_and_an_office_none_is_ok_without_members():
    term = bureau_term(start=START, end=END)
    term.body.seats, term.body.seats_per_region, term.body.offices = 0, 0, {"rapporteur": 0}
    term.body.save()
    report = term_balance(term=term)
    assert [(r["count"], r["required"], r["ok"]) for r in report["regions"]] == [(0, 0, True)] * 5
    assert [(o["office"], o["count"], o["required"], o["ok"], o["vacant"]) for o in report["offices"]] == [
        ("rapporteur", 0, 0, True, False)
    ]
    assert (report["seats"], report["required_seats"], report["ok"], report["problems"]) == (0, 0, True, [])


def test_balance_of_regions_each_without_its_one_seat_is_not_ok():
    term = bureau_term(start=START, end=END)
    term.body.seats, term.body.seats_per_region, term.body.offices = 5, 1, {}
    term.body.save()
    report = term_balance(term=term)
    assert [(r["count"], r["required"], r["ok"]) for r in report["regions"]] == [(0, 1, False)] * 5
    assert (report["required_seats"], report["problems"][0]) == (5, "African States: 0 / 1")


def test_committee_offices_required_above_the_minimum_and_a_held_office_is_not_vacant():
    body = body_ensure(kind=BodyKind.COMPLIANCE_COMMITTEE)
    body.offices = {"chair": 1, "vice_chair": 2}
    body.save()
    term = term_create(body=body, start_date=START, end_date=END)
    membership_add(term=term, user=UserFactory(), country=country("ZMB"), office=Office.CHAIR)
    membership_add(term=term, user=UserFactory(), country=country("PER"), office=Office.VICE_CHAIR)
    report = term_balance(term=term)
    assert [(o["office"], o["count"], o["required"], o["ok"], o["vacant"]) for o in report["offices"]] == [
        ("chair", 1, 1, True, False), ("vice_chair", 1, 2, False, False),
    ]  # fmt: skip
    assert "Vice-Chair: 1 / 2" in report["problems"]


def test_term_current_is_the_bodys_own_with_its_meetings_in_one_query(django_assert_num_queries):
    cop1 = MeetingFactory(start_date=D(2017, 9, 24), end_date=START)
    cop2 = MeetingFactory(start_date=D(2018, 11, 19), end_date=END)
    bureau = bureau_term(start=START, end=END, elected_at=cop1, ends_at=cop2)
    # A later term of another body, running on the same day.
    term_create(
        body=body_ensure(kind=BodyKind.COMPLIANCE_COMMITTEE), start_date=START + dt.timedelta(days=10)
    )
    with django_assert_num_queries(1):
        current = term_current(on=START + dt.timedelta(days=20))
        assert (current, current.body.kind, current.elected_at, current.ends_at) == (
            bureau, BodyKind.COP_BUREAU, cop1, cop2,
        )  # fmt: skip


def test_a_users_bureau_membership_is_asked_once_a_day(django_assert_num_queries):
    member = bureau_member(term=bureau_term(start=START, end=END))
    with django_assert_num_queries(1):
        assert user_is_current_bureau_member(member.user, on=START) is True
        assert user_is_current_bureau_member(member.user, on=START) is True
