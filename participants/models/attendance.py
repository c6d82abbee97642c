from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Attendance(models.Model):
    """A participant present on one day of the meeting (one row per day, from the check-in)."""

    registration = models.ForeignKey(
        "participants.Registration", on_delete=models.CASCADE, related_name="attendance"
    )
    day = models.DateField(_("day"))
    checked_in_at = models.DateTimeField(_("checked in"), auto_now_add=True)
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        ordering = ["day"]
        constraints = [
            models.UniqueConstraint(fields=["registration", "day"], name="attendance_once_per_day")
        ]

    def __str__(self):
        return f"{self.registration} – {self.day}"
