"""Reads of the expert groups: members, nominations, mandates, drafts. Nothing here writes."""

import datetime as dt

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from documents.selectors import documents_published
from meetings.enums import MeetingKind
from meetings.models import ExpertGroup, Meeting
from participants.selectors import organisations_represented_by

from .enums import NominationStatus
from .models import Draft, DraftComment, DraftParagraph, GroupMandate, Member, Nomination


def expert_groups() -> QuerySet[ExpertGroup]:
    return ExpertGroup.objects.order_by("name_en")


def expert_group_detail(*, pk: int) -> ExpertGroup:
    return ExpertGroup.objects.get(pk=pk)


def group_meetings(*, group: ExpertGroup) -> QuerySet[Meeting]:
    return Meeting.objects.filter(expert_group=group).order_by("start_date", "code")


def members_serving(*, group: ExpertGroup, day: dt.date | None = None) -> QuerySet[Member]:
    """Members whose term covers `day` (today by default; both ends of the term included)."""
    day = day or timezone.localdate()
    return (
        Member.objects.filter(group=group, term_from__lte=day, term_to__gte=day)
        .select_related("country", "organisation")
        .order_by("role", "name")
    )


def members_public(*, group: ExpertGroup) -> QuerySet[Member]:
    """The members the public page lists: those who agreed to be listed, the latest terms first
    (a group whose mandate ended still shows who served on it, with their terms)."""
    return (
        Member.objects.filter(group=group, publish_consent=True)
        .select_related("country", "organisation")
        .order_by("-term_to", "role", "name")
    )


def membership_of(*, user, group_id: int, day: dt.date | None = None) -> Member | None:
    """The serving membership of `user` in the group: their account, or their sign-in e-mail as
    nominated (an expert may sign up after being appointed)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    day = day or timezone.localdate()
    return (
        Member.objects.filter(group_id=group_id, term_from__lte=day, term_to__gte=day)
        .filter(Q(user=user) | Q(user__isnull=True, email__iexact=user.email))
        .first()
    )


def memberships_of(*, user, day: dt.date | None = None) -> QuerySet[Member]:
    """Every serving membership of `user` (by account, or by sign-in e-mail as nominated)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return Member.objects.none()
    day = day or timezone.localdate()
    return (
        Member.objects.filter(term_from__lte=day, term_to__gte=day)
        .filter(Q(user=user) | Q(user__isnull=True, email__iexact=user.email))
        .select_related("group")
        .order_by("group__name_en")
    )


def mandate_chain(*, group: ExpertGroup) -> list[GroupMandate]:
    """The group's mandate from the decision that set it to the last extension, in that order."""
    records = {
        m.pk: m
        for m in GroupMandate.objects.filter(group=group).select_related(
            "decision__meeting", "ends_with_meeting", "extends"
        )
    }
    first = next((m for m in records.values() if m.extends_id is None), None)
    chain = []
    by_extended = {m.extends_id: m for m in records.values() if m.extends_id}
    current = first
    while current is not None:
        chain.append(current)
        current = by_extended.get(current.pk)
    return chain


def meeting_label(meeting: Meeting) -> str:
    """ "COP-4" for a numbered COP, the meeting's title otherwise."""
    if meeting.kind == MeetingKind.COP and meeting.number:
        return f"COP-{meeting.number}"
    return meeting.title


def mandate_summary(*, group: ExpertGroup) -> str:
    """ "Mandate: decision MC-1/9, until COP-4 (extended by MC-3/5)", or "" with no mandate on file."""
    chain = mandate_chain(group=group)
    if not chain:
        return ""
    last = chain[-1]
    until = meeting_label(last.ends_with_meeting) if last.ends_with_meeting_id else _date(last.ends_on)
    text = _("Mandate: decision %(decision)s, until %(until)s") % {
        "decision": chain[0].decision.symbol,
        "until": until,
    }
    if len(chain) > 1:
        text += " " + _("(extended by %(decisions)s)") % {
            "decisions": ", ".join(m.decision.symbol for m in chain[1:])
        }
    return text


def _date(day: dt.date) -> str:
    return date_format(day, "DATE_FORMAT")


def mandate_end(*, group: ExpertGroup) -> dt.date | None:
    chain = mandate_chain(group=group)
    return chain[-1].end_date if chain else None


def group_outputs(*, group: ExpertGroup, user):
    """The published documents of the group's meetings that `user` may read."""
    return (
        documents_published(user)
        .filter(meeting__expert_group=group)
        .select_related("meeting")
        .order_by("meeting__start_date", "pk")
    )


def nominations_for_nominator(*, user) -> QuerySet[Nomination]:
    """The nominations of the States `user` is focal point for and the organisations they speak for."""
    countries = user.focal_points.filter(active=True).values("country_id")
    organisations = organisations_represented_by(user).values("pk")
    return (
        Nomination.objects.filter(Q(country_id__in=countries) | Q(organisation_id__in=organisations))
        .select_related("group", "country", "organisation")
        .order_by("-nominated_at", "-pk")
    )


def nomination_detail(*, pk: int) -> Nomination:
    return Nomination.objects.select_related("group", "country", "organisation").get(pk=pk)


def nominations_pending() -> QuerySet[Nomination]:
    return Nomination.objects.filter(status=NominationStatus.NOMINATED)


def group_drafts(*, group: ExpertGroup) -> QuerySet[Draft]:
    return Draft.objects.filter(group=group).select_related("revises").order_by("-created", "-pk")


def draft_detail(*, pk: int) -> Draft:
    return Draft.objects.select_related("group", "revises").get(pk=pk)


def draft_is_open(*, draft: Draft, day: dt.date | None = None) -> bool:
    """Members comment until the end of the draft's date, and not once a revision replaced it."""
    day = day or timezone.localdate()
    return day <= draft.comments_until and not Draft.objects.filter(revises=draft).exists()


def draft_paragraphs(*, draft: Draft, member: Member | None = None) -> list[DraftParagraph]:
    """The draft's paragraphs; with `member`, each carries `own_comments`: that member's."""
    queryset = DraftParagraph.objects.filter(draft=draft).order_by("number")
    if member is not None:
        queryset = queryset.prefetch_related(
            Prefetch(
                "comments",
                queryset=DraftComment.objects.filter(member=member).order_by("created"),
                to_attr="own_comments",
            )
        )
    return list(queryset)


def draft_comment_record(*, draft: Draft) -> dict:
    """Who commented on the draft (the staff's record): every comment with its member and
    paragraph, and the group's serving members who did not comment."""
    comments = list(
        DraftComment.objects.filter(paragraph__draft=draft)
        .select_related("member", "paragraph")
        .order_by("paragraph__number", "created", "pk")
    )
    counts = (
        Member.objects.filter(comments__paragraph__draft=draft).annotate(n=Count("comments")).order_by("name")
    )
    commented = {m.pk for m in counts}
    silent = [m for m in members_serving(group=draft.group) if m.pk not in commented]
    return {"comments": comments, "commenters": list(counts), "silent": silent}
