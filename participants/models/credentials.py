from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ..enums import CredentialsForm, CredentialsIssuer, CredentialsVerdict


class Credentials(models.Model):
    """The credentials of one Party's delegation to one meeting."""

    meeting = models.ForeignKey("meetings.Meeting", on_delete=models.CASCADE, related_name="credentials")
    country = models.ForeignKey(
        "reference.Country", on_delete=models.PROTECT, related_name="+", verbose_name=_("Party")
    )
    form = models.CharField(_("received as"), max_length=10, choices=CredentialsForm)
    issuer = models.CharField(_("issued by"), max_length=20, choices=CredentialsIssuer)
    issuer_other = models.CharField(_("issuer, if other"), max_length=200, blank=True)
    received_at = models.DateTimeField(_("received"))
    delegates = models.ManyToManyField(
        "participants.Registration",
        blank=True,
        related_name="credentials",
        verbose_name=_("delegates covered"),
    )
    verdict = models.CharField(
        _("verdict"), max_length=15, choices=CredentialsVerdict, default=CredentialsVerdict.PENDING
    )
    notes = models.TextField(_("notes"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("credentials")
        verbose_name_plural = _("credentials")
        ordering = ["meeting", "country__name_en"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "country"], name="credentials_one_per_party_per_meeting"
            )
        ]

    def __str__(self):
        return f"{self.country} – {self.meeting}"
