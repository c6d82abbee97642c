"""The last run of every scheduled task, recorded by the worker that runs it. Celery's task
signals are the one place that sees every task start and end whatever its module; the handlers
only call the service that writes the row, for tasks of CELERY_BEAT_SCHEDULE."""

import logging
import time

from celery import signals
from django.conf import settings

from .services.taskruns import task_run_finished, task_run_started

logger = logging.getLogger(__name__)
_started: dict[str, float] = {}


def _scheduled(task) -> bool:
    name = getattr(task, "name", "")
    return any(entry.get("task") == name for entry in getattr(settings, "CELERY_BEAT_SCHEDULE", {}).values())


def _on_prerun(sender=None, task_id=None, task=None, **kwargs):
    if not _scheduled(task):
        return
    _started[task_id] = time.perf_counter()
    _safely(task_run_started, task=task.name)


def _on_postrun(sender=None, task_id=None, task=None, state=None, retval=None, **kwargs):
    if not _scheduled(task):
        return
    began = _started.pop(task_id, None)
    duration = int((time.perf_counter() - began) * 1000) if began is not None else None
    error = repr(retval)[:2000] if state == "FAILURE" else ""
    _safely(task_run_finished, task=task.name, error=error, duration_ms=duration)


def _safely(service, **kwargs):
    # Recording must never break the task it watches (a database hiccup is logged).
    try:
        service(**kwargs)
    except Exception:
        logger.warning("Could not record the run of %s.", kwargs.get("task"), exc_info=True)


def connect():
    signals.task_prerun.connect(_on_prerun, weak=False, dispatch_uid="operations-prerun")
    signals.task_postrun.connect(_on_postrun, weak=False, dispatch_uid="operations-postrun")
