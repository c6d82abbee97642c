"""The calls app's statuses and their transition tables. `calls.services.transition.transition()`
is the only place that applies them; views and templates ask `record.can_<action>`."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from minamata_portal.transitions import TransitionTable, move


class CallKind(models.TextChoices):
    SUBMISSIONS = "submissions", _("Submissions on a decision")
    EXPERTS = "experts", _("Nominations of experts")
    EVENTS = "events", _("Proposals of events or booths")


class Audience(models.TextChoices):
    PARTIES = "parties", _("Parties' focal points")
    OBSERVERS = "observers", _("Observers")
    BOTH = "both", _("Parties' focal points and observers")
    # The Executive Secretary's letters for submissions go to every State's focal point, Party or
    # not (the call of 13 December 2019 went to all participants in COP-3 and the missions).
    STATES = "states", _("All States' focal points (Parties and non-Parties)")


class CallStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SENT = "sent", _("Sent")
    COMPILED = "compiled", _("Compiled")


CALL_TRANSITIONS = TransitionTable(
    CallStatus,
    [
        move(
            "send", {CallStatus.DRAFT}, CallStatus.SENT, label=_("Send the call"), rule="calls.manage_calls"
        ),
        move(
            "compile",
            {CallStatus.SENT},
            CallStatus.COMPILED,
            label=_("Compile the answers"),
            rule="calls.manage_calls",
        ),
    ],
)


class AnswerStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    ACCEPTED = "accepted", _("Accepted")
    RETURNED = "returned", _("Returned")


ANSWER_TRANSITIONS = TransitionTable(
    AnswerStatus,
    [
        move(
            "accept",
            {AnswerStatus.SUBMITTED},
            AnswerStatus.ACCEPTED,
            label=_("Accept"),
            rule="calls.manage_calls",
        ),
        move(
            "send_back",
            {AnswerStatus.SUBMITTED, AnswerStatus.ACCEPTED},
            AnswerStatus.RETURNED,
            label=_("Return"),
            rule="calls.manage_calls",
        ),
        # The answerer sends a returned answer again, corrected.
        move("resubmit", {AnswerStatus.RETURNED}, AnswerStatus.SUBMITTED, label=_("Submit again")),
    ],
)
