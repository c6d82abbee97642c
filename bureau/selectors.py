"""Reads for the Bureau: who sits when, balance, rotation, reviews awaiting a member, decisions,
meetings' reports."""

import datetime as dt
from collections import Counter

from django.db.models import Count, Prefetch, Q, QuerySet
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from meetings.enums import LANGUAGE_AUTONYMS, AgendaStatus, Language, MeetingKind
from meetings.models import AgendaItem, AgendaVersion, Meeting
from reference.enums import RegionalGroup

from .enums import (
    MANDATE_TRANSITIONS,
    REPORT_GROUPS,
    REQUIRED_OFFICES,
    BodyKind,
    DecisionKind,
    DecisionStatus,
    MandateStatus,
    Office,
    ReportStatus,
    ReviewDecision,
)
from .models import (
    AgendaReview,
    Body,
    Decision,
    Mandate,
    MeetingReport,
    Membership,
    ReportFile,
    ReviewComment,
    ReviewResponse,
    Term,
)


def _day(on) -> dt.date:
    if on is None:
        return timezone.localdate()
    if isinstance(on, dt.datetime):
        return timezone.localdate(on) if timezone.is_aware(on) else on.date()
    return on


def memberships_on(*, on=None, body_kind: str = BodyKind.COP_BUREAU) -> QuerySet[Membership]:
    """Memberships that hold on `on`: started, not ended, and their term not ended. End dates are
    exclusive, so on the closing day of a COP the outgoing members no longer count."""
    day = _day(on)
    return Membership.objects.filter(
        Q(term__body__kind=body_kind),
        Q(start_date__lte=day),
        Q(end_date__isnull=True) | Q(end_date__gt=day),
        Q(term__start_date__lte=day),
        Q(term__end_date__isnull=True) | Q(term__end_date__gt=day),
    )


