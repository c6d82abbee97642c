"""The Bureau's term and membership boundaries, each test named for the rule it protects (issue 19).

A term runs from the closure of the electing meeting (included) to the closure of the next ordinary
one (excluded: that day the next Bureau takes over). A membership starts on a day within its term
and ends after it starts, never after the term's end. Each test checks both sides of one boundary
and the exact message naming the field; each was seen failing against the mutant it kills
(`make mutation`)."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from bureau.enums import BodyKind, Office
from bureau.models import Body, Membership, Term
from bureau.services import (
    body_ensure,
    body_update,
    membership_replace,
    membership_update,
    term_close,
    term_create,
)
from tests.bureau.factories import bureau_member, bureau_term
from tests.factories import MeetingFactory, StaffFactory, UserFactory, country

pytestmark = pytest.mark.django_db
D = dt.date

# The COP-1 Bureau: from the closure of COP-1 to the closure of COP-2.
START, END = D(2017, 9, 29), D(2018, 11, 23)


def _errors(err):
    return err.value.message_dict


def test_membership_may_start_on_its_terms_first_day_but_not_the_day_before():
    term = bureau_term(start=START, end=END)
    with pytest.raises(ValidationError) as err:
        bureau_member(term=term, start_date=START - dt.timedelta(days=1))
    assert _errors(err) == {"start_date": ["The membership must start within the term."]}
    assert bureau_member(term=term, start_date=START).start_date == START


def test_membership_starting_on_its_terms_last_day_is_refused_the_day_before_accepted():
    term = bureau_term(start=START, end=END)
    with pytest.raises(ValidationError) as err:
        bureau_member(term=term, start_date=END)
    assert _errors(err) == {"start_date": ["The membership must start within the term."]}
    day_before = END - dt.timedelta(days=1)
    assert bureau_member(term=term, start_date=day_before).start_date == day_before


def test_membership_of_an_open_ended_term_may_start_years_later():
    term = bureau_term(start=START, end=None)
    assert bureau_member(term=term, start_date=D(2030, 1, 1)).start_date == D(2030, 1, 1)


def test_membership_ending_on_its_first_day_is_refused_the_next_day_accepted():
    term = bureau_term(start=START, end=END)
    with pytest.raises(ValidationError) as err:
        bureau_member(term=term, start_date=D(2018, 1, 10), end_date=D(2018, 1, 10))
    assert _errors(err) == {"end_date": ["A membership must end after it starts."]}
    with pytest.raises(ValidationError) as err:
        bureau_member(term=term, start_date=D(2018, 1, 10), end_date=D(2018, 1, 9))
    assert _errors(err) == {"end_date": ["A membership must end after it starts."]}
    seat = bureau_member(term=term, start_date=D(2018, 1, 10), end_date=D(2018, 1, 11))
    assert (seat.start_date, seat.end_date) == (D(2018, 1, 10), D(2018, 1, 11))


def test_membership_may_end_on_its_terms_last_day_but_not_the_day_after():
    term = bureau_term(start=START, end=END)
    with pytest.raises(ValidationError) as err:
        bureau_member(term=term, end_date=END + dt.timedelta(days=1))
    assert _errors(err) == {"end_date": ["The membership cannot outlast the term."]}
    assert bureau_member(term=term, end_date=END).end_date == END


def test_membership_of_an_open_ended_term_may_end_any_day_after_it_starts():
    term = bureau_term(start=START, end=None)
    assert bureau_member(term=term, end_date=D(2030, 1, 1)).end_date == D(2030, 1, 1)


def test_unknown_office_is_refused_naming_it():
    with pytest.raises(ValidationError) as err:
        bureau_member(office="treasurer")
    assert _errors(err) == {"office": ["Unknown office “treasurer”."]}
    assert not Membership.objects.exists()


def test_state_without_region_is_refused_naming_the_state_on_the_country_field():
    with pytest.raises(ValidationError) as err:
        bureau_member(iso3="VAT")
    assert _errors(err) == {
        "country": ["Holy See belongs to no UN regional group, so it cannot hold a regional seat."]
    }


def test_membership_counts_for_its_states_own_region_unless_told_otherwise():
    assert bureau_member(iso3="JPN").region == "asia_pacific"


def test_second_president_message_names_the_office_the_holder_and_the_start():
    term = bureau_term(start=START, end=END)
    holder = UserFactory(first_name="Ana", last_name="Holder")
    bureau_member(term=term, iso3="ZMB", office=Office.PRESIDENT, user=holder)
    with pytest.raises(ValidationError) as err:
        bureau_member(term=term, iso3="PER", office=Office.PRESIDENT, start_date=D(2018, 1, 1))
    assert _errors(err) == {
        "office": [f"President is already held by {holder} from 2017-09-29 in this term."]
    }


def test_vice_presidents_may_overlap_as_the_office_has_eight_holders():
    term = bureau_term(start=START, end=END)
    bureau_member(term=term, iso3="ZMB", office=Office.VICE_PRESIDENT)
    assert bureau_member(term=term, iso3="PER", office=Office.VICE_PRESIDENT).office == Office.VICE_PRESIDENT


def test_president_may_follow_the_previous_one_from_the_day_it_ends():
    term = bureau_term(start=START, end=END)
    bureau_member(term=term, iso3="ZMB", office=Office.PRESIDENT, end_date=D(2018, 3, 1))
    follower = bureau_member(term=term, iso3="PER", office=Office.PRESIDENT, start_date=D(2018, 3, 1))
    assert follower.start_date == D(2018, 3, 1)


def test_president_may_be_seated_before_a_later_one_until_the_day_that_one_starts():
    term = bureau_term(start=START, end=END)
    bureau_member(term=term, iso3="ZMB", office=Office.PRESIDENT, start_date=D(2018, 6, 1))
    earlier = bureau_member(term=term, iso3="PER", office=Office.PRESIDENT, end_date=D(2018, 6, 1))
    assert (earlier.start_date, earlier.end_date) == (START, D(2018, 6, 1))
    with pytest.raises(ValidationError) as err:
        bureau_member(term=term, iso3="MEX", office=Office.PRESIDENT, start_date=D(2018, 5, 1))
    assert list(_errors(err)) == ["office"]


def test_one_person_may_not_hold_two_seats_on_the_same_days():
    term = bureau_term(start=START, end=END)
    person = UserFactory()
    bureau_member(term=term, iso3="ZMB", user=person)
    with pytest.raises(ValidationError) as err:
        bureau_member(term=term, iso3="PER", user=person, start_date=D(2018, 1, 1))
    assert _errors(err) == {"user": [f"{person} already holds a seat in this term on those dates."]}


def test_correcting_a_seat_does_not_clash_with_itself_and_keeps_an_explicit_region():
    term = bureau_term(start=START, end=END)
    seat = bureau_member(term=term, iso3="USA", office=Office.PRESIDENT, region="western_european_other")
    corrected = membership_update(
        membership=seat, user=seat.user, country=seat.country, office=Office.PRESIDENT,
        start_date=START, end_date=D(2018, 6, 1), note="corrected",
    )  # fmt: skip
    assert (corrected.region, corrected.end_date, corrected.note) == (
        "western_european_other",
        D(2018, 6, 1),
        "corrected",
    )
    # A new State: the seat counts for the new State's own group.
    moved = membership_update(
        membership=seat, user=seat.user, country=country("JPN"), office=Office.PRESIDENT,
        start_date=START, end_date=None,
    )  # fmt: skip
    assert (moved.region, moved.country.iso3, moved.end_date) == ("asia_pacific", "JPN", None)


def test_replacement_must_start_after_the_outgoing_members_first_day():
    outgoing = bureau_member(iso3="MEX", term=bureau_term(start=START, end=END))
    with pytest.raises(ValidationError) as err:
        membership_replace(membership=outgoing, user=UserFactory(), on=START)
    assert _errors(err) == {"on": ["The replacement must start while the outgoing member serves."]}
    next_day = START + dt.timedelta(days=1)
    assert membership_replace(membership=outgoing, user=UserFactory(), on=next_day).start_date == next_day


def test_replacement_must_start_before_the_outgoing_members_last_day():
    term = bureau_term(start=START, end=END)
    outgoing = bureau_member(iso3="MEX", term=term, end_date=D(2018, 6, 1))
    with pytest.raises(ValidationError) as err:
        membership_replace(membership=outgoing, user=UserFactory(), on=D(2018, 6, 1))
    assert _errors(err) == {"on": ["The replacement must start while the outgoing member serves."]}
    incoming = membership_replace(membership=outgoing, user=UserFactory(), on=D(2018, 5, 31))
    assert (incoming.start_date, incoming.end_date) == (D(2018, 5, 31), D(2018, 6, 1))


def test_a_member_is_replaced_only_once():
    outgoing = bureau_member(iso3="MEX", term=bureau_term(start=START, end=END))
    membership_replace(membership=outgoing, user=UserFactory(), on=D(2018, 3, 1))
    with pytest.raises(ValidationError) as err:
        membership_replace(membership=outgoing, user=UserFactory(), on=D(2018, 4, 1))
    assert err.value.messages == ["This member has already been replaced."]
    assert err.value.code == "already_replaced"


def test_replacement_may_come_from_another_state_and_keeps_the_note():
    outgoing = bureau_member(iso3="MEX", term=bureau_term(start=START, end=END))
    incoming = membership_replace(
        membership=outgoing, user=UserFactory(), on=D(2018, 3, 1), country=country("PER"), note="resigned"
    )
    assert (incoming.country.iso3, incoming.region, incoming.note) == (
        "PER",
        "latin_american_caribbean",
        "resigned",
    )


def test_term_without_a_start_or_an_electing_meeting_is_refused():
    with pytest.raises(ValidationError) as err:
        term_create(body=body_ensure(kind=BodyKind.COP_BUREAU))
    assert _errors(err) == {"start_date": ["A term needs a start date or the meeting that elected it."]}


def test_term_ending_on_its_first_day_is_refused_the_next_day_accepted():
    body = body_ensure(kind=BodyKind.COP_BUREAU)
    with pytest.raises(ValidationError) as err:
        term_create(body=body, start_date=START, end_date=START)
    assert _errors(err) == {"end_date": ["A term must end after it starts."]}
    assert not Term.objects.exists()
    term = term_create(body=body, start_date=START, end_date=START + dt.timedelta(days=1))
    assert term.end_date == START + dt.timedelta(days=1)


def test_term_given_an_end_date_keeps_it_over_the_closing_meetings():
    closing = MeetingFactory(code="t-cop-2b", start_date=D(2018, 11, 19), end_date=D(2018, 11, 23))
    term = bureau_term(start=START, end=D(2018, 12, 1), ends_at=closing)
    assert term.end_date == D(2018, 12, 1)


def test_closing_a_term_on_its_first_day_is_refused_the_next_day_accepted():
    term = bureau_term(start=START, end=END)
    with pytest.raises(ValidationError) as err:
        term_close(term=term, end_date=START)
    assert _errors(err) == {"end_date": ["A term must end after it starts."]}
    term.refresh_from_db()
    assert term.end_date == END
    assert term_close(term=term, end_date=START + dt.timedelta(days=1)).end_date == START + dt.timedelta(
        days=1
    )


def test_closing_a_term_records_the_closing_meeting_or_keeps_the_one_it_had():
    cop2 = MeetingFactory(code="t-cop-2c", start_date=D(2018, 11, 19), end_date=D(2018, 11, 23))
    term = bureau_term(start=START, end=None)
    closed = term_close(term=term, end_date=END, ends_at=cop2)
    assert (closed.end_date, closed.ends_at) == (END, cop2)
    closed = term_close(term=term, end_date=D(2018, 11, 22))
    closed.refresh_from_db()
    assert (closed.end_date, closed.ends_at) == (D(2018, 11, 22), cop2)


def test_body_fields_outside_the_editable_ones_are_refused_by_name():
    body = body_ensure(kind=BodyKind.COP_BUREAU)
    with pytest.raises(ValueError, match=r"Body fields not editable: \['kind'\]"):
        body_update(body=body, kind=BodyKind.COMPLIANCE_COMMITTEE)
    updated = body_update(body=body, name_en="Bureau of COP")
    assert Body.objects.get(pk=body.pk).name_en == updated.name_en == "Bureau of COP"


def test_a_body_is_created_once_with_the_conventions_balance():
    bureau = body_ensure(kind=BodyKind.COP_BUREAU)
    assert (bureau.seats, bureau.seats_per_region, bureau.staggered_terms) == (10, 2, False)
    assert bureau.offices == {"president": 1, "vice_president": 8, "rapporteur": 1}
    assert body_ensure(kind=BodyKind.COP_BUREAU).pk == bureau.pk
    committee = body_ensure(kind=BodyKind.COMPLIANCE_COMMITTEE)
    assert (committee.seats, committee.seats_per_region, committee.staggered_terms) == (15, 3, True)


def test_a_seat_slipping_past_the_check_is_refused_by_the_database_with_the_overlap_message():
    """The exclusion constraints catch what a concurrent write slipped past `membership_check`."""
    from bureau.services.composition import _save_membership

    term = bureau_term(start=START, end=END)
    first = bureau_member(term=term, iso3="ZMB", office=Office.PRESIDENT)
    second = Membership(
        term=term, user=UserFactory(), country=country("PER"), region="latin_american_caribbean",
        office=Office.PRESIDENT, start_date=D(2018, 5, 1),
    )  # fmt: skip
    with pytest.raises(ValidationError) as err:
        _save_membership(second, None)
    assert (err.value.messages, err.value.code) == (
        ["This seat overlaps another one on those dates."],
        "overlap",
    )
    assert list(term.memberships.all()) == [first]


def test_who_seated_corrected_or_replaced_a_member_is_in_the_history():
    staff = StaffFactory()
    term = bureau_term(start=START, end=END)
    assert term_close(term=term, end_date=END, by=staff).history.latest().history_user == staff
    seat = bureau_member(term=term, iso3="MEX", by=staff)
    assert seat.history.latest().history_user == staff
    corrected = membership_update(
        membership=seat, user=seat.user, country=seat.country, office=seat.office,
        start_date=START, end_date=None, note="corrected", by=staff,
    )  # fmt: skip
    assert corrected.history.latest().history_user == staff
    incoming = membership_replace(membership=seat, user=UserFactory(), on=D(2018, 3, 1), by=staff)
    seat.refresh_from_db()
    assert (incoming.history.latest().history_user, seat.history.latest().history_user) == (staff, staff)


def test_who_created_a_term_is_in_the_history():
    staff = StaffFactory()
    term = term_create(body=body_ensure(kind=BodyKind.COP_BUREAU), start_date=START, by=staff)
    assert term.history.latest().history_user == staff


def test_overlapping_bureau_term_is_refused_naming_the_body_on_the_field_changed():
    first = bureau_term(start=START, end=END)
    with pytest.raises(ValidationError) as err:
        bureau_term(start=D(2018, 11, 22), end=D(2019, 11, 29))
    assert _errors(err) == {
        "start_date": ["This term overlaps another term of Bureau of the Conference of the Parties."]
    }
    later = bureau_term(start=END, end=D(2019, 11, 29))
    with pytest.raises(ValidationError) as err:
        term_close(term=first, end_date=D(2018, 11, 24))
    assert _errors(err) == {
        "end_date": ["This term overlaps another term of Bureau of the Conference of the Parties."]
    }
    assert later.start_date == END


def test_a_party_whose_date_is_unknown_is_refused_naming_the_state_and_the_day_of_election():
    term = bureau_term(start=D(2019, 11, 29))
    with pytest.raises(ValidationError) as err:
        bureau_member(term=term, iso3="CMR")
    assert _errors(err) == {
        "country": [
            "The date on which Cameroon became a Party is not known, so it cannot be said that it was a "
            "Party on Nov. 29, 2019, the day of the election: record the date in the Parties' table first."
        ]
    }
