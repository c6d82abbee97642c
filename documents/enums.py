from django.db import models
from django.utils.translation import gettext_lazy as _

# The six official UN languages, in the UN's order, and how each names itself: one table, the
# meetings' (a meeting's languages, its documents' language versions, its reports' files).
from meetings.enums import LANGUAGE_AUTONYMS, Language  # noqa: F401 (re-exported)
from minamata_portal.transitions import TransitionTable, move

RIGHT_TO_LEFT = {"ar"}


class Series(models.TextChoices):
    WORKING = "working", _("Working document")
    INFORMATION = "INF", _("Information document")
    CONFERENCE_ROOM_PAPER = "CRP", _("Conference room paper")
    LIMITED = "L", _("Limited (in-session draft)")


class SupplementKind(models.TextChoices):
    ADDENDUM = "Add", _("Addendum")
    REVISION = "Rev", _("Revision")
    CORRIGENDUM = "Corr", _("Corrigendum")


class Distribution(models.TextChoices):
    GENERAL = "general", _("General")
    LIMITED = "limited", _("Limited")
    BUREAU = "bureau", _("Restricted to the Bureau")


class ProcessingStatus(models.TextChoices):
    AWAITING_ORIGINAL = "awaiting_original", _("Awaiting original")
    SUBMITTED = "submitted", _("Submitted to conference services")
    IN_PROCESSING = "in_processing", _("In editing/translation")
    READY = "ready", _("Ready")
    PUBLISHED = "published", _("Published")
    NOT_REQUIRED = "not_required", _("Not required")


S = ProcessingStatus

# Nothing more is due of a published or not required version, and it takes no new file: a changed
# text is issued as a corrigendum or revision, under its own symbol.
SETTLED_STATUSES = frozenset({S.PUBLISHED, S.NOT_REQUIRED})

# How a language version moves through editing and translation: each move, the statuses it starts
# from, where it leads, its button on the version page (in this order) and the rule it asks
# (`documents/rules.py`). `services.language_version_transition` makes every move.
_RULE = "documents.manage_processing"
# fmt: off
LANGUAGE_VERSION_TRANSITIONS = TransitionTable(ProcessingStatus, [
    move("submit", {S.AWAITING_ORIGINAL}, S.SUBMITTED, label=_("Submit to conference services"), rule=_RULE),
    move("start_processing", {S.SUBMITTED}, S.IN_PROCESSING, label=_("Start editing/translation"),
         rule=_RULE),
    move("mark_ready", {S.IN_PROCESSING}, S.READY, label=_("Mark ready"), rule=_RULE),
    move("publish", {S.READY}, S.PUBLISHED, label=_("Publish"), rule=_RULE),
    move("send_back", {S.READY}, S.IN_PROCESSING, label=_("Send back to editing"), rule=_RULE),
    move("mark_not_required", {S.AWAITING_ORIGINAL, S.SUBMITTED, S.IN_PROCESSING, S.READY}, S.NOT_REQUIRED,
         label=_("Not required"), rule=_RULE),
    move("reinstate", {S.NOT_REQUIRED}, S.AWAITING_ORIGINAL, label=_("Required after all"), rule=_RULE),
])
# fmt: on
# Marking ready and publishing need the text: a file uploaded for the version.
NEEDS_FILE = frozenset({S.READY, S.PUBLISHED})


class Timeliness(models.TextChoices):
    ON_TRACK = "on_track", _("On track")
    AT_RISK = "at_risk", _("At risk")
    LATE = "late", _("Late")
    DONE = "done", _("Done")


class Milestone(models.TextChoices):
    """The three dates the secretariat plans a document by (UN Geneva practice): the document is
    announced in the forecast to conference services, its text submitted to them, and issued."""

    FORECAST = "forecast", _("Forecast")
    SUBMISSION = "submission", _("Submission to conference services")
    ISSUANCE = "issuance", _("Issuance")


class MilestoneState(models.TextChoices):
    """Where a document (forecast) or a language version (submission, issuance) stands against
    one milestone; `selectors.milestone_state` decides it."""

    NOT_SET = "not_set", _("No milestone")
    DUE = "due", _("Due")
    LATE = "late", _("Late")
    MET = "met", _("Met")
    MET_LATE = "met_late", _("Met late")


# A language version in one of these has been submitted to conference services (the submission
# milestone is met); one published has been issued.
SUBMITTED_STATUSES = frozenset({S.SUBMITTED, S.IN_PROCESSING, S.READY, S.PUBLISHED})
# Missed milestones: the date passed before the milestone was met, whether it is met since or not.
LATE_STATES = frozenset({MilestoneState.LATE, MilestoneState.MET_LATE})
