"""The Bureau's write pages obey the role table (`accounts/roles.py`), not `is_staff`: a documents
officer or a registration officer is on the secretariat's staff but holds no Bureau permission, so
they are refused every write (403, nothing changed); the secretariat administrator makes each one.
Each case proves the refusal by the row it did not write as well as by the status code."""

import datetime as dt
from dataclasses import dataclass

import pytest
from django.urls import reverse

from accounts import roles
from bureau.enums import DecisionKind, DecisionStatus, MandateStatus, Office
from bureau.models import AgendaReview, BureauMeeting, Decision, Mandate, Membership, ReviewComment, Term
from bureau.services import agenda_review_send, decision_create, mandate_create, review_comment_add
from meetings.enums import AgendaStatus, MeetingKind
from tests.factories import AgendaItemFactory, AgendaVersionFactory, MeetingFactory, StaffFactory, UserFactory

pytestmark = pytest.mark.django_db

OFFICERS = [roles.DOCUMENTS_OFFICER, roles.REGISTRATION_OFFICER]


@dataclass
class World:
    term: Term
    members: list[Membership]
    review: AgendaReview
    comment: ReviewComment
    draft_version: object
    bureau_meeting: object
    draft: Decision
    mandate: Mandate
    newcomer: object
    staff: object


@pytest.fixture
def world(current_bureau, cop_agenda, staff, today):
    term, members = current_bureau
    review = agenda_review_send(version=cop_agenda, by=staff)
    comment = review_comment_add(review=review, by=members[0].user, text="Add the joint study.")
    other = MeetingFactory(code="cop-other", number=10)
    draft_version = AgendaVersionFactory(meeting=other, number=1)
    AgendaItemFactory(version=draft_version, position=1, title_en="Opening")
    bureau_meeting = MeetingFactory(
        kind=MeetingKind.BUREAU, code="bureau-perm", number=None, start_date=today, end_date=today
    )
    cop4 = MeetingFactory(
        code="cop-4p", number=4, start_date=dt.date(2021, 11, 1), end_date=dt.date(2022, 3, 25)
    )
    draft = decision_create(
        meeting=cop4, symbol="MC-4/[--]", title_en="Draft on capacity-building", paragraphs=["a"]
    )
    mandate = mandate_create(decision=draft, description="Report", owner=staff, due_meeting=cop4)
    return World(
        term=term, members=members, review=review, comment=comment, draft_version=draft_version,
        bureau_meeting=bureau_meeting, draft=draft, mandate=mandate, newcomer=UserFactory(), staff=staff,
    )  # fmt: skip


def _state(w: World) -> dict:
    """Everything the write pages below could change."""
    w.term.refresh_from_db()
    w.comment.refresh_from_db()
    w.draft.refresh_from_db()
    w.mandate.refresh_from_db()
    record = BureauMeeting.objects.filter(meeting=w.bureau_meeting).first()
    return {
        "terms": Term.objects.count(),
        "term_end": w.term.end_date,
        "memberships": sorted(Membership.objects.values_list("pk", "user_id", "end_date")),
        "reviews": AgendaReview.objects.count(),
        "review_status": w.review.version.__class__.objects.get(pk=w.review.version_id).status,
        "answer": w.comment.answer,
        "bureau_meeting": (record.report, record.invitations_sent_at) if record else None,
        "decisions": Decision.objects.count(),
        "draft": (w.draft.status, w.draft.number),
        "mandates": Mandate.objects.count(),
        "mandate": (w.mandate.status, w.mandate.notes),
    }


# Each write: (how to post it, what the secretariat administrator's post changes).
def _create_term(client, w):
    return client.post(reverse("bureau:composition"), {"body": w.term.body_id, "start_date": "2030-01-01"})


def _add_member(client, w):
    return client.post(
        w.term.get_absolute_url(),
        {
            "action": "add",
            "email": w.newcomer.email,
            "country": w.members[0].country_id,
            "office": Office.MEMBER,
        },
    )


def _replace_member(client, w):
    outgoing = w.members[3]
    on = outgoing.start_date + dt.timedelta(days=10)
    return client.post(
        w.term.get_absolute_url(),
        {"action": "replace", "membership": outgoing.pk, "email": w.newcomer.email, "on": on.isoformat()},
    )


def _close_term(client, w):
    end = w.term.start_date + dt.timedelta(days=200)
    return client.post(w.term.get_absolute_url(), {"action": "close", "end_date": end.isoformat()})


def _send_review(client, w):
    return client.post(reverse("bureau:review_send"), {"version": w.draft_version.pk, "region": ""})


def _answer_comment(client, w):
    return client.post(
        w.review.get_absolute_url(),
        {"action": "answer", "comment": w.comment.pk, "answer": "Added as 4 (c)."},
    )


def _revise_review(client, w):
    return client.post(w.review.get_absolute_url(), {"action": "revise", "note": "Item 4 (c) added"})


def _invite(client, w):
    return client.post(reverse("bureau:meeting", args=[w.bureau_meeting.code]), {"action": "invite"})


def _save_report(client, w):
    return client.post(
        reverse("bureau:meeting", args=[w.bureau_meeting.code]), {"action": "report", "report": "Agreed."}
    )