def user_is_current_bureau_member(user, on=None) -> bool:
    """Whether `user` sits on the COP Bureau on `on` (today by default); a former member stops
    passing it the day their term ends. Rules ask it through `bureau.rules.is_current_bureau_member`."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    day = _day(on)
    cache = getattr(user, "_bureau_member_on", None)
    if cache is None:
        cache = user._bureau_member_on = {}
    if day not in cache:
        cache[day] = memberships_on(on=day).filter(user=user).exists()
    return cache[day]


def body_list() -> QuerySet[Body]:
    return Body.objects.order_by("kind")


def term_detail(*, pk: int) -> Term:
    return Term.objects.select_related("body", "elected_at", "ends_at").get(pk=pk)


def terms_overlapping(*, body: Body, start: dt.date, end: dt.date | None) -> QuerySet[Term]:
    """The terms of `body` that share a day with [start, end) (end exclusive; None: open-ended)."""
    return spans_overlapping(Term.objects.filter(body=body), start=start, end=end)


def spans_overlapping(qs: QuerySet, *, start: dt.date, end: dt.date | None) -> QuerySet:
    """Rows of `qs` (with start_date and an exclusive, possibly empty end_date) sharing a day with [start, end)."""
    qs = qs.filter(Q(end_date__isnull=True) | Q(end_date__gt=start))
    if end is not None:
        qs = qs.filter(start_date__lt=end)
    return qs


def bureau_members_on(*, on=None, region: str | None = None) -> list[Membership]:
    qs = memberships_on(on=on).select_related("user", "country")
    if region:
        qs = qs.filter(region=region)
    return list(qs.order_by("region", "office", "user__last_name"))


def term_current(*, body_kind: str = BodyKind.COP_BUREAU, on=None) -> Term | None:
    """The term running on `on` (today by default): from the closure of the electing COP
    (included) to the closure of the next (excluded: that day the next term is current)."""
    day = _day(on)
    return (
        Term.objects.filter(body__kind=body_kind, start_date__lte=day)
        .filter(Q(end_date__isnull=True) | Q(end_date__gt=day))
        .select_related("body", "elected_at", "ends_at")
        .order_by("-start_date")
        .first()
    )


def term_list(*, body: Body | None = None, with_memberships: bool = False) -> QuerySet[Term]:
    qs = Term.objects.select_related("body", "elected_at", "ends_at")
    if with_memberships:
        qs = qs.prefetch_related("memberships")
    if body is not None:
        qs = qs.filter(body=body)
    return qs.order_by("body__kind", "-start_date")


def term_memberships(*, term: Term) -> list[Membership]:
    return list(
        term.memberships.select_related("user", "country", "replaces__user", "replaced_by__user").order_by(
            "region", "office", "start_date"
        )
    )


def term_balance(*, term: Term, on=None) -> dict:
    """The balance report for a term on a day (its start by default): seats per region and
    offices against what the body requires, with the problems spelt out. A membership counts from
    its first day (included) to its end date (excluded): on the day of a replacement the newcomer
    counts and the outgoing member no longer does."""
    body = term.body
    day = _day(on) if on is not None else term.start_date
    # .all() so that a list page can prefetch the memberships of many terms in one query.
    holding = [
        m for m in term.memberships.all() if m.start_date <= day and (m.end_date is None or m.end_date > day)
    ]
    per_region = Counter(m.region for m in holding)
    per_office = Counter(m.office for m in holding)
    # The rapporteur is also a Vice-President: count them in both for the body's requirements.
    regions = [
        {
            "region": value,
            "label": label,
            "count": per_region.get(value, 0),
            "required": body.seats_per_region,
            "ok": per_region.get(value, 0) == body.seats_per_region,
        }
        for value, label in RegionalGroup.choices
        if value != RegionalGroup.NONE
    ]
    required_offices = dict(body.offices or {})
    for office, minimum in REQUIRED_OFFICES.get(body.kind, {}).items():
        required_offices[office] = max(int(required_offices.get(office, 0)), minimum)
    offices = [
        {
            "office": office,
            "label": Office(office).label,
            "count": per_office.get(office, 0),
            "required": required,
            "ok": per_office.get(office, 0) == required,
            # A required office nobody holds on the day (the Committee's Chair or Vice-Chair).
            "vacant": office in REQUIRED_OFFICES.get(body.kind, {}) and not per_office.get(office, 0),
        }
        for office, required in required_offices.items()
    ]
    problems = [f"{r['label']}: {r['count']} / {r['required']}" for r in regions if not r["ok"]] + [
        _("%(office)s: required office vacant") % {"office": o["label"]} if o["vacant"]
        else f"{o['label']}: {o['count']} / {o['required']}"
        for o in offices if not o["ok"]
    ]  # fmt: skip
    return {
        "day": day,
        "seats": len(holding),
        "required_seats": body.seats,
        "regions": regions,
        "offices": offices,
        "ok": not problems and len(holding) == body.seats,
        "problems": problems,
    }


def body_rotation(*, body: Body) -> list[dict]:
    """For each term, the regions of the President and the rapporteur (or chair): the rotation
    among regions over the terms. Two queries whatever the number of terms."""
    terms = list(term_list(body=body).order_by("start_date"))
    leaders = {}
    for m in (
        Membership.objects.filter(
            term__in=terms, office__in=[Office.PRESIDENT, Office.RAPPORTEUR, Office.CHAIR]
        )
        .filter(replaces__isnull=True)
        .select_related("country", "user")
    ):
        leaders.setdefault(m.term_id, {})[m.office] = m
    empty = {"president": None, "rapporteur": None, "chair": None}
    return [{"term": t, **empty, **leaders.get(t.pk, {})} for t in terms]


# ---------------------------------------------------------------------------------------------------
# Agenda reviews


def _review_qs() -> QuerySet[AgendaReview]:
    return AgendaReview.objects.select_related("version__meeting", "sent_by").annotate(
        approved_count=Count(
            "responses", filter=Q(responses__decision=ReviewDecision.APPROVED), distinct=True
        ),
        changes_count=Count(
            "responses", filter=Q(responses__decision=ReviewDecision.CHANGES_REQUESTED), distinct=True
        ),
        pending_count=Count("responses", filter=Q(responses__decision=ReviewDecision.PENDING), distinct=True),
        comment_count=Count("comments", distinct=True),
    )


def reviews_awaiting(*, user) -> list[AgendaReview]:
    """Reviews of versions still under review on which `user` has not yet approved."""
    # A subquery, not a join: both conditions must hold for the user's own response, and a join on
    # the responses would also disturb the counts annotated on the same relation.
    mine = ReviewResponse.objects.filter(reviewer=user).exclude(decision=ReviewDecision.APPROVED)
    return list(
        _review_qs()
        .filter(version__status=AgendaStatus.IN_REVIEW, pk__in=mine.values("review_id"))
        .order_by("-sent_at")
    )


def review_list(*, user=None, open_only: bool = False) -> list[AgendaReview]:
    """Every review (staff) or those `user` was asked for (members), newest first."""
    qs = _review_qs()
    if user is not None:
        qs = qs.filter(pk__in=ReviewResponse.objects.filter(reviewer=user).values("review_id"))
    if open_only:
        qs = qs.filter(version__status=AgendaStatus.IN_REVIEW)
    return list(qs.order_by("-sent_at"))


def review_has_reviewer(*, review: AgendaReview, user) -> bool:
    """The review was sent to `user`; reads the responses prefetched by `review_detail` if there."""
    return any(response.reviewer_id == user.pk for response in review.responses.all())


def review_is_open(*, review: AgendaReview) -> bool:
    """The reviewed version is still under review: comments and approvals are taken."""
    return review.version.status == AgendaStatus.IN_REVIEW


def agenda_versions_awaiting_review() -> list[AgendaVersion]:
    """Draft agenda versions not yet sent to the Bureau, for the secretariat to send."""
    return list(
        AgendaVersion.objects.filter(status=AgendaStatus.DRAFT, bureau_review__isnull=True)
        .select_related("meeting")
        .order_by("meeting__start_date", "number")
    )


def agenda_version_for_review(*, pk: int) -> AgendaVersion:
    return AgendaVersion.objects.select_related("meeting").get(pk=pk)


def review_comment_of(*, review: AgendaReview, pk: int) -> ReviewComment:
    return ReviewComment.objects.get(pk=pk, review=review)


def review_detail(*, pk: int) -> AgendaReview:
    comments = ReviewComment.objects.select_related("author", "answered_by").order_by("created")
    return (
        AgendaReview.objects.select_related(
            "version__meeting", "sent_by", "previous__version", "next__version"
        )
        .prefetch_related(
            Prefetch("responses", queryset=_responses_qs()),
            Prefetch("comments", queryset=comments),
        )
        .get(pk=pk)
    )


def _responses_qs():
    return ReviewResponse.objects.select_related("reviewer").order_by(
        "reviewer__last_name", "reviewer__email"
    )


def review_items_with_comments(*, review: AgendaReview) -> tuple[list[dict], list[ReviewComment]]:
    """The version's items in agenda order, each with its comments, and the overall comments."""
    comments = list(review.comments.all())
    by_item = {}
    overall = []
    for comment in comments:
        if comment.item_id is None:
            overall.append(comment)
        else:
            by_item.setdefault(comment.item_id, []).append(comment)
    items = AgendaItem.objects.filter(version_id=review.version_id).select_related("parent")
    top = sorted((i for i in items if i.parent_id is None), key=lambda i: i.position)
    subs = {}
    for item in items:
        if item.parent_id:
            subs.setdefault(item.parent_id, []).append(item)
    rows = []
    for item in top:
        rows.append({"item": item, "comments": by_item.get(item.pk, []), "sub": False})
        for sub in sorted(subs.get(item.pk, []), key=lambda i: i.position):
            rows.append({"item": sub, "comments": by_item.get(sub.pk, []), "sub": True})
    return rows, overall


