"""The operators (OPERATORS) hear about what no retry will fix: a mail that failed for good, a
letter that could not be rendered, a backlog that stayed over its threshold for
OPERATIONS_BACKLOG_ALERT_AFTER seconds. Run by beat (operations.tasks.operators_alert); each
failure or backlog episode is told once (OperatorAlert's key), in one mail per operator per run,
through the outbox like every other mail."""

import datetime as dt
import logging

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone

from letters.enums import LetterStatus
from letters.models import Letter
from operations import selectors
from operations.enums import AlertKind
from operations.models import OperatorAlert
from outbox.enums import MailStatus
from outbox.models import OutgoingMail
from outbox.services import mail_queue

logger = logging.getLogger(__name__)
# The operators' own mails: never alerted about (a failing SMTP server would feed itself).
TRIGGER_PREFIX = "operations:"
BACKLOG_WATCH = "backlog:watch"


def operators() -> list[str]:
    return list(getattr(settings, "OPERATORS", []))


def _new_alert(key: str, kind: str, detail: str) -> OperatorAlert | None:
    try:
        with transaction.atomic():
            return OperatorAlert.objects.create(
                key=key, kind=kind, detail=detail[:2000], notified_at=timezone.now()
            )
    except IntegrityError:  # told already (another run got there first)
        return None


def _last_touched(*fields):
    """The latest of a row's times (those not set count as its creation): when it last moved."""
    return Greatest(*(Coalesce(name, "created") for name in fields))


def _failures_since(since: dt.datetime):
    """Mails and letters that failed recently and were not told yet. Recently is by the time
    they failed, not when they were created: a mail created a week ago that fails today after
    its retries (or after staff's retry) is told. The failure follows the last claim by a
    worker (or the last queueing, for a mail withdrawn before it was tried)."""
    told = set(OperatorAlert.objects.filter(created__gte=since).values_list("key", flat=True))
    mails = (
        OutgoingMail.objects.filter(status=MailStatus.FAILED)
        .annotate(failed_around=_last_touched("claimed_at", "queued_at"))
        .filter(failed_around__gte=since)
        .exclude(trigger_key__startswith=TRIGGER_PREFIX)
        .only("pk", "subject", "last_error", "claimed_at", "queued_at", "created")
        .order_by("pk")
    )
    letters = (
        Letter.objects.filter(status=LetterStatus.FAILED)
        .annotate(failed_around=_last_touched("render_claimed_at", "enqueued_at"))
        .filter(failed_around__gte=since)
        .only("pk", "reference", "last_error", "render_claimed_at", "enqueued_at", "created")
        .order_by("pk")
    )
    for mail in mails:
        key = _failure_key("mail", mail)
        if key not in told:
            # The subject may name a person: the operators get the number and the error.
            yield key, AlertKind.MAIL_FAILED, f"e-mail #{mail.pk}: {mail.last_error}"
    for letter in letters:
        key = _failure_key("letter", letter)
        if key not in told:
            yield key, AlertKind.LETTER_FAILED, f"{letter.reference}: {letter.last_error}"


def _failure_key(kind: str, row) -> str:
    """One failure of one item: the item and when it failed. Staff retry a failed mail and it
    fails again: that is a new failure (its claim or queueing time moved), told again."""
    return f"{kind}:{row.pk}:{row.failed_around:%Y%m%dT%H%M%S.%f}"


def _backlog_alert(now) -> tuple[str, str, str] | None:
    """A backlog over its threshold opens a watch; once the watch is older than
    OPERATIONS_BACKLOG_ALERT_AFTER the operators are told (once per episode). Back under the
    threshold, the watch closes and the next episode is told again."""
    found = selectors.backlog()
    most, max_age = selectors.backlog_limits()
    age = found.oldest_age_seconds(now)
    over = found.size > most or age > max_age
    if not over:
        OperatorAlert.objects.filter(key=BACKLOG_WATCH).delete()
        return None
    watch, _created = OperatorAlert.objects.get_or_create(
        key=BACKLOG_WATCH, defaults={"kind": AlertKind.BACKLOG}
    )
    after = dt.timedelta(seconds=int(getattr(settings, "OPERATIONS_BACKLOG_ALERT_AFTER", 900)))
    if watch.notified_at or now - watch.created < after:
        return None
    OperatorAlert.objects.filter(pk=watch.pk, notified_at__isnull=True).update(notified_at=now)
    detail = (
        f"{found.mails} e-mails and {found.letters} letters waiting (at most {most}); "
        f"the oldest for {int(age)} s (at most {max_age} s), over the threshold since {watch.created:%Y-%m-%d %H:%M} UTC"
    )
    return f"backlog:{watch.pk}", AlertKind.BACKLOG, detail


def operators_alert() -> int:
    """Tell the operators what failed for good since the last day, and a lasting backlog.
    Returns how many items were told."""
    now = timezone.now()
    since = now - dt.timedelta(days=1)
    items = []
    for key, kind, detail in _failures_since(since):
        if _new_alert(key, kind, detail):
            items.append((kind, detail))
    backlog = _backlog_alert(now)
    if backlog:
        key, kind, detail = backlog
        items.append((kind, detail))
    if not items:
        return 0
    for kind, detail in items:
        logger.error("Operators alerted: %s: %s", AlertKind(kind).label, detail)
    stamp = now.strftime("%Y%m%dT%H%M%S.%f")
    for address in operators():
        mail_queue(
            to=address,
            template_prefix="operations/email/alert",
            context={
                "items": [(AlertKind(kind).label, detail) for kind, detail in items],
                "site": settings.SITE_URL,
            },
            trigger_key=f"{TRIGGER_PREFIX}alert:{stamp}:{address}"[:200],
        )
    return len(items)
