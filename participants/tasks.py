from celery import shared_task

from .services import visas as visa_services


@shared_task
def passport_data_purge() -> int:
    """Daily (CELERY_BEAT_SCHEDULE): erase passport data some days after each meeting."""
    return visa_services.passport_data_purge()
