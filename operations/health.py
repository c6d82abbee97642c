"""Liveness and readiness. /healthz says the process answers; /readyz says whether the portal can
do its work: the database, Redis, at least one worker answering a ping, beat's last heartbeat,
and the outbox's backlog and the age of its oldest item under the thresholds of settings. Each
check reports its state and how long it took; one failing check makes the portal not ready.

Checks only read (GET never changes anything): the beat heartbeat is written by beat itself
(operations.beat), not by the check."""

import contextlib
import time
from dataclasses import dataclass, field

import redis
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from minamata_portal.celery import app as celery_app

from . import selectors
from .enums import CheckState

BEAT_HEARTBEAT_KEY = "operations:beat:heartbeat"


@dataclass
class CheckResult:
    name: str
    state: str
    message: str = ""
    detail: dict = field(default_factory=dict)
    ms: float = 0.0

    @property
    def failing(self) -> bool:
        return self.state == CheckState.FAILING

    def as_dict(self) -> dict:
        return {"state": self.state, "message": str(self.message), "ms": round(self.ms, 1), **self.detail}


def _eager() -> bool:
    return bool(getattr(settings, "CELERY_TASK_ALWAYS_EAGER", False))


def redis_url() -> str:
    """The Redis the portal depends on: Celery's broker (the shared cache usually lives there too)."""
    url = getattr(settings, "CELERY_BROKER_URL", "") or ""
    return url if url.startswith(("redis://", "rediss://")) else ""


def redis_client(url: str | None = None):
    timeout = float(getattr(settings, "OPERATIONS_CHECK_TIMEOUT", 2.0))
    return redis.Redis.from_url(url or redis_url(), socket_connect_timeout=timeout, socket_timeout=timeout)


def check_database() -> CheckResult:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return CheckResult("database", CheckState.OK)


def check_redis() -> CheckResult:
    url = redis_url()
    if not url:
        return CheckResult(
            "redis", CheckState.SKIPPED, _("No Redis configured (tasks run in the web process).")
        )
    redis_client(url).ping()
    return CheckResult("redis", CheckState.OK)


def check_worker() -> CheckResult:
    if _eager():
        return CheckResult("worker", CheckState.SKIPPED, _("Tasks run in the web process (eager)."))
    timeout = float(getattr(settings, "OPERATIONS_WORKER_PING_TIMEOUT", 1.0))
    with celery_app.connection_for_write(redis_url() or None) as conn:
        # The first answer is enough to be ready: without `limit` a healthy portal would always
        # wait the whole timeout for answers that might still come.
        replies = celery_app.control.ping(timeout=timeout, connection=conn, limit=1)
    workers = sorted(name for reply in replies for name in reply)
    if not workers:
        return CheckResult("worker", CheckState.FAILING, _("No worker answered a ping."), {"answered": []})
    return CheckResult("worker", CheckState.OK, detail={"answered": workers})


def beat_last_heartbeat() -> float | None:
    """When beat last ticked (a Unix time), or None if it never did."""
    value = redis_client().get(BEAT_HEARTBEAT_KEY)
    return float(value) if value else None


def check_beat() -> CheckResult:
    if _eager():
        return CheckResult("beat", CheckState.SKIPPED, _("Tasks run in the web process (eager)."))
    max_age = float(getattr(settings, "OPERATIONS_BEAT_MAX_AGE", 180))
    last = beat_last_heartbeat()
    if last is None:
        return CheckResult("beat", CheckState.FAILING, _("Beat has never sent a heartbeat."))
    age = max(time.time() - last, 0.0)
    detail = {"age_seconds": round(age, 1), "max_age_seconds": max_age}
    if age > max_age:
        return CheckResult("beat", CheckState.FAILING, _("Beat's last heartbeat is too old."), detail)
    return CheckResult("beat", CheckState.OK, detail=detail)


def check_backlog() -> CheckResult:
    found = selectors.backlog()
    most, max_age = selectors.backlog_limits()
    age = found.oldest_age_seconds(timezone.now())
    detail = {
        "mails": found.mails,
        "letters": found.letters,
        "max": most,
        "oldest_age_seconds": round(age, 1),
        "max_age_seconds": max_age,
    }
    if found.size > most:
        return CheckResult("outbox", CheckState.FAILING, _("Too many mails and letters are waiting."), detail)
    if age > max_age:
        return CheckResult("outbox", CheckState.FAILING, _("The oldest waiting item is too old."), detail)
    return CheckResult("outbox", CheckState.OK, detail=detail)


READINESS_CHECKS = {
    "database": check_database,
    "redis": check_redis,
    "worker": check_worker,
    "beat": check_beat,
    "outbox": check_backlog,
}
# What needs Redis cannot be asked once Redis is down: it is reported failing at once rather than
# waiting for connection timeouts.
NEEDS_REDIS = {"worker", "beat"}


def _timed(name, check) -> CheckResult:
    started = time.perf_counter()
    try:
        result = check()
    except Exception as exc:  # a check that raises is a failing check, named with the error's class
        result = CheckResult(name, CheckState.FAILING, f"{type(exc).__name__}: {exc}"[:300])
    result.ms = (time.perf_counter() - started) * 1000
    return result


def readiness(only: list[str] | None = None) -> list[CheckResult]:
    """Run the readiness checks (all, or those named in `only`) in order."""
    results = {}
    for name, check in READINESS_CHECKS.items():
        if only and name not in only:
            continue
        redis_down = "redis" in results and results["redis"].failing
        if name in NEEDS_REDIS and redis_down:
            results[name] = CheckResult(name, CheckState.FAILING, _("Redis is unreachable."))
            continue
        if name in NEEDS_REDIS and not redis_url() and not _eager():
            results[name] = CheckResult(name, CheckState.FAILING, _("No Redis broker configured."))
            continue
        results[name] = _timed(name, check)
    return list(results.values())


# What anyone may read of a check: no message (an exception's text names hosts, addresses and
# database users) and no detail (worker host names, queue sizes).
PUBLIC_CHECK_FIELDS = ("state", "ms")
REPORT_CACHE_KEY = "operations:readyz:report"


def public_report(report: dict) -> dict:
    """The report for callers without the status page's permission (load balancers, anyone):
    each check's state and timing only."""
    return {
        **report,
        "checks": {
            name: {field: check[field] for field in PUBLIC_CHECK_FIELDS if field in check}
            for name, check in report["checks"].items()
        },
    }


def cached_readiness_report() -> tuple[bool, dict]:
    """The full report, computed at most once every OPERATIONS_READYZ_CACHE_SECONDS (5 s) for the
    whole portal (the shared cache): a flood of anonymous /readyz does not ping the workers for
    each. A cache that does not answer (Redis down) is no reason not to answer: computed then."""
    seconds = float(getattr(settings, "OPERATIONS_READYZ_CACHE_SECONDS", 5))
    if seconds <= 0:
        return readiness_report()
    try:
        cached = cache.get(REPORT_CACHE_KEY)
    except Exception:
        cached = None
    if cached is not None:
        return cached
    found = readiness_report()
    with contextlib.suppress(Exception):
        cache.set(REPORT_CACHE_KEY, found, seconds)
    return found


def readiness_report(only: list[str] | None = None) -> tuple[bool, dict]:
    started = time.perf_counter()
    results = readiness(only)
    ready = not any(result.failing for result in results)
    return ready, {
        "status": "ready" if ready else "not ready",
        "failing": [result.name for result in results if result.failing],
        "checks": {result.name: result.as_dict() for result in results},
        "ms": round((time.perf_counter() - started) * 1000, 1),
    }
