from django.db.models import F
from django.utils import timezone

from operations.enums import RunOutcome
from operations.models import ScheduledTaskRun


def task_run_started(*, task: str) -> None:
    row, _created = ScheduledTaskRun.objects.get_or_create(task=task)
    ScheduledTaskRun.objects.filter(pk=row.pk).update(
        last_started=timezone.now(), last_outcome=RunOutcome.RUNNING, runs=F("runs") + 1
    )


def task_run_finished(*, task: str, error: str = "", duration_ms: int | None = None) -> None:
    row, _created = ScheduledTaskRun.objects.get_or_create(task=task)
    fields = {
        "last_finished": timezone.now(),
        "last_outcome": RunOutcome.FAILED if error else RunOutcome.SUCCEEDED,
        "last_duration_ms": duration_ms,
    }
    if error:
        fields.update(last_error=error, failures=F("failures") + 1)
    ScheduledTaskRun.objects.filter(pk=row.pk).update(**fields)
