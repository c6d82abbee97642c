"""Writes for the Bureau. Each change goes through one function here that checks the rule, saves,
records history and queues what follows (mail) after commit."""

import datetime as dt
import re
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from letters.services import mail_queue
from meetings.enums import AgendaStatus, MeetingKind
from meetings.models import AgendaItem, AgendaVersion, Meeting
from meetings.services import agenda_version_create_next, agenda_version_transition
from reference.enums import RegionalGroup

from .enums import (
    SINGLE_HOLDER_OFFICES,
    BodyKind,
    DecisionKind,
    DecisionStatus,
    MandateStatus,
    Office,
    ReviewDecision,
)
from .models import (
    AgendaReview,
    Body,
    BureauMeeting,
    Decision,
    DecisionParagraph,
    Mandate,
    Membership,
    ReviewComment,
    ReviewResponse,
    Term,
)

BODY_DEFAULTS = {
    BodyKind.COP_BUREAU: {
        "name_en": "Bureau of the Conference of the Parties",
        "name_fr": "Bureau de la Conférence des Parties",
        "name_es": "Mesa de la Conferencia de las Partes",
        "seats": 10,
        "seats_per_region": 2,
        "offices": {Office.PRESIDENT.value: 1, Office.VICE_PRESIDENT.value: 8, Office.RAPPORTEUR.value: 1},
        "staggered_terms": False,
    },
    BodyKind.COMPLIANCE_COMMITTEE: {
        "name_en": "Implementation and Compliance Committee",
        "name_fr": "Comité de mise en œuvre et du respect des obligations",
        "name_es": "Comité de Aplicación y Cumplimiento",
        "seats": 15,
        "seats_per_region": 3,
        "offices": {},
        "staggered_terms": True,
    },
}


def body_ensure(*, kind: str) -> Body:
    """The body of that kind, created with the Convention's balance if it does not exist yet."""
    body, _created = Body.objects.get_or_create(kind=kind, defaults=BODY_DEFAULTS[kind])
    return body


def _overlaps(qs, start, end):
    qs = qs.filter(Q(end_date__isnull=True) | Q(end_date__gt=start))
    if end is not None:
        qs = qs.filter(start_date__lt=end)
    return qs


@transaction.atomic
def term_create(
    *, body: Body, elected_at=None, ends_at=None, start_date=None, end_date=None, by=None
) -> Term:
    """A term from the closure of the electing meeting to the closure of the next ordinary one."""
    start_date = start_date or (elected_at.end_date if elected_at else None)
    if start_date is None:
        raise ValidationError({"start_date": _("A term needs a start date or the meeting that elected it.")})
    if end_date is None and ends_at is not None:
        end_date = ends_at.end_date
    if end_date is not None and end_date <= start_date:
        raise ValidationError({"end_date": _("A term must end after it starts.")})
    Body.objects.select_for_update().get(pk=body.pk)
    if not body.staggered_terms and _overlaps(Term.objects.filter(body=body), start_date, end_date).exists():
        raise ValidationError(
            {"start_date": _("This term overlaps another term of %(body)s.") % {"body": body.name}},
            code="term_overlap",
        )
    term = Term(body=body, elected_at=elected_at, ends_at=ends_at, start_date=start_date, end_date=end_date)
    term._history_user = by
    term.save()
    return term


@transaction.atomic
def term_close(*, term: Term, end_date: dt.date, ends_at=None, by=None) -> Term:
    """End a term (at the closure of the next ordinary COP): its members lose access that day."""
    term = Term.objects.select_for_update().get(pk=term.pk)
    if end_date <= term.start_date:
        raise ValidationError({"end_date": _("A term must end after it starts.")})
    term.end_date = end_date
    if ends_at is not None:
        term.ends_at = ends_at
    term._history_user = by
    term.save(update_fields=["end_date", "ends_at"])
    return term