def _record_decision(client, w):
    return client.post(
        reverse("bureau:decision_new"),
        {
            "kind": DecisionKind.COP,
            "meeting": w.draft.meeting_id,
            "symbol": "MC-4/[--]",
            "title_en": "Another draft",
        },
    )


def _adopt(client, w):
    return client.post(
        w.draft.get_absolute_url(), {"action": "adopt", "number": "7", "adopted_on": "2022-03-25"}
    )


def _add_mandate(client, w):
    return client.post(
        w.draft.get_absolute_url(),
        {"action": "mandate", "description": "Compile", "owner": w.staff.pk, "due_date": "2030-01-01"},
    )


def _move_mandate(client, w):
    return client.post(
        reverse("bureau:mandate_update", args=[w.mandate.pk]),
        {"status": MandateStatus.IN_PROGRESS, "note": "Drafting"},
    )


WRITES = {
    "create a term": (_create_term, lambda before, after: after["terms"] == before["terms"] + 1),
    "add a member": (_add_member, lambda b, a: len(a["memberships"]) == len(b["memberships"]) + 1),
    "replace a member": (_replace_member, lambda b, a: len(a["memberships"]) == len(b["memberships"]) + 1),
    "close the term": (_close_term, lambda b, a: a["term_end"] != b["term_end"]),
    "send an agenda for review": (_send_review, lambda b, a: a["reviews"] == b["reviews"] + 1),
    "answer a comment": (_answer_comment, lambda b, a: a["answer"] == "Added as 4 (c)."),
    "revise the agenda": (_revise_review, lambda b, a: a["review_status"] == AgendaStatus.SUPERSEDED),
    "invite the members": (_invite, lambda b, a: a["bureau_meeting"] and a["bureau_meeting"][1] is not None),
    "save the report": (
        _save_report,
        lambda b, a: a["bureau_meeting"] and a["bureau_meeting"][0] == "Agreed.",
    ),
    "record a decision": (_record_decision, lambda b, a: a["decisions"] == b["decisions"] + 1),
    "adopt a decision": (_adopt, lambda b, a: a["draft"] == (DecisionStatus.ADOPTED, 7)),
    "add a mandate": (_add_mandate, lambda b, a: a["mandates"] == b["mandates"] + 1),
    "move a mandate": (_move_mandate, lambda b, a: a["mandate"][0] == MandateStatus.IN_PROGRESS),
}


# A draft decision is hidden from whoever is outside the Bureau: a post to it is a 404.
REFUSED_WITH = {"adopt a decision": 404, "add a mandate": 404}


@pytest.mark.parametrize("role", OFFICERS)
@pytest.mark.parametrize("write", WRITES)
def test_officer_without_bureau_role_is_refused_every_bureau_write(client, world, role, write):
    post, _changed = WRITES[write]
    officer = StaffFactory(roles=[role])
    before = _state(world)
    client.force_login(officer)
    response = post(client, world)
    assert response.status_code == REFUSED_WITH.get(write, 403)
    assert _state(world) == before


@pytest.mark.parametrize("write", WRITES)
def test_secretariat_administrator_makes_every_bureau_write(client, world, write):
    post, changed = WRITES[write]
    before = _state(world)
    client.force_login(world.staff)
    response = post(client, world)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert changed(before, _state(world))


@pytest.mark.parametrize("role", OFFICERS)
def test_officer_without_bureau_role_does_not_see_the_bureaus_pages(client, world, role):
    client.force_login(StaffFactory(roles=[role]))
    for url in (reverse("bureau:home"), reverse("bureau:composition"), world.term.get_absolute_url(),
                reverse("bureau:follow_up"), world.review.get_absolute_url()):  # fmt: skip
        assert client.get(url).status_code == 403, url
    assert client.get(world.draft.get_absolute_url()).status_code == 404


def test_member_sees_the_pages_but_no_secretariat_form(client, world):
    client.force_login(world.members[0].user)
    term_page = client.get(world.term.get_absolute_url()).content.decode()
    assert 'id="add-member-form"' not in term_page and 'id="close-term-form"' not in term_page
    decision_page = client.get(world.draft.get_absolute_url()).content.decode()
    assert 'id="adopt-form"' not in decision_page and 'id="mandate-form"' not in decision_page
    client.force_login(world.staff)
    term_page = client.get(world.term.get_absolute_url()).content.decode()
    assert 'id="add-member-form"' in term_page and 'id="close-term-form"' in term_page
    decision_page = client.get(world.draft.get_absolute_url()).content.decode()
    assert 'id="adopt-form"' in decision_page and 'id="mandate-form"' in decision_page


@pytest.mark.parametrize("role", OFFICERS)
def test_officer_without_bureau_role_cannot_edit_bureau_records_in_the_admin(client, world, role):
    client.force_login(StaffFactory(roles=[role]))
    membership = world.members[0]
    assert client.get(reverse("admin:bureau_membership_change", args=[membership.pk])).status_code == 403
    response = client.post(
        reverse("admin:bureau_mandate_change", args=[world.mandate.pk]), {"description": "Rewritten"}
    )
    assert response.status_code == 403
    world.mandate.refresh_from_db()
    assert world.mandate.description == "Report"
