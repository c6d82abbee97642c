"""The Bureau's list pages and the follow-up dashboard cost the same number of queries whatever
the number of rows."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts import roles
from bureau.enums import BodyKind, Office
from bureau.services import (
    agenda_review_send,
    body_ensure,
    decision_create,
    mandate_create,
    membership_add,
    review_comment_add,
    term_create,
)
from meetings.enums import MeetingKind
from tests.bureau.factories import full_bureau
from tests.factories import (
    AgendaItemFactory,
    AgendaVersionFactory,
    MeetingFactory,
    StaffFactory,
    UserFactory,
    country,
)

pytestmark = pytest.mark.django_db

D = dt.date


def _populate(size, *, today):
    """`size` Bureau terms are not needed: one term, and `size` of everything else."""
    staff = StaffFactory(roles=[roles.SECRETARIAT_ADMIN])
    cop_next = MeetingFactory(code=f"cop-next-{size}", start_date=today + dt.timedelta(days=60),
                              end_date=today + dt.timedelta(days=65))  # fmt: skip
    for n in range(size):
        version = AgendaVersionFactory(meeting=MeetingFactory(code=f"m-{size}-{n}"), number=1)
        item = AgendaItemFactory(version=version, position=1)
        review = agenda_review_send(version=version, by=staff)
        member = review.responses.first().reviewer
        review_comment_add(review=review, by=member, text="A comment", item=item)
        MeetingFactory(kind=MeetingKind.BUREAU, code=f"bureau-{size}-{n}", number=None)
        decision = decision_create(
            meeting=MeetingFactory(code=f"cop-{size}-{n}", number=100 + n),
            symbol=f"MC-{100 + n}/{n + 1}", title_en=f"Decision {n}", paragraphs=["Requests"],
        )  # fmt: skip
        mandate_create(decision=decision, description="Report", owner=staff, due_meeting=cop_next)
        mandate_create(
            decision=decision, description="Late", owner=staff, due_date=today - dt.timedelta(days=n + 1)
        )
    # Terms of the Compliance Committee (staggered, so they may overlap), one member each.
    icc = body_ensure(kind=BodyKind.COMPLIANCE_COMMITTEE)
    for n in range(size):
        term = term_create(body=icc, start_date=today - dt.timedelta(days=10 + n))
        membership_add(term=term, user=UserFactory(), country=country("JPN"), office=Office.MEMBER)
    return staff


# Two of each count read the user's model permissions, which the named rules build on (once a request).
PAGES = {
    # page: (queries for the secretariat administrator)
    "bureau:home": 11,
    "bureau:composition": 19,
    "bureau:reviews": 9,
    "bureau:meetings": 8,
    "bureau:decisions": 6,  # a public page: no savepoint and release
    "bureau:follow_up": 11,
}


@pytest.mark.parametrize("size", [2, 6])
@pytest.mark.parametrize(("page", "queries"), PAGES.items())
def test_list_pages_fixed_query_count(client, django_assert_num_queries, size, page, queries):
    today = timezone.localdate()
    full_bureau(start=today - dt.timedelta(days=100), end=today + dt.timedelta(days=300))
    staff = _populate(size, today=today)
    client.force_login(staff)
    with django_assert_num_queries(queries):
        response = client.get(reverse(page))
    assert response.status_code == 200


@pytest.mark.parametrize("size", [2, 6])
def test_member_home_fixed_query_count(client, django_assert_num_queries, size):
    today = timezone.localdate()
    _term, members = full_bureau(start=today - dt.timedelta(days=100), end=today + dt.timedelta(days=300))
    _populate(size, today=today)
    client.force_login(members[0].user)
    with django_assert_num_queries(11):
        response = client.get(reverse("bureau:home"))
    assert response.content.decode().count("Provisional agenda, version 1") == size


DECISIONS_JSON_QUERIES = 6  # no Last-Modified query since the API answers with an ETag only


@pytest.mark.parametrize("size", [2, 6])
def test_public_decision_list_and_json_fixed_query_count(client, django_assert_num_queries, size):
    today = timezone.localdate()
    full_bureau(start=today - dt.timedelta(days=100), end=today + dt.timedelta(days=300))
    _populate(size, today=timezone.localdate())
    # /bureau/decisions.json is the API's list (api/legacy.py): savepoint, count, decisions, their
    # paragraphs, their mandates, the latest change (Last-Modified), release.
    with django_assert_num_queries(DECISIONS_JSON_QUERIES):
        response = client.get(reverse("legacy:decisions_json"))
    assert response.json()["count"] == size
    with django_assert_num_queries(1):  # decisions (a public page: no transaction)
        page = client.get(reverse("bureau:decisions")).content.decode()
    assert page.count('<td><a href="/bureau/decisions/') == size