def _check_membership(*, term, user, country, office, start_date, end_date, region=None, exclude_pk=None):
    # The United States sits in no regional group but counts as WEOG for elections: the secretariat
    # may say so explicitly; otherwise the State's own group decides.
    region = region or country.regional_group
    if not region or region == RegionalGroup.NONE:
        raise ValidationError(
            {"country": _("%(state)s belongs to no UN regional group, so it cannot hold a regional seat.")
             % {"state": country.name}},
            code="no_region",
        )  # fmt: skip
    if office not in Office.values:
        raise ValidationError({"office": _("Unknown office “%(office)s”.") % {"office": office}})
    if start_date < term.start_date or (term.end_date and start_date >= term.end_date):
        raise ValidationError({"start_date": _("The membership must start within the term.")})
    if end_date is not None and end_date <= start_date:
        raise ValidationError({"end_date": _("A membership must end after it starts.")})
    if term.end_date and end_date and end_date > term.end_date:
        raise ValidationError({"end_date": _("The membership cannot outlast the term.")})
    others = _overlaps(term.memberships.all(), start_date, end_date)
    if exclude_pk:
        others = others.exclude(pk=exclude_pk)
    if office in SINGLE_HOLDER_OFFICES:
        clash = others.filter(office=office).select_related("user").first()
        if clash:
            raise ValidationError(
                {"office": _("%(office)s is already held by %(person)s from %(start)s in this term.")
                 % {"office": Office(office).label, "person": clash.user, "start": clash.start_date}},
                code="office_overlap",
            )  # fmt: skip
    if others.filter(user=user).exists():
        raise ValidationError({"user": _("%(person)s already holds a seat in this term on those dates.")
                               % {"person": user}}, code="person_overlap")  # fmt: skip
    return region


def _save_membership(membership, by):
    membership._history_user = by
    try:
        with transaction.atomic():
            membership.save()
    except IntegrityError as exc:
        # The PostgreSQL exclusion constraints catch what a concurrent write slipped past the check.
        raise ValidationError(_("This seat overlaps another one on those dates."), code="overlap") from exc
    return membership


@transaction.atomic
def membership_add(
    *,
    term: Term,
    user,
    country,
    office: str,
    start_date=None,
    end_date=None,
    region: str | None = None,
    note: str = "",
    by=None,
) -> Membership:
    """Seat `user` for `country` in `office` for the term (or part of it)."""
    Term.objects.select_for_update().get(pk=term.pk)
    start_date = start_date or term.start_date
    region = _check_membership(
        term=term, user=user, country=country, office=office, start_date=start_date, end_date=end_date,
        region=region,
    )  # fmt: skip
    membership = Membership(
        term=term, user=user, country=country, region=region, office=office,
        start_date=start_date, end_date=end_date, note=note,
    )  # fmt: skip
    return _save_membership(membership, by)


@transaction.atomic
def membership_replace(
    *, membership: Membership, user, on: dt.date, country=None, note: str = "", by=None
) -> Membership:
    """Replace a member during the term from `on`: the outgoing membership ends that day and the
    new one, same office, records whom it replaces. Both stay, with their dates."""
    Term.objects.select_for_update().get(pk=membership.term_id)
    outgoing = Membership.objects.select_related("term").get(pk=membership.pk)
    if hasattr(outgoing, "replaced_by"):
        raise ValidationError(_("This member has already been replaced."), code="already_replaced")
    if on <= outgoing.start_date or (outgoing.end_date and on >= outgoing.end_date):
        raise ValidationError({"on": _("The replacement must start while the outgoing member serves.")})
    country = country or outgoing.country
    end_date = outgoing.end_date
    outgoing.end_date = on
    outgoing._history_user = by
    outgoing.save(update_fields=["end_date"])
    region = _check_membership(
        term=outgoing.term,
        user=user,
        country=country,
        office=outgoing.office,
        start_date=on,
        end_date=end_date,
    )
    incoming = Membership(
        term=outgoing.term, user=user, country=country, region=region, office=outgoing.office,
        start_date=on, end_date=end_date, replaces=outgoing, note=note,
    )  # fmt: skip
    return _save_membership(incoming, by)


# ---------------------------------------------------------------------------------------------------
# Agenda review


