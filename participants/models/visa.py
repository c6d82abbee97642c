from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from encrypted_fields.fields import EncryptedCharField
from simple_history.models import HistoricalRecords

from ..enums import VisaStatus


class VisaRequest(models.Model):
    """A request for a visa support letter. The passport number is encrypted at rest and is
    purged (with the other passport data) some days after the meeting."""

    registration = models.OneToOneField(
        "participants.Registration", on_delete=models.CASCADE, related_name="visa_request"
    )
    status = models.CharField(_("status"), max_length=10, choices=VisaStatus, default=VisaStatus.REQUESTED)
    passport_number = EncryptedCharField(_("passport number"), max_length=40, blank=True, null=True)
    passport_country = models.ForeignKey(
        "reference.Country",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("issuing State"),
    )
    passport_issued = models.DateField(_("date of issue"), null=True, blank=True)
    passport_expires = models.DateField(_("date of expiry"), null=True, blank=True)
    embassy = models.CharField(_("embassy or consulate"), max_length=250)
    refusal_reason = models.CharField(_("reason for refusal"), max_length=300, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    purged_at = models.DateTimeField(_("passport data purged"), null=True, blank=True)
    created = models.DateTimeField(_("created"), auto_now_add=True)

    # The passport number never goes into the history tables.
    history = HistoricalRecords(excluded_fields=["passport_number", "passport_issued", "passport_expires"])

    class Meta:
        verbose_name = _("visa support request")
        verbose_name_plural = _("visa support requests")
        ordering = ["-created"]

    def __str__(self):
        return f"{self.registration.full_name} – {self.get_status_display()}"

    @property
    def passport_number_masked(self):
        number = self.passport_number or ""
        if not number:
            return ""
        return "•" * max(len(number) - 3, 3) + number[-3:] if len(number) > 3 else "•" * len(number)
