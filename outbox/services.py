"""The outbox: every e-mail the portal sends is a row first; these are the only writes to it.

Exactly-once in effect, by three rules:
1. Every mail has a unique trigger key (what caused it), so asking twice (a double click, a
   task run twice, a status saved twice) finds the existing row.
2. Work is claimed with a conditional UPDATE (queued or awaiting retry → sending, with a fresh
   claim token) that changes one row for one worker; a task that finds the row in flight or done
   skips it, and the outcome is written only `WHERE claim_token = <ours>`. Every status change is
   such an UPDATE from the sources `MAIL_TRANSITIONS` gives the move (`mail_transition`).
3. Nothing depends on the broker keeping a task: rows are committed first, the task is only a
   nudge, and `outbox_sweep` (Celery beat) re-queues rows left queued or awaiting retry (broker
   down, task lost) or stuck in flight past OUTBOX_IN_FLIGHT_TIMEOUT (worker killed).

The one window no database can close is a worker killed after the SMTP server answered
"250 accepted" and before our UPDATE: the sweeper then sends the mail again. It is bounded:
the window is the few milliseconds of one UPDATE, and the resend carries the same Message-ID
(fixed on the row), so the copy is recognisable and most mail systems drop it.

A transient failure (4xx, connection lost) leaves the mail "awaiting retry" with its `retry_at`
and queues a retry task with that countdown; the same path serves one mail and a chunk. A mail
awaiting retry is claimed only once its `retry_at` has come, so a task delivered early (a chunk
redelivered after a worker was killed; eager Celery, which ignores countdowns) leaves it to its
own retry task or the sweeper.
"""

import contextlib
import datetime as dt
import logging
import re
import smtplib
import uuid

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.template import Context
from django.template.loader import get_template, render_to_string
from django.urls import Resolver404, resolve
from django.utils import timezone, translation
from django.utils.translation import gettext as _

# tasks.py calls these services and they queue its tasks: each module reads the other's names
# only when called, so importing either first works.
from . import tasks
from .enums import MAIL_TRANSITIONS, MailStatus
from .models import OutgoingMail

logger = logging.getLogger(__name__)


# The names these settings had while the outbox lived in letters. An existing deployment keeps
# its values through them for one release; they go in the release after (the README names only
# the OUTBOX_ ones).
_FORMER_NAMES = {
    "OUTBOX_IN_FLIGHT_TIMEOUT": "LETTERS_IN_FLIGHT_TIMEOUT",
    "OUTBOX_SWEEP_AFTER": "LETTERS_SWEEP_AFTER",
    "OUTBOX_MAX_ATTEMPTS": "LETTERS_MAX_ATTEMPTS",
    "OUTBOX_RETRY_BASE_SECONDS": "LETTERS_RETRY_BASE_SECONDS",
    # LETTERS_CHUNK_SIZE sized both render and send tasks; it still sizes the render tasks.
    "OUTBOX_CHUNK_SIZE": "LETTERS_CHUNK_SIZE",
}


def _setting(name, default):
    """The setting `name`, else its former name (see _FORMER_NAMES), else `default`."""
    if hasattr(settings, name):
        return getattr(settings, name)
    return getattr(settings, _FORMER_NAMES.get(name, name), default)


def in_flight_timeout() -> dt.timedelta:
    """How long a row may stay claimed before the sweeper takes it back. Far longer than any
    send can last (EMAIL_TIMEOUT bounds each SMTP step), so a live worker is never overtaken."""
    return dt.timedelta(seconds=_setting("OUTBOX_IN_FLIGHT_TIMEOUT", 600))


def sweep_after() -> dt.timedelta:
    """How long a row waits for its task (queued, or past its retry time) before the sweeper
    queues it again."""
    return dt.timedelta(seconds=_setting("OUTBOX_SWEEP_AFTER", 600))


def max_attempts() -> int:
    return _setting("OUTBOX_MAX_ATTEMPTS", 8)


def chunk_size() -> int:
    """How many mails one send task sends over one SMTP connection."""
    return max(int(_setting("OUTBOX_CHUNK_SIZE", 20)), 1)


def retry_countdown(attempts: int) -> int:
    """Exponential backoff for transient SMTP failures: 30 s, 60 s, 120 s … at most 10 min."""
    base = _setting("OUTBOX_RETRY_BASE_SECONDS", 30)
    return int(min(base * 2 ** max(attempts - 1, 0), 600))


