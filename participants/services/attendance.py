"""Attendance besides the check-in desk: the meeting platform's attendance report for online
participants (imported all or nothing, every bad row named), and a day recorded by staff."""

import csv
import datetime as dt
import io
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from minamata_portal.uploads import kind_of_head

from ..enums import ACCREDITED_STATUSES, AttendanceSource, ParticipationMode
from ..errors import AttendanceError
from ..models import Attendance, Registration
from ..selectors import registrations_by_email

# Column names the platforms use (Zoom, Teams, Webex, Kudo), compared in lower case.
EMAIL_COLUMNS = ("e-mail", "email", "user email", "email address", "e-mail address", "participant email",
                 "attendee email", "correo electrónico", "courriel")  # fmt: skip
JOIN_COLUMNS = ("join time", "joined", "join", "join_time", "first join", "joined at", "start time")
LEAVE_COLUMNS = ("leave time", "left", "leave", "leave_time", "last leave", "left at", "end time")
# Naive times are the meeting's local time (platform reports are exported in the host's zone).
TIME_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M",
                "%d/%m/%Y %H:%M:%S", "%d/%m/%Y %H:%M", "%m/%d/%Y %I:%M:%S %p", "%m/%d/%Y %I:%M %p")  # fmt: skip
MAX_ROWS = 50_000


@dataclass
class AttendanceImport:
    """What an import did: rows read, days recorded (new and merged), and the e-mails it did not
    record, listed for staff: unknown at this meeting, or of registrations not accredited."""

    rows: int = 0
    created: int = 0
    merged: int = 0
    unknown: list[str] = field(default_factory=list)
    not_accredited: list[tuple[str, str]] = field(default_factory=list)
    in_person: int = 0


def attendance_report_read(uploaded) -> str:
    """The report's text: a CSV file no larger than UPLOAD_MAX_BYTES, in UTF-8 (with or without
    a byte-order mark) or Windows-1252, as the platforms export it. The bytes decide, not the name."""
    limit = settings.UPLOAD_MAX_BYTES
    if uploaded.size > limit:
        raise AttendanceError(
            {"file": _("The file is larger than %(limit)s.") % {"limit": filesizeformat(limit)}}
        )
    uploaded.seek(0)
    raw = uploaded.read()
    if kind_of_head(raw[:8192]) is not None or b"\x00" in raw:
        raise AttendanceError(
            {"file": _("The file is not a CSV text file (its content was checked, not its name).")}
        )
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise AttendanceError(
        {"file": _("The file is not a CSV text file (its content was checked, not its name).")}
    )


def _column(header: list[str], names) -> int | None:
    wanted = [h.strip().lower() for h in header]
    for name in names:
        if name in wanted:
            return wanted.index(name)
    return None


def _parse_time(value: str, tz) -> dt.datetime | None:
    value = value.strip()
    if not value:
        return None
    try:
        parsed = dt.datetime.fromisoformat(value)
    except ValueError:
        parsed = None
        for fmt in TIME_FORMATS:
            try:
                parsed = dt.datetime.strptime(value, fmt)
                break
            except ValueError:
                continue
    if parsed is None:
        return None
    return parsed if timezone.is_aware(parsed) else parsed.replace(tzinfo=tz)


def _rows(text: str) -> tuple[list[str], list[list[str]]]:
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text), dialect)
    lines = list(reader)
    if not lines:
        raise AttendanceError({"file": _("The file is empty.")})
    return lines[0], lines[1:]


