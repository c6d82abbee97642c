from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OperationsConfig(AppConfig):
    """Running the portal: health and readiness, the staff status page, backups, logs, metrics and
    the operators' alerts. It stands above every other app and only reads them (or calls their
    services)."""

    name = "operations"
    verbose_name = _("Operations")

    def ready(self):
        # Connect the Celery signals that record each scheduled task's last run, and register the
        # metrics read from the database at each scrape.
        from . import metrics, taskruns

        taskruns.connect()
        metrics.register()
