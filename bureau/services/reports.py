"""A meeting's report: its file in each language, and its publication. The report stays with the
Bureau and the secretariat until staff publish it; publishing and withdrawing are the report's one
status move (`REPORT_TRANSITIONS`), recorded in its history with who and when."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from meetings.enums import Language
from meetings.models import Meeting
from minamata_portal.uploads import check_upload

from ..enums import REPORT_TRANSITIONS
from ..models import MeetingReport, ReportFile
from .transition import transition


def meeting_report_ensure(*, meeting: Meeting, by=None) -> MeetingReport:
    """The report record of `meeting`, created (restricted) on the first write that needs it."""
    report = MeetingReport.objects.filter(meeting=meeting).first()
    if report is not None:
        return report
    try:
        with transaction.atomic():
            report = MeetingReport(meeting=meeting)
            report._history_user = by
            report.save()
    except IntegrityError:  # created meanwhile by another request: the one-per-meeting constraint
        report = MeetingReport.objects.get(meeting=meeting)
    return report


def meeting_report_update(*, meeting: Meeting, symbol: str, by=None) -> MeetingReport:
    """The symbol the report is issued under as a document (empty where it is not)."""
    symbol = (symbol or "").strip()
    longest = MeetingReport._meta.get_field("symbol").max_length
    if len(symbol) > longest:
        raise ValidationError({"symbol": _("The symbol is longer than %(n)s characters.") % {"n": longest}})
    with transaction.atomic():
        report = MeetingReport.objects.select_for_update().get(
            pk=meeting_report_ensure(meeting=meeting, by=by).pk
        )
        if report.symbol != symbol:
            report.symbol = symbol
            report._history_user = by
            report.save(update_fields=["symbol", "modified"])
    return report


def meeting_report_file_check(*, language: str, file, field: str = "file") -> str:
    """The kind of an upload for a report in `language`, or a ValidationError naming the field."""
    if language not in Language.values:
        raise ValidationError({"language": _("Choose one of the six official languages.")})
    if file is None:
        raise ValidationError({field: _("Choose the file of the report.")})
    return check_upload(file, field=field)


def meeting_report_file_save(*, meeting: Meeting, language: str, file, by=None) -> ReportFile:
    """Store the report of `meeting` in `language` (checked by content and size), replacing the file
    it had in that language. A published report shows the new file at once."""
    kind = meeting_report_file_check(language=language, file=file)
    with transaction.atomic():
        report = meeting_report_ensure(meeting=meeting, by=by)
        MeetingReport.objects.select_for_update().filter(pk=report.pk).get()
        stored = ReportFile.objects.filter(report=report, language=language).first() or ReportFile(
            report=report, language=language
        )
        stored.kind = kind
        stored.file = file
        stored.original_name = (getattr(file, "name", "") or "")[:255]
        stored.size = file.size
        stored.uploaded_at = timezone.now()
        stored.uploaded_by = by
        stored._history_user = by
        stored.save()
    return stored


def meeting_report_file_remove(*, report: MeetingReport, language: str, by=None) -> None:
    """Take the report's file in `language` off; a published report keeps at least one language."""
    with transaction.atomic():
        locked = MeetingReport.objects.select_for_update().get(pk=report.pk)
        stored = ReportFile.objects.filter(report=locked, language=language).first()
        if stored is None:
            raise ValidationError({"language": _("The report has no file in this language.")})
        if locked.is_published and not locked.files.exclude(pk=stored.pk).exists():
            raise ValidationError(
                {"language": _("A published report keeps one language at least: withdraw it first.")}
            )
        stored._history_user = by
        stored.delete()


def meeting_report_publish(*, report: MeetingReport, by=None) -> MeetingReport:
    """Put the report on the public pages, in every language it has a file in."""
    with transaction.atomic():
        # Under the row's lock, so that a file removed at the same moment cannot leave it empty.
        locked = MeetingReport.objects.select_for_update().get(pk=report.pk)
        if not locked.files.exists():
            raise ValidationError(
                _("Upload the report in one language at least before publishing it."), code="no_file"
            )
        return transition(
            record=locked, table=REPORT_TRANSITIONS, action="publish", by=by,
            published_at=timezone.now(), published_by=by,
        )  # fmt: skip


def meeting_report_withdraw(*, report: MeetingReport, by=None) -> MeetingReport:
    """Take the report off the public pages: it is the Bureau's and the secretariat's again. The
    history keeps when it was published and by whom."""
    return transition(
        record=report,
        table=REPORT_TRANSITIONS,
        action="withdraw",
        by=by,
        published_at=None,
        published_by=None,
    )
