from celery import shared_task

from .services import reminders_send_due as _reminders_send_due


@shared_task
def reminders_send_due() -> int:
    """Hourly (CELERY_BEAT_SCHEDULE["calls-reminders"]): the reminders staff set for today or earlier."""
    return _reminders_send_due()