def mail_transition(*, action: str, where: Q, **fields) -> int:
    """The one way a mail's status changes: a conditional UPDATE of the rows matching `where`
    that are in a source status of `action`, to its target. Returns how many rows moved (0: the
    row was not there to move, e.g. another worker holds it)."""
    found = MAIL_TRANSITIONS[action]
    return OutgoingMail.objects.filter(where, status__in=found.sources).update(status=found.target, **fields)


# --- Queueing --------------------------------------------------------------------------------


def render_text(template_name: str, context: dict) -> str:
    """A plain-text template rendered as text: without HTML escaping, so "O'Sullivan & Co <UK>"
    reads as typed, not "O&#x27;Sullivan &amp; Co &lt;UK&gt;". Every mail's subject and text
    part go through here; the HTML part stays escaped (render_to_string)."""
    template = get_template(template_name)
    raw = getattr(template, "template", None)  # the Django engine's own Template
    if raw is None:  # another engine: it has its own escaping rules
        return template.render(context)
    return raw.render(Context(context, autoescape=False))


# Mails that carry a working password or address-confirmation link (allauth's account mails, sent
# through backends.OutboxEmailBackend; a focal point's pre-registration, with the link that sets the
# person's password): whoever may read the outbox must not be able to use them. The outbox's view
# does not show their bodies, and once delivered their links are removed (`_secret_links_redact`).
ACCOUNT_TRIGGER_PREFIX = "account:"
SECRET_TRIGGER_PREFIXES = (ACCOUNT_TRIGGER_PREFIX, "pre-registered:")
# The pages whose links work as a key (each resolved from a mail's URLs).
SECRET_URL_NAMES = {"account_reset_password_from_key", "account_confirm_email"}
_URL = re.compile(r"https?://[^\s<>\"']+")


def mail_is_secret(trigger_key: str | None) -> bool:
    """The mail carries a working password or confirmation link (SECRET_TRIGGER_PREFIXES)."""
    return (trigger_key or "").startswith(SECRET_TRIGGER_PREFIXES)


def secret_links(text: str) -> list[str]:
    """The URLs in `text` that open a key page (SECRET_URL_NAMES), longest first."""
    found = set()
    for url in _URL.findall(text):
        path = "/" + url.split("://", 1)[1].partition("/")[2]
        try:
            match = resolve(path.split("?", 1)[0])
        except Resolver404:
            continue
        if match.url_name in SECRET_URL_NAMES:
            found.add(url)
    return sorted(found, key=len, reverse=True)


def _secret_links_redact(mail: OutgoingMail) -> None:
    """A delivered secret mail keeps its record, not its working link."""
    if mail_is_secret(mail.trigger_key):
        mails_redact(where=Q(pk=mail.pk), redact=secret_links(mail.body_text + "\n" + mail.body_html))


def _render_mail(template_prefix, context, language):
    with translation.override(language):
        subject = render_text(f"{template_prefix}_subject.txt", context).strip()
        text = render_text(f"{template_prefix}.txt", context)
        try:
            html = render_to_string(f"{template_prefix}.html", context)
        except Exception:
            html = ""
    return " ".join(subject.split()), text, html


def mail_build(
    *,
    to: str,
    template_prefix: str,
    context: dict,
    language: str = "en",
    trigger_key: str | None = None,
    reply_to: str = "",
    by_id: int | None = None,
    attachment: str = "",
    attachment_name: str = "",
) -> OutgoingMail:
    """An unsaved outbox row with its subject and bodies rendered in `language`, for
    `mails_queue`. `attachment` is the name of a file in the private media root."""
    subject, text, html = _render_mail(template_prefix, context, language)
    return OutgoingMail(
        to=to,
        reply_to=reply_to,
        subject=subject,
        body_text=text,
        body_html=html,
        language=language,
        trigger_key=trigger_key,
        attachment=attachment,
        attachment_name=attachment_name,
        created_by_id=by_id,
        queued_at=timezone.now(),
    )


