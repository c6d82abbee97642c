import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .enums import MAIL_TRANSITIONS, MailStatus
from .storage import attachment_storage_callable


def new_message_id():
    return f"<{uuid.uuid4().hex}@minamata-portal>"


class OutgoingMail(models.Model):
    """Every e-mail the portal sends is a row first (the outbox): nothing is sent
    fire-and-forget from a request, and a mail whose task was lost is found again by the sweeper."""

    to = models.EmailField(_("to"))
    reply_to = models.EmailField(_("reply to"), blank=True)
    subject = models.CharField(_("subject"), max_length=300)
    body_text = models.TextField(_("plain-text body"))
    body_html = models.TextField(_("HTML body"), blank=True)
    language = models.CharField(_("language"), max_length=5, default="en")
    trigger_key = models.CharField(
        _("trigger"),
        max_length=200,
        unique=True,
        null=True,
        blank=True,
        help_text=_("What caused this mail; the same trigger never sends a second mail."),
    )
    # A file the caller already stored in the private media root (a letter's PDF): the mail
    # names it rather than copying it.
    attachment = models.FileField(
        _("attachment"), storage=attachment_storage_callable, blank=True, max_length=200
    )
    attachment_name = models.CharField(_("attachment's file name"), max_length=200, blank=True)
    # Fixed when the row is created and reused by every attempt: if a worker dies between the
    # SMTP server's "250 accepted" and our UPDATE, the sweeper's resend carries the same
    # Message-ID, so the copy is recognisable (and dropped by most mail systems).
    message_id = models.CharField(_("Message-ID"), max_length=100, db_index=True, default=new_message_id)
    status = models.CharField(
        _("status"), max_length=20, choices=MailStatus, default=MailStatus.QUEUED, db_index=True
    )
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    claim_token = models.UUIDField(_("claim"), null=True, blank=True, editable=False)
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    # When the row was queued (created, or retried by staff): the backlog's age counts from here.
    queued_at = models.DateTimeField(_("last queued"), null=True, blank=True)
    # When the sweeper last handed it to a task again (the broker lost it, its worker died): the
    # sweeper waits from here before the next try, and the backlog's age is not reset by it.
    swept_at = models.DateTimeField(_("last swept"), null=True, blank=True, editable=False)
    # Awaiting retry: when the next attempt is due.
    retry_at = models.DateTimeField(_("retry at"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("outgoing e-mail")
        verbose_name_plural = _("outgoing e-mails")
        ordering = ["-created"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status=MailStatus.AWAITING_RETRY) | models.Q(retry_at__isnull=False),
                name="outbox_awaiting_retry_has_retry_at",
            ),
            models.CheckConstraint(
                condition=~models.Q(status=MailStatus.SENT) | models.Q(sent_at__isnull=False),
                name="outbox_sent_has_sent_at",
            ),
        ]

    def __str__(self):
        return f"{self.subject} → {self.to}"


MAIL_TRANSITIONS.install(OutgoingMail)
