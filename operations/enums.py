from django.db import models
from django.utils.translation import gettext_lazy as _


class RunOutcome(models.TextChoices):
    """How a scheduled task's last run ended (recorded by the worker that ran it)."""

    RUNNING = "running", _("Running")
    SUCCEEDED = "succeeded", _("Succeeded")
    FAILED = "failed", _("Failed")


class CheckState(models.TextChoices):
    """A readiness check's verdict. A check that does not apply to this deployment (no worker or
    beat when tasks run eagerly in the demo) is skipped and does not fail readiness."""

    OK = "ok", _("OK")
    FAILING = "failing", _("Failing")
    SKIPPED = "skipped", _("Not applicable")


class AlertKind(models.TextChoices):
    MAIL_FAILED = "mail_failed", _("An e-mail failed for good")
    LETTER_FAILED = "letter_failed", _("A letter could not be rendered")
    BACKLOG = "backlog", _("The outbox backlog stayed over its threshold")
