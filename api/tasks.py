from celery import shared_task

from .services.tokens import api_token_uses_prune


@shared_task
def api_token_uses_prune_task():
    """Daily (CELERY_BEAT_SCHEDULE["api-token-uses-prune"]): forget token uses past their retention."""
    return api_token_uses_prune()