def _reviewers_for(*, version: AgendaVersion, region: str, on: dt.date) -> list[Membership]:
    from .selectors import bureau_members_on

    members = bureau_members_on(on=on, region=region or None)
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
    members = _reviewers_for(version=version, region=region, on=on or timezone.localdate())
    version = agenda_version_transition(version=version, to=AgendaStatus.IN_REVIEW, by=by)
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


def _check_open_for(*, review: AgendaReview, user) -> ReviewResponse:
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
    under review). A superseded version cannot be approved."""
    if decision not in (ReviewDecision.APPROVED, ReviewDecision.CHANGES_REQUESTED):
        raise ValidationError({"decision": _("Choose to approve or to ask for changes.")})
    response = _check_open_for(review=review, user=by)
    response.decision = decision
    response.decided_at = timezone.now()
    response._history_user = by
    response.save(update_fields=["decision", "decided_at"])
    return response


@transaction.atomic
def review_comment_add(
    *, review: AgendaReview, by, text: str, item: AgendaItem | None = None
) -> ReviewComment:
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Write a comment before sending it.")})
    if item is not None and item.version_id != review.version_id:
        raise ValidationError({"item": _("This item is not on the agenda version under review.")})
    _check_open_for(review=review, user=by)
    comment = ReviewComment(review=review, item=item, author=by, text=text)
    comment._history_user = by
    comment.save()
    return comment


@transaction.atomic
def review_comment_answer(*, comment: ReviewComment, by, answer: str) -> ReviewComment:
    answer = (answer or "").strip()
    if not answer:
        raise ValidationError({"answer": _("Write an answer before sending it.")})
    comment = ReviewComment.objects.select_for_update().get(pk=comment.pk)
    comment.answer = answer
    comment.answered_by = by
    comment.answered_at = timezone.now()
    comment._history_user = by
    comment.save(update_fields=["answer", "answered_by", "answered_at"])
    return comment


# ---------------------------------------------------------------------------------------------------
# Decisions and mandates

SYMBOL_RE = re.compile(r"^\s*MC-(?P<session>[1-9]\d*)/(?:(?P<number>[1-9]\d*)|\[--\])\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class DecisionSymbol:
    session: int
    number: int | None

    def __str__(self):
        return f"MC-{self.session}/{self.number if self.number is not None else '[--]'}"


def decision_symbol_parse(symbol: str) -> DecisionSymbol:
    """MC-3/11 → session 3, number 11; MC-4/[--] → session 4, a draft without a number."""
    match = SYMBOL_RE.match(symbol or "")
    if not match:
        raise ValidationError(
            {"symbol": _("“%(symbol)s” is not a COP decision symbol: write MC-<session>/<number>, e.g. MC-3/11, "
                         "or MC-4/[--] for a draft.") % {"symbol": symbol}},
            code="bad_symbol",
        )  # fmt: skip
    number = match.group("number")
    return DecisionSymbol(session=int(match.group("session")), number=int(number) if number else None)


@transaction.atomic
def decision_create(
    *,
    meeting: Meeting,
    title_en: str,
    symbol: str = "",
    kind: str = DecisionKind.COP,
    text: str = "",
    paragraphs: list[str] = (),
    adopted_on: dt.date | None = None,
    number: int | None = None,
    by=None,
) -> Decision:
    """Record a decision with its paragraphs. A COP decision gets its session from the symbol; if the
    symbol carries a number it is recorded as adopted (on `adopted_on`, by default the meeting's
    closing day), otherwise as a draft."""
    if not (title_en or "").strip():
        raise ValidationError({"title_en": _("A decision needs a title.")})
    session = None
    if kind == DecisionKind.COP:
        parsed = decision_symbol_parse(symbol)
        session, number = parsed.session, parsed.number
        if meeting.kind != MeetingKind.COP or (meeting.number and meeting.number != session):
            raise ValidationError(
                {"symbol": _("%(symbol)s is a decision of the meeting COP-%(session)s, not of %(meeting)s.")
                 % {"symbol": symbol.strip(), "session": session, "meeting": meeting}}
            )  # fmt: skip
    elif meeting.kind != MeetingKind.BUREAU:
        raise ValidationError({"meeting": _("A Bureau decision belongs to a meeting of the Bureau.")})
    decision = Decision(
        kind=kind, meeting=meeting, session=session, number=None, title_en=title_en.strip(), text=text,
    )  # fmt: skip
    decision._history_user = by
    decision.save()
    for i, paragraph in enumerate(paragraphs, start=1):
        DecisionParagraph.objects.create(decision=decision, number=i, text=paragraph)
    if number is not None:
        decision = decision_adopt(decision=decision, number=number, on=adopted_on or meeting.end_date, by=by)
    return decision


@transaction.atomic
def decision_adopt(*, decision: Decision, number: int, on: dt.date, by=None) -> Decision:
    """The one way a draft (MC-4/[--]) becomes a numbered, adopted decision (MC-4/3)."""
    decision = Decision.objects.select_for_update().get(pk=decision.pk)
    if decision.status != DecisionStatus.DRAFT:
        raise ValidationError(
            _("%(symbol)s is already adopted.") % {"symbol": decision.symbol}, code="already_adopted"
        )
    if not number or number < 1:
        raise ValidationError({"number": _("The decision number must be a positive whole number.")})
    same = Decision.objects.filter(kind=decision.kind, number=number).exclude(pk=decision.pk)
    same = (
        same.filter(session=decision.session)
        if decision.kind == DecisionKind.COP
        else same.filter(meeting=decision.meeting)
    )
    if same.exists():
        raise ValidationError(
            {"number": _("Number %(number)s is already taken by another decision of that meeting.")
             % {"number": number}},
            code="number_taken",
        )  # fmt: skip
    decision.number = number
    decision.status = DecisionStatus.ADOPTED
    decision.adopted_on = on
    decision._history_user = by
    decision.save(update_fields=["number", "status", "adopted_on", "modified"])
    return decision


def mandate_check(*, decision=None, paragraph=None, owner, due_meeting, due_date):
    """What a mandate must satisfy wherever it is written (these services, the admin forms)."""
    if paragraph is not None and decision is not None and paragraph.decision_id != decision.pk:
        raise ValidationError({"paragraph": _("This paragraph belongs to another decision.")})
    if owner is not None and not owner.is_staff:
        raise ValidationError({"owner": _("The owner of a mandate must be a member of the secretariat.")})
    if due_meeting is None and due_date is None:
        raise ValidationError({"due_date": _("Say when it is due: a meeting or a date.")})


@transaction.atomic
def mandate_create(
    *,
    decision: Decision,
    description: str,
    paragraph: DecisionParagraph | None = None,
    owner=None,
    due_meeting: Meeting | None = None,
    due_date: dt.date | None = None,
    status: str = MandateStatus.NOT_STARTED,
    notes: str = "",
    by=None,
) -> Mandate:
    if not (description or "").strip():
        raise ValidationError({"description": _("Say what the decision requests.")})
    if status not in MandateStatus.values:
        raise ValidationError({"status": _("Unknown status.")})
    mandate_check(
        decision=decision, paragraph=paragraph, owner=owner, due_meeting=due_meeting, due_date=due_date
    )
    mandate = Mandate(
        decision=decision, paragraph=paragraph, description=description.strip(), owner=owner,
        due_meeting=due_meeting, due_date=due_date, status=status, notes=notes,
    )  # fmt: skip
    mandate._history_user = by
    mandate.save()
    return mandate


# Work moves forward; "reported" closes it. Going back a step is allowed for corrections.
MANDATE_TRANSITIONS = {
    MandateStatus.NOT_STARTED: {MandateStatus.IN_PROGRESS, MandateStatus.IMPLEMENTED},
    MandateStatus.IN_PROGRESS: {MandateStatus.NOT_STARTED, MandateStatus.IMPLEMENTED},
    MandateStatus.IMPLEMENTED: {MandateStatus.IN_PROGRESS, MandateStatus.REPORTED},
    MandateStatus.REPORTED: {MandateStatus.IMPLEMENTED},
}


@transaction.atomic
def mandate_update(
    *,
    mandate: Mandate,
    by=None,
    status: str | None = None,
    note: str = "",
    owner=...,
    due_meeting=...,
    due_date=...,
) -> Mandate:
    """Follow-up on a mandate: move its status along, add a dated note, change owner or due date."""
    mandate = Mandate.objects.select_for_update().get(pk=mandate.pk)
    fields = []
    if status is not None and status != mandate.status:
        if status not in MandateStatus.values or status not in MANDATE_TRANSITIONS[mandate.status]:
            raise ValidationError(
                {"status": _("A mandate that is “%(current)s” cannot become “%(target)s”.")
                 % {"current": mandate.get_status_display(),
                    "target": MandateStatus(status).label if status in MandateStatus.values else status}},
                code="illegal_transition",
            )  # fmt: skip
        mandate.status = status
        fields.append("status")
    if owner is not ...:
        mandate.owner = owner
        fields.append("owner")
    if due_meeting is not ...:
        mandate.due_meeting = due_meeting
        fields.append("due_meeting")
    if due_date is not ...:
        mandate.due_date = due_date
        fields.append("due_date")
    mandate_check(owner=mandate.owner, due_meeting=mandate.due_meeting, due_date=mandate.due_date)
    note = (note or "").strip()
    if note:
        stamp = timezone.localdate().isoformat()
        mandate.notes = f"{mandate.notes}\n{stamp}: {note}".strip()
        fields.append("notes")
    if not fields:
        raise ValidationError(_("Nothing to change."), code="no_change")
    mandate._history_user = by
    mandate.save(update_fields=[*fields, "modified"])
    return mandate


# ---------------------------------------------------------------------------------------------------
# Bureau meetings


@transaction.atomic
def bureau_meeting_ensure(*, meeting: Meeting, by=None) -> BureauMeeting:
    """The Bureau's record of a meeting of the Bureau kind, tied to the term in office on its first day."""
    from .selectors import term_current

    if meeting.kind != MeetingKind.BUREAU:
        raise ValidationError(
            {"meeting": _("%(meeting)s is not a meeting of the Bureau.") % {"meeting": meeting}}
        )
    record, _created = BureauMeeting.objects.get_or_create(
        meeting=meeting, defaults={"term": term_current(on=meeting.start_date)}
    )
    return record


