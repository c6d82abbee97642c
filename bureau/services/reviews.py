"""The Bureau's review of draft agendas: sending a version to the members in office, their comments
and answers, and the secretariat's revised versions."""

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from meetings.enums import AgendaStatus, MeetingKind
from meetings.models import AgendaItem, AgendaVersion
from meetings.services.agendas import agenda_version_create_next, agenda_version_send_for_review
from outbox.services import mail_queue
from reference.enums import RegionalGroup

from .. import selectors
from ..enums import REVIEW_ACTION_FOR, REVIEW_RESPONSE_TRANSITIONS
from ..models import AgendaReview, Membership, ReviewComment, ReviewResponse
from .transition import transition


def _reviewers_for(*, region: str, on: dt.date) -> list[Membership]:
    members = selectors.bureau_members_on(on=on, region=region or None)
    if not members:
        raise ValidationError(
            _("No Bureau member serves today for this review; record the Bureau's composition first."),
            code="no_reviewers",
        )
    return members


def _notify_reviewers(*, review: AgendaReview, revised: bool, by=None) -> None:
    prefix = "bureau/email/review_revised" if revised else "bureau/email/review_sent"
    url = settings.SITE_URL.rstrip("/") + review.get_absolute_url()
    for response in review.responses.select_related("reviewer"):
        reviewer = response.reviewer
        mail_queue(
            to=reviewer.email,
            template_prefix=prefix,
            context={"review": review, "version": review.version, "meeting": review.version.meeting,
                     "reviewer": reviewer, "url": url},
            language=reviewer.preferred_language,
            trigger_key=f"bureau-review-{review.pk}-{'revised' if revised else 'sent'}-{reviewer.pk}",
            by=by,
        )  # fmt: skip


@transaction.atomic
def agenda_review_send(
    *, version: AgendaVersion, by=None, region: str = "", message: str = "", on: dt.date | None = None
) -> AgendaReview:
    """Send a draft agenda version to the Bureau (or, for a regional consultation, to the Bureau
    members of that region) for review; each reviewer gets an e-mail once the send commits.
    The reviewers are the members in office on `on` (today by default)."""
    meeting = version.meeting
    if not region and meeting.kind == MeetingKind.REGIONAL_CONSULTATION and len(meeting.regions or []) == 1:
        region = meeting.regions[0]
    if region and region not in RegionalGroup.values:
        raise ValidationError({"region": _("Unknown regional group “%(region)s”.") % {"region": region}})
    if AgendaReview.objects.filter(version=version).exists():
        raise ValidationError(
            _("This agenda version has already been sent to the Bureau."), code="already_sent"
        )
    members = _reviewers_for(region=region, on=on or timezone.localdate())
    version = agenda_version_send_for_review(version=version, by=by)
    previous = (
        AgendaReview.objects.filter(version__meeting=meeting, region=region, next__isnull=True)
        .exclude(version=version)
        .order_by("-sent_at")
        .first()
    )
    review = AgendaReview.objects.create(
        version=version, region=region, previous=previous, message=message, sent_by=by
    )
    ReviewResponse.objects.bulk_create(
        [ReviewResponse(review=review, reviewer_id=uid) for uid in dict.fromkeys(m.user_id for m in members)]
    )
    _notify_reviewers(review=review, revised=previous is not None, by=by)
    return review


@transaction.atomic
def agenda_review_revise(
    *, review: AgendaReview, by=None, note: str = "", message: str = "", on: dt.date | None = None
) -> AgendaReview:
    """Issue a new version that takes the comments into account and send it to the same reviewers:
    the reviewed version becomes superseded, the reviewers are told it was revised."""
    version = review.version
    if version.status != AgendaStatus.IN_REVIEW:
        raise ValidationError(
            _("Only a version under review can be revised from here."), code="not_in_review"
        )
    new_version = agenda_version_create_next(meeting=version.meeting, by=by, note=note)
    return agenda_review_send(version=new_version, by=by, region=review.region, message=message, on=on)


def _response_open_for(*, review: AgendaReview, user) -> ReviewResponse:
    """The user's response row, locked, if the version is still under review and they were asked."""
    version = AgendaVersion.objects.get(pk=review.version_id)
    if version.status == AgendaStatus.SUPERSEDED:
        newer = version.meeting.agenda_versions.order_by("-number").first()
        raise ValidationError(
            _(
                "Version %(old)s of this agenda was superseded by version %(new)s; please review the current one."
            )
            % {"old": version.number, "new": newer.number},
            code="superseded",
        )
    if version.status != AgendaStatus.IN_REVIEW:
        raise ValidationError(
            _("This agenda version is no longer under review (it is “%(status)s”).")
            % {"status": version.get_status_display()},
            code="not_in_review",
        )
    response = ReviewResponse.objects.select_for_update().filter(review=review, reviewer=user).first()
    if response is None:
        raise ValidationError(_("You are not a reviewer of this agenda."), code="not_reviewer")
    return response


@transaction.atomic
def agenda_review_respond(*, review: AgendaReview, by, decision: str) -> ReviewResponse:
    """A reviewer approves the version or asks for changes (and may change their mind while it is
    under review). A superseded version cannot be approved. Giving the same answer again changes
    nothing."""
    action = REVIEW_ACTION_FOR.get(decision)
    if action is None:
        raise ValidationError({"decision": _("Choose to approve or to ask for changes.")})
    response = _response_open_for(review=review, user=by)
    if response.decision == decision:
        return response
    return transition(
        record=response, table=REVIEW_RESPONSE_TRANSITIONS, action=action, by=by, decided_at=timezone.now()
    )


@transaction.atomic
def review_comment_add(
    *, review: AgendaReview, by, text: str, item: AgendaItem | None = None
) -> ReviewComment:
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Write a comment before sending it.")})
    if item is not None and item.version_id != review.version_id:
        raise ValidationError({"item": _("This item is not on the agenda version under review.")})
    _response_open_for(review=review, user=by)
    comment = ReviewComment(review=review, item=item, author=by, text=text)
    comment._history_user = by
    comment.save()
    return comment


def review_answer_check(*, answer: str) -> str:
    """The secretariat's answer to a comment, as it is stored (the page and the admin's form)."""
    answer = (answer or "").strip()
    if not answer:
        raise ValidationError({"answer": _("Write an answer before sending it.")})
    return answer


@transaction.atomic
def review_comment_answer(*, comment: ReviewComment, by, answer: str) -> ReviewComment:
    answer = review_answer_check(answer=answer)
    comment = ReviewComment.objects.select_for_update().get(pk=comment.pk)
    comment.answer = answer
    comment.answered_by = by
    comment.answered_at = timezone.now()
    comment._history_user = by
    comment.save(update_fields=["answer", "answered_by", "answered_at"])
    return comment