def mail_queue(
    *,
    to: str,
    template_prefix: str,
    context: dict,
    language: str = "en",
    trigger_key: str | None = None,
    reply_to: str = "",
    by=None,
    by_id: int | None = None,
    attachment: str = "",
    attachment_name: str = "",
) -> OutgoingMail:
    """Store the mail, then queue its sending once the surrounding transaction commits.

    `template_prefix` names a trio: `<prefix>_subject.txt`, `<prefix>.txt`, `<prefix>.html`
    (the HTML part is optional). A mail with a `trigger_key` that already exists is not created
    again: the existing row is returned.
    """
    if trigger_key:
        existing = OutgoingMail.objects.filter(trigger_key=trigger_key).first()
        if existing:
            return existing
    mail = mail_build(
        to=to,
        template_prefix=template_prefix,
        context=context,
        language=language,
        trigger_key=trigger_key,
        reply_to=reply_to,
        by_id=by.pk if by is not None else by_id,
        attachment=attachment,
        attachment_name=attachment_name,
    )
    try:
        with transaction.atomic():
            mail.save(force_insert=True)
    except IntegrityError:
        return OutgoingMail.objects.get(trigger_key=trigger_key)
    transaction.on_commit(lambda: mails_enqueue([mail.pk]))
    return mail


def mails_queue(rows: list[OutgoingMail]) -> list[OutgoingMail]:
    """Store many new mails (built by `mail_build`) at once and queue their sending once the
    surrounding transaction commits. For callers whose own claim makes every trigger new (a
    letters render chunk): no lookup per trigger key, as mail_queue does."""
    mails = OutgoingMail.objects.bulk_create(rows)
    transaction.on_commit(lambda: mails_enqueue([mail.pk for mail in mails]))
    return mails


def mails_enqueue(mail_ids) -> None:
    """Nudge the workers: one task for one mail, a task per chunk for more."""
    ids, size = list(mail_ids), chunk_size()
    if len(ids) == 1:
        tasks_enqueue(tasks.outgoing_mail_send, ids, "mail")
    else:
        tasks_enqueue(
            tasks.outgoing_mails_send, [ids[i : i + size] for i in range(0, len(ids), size)], "mails"
        )


def tasks_enqueue(task, arguments, what) -> None:
    """Queue one task per argument. The rows are already committed: if the broker is down, the
    sweeper queues them later, so a failure here is logged, not raised to the user."""
    for argument in arguments:
        try:
            task.delay(argument)
        except Exception:
            logger.warning(
                "Could not queue %s %s (and %d more); the sweeper will.",
                what,
                argument,
                len(arguments) - 1,
                exc_info=True,
            )
            return


# --- Delivery --------------------------------------------------------------------------------


def _smtp_code(exc) -> int | None:
    if isinstance(exc, smtplib.SMTPResponseException):
        return exc.smtp_code
    if isinstance(exc, smtplib.SMTPRecipientsRefused) and exc.recipients:
        # All recipients refused: permanent only if every refusal was permanent.
        return min(code for code, _msg in exc.recipients.values())
    return None


def _build_message(mail: OutgoingMail, connection=None) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject=mail.subject,
        body=mail.body_text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[mail.to],
        reply_to=[mail.reply_to] if mail.reply_to else None,
        headers={"Message-ID": mail.message_id, "X-Portal-Mail-Id": str(mail.pk)},
        connection=connection,
    )
    if mail.body_html:
        message.attach_alternative(mail.body_html, "text/html")
    if mail.attachment:
        with mail.attachment.open("rb") as handle:
            message.attach(mail.attachment_name or mail.attachment.name, handle.read(), "application/pdf")
    return message


def _claim(mail_ids, token) -> list[OutgoingMail]:
    """Claim the mails among `mail_ids` that wait for a worker (one UPDATE) and read them back:
    queued ones, and ones awaiting a retry that is due. A retry not due yet is left alone, also
    when a chunk's task is delivered again early (a worker killed mid-chunk): its own retry
    task, or the sweeper, sends it at its time."""
    now = timezone.now()
    mail_transition(
        action="claim",
        where=Q(pk__in=mail_ids) & (~Q(status=MailStatus.AWAITING_RETRY) | Q(retry_at__lte=now)),
        claim_token=token,
        claimed_at=now,
        attempts=F("attempts") + 1,
    )
    return list(OutgoingMail.objects.filter(claim_token=token).order_by("pk"))


def _ours(mail, token) -> Q:
    return Q(pk=mail.pk, claim_token=token)


