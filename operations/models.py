from django.db import models
from django.utils.translation import gettext_lazy as _

from .enums import AlertKind, RunOutcome


class ScheduledTaskRun(models.Model):
    """The last run of one scheduled (beat) task, as the worker that ran it recorded it: one row
    per task name, updated at every run, shown on the staff status page."""

    task = models.CharField(_("task"), max_length=200, unique=True)
    last_started = models.DateTimeField(_("last started"), null=True, blank=True)
    last_finished = models.DateTimeField(_("last finished"), null=True, blank=True)
    last_outcome = models.CharField(_("outcome"), max_length=10, choices=RunOutcome, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    last_duration_ms = models.PositiveIntegerField(_("duration (ms)"), null=True, blank=True)
    runs = models.PositiveIntegerField(_("runs"), default=0)
    failures = models.PositiveIntegerField(_("failures"), default=0)

    class Meta:
        verbose_name = _("status of the portal")
        verbose_name_plural = _("status of the portal")
        ordering = ["task"]
        default_permissions = ("view",)
        permissions = [
            ("view_status", _("Can see the status page (checks, queues, failures, scheduled tasks)")),
            ("retry_failed", _("Can retry a failed e-mail or letter from the status page")),
            ("view_metrics", _("Can read the Prometheus metrics")),
        ]

    def __str__(self):
        return self.task


class OperatorAlert(models.Model):
    """What the operators were told (once): a mail or letter that failed for good, or a backlog
    episode. The key makes the telling exactly once; the backlog's watch row, created when the
    backlog first went over its threshold, is deleted when it comes back under."""

    key = models.CharField(_("key"), max_length=100, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=AlertKind)
    detail = models.TextField(_("detail"), blank=True)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    notified_at = models.DateTimeField(_("operators told on"), null=True, blank=True)

    class Meta:
        verbose_name = _("operators' alert")
        verbose_name_plural = _("operators' alerts")
        ordering = ["-created"]
        default_permissions = ("view",)

    def __str__(self):
        return self.key
