from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ..enums import ObserverStatus, OrganisationKind


class Organisation(models.Model):
    """An organisation participants may represent: a UN body, an IGO, an NGO, the media."""

    name = models.CharField(_("name"), max_length=250, unique=True)
    acronym = models.CharField(_("acronym"), max_length=30, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=OrganisationKind)
    country = models.ForeignKey(
        "reference.Country",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("headquarters"),
    )
    website = models.URLField(_("website"), blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]

    def __str__(self):
        return self.name


class ObserverApplication(models.Model):
    """An organisation's request to be admitted as an observer at a meeting. Once admitted,
    the organisation need not apply again for later meetings."""

    meeting = models.ForeignKey(
        "meetings.Meeting", on_delete=models.CASCADE, related_name="observer_applications"
    )
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="applications")
    status = models.CharField(
        _("status"), max_length=12, choices=ObserverStatus, default=ObserverStatus.REQUESTED, db_index=True
    )
    statutes = models.TextField(_("statutes (summary or link)"))
    competence = models.TextField(_("evidence of competence in matters covered by the Convention"))
    contact_name = models.CharField(_("contact person"), max_length=200)
    contact_email = models.EmailField(_("contact e-mail"))
    representatives = models.TextField(_("representatives"), blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    submitted = models.DateTimeField(_("submitted"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("observer admission request")
        verbose_name_plural = _("observer admission requests")
        ordering = ["meeting", "organisation__name"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "organisation"], name="observer_application_unique")
        ]

    def __str__(self):
        return f"{self.organisation} – {self.meeting}"