def _send_claimed(mail: OutgoingMail, token, connection=None) -> tuple[str, int | None]:
    """Send one claimed mail and record the outcome, only while our claim holds. Returns the
    new status and, when the mail awaits a retry, the countdown to it."""
    try:
        if connection is not None:
            connection.open()  # kept open across a chunk; a no-op while it is up
        _build_message(mail, connection).send()
    except (OSError, smtplib.SMTPException) as exc:
        code = _smtp_code(exc)
        error = (f"{code} {exc}" if code else repr(exc))[:2000]
        if (code is not None and code >= 500) or mail.attempts >= max_attempts():
            mail_transition(action="fail", where=_ours(mail, token), claim_token=None, last_error=error)
            logger.warning("Mail %s failed for good: %s", mail.pk, error)
            return MailStatus.FAILED, None
        countdown = retry_countdown(mail.attempts)
        mail_transition(
            action="defer",
            where=_ours(mail, token),
            claim_token=None,
            last_error=error,
            retry_at=timezone.now() + dt.timedelta(seconds=countdown),
        )
        return MailStatus.AWAITING_RETRY, countdown
    done = mail_transition(
        action="deliver", where=_ours(mail, token), claim_token=None, last_error="", sent_at=timezone.now()
    )
    if done:
        _secret_links_redact(mail)  # not while the sweeper may still send it again
    else:
        logger.error("Mail %s was sent but its claim had been taken back by the sweeper.", mail.pk)
    return MailStatus.SENT, None


def outgoing_mail_deliver(*, mail_id: int) -> str:
    """Claim the mail (one worker only), send it, record the outcome. Returns the new status."""
    return outgoing_mails_deliver(mail_ids=[mail_id]).get(mail_id, "")


def outgoing_mails_deliver(*, mail_ids: list[int]) -> dict[int, str]:
    """Send mails over one SMTP connection; returns each mail's status.

    Claimed together, but each outcome is recorded as soon as its send ends, so a worker killed
    mid-chunk leaves the same one-message window as a single send. A mail the server defers
    (4xx, connection lost) awaits its retry, with its own task and backoff; the connection is
    then opened afresh for the rest of the chunk. A mail not claimed (in flight elsewhere,
    already sent, failed, or unknown) is never sent twice: its status is returned as it is.
    """
    token = uuid.uuid4()
    mails = _claim(mail_ids, token)
    statuses = {}
    if len(mails) < len(set(mail_ids)):
        claimed = {mail.pk for mail in mails}
        statuses.update(
            OutgoingMail.objects.filter(pk__in=set(mail_ids) - claimed).values_list("pk", "status")
        )
    if not mails:
        return statuses
    connection = get_connection()
    try:
        for mail in mails:
            statuses[mail.pk], countdown = _send_claimed(mail, token, connection)
            if countdown is not None:
                _close_quietly(connection)
                _enqueue_retry(mail.pk, countdown)
    finally:
        _close_quietly(connection)
    return statuses


def _close_quietly(connection):
    with contextlib.suppress(OSError, smtplib.SMTPException):
        connection.close()


def _enqueue_retry(mail_id, countdown):
    try:
        tasks.outgoing_mail_send.apply_async((mail_id,), countdown=countdown)
    except Exception:
        logger.warning("Could not queue the retry of mail %s; the sweeper will.", mail_id, exc_info=True)


class MailRetryRefused(ValueError):
    pass


# A letter's e-mail (letters.Letter.mail_trigger_key): resent by letters, never retried here.
LETTER_TRIGGER_PREFIX = "letter:"


def mail_retry(*, mail_id: int) -> bool:
    """A mail that failed for good is queued again with a fresh set of attempts (staff fixed the
    cause: a mailbox, the SMTP credentials). Returns False if it was not failed (already retried,
    or never failed). A mail that carried a letter is the letter's to resend (letters, which
    refuses a revoked letter or one whose PDF was purged): refused here (MailRetryRefused)."""
    trigger = OutgoingMail.objects.filter(pk=mail_id).values_list("trigger_key", flat=True).first() or ""
    if trigger.startswith(LETTER_TRIGGER_PREFIX):
        raise MailRetryRefused(
            _("This e-mail carries a letter: send the letter again (from the letter), not the e-mail.")
        )
    moved = mail_transition(
        action="retry",
        where=Q(pk=mail_id) & ~Q(trigger_key__startswith=LETTER_TRIGGER_PREFIX),
        attempts=0,
        claim_token=None,
        retry_at=None,
        queued_at=timezone.now(),
    )
    if moved:
        transaction.on_commit(lambda: mails_enqueue([mail_id]))
    return bool(moved)


# --- Personal data ---------------------------------------------------------------------------

REDACTED = "[removed]"


