from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from ..enums import AttendanceSource, ParticipationMode


class Attendance(models.Model):
    """A participant present on one day of the meeting, in person or online (one row per day):
    from the check-in desk, the meeting platform's attendance report, or recorded by staff."""

    registration = models.ForeignKey(
        "participants.Registration", on_delete=models.CASCADE, related_name="attendance"
    )
    day = models.DateField(_("day"))
    mode = models.CharField(
        _("present"), max_length=10, choices=ParticipationMode, default=ParticipationMode.IN_PERSON
    )
    source = models.CharField(
        _("source"), max_length=20, choices=AttendanceSource, default=AttendanceSource.CHECK_IN
    )
    # Online: the first join and the last leave of the day, as the platform reported them.
    joined_at = models.DateTimeField(_("joined"), null=True, blank=True)
    left_at = models.DateTimeField(_("left"), null=True, blank=True)
    checked_in_at = models.DateTimeField(_("recorded"), auto_now_add=True)
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        ordering = ["day"]
        constraints = [
            models.UniqueConstraint(fields=["registration", "day"], name="attendance_once_per_day"),
            models.CheckConstraint(
                condition=Q(joined_at__isnull=True)
                | Q(left_at__isnull=True)
                | Q(left_at__gte=F("joined_at")),
                name="attendance_left_after_joined",
                violation_error_message=_("The leave time cannot be before the join time."),
            ),
        ]

    def __str__(self):
        return f"{self.registration} – {self.day}"
