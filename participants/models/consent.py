from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ..enums import RegistrationRequestStatus


class RegistrationRequest(models.Model):
    """A focal point asks a person who already has an account to join their State's delegation.
    Until the person accepts, no registration exists: their own registration stays free. Status
    changes only through `participants.services` (REGISTRATION_REQUEST_TRANSITIONS)."""

    meeting = models.ForeignKey(
        "meetings.Meeting", on_delete=models.CASCADE, related_name="registration_requests",
        verbose_name=_("meeting"),
    )  # fmt: skip
    country = models.ForeignKey(
        "reference.Country", on_delete=models.PROTECT, related_name="+", verbose_name=_("State represented")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="registration_requests",
        verbose_name=_("person"),
    )  # fmt: skip
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=RegistrationRequestStatus,
        default=RegistrationRequestStatus.PENDING,
    )
    # What the focal point entered (the pre-registration form's fields), registered on acceptance.
    details = models.JSONField(_("details"), default=dict, blank=True)
    registration = models.OneToOneField(
        "participants.Registration", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("registration"),
    )  # fmt: skip
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+",
        verbose_name=_("asked by"),
    )  # fmt: skip
    created = models.DateTimeField(_("asked"), auto_now_add=True)
    answered = models.DateTimeField(_("answered"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("registration request")
        verbose_name_plural = _("registration requests")
        ordering = ["-created"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "user"],
                condition=Q(status=RegistrationRequestStatus.PENDING),
                name="registration_request_one_pending_per_person",
                violation_error_message=_("This person has already been asked to join a delegation."),
            )
        ]

    def __str__(self):
        return f"{self.user} – {self.meeting} ({self.get_status_display()})"
