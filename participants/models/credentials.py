from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ..enums import (
    AUTHORISING_ISSUERS,
    DUE_FORM_ISSUERS,
    CredentialsForm,
    CredentialsIssuer,
    CredentialsVerdict,
)


class Credentials(models.Model):
    """The credentials of one Party's delegation to one meeting."""

    meeting = models.ForeignKey("meetings.Meeting", on_delete=models.CASCADE, related_name="credentials")
    country = models.ForeignKey(
        "reference.Country", on_delete=models.PROTECT, related_name="+", verbose_name=_("Party")
    )
    form = models.CharField(_("received as"), max_length=10, choices=CredentialsForm)
    issuer = models.CharField(_("issued by"), max_length=20, choices=CredentialsIssuer)
    issuer_other = models.CharField(_("issuer, if other"), max_length=200, blank=True)
    authorised_by = models.CharField(
        _("authorised by"),
        max_length=20,
        choices=[(c.value, c.label) for c in AUTHORISING_ISSUERS],
        blank=True,
        help_text=_("For credentials issued by an authorised person: who authorised them."),
    )
    authorisation = models.TextField(
        _("authorisation"),
        blank=True,
        help_text=_("The authorisation: the issuer's name and function, and the instrument with its date."),
    )
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
            ),
            # In order only when in due form: an original from the Head of State or Government, the
            # Minister for Foreign Affairs, or a person one of them authorised.
            models.CheckConstraint(
                condition=~Q(verdict=CredentialsVerdict.IN_ORDER)
                | (Q(form=CredentialsForm.ORIGINAL) & Q(issuer__in=list(DUE_FORM_ISSUERS))),
                name="credentials_in_order_only_in_due_form",
                violation_error_message=_(
                    "Credentials are in order only as an original issued by the Head of State or "
                    "Government, the Minister for Foreign Affairs or a person authorised by one of them."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(issuer=CredentialsIssuer.AUTHORISED)
                | (Q(authorised_by__in=list(AUTHORISING_ISSUERS)) & ~Q(authorisation="")),
                name="credentials_authorised_issuer_recorded",
                violation_error_message=_("Record who authorised the issuer, and the authorisation."),
            ),
        ]

    def __str__(self):
        return f"{self.country} – {self.meeting}"
