"""What the Bureau adds to its own meetings: the term they belong to, invitations, the report."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from meetings.enums import Language, MeetingKind
from meetings.models import Meeting
from outbox.services import mail_queue

from .. import selectors
from ..models import BureauMeeting
from .reports import meeting_report_file_check, meeting_report_file_save


@transaction.atomic
def bureau_meeting_ensure(*, meeting: Meeting, by=None) -> BureauMeeting:
    """The Bureau's record of a meeting of the Bureau kind, tied to the term in office on its first
    day; created on the first write that needs it."""
    if meeting.kind != MeetingKind.BUREAU:
        raise ValidationError(
            {"meeting": _("%(meeting)s is not a meeting of the Bureau.") % {"meeting": meeting}}
        )
    record, _created = BureauMeeting.objects.get_or_create(
        meeting=meeting, defaults={"term": selectors.term_current(on=meeting.start_date)}
    )
    return record


@transaction.atomic
def bureau_meeting_invite(*, meeting: Meeting, by=None) -> int:
    """Invite the members in office on the meeting's first day; each gets one invitation only,
    however often staff press the button."""
    record = bureau_meeting_ensure(meeting=meeting, by=by)
    members = selectors.bureau_members_on(on=meeting.start_date)
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
    *, meeting: Meeting, report: str = "", report_file=None, language: str = Language.ENGLISH, by=None
) -> BureauMeeting:
    """The members' summary of the meeting and, if given, the report's file in `language` (the
    meeting's MeetingReport, restricted until staff publish it)."""
    if report_file is not None:
        # Checked by content and size like every upload (minamata_portal.uploads) before anything
        # is written; the file is stored under a random name and served with the kind found.
        meeting_report_file_check(language=language, file=report_file, field="report_file")
    record = bureau_meeting_ensure(meeting=meeting, by=by)
    record = BureauMeeting.objects.select_for_update().get(pk=record.pk)
    record.report = report
    record._history_user = by
    record.save()
    if report_file is not None:
        meeting_report_file_save(meeting=meeting, language=language, file=report_file, by=by)
    return record
