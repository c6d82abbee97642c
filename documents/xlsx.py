"""The processing grid as a spreadsheet, for conference services who work in Excel."""

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill

from .enums import Language, Milestone, ProcessingStatus, Timeliness

# The same colours as the dashboard, so a printed sheet reads the same way.
STATUS_FILLS = {
    ProcessingStatus.AWAITING_ORIGINAL: "E3E9EF",
    ProcessingStatus.SUBMITTED: "FFF2CC",
    ProcessingStatus.IN_PROCESSING: "FCE4D6",
    ProcessingStatus.READY: "DDEBF7",
    ProcessingStatus.PUBLISHED: "D8F0DE",
    ProcessingStatus.NOT_REQUIRED: "FFFFFF",
}
LATE_FONT = Font(color="B00020", bold=True)


def processing_workbook(*, meeting, rows) -> Workbook:
    book = Workbook()
    sheet = book.active
    sheet.title = _("Processing")[:31]
    header = [_("Symbol"), _("Title"), _("Series"), _("Distribution")]
    for _code, label in Language.choices:
        header += [str(label), _("%(language)s target") % {"language": label}]
    header += [_("Late"), _("At risk")]
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        document = row.document
        values = [
            document.symbol,
            document.title_en,
            document.get_series_display(),
            document.get_distribution_display(),
        ]
        for version in row.cells:
            if version is None:
                values += ["", None]
            else:
                label = version.get_status_display()
                if version.timeliness in (Timeliness.LATE, Timeliness.AT_RISK):
                    label = f"{label} ({Timeliness(version.timeliness).label.lower()})"
                values += [label, version.target_date]
        values += [row.late, row.at_risk]
        sheet.append(values)
        line = sheet.max_row
        for index, version in enumerate(row.cells):
            if version is None:
                continue
            cell = sheet.cell(row=line, column=5 + 2 * index)
            cell.fill = PatternFill("solid", fgColor=STATUS_FILLS[version.status])
            if version.timeliness == Timeliness.LATE:
                cell.font = LATE_FONT
            sheet.cell(row=line, column=6 + 2 * index).number_format = "yyyy-mm-dd"
    sheet.freeze_panes = "C2"
    sheet.column_dimensions["A"].width = 26
    sheet.column_dimensions["B"].width = 60
    sheet.title = f"{meeting.code}"[:31]
    return book


def milestones_workbook(*, meeting, board) -> Workbook:
    """The milestones board, one line per document and language: each milestone's date and
    where it stands, late ones in red."""
    book = Workbook()
    sheet = book.active
    sheet.title = f"{meeting.code}"[:31]
    header = [_("Symbol"), _("Title"), _("Language"), _("Responsible officer")]
    for _code, label in Milestone.choices:
        header += [_("%(milestone)s date") % {"milestone": label}, str(label)]
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    no_officer = _("No officer assigned")
    languages = {code: str(label) for code, label in Language.choices}
    for row in board.rows:
        values = [
            row.document.symbol,
            row.document.title_en,
            languages[row.version.language],
            str(row.document.officer) if row.document.officer_id else no_officer,
        ]
        for check in row.checks:
            values += [check.due, check.label]
        sheet.append(values)
        line = sheet.max_row
        for index, check in enumerate(row.checks):
            sheet.cell(row=line, column=5 + 2 * index).number_format = "yyyy-mm-dd"
            if check.late:
                sheet.cell(row=line, column=6 + 2 * index).font = LATE_FONT
    sheet.freeze_panes = "C2"
    sheet.column_dimensions["A"].width = 26
    sheet.column_dimensions["B"].width = 60
    return book