def attendance_report_parse(*, meeting, text: str) -> tuple[dict, list[str], int]:
    """Read the report into {(e-mail, day): (first join, last leave)}: several rows of one person
    on one day merge. Returns that, the errors (one per bad row, with its line number and the
    reason), and the number of rows read."""
    header, body = _rows(text)
    email_at, join_at, leave_at = (_column(header, EMAIL_COLUMNS), _column(header, JOIN_COLUMNS),
                                   _column(header, LEAVE_COLUMNS))  # fmt: skip
    missing = [label for label, at in ((_("e-mail"), email_at), (_("join time"), join_at),
                                       (_("leave time"), leave_at)) if at is None]  # fmt: skip
    if missing:
        raise AttendanceError(
            {"file": _("Line 1: the header must name the columns e-mail, join time and leave time; missing: "
                       "%(missing)s.") % {"missing": ", ".join(missing)}}
        )  # fmt: skip
    if len(body) > MAX_ROWS:
        raise AttendanceError({"file": _("The file has more than %(max)s rows.") % {"max": MAX_ROWS}})
    tz = meeting.tz
    errors, merged, read = [], {}, 0
    for number, row in enumerate(body, start=2):
        if not any(cell.strip() for cell in row):
            continue
        read += 1
        cells = row + [""] * (max(email_at, join_at, leave_at) + 1 - len(row))
        email = cells[email_at].strip().lower()
        joined, left = _parse_time(cells[join_at], tz), _parse_time(cells[leave_at], tz)
        problems = []
        if not email or "@" not in email:
            problems.append(
                _("the e-mail “%(value)s” is not an e-mail address") % {"value": cells[email_at].strip()}
            )
        if joined is None:
            problems.append(
                _("the join time “%(value)s” is not a date and time") % {"value": cells[join_at].strip()}
            )
        if left is None:
            problems.append(
                _("the leave time “%(value)s” is not a date and time") % {"value": cells[leave_at].strip()}
            )
        if joined and left and left < joined:
            problems.append(_("the leave time is before the join time"))
        if joined and not problems:
            day = joined.astimezone(tz).date()
            if not meeting.start_date <= day <= meeting.end_date:
                problems.append(
                    _("%(day)s is not a day of the meeting (%(start)s to %(end)s)")
                    % {"day": day.isoformat(), "start": meeting.start_date.isoformat(),
                       "end": meeting.end_date.isoformat()}
                )  # fmt: skip
        if problems:
            errors.append(
                _("Line %(line)s: %(problems)s.") % {"line": number, "problems": "; ".join(problems)}
            )
            continue
        key = (email, joined.astimezone(tz).date())
        first, last = merged.get(key, (joined, left))
        merged[key] = (min(first, joined), max(last, left))
    if not read and not errors:
        raise AttendanceError({"file": _("The file has no attendance rows.")})
    return merged, errors, read


@transaction.atomic
def attendance_import(*, meeting, uploaded, by) -> AttendanceImport:
    """Import the platform's attendance report of `meeting`: all or nothing (any bad row refuses
    the whole file, every bad row named). Accredited participants found by e-mail are recorded
    present online on each day they joined (merged with an earlier import of the same day); the
    e-mails of nobody registered and of registrations not accredited are listed, not recorded."""
    merged, errors, read = attendance_report_parse(meeting=meeting, text=attendance_report_read(uploaded))
    if errors:
        raise AttendanceError({"file": errors})
    people = registrations_by_email(meeting=meeting)
    result = AttendanceImport(rows=read)
    existing = {
        (a.registration_id, a.day): a
        for a in Attendance.objects.select_for_update().filter(registration__meeting=meeting)
    }
    unknown, not_accredited = set(), {}
    for (email, day), (joined, left) in sorted(merged.items()):
        registration = people.get(email)
        if registration is None:
            unknown.add(email)
            continue
        if registration.status not in ACCREDITED_STATUSES:
            not_accredited[email] = registration.get_status_display()
            continue
        found = existing.get((registration.pk, day))
        if found is None:
            existing[(registration.pk, day)] = Attendance.objects.create(
                registration=registration, day=day, mode=ParticipationMode.ONLINE,
                source=AttendanceSource.PLATFORM_REPORT, joined_at=joined, left_at=left, checked_in_by=by,
            )  # fmt: skip
            result.created += 1
        elif found.mode == ParticipationMode.ONLINE:
            found.joined_at = min(filter(None, (found.joined_at, joined)))
            found.left_at = max(filter(None, (found.left_at, left)))
            found.save(update_fields=["joined_at", "left_at"])
            result.merged += 1
        else:
            # Checked in at the desk that day: present in person, which the report does not undo.
            result.in_person += 1
    result.unknown = sorted(unknown)
    result.not_accredited = sorted(not_accredited.items())
    return result


@transaction.atomic
def attendance_record(*, registration: Registration, day: dt.date, mode: str, by) -> tuple[Attendance, bool]:
    """Staff record that an accredited participant attended on `day`, in person or online (a
    participant the platform's report missed, a check-in without a badge). Returns (row, created);
    a day already recorded keeps its row and takes the mode given."""
    meeting = registration.meeting
    if registration.status not in ACCREDITED_STATUSES:
        raise AttendanceError(
            {"registration": _("%(name)s is “%(status)s”: only accredited participants attend.")
             % {"name": registration.full_name, "status": registration.get_status_display()}}
        )  # fmt: skip
    if not meeting.start_date <= day <= meeting.end_date:
        raise AttendanceError(
            {"day": _("%(day)s is not a day of the meeting (%(start)s to %(end)s).")
             % {"day": day.isoformat(), "start": meeting.start_date.isoformat(), "end": meeting.end_date.isoformat()}}
        )  # fmt: skip
    if mode not in ParticipationMode.values:
        raise AttendanceError({"mode": _("Choose in person or online.")})
    row, created = Attendance.objects.select_for_update().get_or_create(
        registration=registration, day=day,
        defaults={"mode": mode, "source": AttendanceSource.STAFF, "checked_in_by": by},
    )  # fmt: skip
    if not created and row.mode != mode:
        row.mode, row.source, row.checked_in_by = mode, AttendanceSource.STAFF, by
        row.save(update_fields=["mode", "source", "checked_in_by"])
    return row, created