# ---------------------------------------------------------------------------------------------------
# Bureau meetings and decisions


def bureau_meeting_list() -> list[Meeting]:
    return list(
        Meeting.objects.filter(kind=MeetingKind.BUREAU)
        .select_related("country", "bureau", "meeting_report")
        .annotate(decision_count=Count("decisions", distinct=True))
        .order_by("-start_date")
    )


def bureau_meeting_detail(*, code: str) -> Meeting:
    return (
        Meeting.objects.filter(kind=MeetingKind.BUREAU, code=code)
        .select_related("country", "bureau__term__body")
        .prefetch_related(
            Prefetch("decisions", queryset=Decision.objects.order_by("number", "pk")),
            Prefetch("agenda_versions", queryset=AgendaVersion.objects.order_by("-number")),
        )
        .get()
    )


def decision_is_public(*, decision: Decision) -> bool:
    """Adopted COP decisions are public; drafts and Bureau decisions are not."""
    return decision.kind == DecisionKind.COP and decision.status == DecisionStatus.ADOPTED


def mandate_get(*, pk: int) -> Mandate:
    return Mandate.objects.get(pk=pk)


def decisions_public() -> QuerySet[Decision]:
    """Adopted COP decisions: public, and what the InforMEA-style list exposes."""
    return (
        Decision.objects.filter(kind=DecisionKind.COP, status=DecisionStatus.ADOPTED)
        .select_related("meeting")
        .order_by("session", "number")
    )


