import logging

from celery import shared_task

from .services.alerts import operators_alert as _operators_alert
from .services.backups import backup_create, backups_prune

logger = logging.getLogger(__name__)


@shared_task
def operators_alert() -> int:
    return _operators_alert()


@shared_task
def backup_nightly() -> dict:
    """The scheduled backup (BACKUP_SCHEDULE_HOUR, UTC), then retention."""
    result = backup_create()
    deleted = backups_prune()
    logger.info(
        "Backup %s written to %s: %d bytes, %d rows, %d files, %.1f s; %d old backups deleted.",
        result.name, result.location, result.size, result.rows, result.files, result.seconds, len(deleted),
    )  # fmt: skip
    return {"name": result.name, "size": result.size, "deleted": deleted}
