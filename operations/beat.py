"""Beat's heartbeat. Beat has no port to probe and runs no task itself, so its scheduler writes the
time of every tick to Redis (CELERY_BEAT_SCHEDULER names this class); /readyz and beat's compose
health check read it. A stopped beat shows within OPERATIONS_BEAT_MAX_AGE."""

import logging
import time

from celery.beat import PersistentScheduler

logger = logging.getLogger(__name__)


def beat_heartbeat_record() -> None:
    from . import health  # Django is set up by now (beat runs inside the configured app)

    try:
        health.redis_client().set(health.BEAT_HEARTBEAT_KEY, f"{time.time():.3f}", ex=24 * 3600)
    except Exception:
        logger.warning("Beat could not record its heartbeat in Redis.", exc_info=True)


class HeartbeatScheduler(PersistentScheduler):
    def tick(self, *args, **kwargs):
        beat_heartbeat_record()
        return super().tick(*args, **kwargs)
