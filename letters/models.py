from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .enums import MailStatus


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
    status = models.CharField(
        _("status"), max_length=10, choices=MailStatus, default=MailStatus.QUEUED, db_index=True
    )
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("outgoing e-mail")
        verbose_name_plural = _("outgoing e-mails")
        ordering = ["-created"]

    def __str__(self):
        return f"{self.subject} → {self.to}"
