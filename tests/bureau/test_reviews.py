import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from bureau.enums import REVIEW_RESPONSE_TRANSITIONS, ReviewDecision
from bureau.models import AgendaReview, ReviewComment, ReviewResponse
from bureau.services import (
    agenda_review_respond,
    agenda_review_revise,
    agenda_review_send,
    review_comment_add,
    review_comment_answer,
    term_close,
)
from bureau.services.reviews import _notify_reviewers
from meetings.enums import AgendaStatus, MeetingKind
from outbox.models import OutgoingMail
from tests.factories import AgendaItemFactory, AgendaVersionFactory, MeetingFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=False)


def test_sending_moves_version_in_review_and_mails_each_member_once(
    current_bureau, cop_agenda, staff, django_capture_on_commit_callbacks
):
    _term, members = current_bureau
    with django_capture_on_commit_callbacks(execute=True):
        review = agenda_review_send(version=cop_agenda, by=staff, message="Please comment by Friday.")
    cop_agenda.refresh_from_db()
    assert cop_agenda.status == AgendaStatus.IN_REVIEW
    assert sorted(r.reviewer_id for r in review.responses.all()) == sorted(m.user_id for m in members)
    assert {r.decision for r in review.responses.all()} == {ReviewDecision.PENDING}
    assert sorted(m.to[0] for m in mail.outbox) == sorted(m.user.email for m in members)
    assert mail.outbox[0].subject == (
        "For the Bureau's review: provisional agenda of the Meeting cop-test (version 1)"
    )
    assert "Please comment by Friday." in mail.outbox[0].body
    assert f"/bureau/reviews/{review.pk}/" in mail.outbox[0].body
    # Sending again is refused, and no mail is duplicated.
    with pytest.raises(ValidationError):
        agenda_review_send(version=cop_agenda, by=staff)
    assert OutgoingMail.objects.count() == 10


def test_regional_consultation_agenda_goes_to_members_of_that_region(current_bureau, staff):
    _term, members = current_bureau
    meeting = MeetingFactory(code="rc-test", kind=MeetingKind.REGIONAL_CONSULTATION, regions=["african"])
    version = AgendaVersionFactory(meeting=meeting, number=1)
    review = agenda_review_send(version=version, by=staff)
    african = sorted(m.user.email for m in members if m.region == "african")
    assert len(african) == 2
    assert review.region == "african"
    assert sorted(review.responses.values_list("reviewer__email", flat=True)) == african
    assert sorted(OutgoingMail.objects.values_list("to", flat=True)) == african


def test_member_comments_per_item_and_overall_and_approves(current_bureau, cop_agenda, staff):
    _term, members = current_bureau
    review = agenda_review_send(version=cop_agenda, by=staff)
    member = members[0].user
    item = cop_agenda.items.get(parent__isnull=False, position=2)
    c1 = review_comment_add(review=review, by=member, text="Add the joint study.", item=item)
    c2 = review_comment_add(review=review, by=member, text="Fine overall.")
    agenda_review_respond(review=review, by=member, decision=ReviewDecision.APPROVED)
    assert (c1.item.label, c2.item) == ("4 (b)", None)
    response = ReviewResponse.objects.get(review=review, reviewer=member)
    assert response.decision == ReviewDecision.APPROVED
    assert response.decided_at is not None
    answered = review_comment_answer(comment=c1, by=staff, answer="Added under 4 (b).")
    assert (answered.answer, answered.answered_by) == ("Added under 4 (b).", staff)
    # History keeps who wrote and who answered.
    assert [h.history_user for h in c1.history.order_by("history_date")] == [member, staff]


def test_empty_comment_and_item_of_another_version_are_refused(current_bureau, cop_agenda, staff):
    _term, members = current_bureau
    review = agenda_review_send(version=cop_agenda, by=staff)
    with pytest.raises(ValidationError) as err:
        review_comment_add(review=review, by=members[0].user, text="  ")
    assert "text" in err.value.message_dict
    other_item = AgendaItemFactory()
    with pytest.raises(ValidationError) as err:
        review_comment_add(review=review, by=members[0].user, text="x", item=other_item)
    assert "item" in err.value.message_dict
    assert ReviewComment.objects.count() == 0


def test_non_reviewer_cannot_comment_or_approve(current_bureau, cop_agenda, staff):
    review = agenda_review_send(version=cop_agenda, by=staff)
    stranger = UserFactory()
    with pytest.raises(ValidationError, match="not a reviewer"):
        agenda_review_respond(review=review, by=stranger, decision=ReviewDecision.APPROVED)
    assert not ReviewResponse.objects.filter(reviewer=stranger).exists()


