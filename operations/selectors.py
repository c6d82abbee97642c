"""Reads of the machinery's state, for /readyz, the status page, the metrics and the alerts.
Never write."""

import datetime as dt
import re
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Min
from django.db.models.functions import Coalesce
from django.utils import timezone

from letters.enums import LetterStatus
from letters.models import Letter
from outbox.enums import PENDING_STATUSES, MailStatus
from outbox.models import OutgoingMail

from .enums import RunOutcome
from .models import OperatorAlert, ScheduledTaskRun

# Waiting to be rendered or sent: what a backlog is made of.
LETTER_WAITING = (LetterStatus.QUEUED,)


@dataclass
class Backlog:
    mails: int
    letters: int
    oldest_mail: dt.datetime | None
    oldest_letter: dt.datetime | None

    @property
    def size(self) -> int:
        return self.mails + self.letters

    @property
    def oldest(self) -> dt.datetime | None:
        found = [when for when in (self.oldest_mail, self.oldest_letter) if when]
        return min(found) if found else None

    def oldest_age_seconds(self, now=None) -> float:
        oldest = self.oldest
        return max(((now or timezone.now()) - oldest).total_seconds(), 0.0) if oldest else 0.0


def backlog() -> Backlog:
    """Mails not settled (queued, sending, awaiting retry) and letters not rendered yet, with the
    time the longest-waiting of each was queued: created, or queued again by staff's retry of a
    failed item. A retry of an old mail therefore starts its age afresh: it is not the creation
    time, which would make the portal unready the moment staff retry a month-old mail. The
    sweeper's re-queueing of a task the broker lost (outbox_sweep, letters_sweep) does not reset
    it (it keeps its own time, swept_at): a mail no worker ever takes keeps ageing until the
    portal reports itself unready and the operators are told."""
    mails = OutgoingMail.objects.filter(status__in=PENDING_STATUSES).aggregate(
        n=Count("pk"), oldest=Min(Coalesce("queued_at", "created"))
    )
    letters = Letter.objects.filter(status__in=LETTER_WAITING).aggregate(
        n=Count("pk"), oldest=Min(Coalesce("enqueued_at", "created"))
    )
    return Backlog(mails["n"], letters["n"], mails["oldest"], letters["oldest"])


def backlog_limits() -> tuple[int, int]:
    """(largest backlog, oldest age in seconds) under which the portal is ready."""
    return (
        int(getattr(settings, "OPERATIONS_BACKLOG_MAX", 500)),
        int(getattr(settings, "OPERATIONS_BACKLOG_MAX_AGE", 900)),
    )


def mails_by_status() -> dict[str, int]:
    counts = dict(OutgoingMail.objects.values_list("status").annotate(n=Count("pk")).order_by())
    return {status: counts.get(status, 0) for status in MailStatus.values}


def letters_by_status() -> dict[str, int]:
    counts = dict(Letter.objects.values_list("status").annotate(n=Count("pk")).order_by())
    return {status: counts.get(status, 0) for status in LetterStatus.values}


def mails_waiting(*, limit: int = 20):
    """Mails not settled, oldest first, with their next retry time."""
    return (
        OutgoingMail.objects.filter(status__in=PENDING_STATUSES)
        .only("pk", "subject", "status", "attempts", "created", "retry_at", "last_error")
        .order_by("created", "pk")[:limit]
    )


def mails_failed(*, limit: int = 50):
    return (
        OutgoingMail.objects.filter(status=MailStatus.FAILED)
        .only("pk", "subject", "status", "attempts", "created", "last_error", "trigger_key")
        .order_by("-created", "-pk")[:limit]
    )


def letters_waiting(*, limit: int = 20):
    return (
        Letter.objects.filter(status__in=LETTER_WAITING)
        .select_related("meeting")
        .only("pk", "reference", "kind", "status", "created", "enqueued_at", "meeting__code")
        .order_by("created", "pk")[:limit]
    )


def letters_failed(*, limit: int = 50):
    return (
        Letter.objects.filter(status=LetterStatus.FAILED)
        .select_related("meeting")
        .only("pk", "reference", "kind", "status", "created", "last_error", "meeting__code")
        .order_by("-created", "-pk")[:limit]
    )


LETTER_MAIL_TRIGGER = re.compile(r"^letter:(\d+):send:\d+$")


def letter_for_mail(*, mail_id: int) -> Letter | None:
    """The letter whose e-mail this is, by the mail's trigger key (`letter:<pk>:send:<n>`,
    letters.Letter.mail_trigger_key), or None for any other mail. Any of the letter's sends counts,
    not only its latest (`Letter.mail`): an earlier failed send is the same letter's."""
    trigger = OutgoingMail.objects.filter(pk=mail_id).values_list("trigger_key", flat=True).first() or ""
    found = LETTER_MAIL_TRIGGER.match(trigger)
    return Letter.objects.filter(pk=int(found.group(1))).first() if found else None


def scheduled_task_runs() -> list[dict]:
    """Every task of CELERY_BEAT_SCHEDULE with its last run (None if never run yet)."""
    runs = {run.task: run for run in ScheduledTaskRun.objects.all()}
    return [
        {"name": name, "task": entry["task"], "schedule": entry["schedule"], "run": runs.get(entry["task"])}
        for name, entry in sorted(getattr(settings, "CELERY_BEAT_SCHEDULE", {}).items())
    ]


def scheduled_tasks_failing() -> list[str]:
    return list(
        ScheduledTaskRun.objects.filter(last_outcome=RunOutcome.FAILED).values_list("task", flat=True)
    )


def operator_alerts(*, limit: int = 20):
    """What operators were told, newest first (the status page shows the last `limit`)."""
    return OperatorAlert.objects.all()[:limit]  # newest first (Meta.ordering)