def decision_detail(*, pk: int) -> Decision:
    mandates = Mandate.objects.select_related("owner", "due_meeting", "paragraph").order_by(
        "paragraph__number", "pk"
    )
    return (
        Decision.objects.select_related("meeting")
        .prefetch_related("paragraphs", Prefetch("mandates", queryset=mandates))
        .get(pk=pk)
    )


def decisions_all() -> QuerySet[Decision]:
    return (
        Decision.objects.select_related("meeting")
        .annotate(mandate_count=Count("mandates"))
        .order_by("kind", "-session", "number", "pk")
    )


def next_cop(*, today: dt.date | None = None) -> Meeting | None:
    today = today or timezone.localdate()
    return (
        Meeting.objects.filter(kind=MeetingKind.COP, parent__isnull=True, end_date__gte=today)
        .order_by("start_date")
        .first()
    )


def mandate_follow_up(*, today: dt.date | None = None) -> dict:
    """The follow-up dashboard: open mandates due for the next COP, and those overdue (their date
    or their meeting's opening has passed without being implemented and reported)."""
    today = today or timezone.localdate()
    cop = next_cop(today=today)
    open_qs = (
        Mandate.objects.exclude(status=MandateStatus.REPORTED)
        .select_related("decision__meeting", "owner", "due_meeting", "paragraph")
        .order_by("due_date", "due_meeting__start_date", "pk")
    )
    overdue = list(
        open_qs.filter(Q(due_date__lt=today) | Q(due_date__isnull=True, due_meeting__start_date__lt=today))
    )
    due_next = []
    if cop is not None:
        due_next = list(
            open_qs.filter(
                Q(due_meeting=cop) | Q(due_meeting__parent=cop) | Q(due_date__lte=cop.start_date)
            ).exclude(pk__in=[m.pk for m in overdue])
        )
    for mandate in (*overdue, *due_next):
        # The statuses the follow-up form offers: the moves open from where the mandate stands.
        mandate.next_moves = MANDATE_TRANSITIONS.actions_from(mandate.status)
    counts = dict(Mandate.objects.values_list("status").annotate(n=Count("pk")).order_by())
    return {
        "today": today,
        "next_cop": cop,
        "due_next": due_next,
        "overdue": overdue,
        "counts": [(value, label, counts.get(value, 0)) for value, label in MandateStatus.choices],
    }


def mandate_history(*, decision: Decision) -> list:
    """Who changed which request of the decision, when, and to what status: one query."""
    return list(
        Mandate.history.filter(decision_id=decision.pk)
        .select_related("history_user")
        .order_by("-history_date", "-history_id")
    )


# ---------------------------------------------------------------------------------------------------
# Meetings' reports

# How each language names itself, for the links to a report's files.
REPORT_AUTONYMS = LANGUAGE_AUTONYMS
_UN_ORDER = {code: position for position, code in enumerate(Language.values)}


