"""The outbox: one entry point, `mail_queue`, for every e-mail the portal sends."""

import logging
import smtplib

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone, translation

from .enums import MailStatus
from .models import OutgoingMail

logger = logging.getLogger(__name__)


def _render(template_prefix, context, language):
    with translation.override(language):
        subject = render_to_string(f"{template_prefix}_subject.txt", context).strip()
        text = render_to_string(f"{template_prefix}.txt", context)
        try:
            html = render_to_string(f"{template_prefix}.html", context)
        except Exception:
            html = ""
    return " ".join(subject.split()), text, html


def mail_queue(
    *,
    to: str,
    template_prefix: str,
    context: dict,
    language: str = "en",
    trigger_key: str | None = None,
    reply_to: str = "",
    by=None,
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
    subject, text, html = _render(template_prefix, context, language)
    try:
        with transaction.atomic():
            mail = OutgoingMail.objects.create(
                to=to,
                reply_to=reply_to,
                subject=subject,
                body_text=text,
                body_html=html,
                language=language,
                trigger_key=trigger_key,
                created_by=by,
            )
    except IntegrityError:
        return OutgoingMail.objects.get(trigger_key=trigger_key)
    transaction.on_commit(lambda: _enqueue(mail.pk))
    return mail


def _enqueue(mail_id):
    from .tasks import outgoing_mail_send

    try:
        outgoing_mail_send.delay(mail_id)
    except Exception:
        logger.warning("Could not queue mail %s; the sweeper will send it.", mail_id, exc_info=True)


class TransientMailError(Exception):
    pass


def outgoing_mail_deliver(*, mail_id: int) -> str:
    """Claim the mail (one worker only), send it, record the outcome. Returns the new status."""
    claimed = OutgoingMail.objects.filter(pk=mail_id, status=MailStatus.QUEUED).update(
        status=MailStatus.SENDING, claimed_at=timezone.now(), attempts=F("attempts") + 1
    )
    if not claimed:
        return OutgoingMail.objects.filter(pk=mail_id).values_list("status", flat=True).first() or ""
    mail = OutgoingMail.objects.get(pk=mail_id)
    message = EmailMultiAlternatives(
        subject=mail.subject,
        body=mail.body_text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[mail.to],
        reply_to=[mail.reply_to] if mail.reply_to else None,
        headers={"X-Portal-Mail-Id": str(mail.pk)},
    )
    if mail.body_html:
        message.attach_alternative(mail.body_html, "text/html")
    try:
        message.send()
    except smtplib.SMTPResponseException as exc:
        if 400 <= exc.smtp_code < 500:
            OutgoingMail.objects.filter(pk=mail.pk).update(
                status=MailStatus.QUEUED, last_error=f"{exc.smtp_code} {exc.smtp_error!r}"
            )
            raise TransientMailError(str(exc)) from exc
        OutgoingMail.objects.filter(pk=mail.pk).update(
            status=MailStatus.FAILED, last_error=f"{exc.smtp_code} {exc.smtp_error!r}"
        )
        return MailStatus.FAILED
    except (OSError, smtplib.SMTPException) as exc:
        OutgoingMail.objects.filter(pk=mail.pk).update(status=MailStatus.QUEUED, last_error=repr(exc))
        raise TransientMailError(str(exc)) from exc
    OutgoingMail.objects.filter(pk=mail.pk).update(
        status=MailStatus.SENT, sent_at=timezone.now(), last_error=""
    )
    return MailStatus.SENT