def test_revision_supersedes_version_notifies_reviewers_and_refuses_late_approval(
    current_bureau, cop_agenda, staff, django_capture_on_commit_callbacks
):
    _term, members = current_bureau
    with django_capture_on_commit_callbacks(execute=True):
        review = agenda_review_send(version=cop_agenda, by=staff)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        new_review = agenda_review_revise(review=review, by=staff, note="Item 4 (b) reworded.")
    cop_agenda.refresh_from_db()
    new_version = new_review.version
    assert cop_agenda.status == AgendaStatus.SUPERSEDED
    assert (new_version.number, new_version.status) == (2, AgendaStatus.IN_REVIEW)
    assert new_version.items.count() == 6
    assert new_review.previous == review
    assert len(mail.outbox) == 10
    assert mail.outbox[0].subject.startswith("Revised for the Bureau's review")
    assert "Version 2 replaces version 1" in mail.outbox[0].body
    with pytest.raises(ValidationError) as err:
        agenda_review_respond(review=review, by=members[0].user, decision=ReviewDecision.APPROVED)
    assert err.value.messages == [
        "Version 1 of this agenda was superseded by version 2; please review the current one."
    ]
    assert (
        ReviewResponse.objects.get(review=review, reviewer=members[0].user).decision == ReviewDecision.PENDING
    )


def test_no_members_in_office_means_nothing_is_sent(cop_agenda, staff):
    with pytest.raises(ValidationError, match="No Bureau member serves"):
        agenda_review_send(version=cop_agenda, by=staff)
    cop_agenda.refresh_from_db()
    assert cop_agenda.status == AgendaStatus.DRAFT
    assert AgendaReview.objects.count() == 0


def test_reviewers_can_be_those_in_office_on_a_past_day(cop_agenda, staff):
    from tests.bureau.factories import full_bureau

    _term, _members = full_bureau(start=dt.date(2017, 9, 29), end=dt.date(2018, 11, 23))
    review = agenda_review_send(version=cop_agenda, by=staff, on=dt.date(2018, 9, 20))
    assert review.responses.count() == 10


def test_review_mail_reaches_a_real_smtp_server_once_per_reviewer(
    current_bureau, cop_agenda, staff, smtp_server, django_capture_on_commit_callbacks
):
    _term, members = current_bureau
    with django_capture_on_commit_callbacks(execute=True):
        review = agenda_review_send(version=cop_agenda, by=staff)
    received = smtp_server.wait_for(10)
    assert sorted(m["to"][0] for m in received) == sorted(m.user.email for m in members)
    assert {m["message"]["Subject"] for m in received} == {
        "For the Bureau's review: provisional agenda of the Meeting cop-test (version 1)"
    }
    # Re-queuing the same trigger does not send again.
    with django_capture_on_commit_callbacks(execute=True):
        _notify_reviewers(review=review, revised=False, by=staff)
    assert (
        OutgoingMail.objects.filter(trigger_key__startswith=f"bureau-review-{review.pk}-sent").count() == 10
    )
    assert len(smtp_server.messages) == 10


def test_reviewers_table_moves_are_open_to_the_reviewer_in_office_only(
    current_bureau, cop_agenda, staff, today
):
    term, members = current_bureau
    review = agenda_review_send(version=cop_agenda, by=staff)
    mine = review.responses.get(reviewer=members[0].user)
    assert REVIEW_RESPONSE_TRANSITIONS.can(mine, "approve", members[0].user)
    assert not REVIEW_RESPONSE_TRANSITIONS.can(mine, "approve", members[1].user)
    assert not REVIEW_RESPONSE_TRANSITIONS.can(mine, "approve", staff)
    approved = agenda_review_respond(review=review, by=members[0].user, decision=ReviewDecision.APPROVED)
    assert (approved.can_approve, approved.can_request_changes) == (False, True)
    # Approving again changes nothing (not even the time of the answer).
    again = agenda_review_respond(review=review, by=members[0].user, decision=ReviewDecision.APPROVED)
    assert again.decided_at == approved.decided_at
    term_close(term=term, end_date=today)
    former = type(members[0].user).objects.get(pk=members[0].user_id)  # as the next request loads them
    assert not REVIEW_RESPONSE_TRANSITIONS.can(approved, "request_changes", former)