def report_files_in_order(files, *, language: str | None = None) -> list[ReportFile]:
    """The report's files with the visitor's language first, then the others in the UN's order."""
    language = (language or translation.get_language() or "en")[:2]
    return sorted(files, key=lambda f: (f.language != language, _UN_ORDER.get(f.language, 99)))


def report_links(report: MeetingReport, files, *, language: str | None = None) -> list[dict]:
    """A link per language of the report, the visitor's language first, each named in its own."""
    return [
        {
            "code": f.language,
            "autonym": REPORT_AUTONYMS.get(f.language, f.language),
            "label": f.get_language_display(),
            "rtl": f.language == Language.ARABIC,
            "kind": f.get_kind_display(),
            "size": f.size,
            "url": reverse(
                "bureau:report_file", kwargs={"code": report.meeting.code, "language": f.language}
            ),
        }
        for f in report_files_in_order(files, language=language)
    ]


def _report_qs() -> QuerySet[MeetingReport]:
    return MeetingReport.objects.select_related("meeting", "published_by").prefetch_related(
        Prefetch("files", queryset=ReportFile.objects.select_related("uploaded_by"))
    )


def meeting_report_for(*, code: str) -> MeetingReport:
    """The report of the meeting `code` with its files; where none was recorded, an unsaved one
    (restricted, no files) that only staff's page shows, to upload the first file."""
    meeting = Meeting.objects.get(code=code)
    report = _report_qs().filter(meeting=meeting).first()
    return report if report is not None else MeetingReport(meeting=meeting)


def meeting_report_files(*, report: MeetingReport) -> list[ReportFile]:
    return list(report.files.all()) if report.pk else []


def report_file_for(*, code: str, language: str) -> ReportFile:
    return ReportFile.objects.select_related("report__meeting").get(
        report__meeting__code=code, language=language
    )


def bureau_meeting_report(*, code: str) -> MeetingReport:
    """The report of a Bureau meeting, with its files (the Bureau meeting's own address)."""
    return _report_qs().get(meeting__kind=MeetingKind.BUREAU, meeting__code=code)


def report_is_published(*, report: MeetingReport) -> bool:
    return report is not None and report.pk is not None and report.is_published


def report_list(*, unpublished: bool = False) -> list[dict]:
    """Reports by whose they are (the Bureau's, the committees', other meetings'), newest meeting
    first, each with its links; published ones only, unless `unpublished` (the Bureau and staff)."""
    reports = _report_qs().order_by("-meeting__start_date", "meeting__code")
    if not unpublished:
        reports = reports.filter(status=ReportStatus.PUBLISHED)
    groups = [
        {"key": key, "label": label, "kinds": kinds, "reports": []} for key, label, kinds in REPORT_GROUPS
    ]
    for report in reports:
        files = list(report.files.all())
        if not files and not unpublished:
            continue
        report.links = report_links(report, files)
        group = next(g for g in groups if g["kinds"] is None or report.meeting.kind in g["kinds"])
        group["reports"].append(report)
    return [g for g in groups if g["reports"]]


def meeting_report_block(*, meeting: Meeting, unpublished: bool = False) -> dict | None:
    """The report on a meeting's page: its links (the visitor's language first), or None where it
    has no file or, for the public, is not published. One query."""
    files = ReportFile.objects.filter(report__meeting=meeting).select_related("report")
    if not unpublished:
        files = files.filter(report__status=ReportStatus.PUBLISHED)
    files = list(files)
    if not files:
        return None
    report = files[0].report
    report.meeting = meeting
    return {"report": report, "links": report_links(report, files)}


def meeting_report_history(*, report: MeetingReport) -> list:
    """Who published, withdrew or uploaded what, and when: the report's and its files' history rows,
    newest first."""
    if not report.pk:
        return []
    rows = list(report.history.select_related("history_user"))
    rows += list(ReportFile.history.filter(report_id=report.pk).select_related("history_user"))
    return sorted(rows, key=lambda row: row.history_date, reverse=True)