@transaction.atomic
def bureau_meeting_invite(*, meeting: Meeting, by=None) -> int:
    """Invite the members in office on the meeting's first day; each gets one invitation only,
    however often staff press the button."""
    from .selectors import bureau_members_on

    record = bureau_meeting_ensure(meeting=meeting, by=by)
    members = bureau_members_on(on=meeting.start_date)
    if not members:
        raise ValidationError(_("No Bureau member serves on the meeting's dates."), code="no_members")
    url = settings.SITE_URL.rstrip("/") + record.get_absolute_url()
    for membership in members:
        user = membership.user
        mail_queue(
            to=user.email,
            template_prefix="bureau/email/meeting_invitation",
            context={"meeting": meeting, "member": membership, "url": url},
            language=user.preferred_language,
            trigger_key=f"bureau-meeting-{meeting.pk}-invite-{user.pk}",
            by=by,
        )
    BureauMeeting.objects.filter(pk=record.pk, invitations_sent_at__isnull=True).update(
        invitations_sent_at=timezone.now()
    )
    return len(members)


@transaction.atomic
def bureau_meeting_report_save(
    *, meeting: Meeting, report: str = "", report_file=None, by=None
) -> BureauMeeting:
    if report_file is not None:
        # Checked by content and size like every upload (documents.uploads): it is served inline
        # to the Bureau, so a page or script passed off as a report must not get in.
        from documents.uploads import check_upload

        check_upload(report_file, field="report_file")
    record = bureau_meeting_ensure(meeting=meeting, by=by)
    record = BureauMeeting.objects.select_for_update().get(pk=record.pk)
    record.report = report
    if report_file is not None:
        record.report_file = report_file
    record._history_user = by
    record.save()
    return record