def mails_redact(*, where: Q, redact=(), drop_attachment: bool = False, reason: str = "") -> int:
    """Personal data leaves the outbox: in the mails matching `where`, every string of `redact`
    (a passport number) is replaced in the subject and both bodies, and, with
    `drop_attachment`, the attachment reference goes (the caller deletes the file: a letter's
    PDF is stored once, by letters). Such a mail still waiting to be sent is withdrawn
    (failed, with `reason`) rather than sent without its attachment. Returns how many mails
    changed."""
    redact = [text for text in redact if text]
    changed = set()
    if drop_attachment:
        carrying = Q(where) & ~Q(attachment="")
        waiting = list(
            OutgoingMail.objects.filter(
                carrying, status__in=MAIL_TRANSITIONS.sources_of("withdraw")
            ).values_list("pk", flat=True)
        )
        mail_transition(
            action="withdraw",
            where=Q(pk__in=waiting),
            claim_token=None,
            retry_at=None,
            last_error=reason[:2000],
        )
        # A mail in the middle of its send keeps its attachment reference until the send ends: were
        # it to fail and be retried, it must not go out without the PDF its text announces. The
        # next purge run (daily) withdraws or clears it then.
        done = ~Q(status=MailStatus.SENDING)
        ids = list(OutgoingMail.objects.filter(carrying & done).values_list("pk", flat=True))
        OutgoingMail.objects.filter(pk__in=ids).update(attachment="", attachment_name="")
        changed.update(ids)
    if redact:
        carrying = Q()
        for text in redact:
            carrying |= Q(subject__contains=text) | Q(body_text__contains=text) | Q(body_html__contains=text)
            carrying |= Q(last_error__contains=text)
        fields = ["subject", "body_text", "body_html", "last_error"]
        for mail in OutgoingMail.objects.filter(Q(where) & carrying).only("pk", *fields):
            for name in fields:
                value = getattr(mail, name)
                for text in redact:
                    value = value.replace(text, REDACTED)
                setattr(mail, name, value)
            OutgoingMail.objects.filter(pk=mail.pk).update(**{name: getattr(mail, name) for name in fields})
            changed.add(mail.pk)
    return len(changed)


# --- The sweeper -----------------------------------------------------------------------------


def outbox_sweep() -> dict:
    """Queue again what the broker lost: mails queued, or awaiting a retry that is due, for
    longer than OUTBOX_SWEEP_AFTER, and mails claimed longer ago than OUTBOX_IN_FLIGHT_TIMEOUT
    (their worker died). Run by Celery beat every minute."""
    now = timezone.now()
    stale = now - in_flight_timeout()
    waiting = now - sweep_after()

    # A mail stuck in flight: its worker died. Take the claim back (new token), resend.
    stuck = list(
        OutgoingMail.objects.filter(
            status__in=MAIL_TRANSITIONS.sources_of("take_back"), claimed_at__lt=stale
        ).values_list("pk", flat=True)
    )
    recovered = [
        pk
        for pk in stuck
        if mail_transition(
            action="take_back",
            where=Q(pk=pk, claimed_at__lt=stale),
            claim_token=None,
            swept_at=now,
            last_error="worker lost in flight",
        )
    ]
    # A retry whose task the broker lost.
    retries = list(
        OutgoingMail.objects.filter(
            status__in=MAIL_TRANSITIONS.sources_of("requeue"), retry_at__lt=waiting
        ).values_list("pk", flat=True)
    )
    requeued = mail_transition(action="requeue", where=Q(pk__in=retries, retry_at__lt=waiting), swept_at=now)
    lost = list(
        OutgoingMail.objects.filter(status=MailStatus.QUEUED)
        .exclude(pk__in=recovered)
        .annotate(due=Coalesce("swept_at", "queued_at", "created"))
        .filter(due__lt=waiting)
        .values_list("pk", flat=True)
    )
    # swept_at, not queued_at: a mail the broker keeps losing must still age in the backlog
    # (readiness, operators' alert), not look freshly queued every OUTBOX_SWEEP_AFTER.
    OutgoingMail.objects.filter(pk__in=lost).update(swept_at=now)

    mail_ids = sorted(set(recovered) | set(retries) | set(lost))
    transaction.on_commit(lambda: mails_enqueue(mail_ids))
    return {
        "mails recovered in flight": len(recovered),
        "mails retried": requeued,
        "mails queued": len(mail_ids),
    }
