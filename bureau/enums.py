from django.db import models
from django.utils.translation import gettext_lazy as _

from meetings.enums import MeetingKind
from minamata_portal.transitions import TransitionTable, move


class BodyKind(models.TextChoices):
    COP_BUREAU = "cop_bureau", _("Bureau of the Conference of the Parties")
    COMPLIANCE_COMMITTEE = "icc", _("Implementation and Compliance Committee")


class Office(models.TextChoices):
    PRESIDENT = "president", _("President")
    VICE_PRESIDENT = "vice_president", _("Vice-President")
    RAPPORTEUR = "rapporteur", _("Vice-President and rapporteur")
    CHAIR = "chair", _("Chair")
    VICE_CHAIR = "vice_chair", _("Vice-Chair")
    MEMBER = "member", _("Member")


# Offices one person holds at a time in a body: two Presidents on the same day is an error.
SINGLE_HOLDER_OFFICES = (Office.PRESIDENT, Office.RAPPORTEUR, Office.CHAIR)

# Offices a body must fill whatever its `offices` say (a body row created before the rule had
# none): the Compliance Committee's Chair and Vice-Chair. A vacancy is flagged on its balance.
REQUIRED_OFFICES = {BodyKind.COMPLIANCE_COMMITTEE: {Office.CHAIR: 1, Office.VICE_CHAIR: 1}}


class ReviewDecision(models.TextChoices):
    PENDING = "pending", _("Awaiting review")
    APPROVED = "approved", _("Approved")
    CHANGES_REQUESTED = "changes_requested", _("Changes requested")


class DecisionKind(models.TextChoices):
    COP = "cop", _("Decision of the Conference of the Parties")
    BUREAU = "bureau", _("Decision of the Bureau")


class DecisionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ADOPTED = "adopted", _("Adopted")


class MandateStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    IMPLEMENTED = "implemented", _("Implemented")
    REPORTED = "reported", _("Reported")


# ---------------------------------------------------------------------------------------------------
# Transition tables: what moves each status, and which rule (bureau/rules.py) a user needs to move it.
# `bureau.services.transition.transition()` makes every move; the models get `can_<action>`.

RD = ReviewDecision
# A reviewer answers a review and may change their mind while the version is under review
# (whether it still is, is the agenda version's status: `agenda_review_respond` checks it).
REVIEW_RESPONSE_TRANSITIONS = TransitionTable(
    ReviewDecision,
    [
        move("approve", {RD.PENDING, RD.CHANGES_REQUESTED}, RD.APPROVED,
             label=_("Approve"), rule="bureau.review_agenda"),
        move("request_changes", {RD.PENDING, RD.APPROVED}, RD.CHANGES_REQUESTED,
             label=_("Ask for changes"), rule="bureau.review_agenda"),
    ],
    field="decision",
)  # fmt: skip
# The answers a reviewer gives, by the status they record.
REVIEW_ACTION_FOR = {RD.APPROVED: "approve", RD.CHANGES_REQUESTED: "request_changes"}

DS = DecisionStatus
# A draft (MC-4/[--]) becomes a numbered decision once, by `decision_adopt`.
DECISION_TRANSITIONS = TransitionTable(
    DecisionStatus,
    [move("adopt", {DS.DRAFT}, DS.ADOPTED, label=_("Adopt"), rule="bureau.record_decisions")],
)

MS = MandateStatus
# Work moves forward; "reported" closes it. Going back a step is allowed for corrections.
MANDATE_TRANSITIONS = TransitionTable(
    MandateStatus,
    [
        move("start", {MS.NOT_STARTED, MS.IMPLEMENTED}, MS.IN_PROGRESS,
             label=_("In progress"), rule="bureau.manage_mandates"),
        move("reset", {MS.IN_PROGRESS}, MS.NOT_STARTED, label=_("Not started"), rule="bureau.manage_mandates"),
        move("implement", {MS.NOT_STARTED, MS.IN_PROGRESS, MS.REPORTED}, MS.IMPLEMENTED,
             label=_("Implemented"), rule="bureau.manage_mandates"),
        move("report", {MS.IMPLEMENTED}, MS.REPORTED, label=_("Reported"), rule="bureau.manage_mandates"),
    ],
)  # fmt: skip


class ReportStatus(models.TextChoices):
    RESTRICTED = "restricted", _("Restricted (Bureau and secretariat)")
    PUBLISHED = "published", _("Published")


RS = ReportStatus
# A meeting's report stays with the Bureau and the secretariat until staff publish it; a published
# report can be withdrawn (a wrong file, a report not yet adopted) and published again.
REPORT_TRANSITIONS = TransitionTable(
    ReportStatus,
    [
        move("publish", {RS.RESTRICTED}, RS.PUBLISHED, label=_("Publish"), rule="bureau.publish_reports"),
        move("withdraw", {RS.PUBLISHED}, RS.RESTRICTED, label=_("Withdraw from the public pages"),
             rule="bureau.publish_reports"),
    ],
)  # fmt: skip

# Whose report a meeting's report is, for the public list: the Bureau's, a committee's (the
# Implementation and Compliance Committee, the Governing Board of the Specific International
# Programme), or a meeting's (the COP, expert groups and every other kind).
REPORT_GROUPS = (
    ("bureau", _("Reports of the Bureau"), (MeetingKind.BUREAU,)),
    ("committees", _("Reports of the committees"), (MeetingKind.COMPLIANCE_COMMITTEE, MeetingKind.SIP_BOARD)),
    ("meetings", _("Reports of meetings"), None),  # every other kind
)
