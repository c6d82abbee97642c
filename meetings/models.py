import zoneinfo

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from reference.enums import RegionalGroup

from .enums import AgendaStatus, MeetingKind, MeetingMode, MeetingStatus


def validate_time_zone(value):
    if value not in zoneinfo.available_timezones():
        raise ValidationError(
            _("“%(value)s” is not a known time zone (use an IANA name such as Europe/Zurich)."),
            params={"value": value},
            code="unknown_time_zone",
        )


class Meeting(models.Model):
    """A meeting the secretariat services: a COP (or one segment of it), a Bureau meeting,
    a regional consultation, an expert group meeting, a committee session, a webinar."""

    kind = models.CharField(_("kind"), max_length=20, choices=MeetingKind, db_index=True)
    number = models.PositiveIntegerField(
        _("number"), null=True, blank=True, help_text=_("The 2 of COP-2, where meetings are numbered.")
    )
    code = models.SlugField(
        _("short code"), max_length=40, unique=True, help_text=_("Used in addresses: cop-2, bureau-2018-09.")
    )
    title_en = models.CharField(_("title (English)"), max_length=300)
    title_fr = models.CharField(_("title (French)"), max_length=300, blank=True)
    title_es = models.CharField(_("title (Spanish)"), max_length=300, blank=True)
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="segments",
        verbose_name=_("segment of"),
        help_text=_("For a segment, such as the resumed in-person segment of COP-4."),
    )
    mode = models.CharField(_("mode"), max_length=20, choices=MeetingMode, default=MeetingMode.IN_PERSON)
    status = models.CharField(
        _("status"), max_length=30, choices=MeetingStatus, default=MeetingStatus.PLANNED, db_index=True
    )
    start_date = models.DateField(_("opening date"))
    end_date = models.DateField(_("closing date"))
    time_zone = models.CharField(
        _("time zone"), max_length=64, default="Europe/Zurich", validators=[validate_time_zone]
    )
    venue = models.CharField(_("venue"), max_length=200, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    country = models.ForeignKey(
        "reference.Country",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meetings_hosted",
        verbose_name=_("country"),
    )
    host = models.CharField(_("host"), max_length=200, blank=True)
    registration_opens = models.DateTimeField(_("registration opens"), null=True, blank=True)
    registration_closes = models.DateTimeField(_("registration closes"), null=True, blank=True)
    regions = models.JSONField(
        _("regions served"),
        default=list,
        blank=True,
        help_text=_("For regional consultations: the UN regional groups the meeting serves."),
    )
    symbol_prefix = models.CharField(
        _("document symbol prefix"), max_length=60, blank=True, help_text=_("For example UNEP/MC/COP.2")
    )
    back_to_back_with = models.ManyToManyField(
        "self", blank=True, symmetrical=True, verbose_name=_("held back-to-back with")
    )
    created = models.DateTimeField(_("created"), auto_now_add=True)
    modified = models.DateTimeField(_("modified"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["modified"])

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-start_date", "code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")),
                name="meeting_ends_after_it_starts",
                violation_error_message=_("The closing date cannot be before the opening date."),
            ),
            models.CheckConstraint(
                condition=Q(registration_opens__isnull=True)
                | Q(registration_closes__isnull=True)
                | Q(registration_closes__gt=F("registration_opens")),
                name="meeting_registration_window_ordered",
                violation_error_message=_("Registration must close after it opens."),
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("meetings:detail", kwargs={"code": self.code})

    @property
    def title(self):
        language = (translation.get_language() or "en")[:2]
        return getattr(self, f"title_{language}", "") or self.title_en

    def clean(self):
        super().clean()
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("The closing date cannot be before the opening date.")})
        unknown = [r for r in self.regions or [] if r not in RegionalGroup.values]
        if unknown:
            raise ValidationError({"regions": _("Unknown regional group: %s") % ", ".join(unknown)})

    @property
    def tz(self):
        return zoneinfo.ZoneInfo(self.time_zone)


class AgendaVersion(models.Model):
    """One version of a meeting's provisional agenda. Versions are kept: a new one is a copy
    of the last, and the older one becomes superseded when the new one moves on."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="agenda_versions", verbose_name=_("meeting")
    )
    number = models.PositiveIntegerField(_("version"))
    status = models.CharField(_("status"), max_length=20, choices=AgendaStatus, default=AgendaStatus.DRAFT)
    note = models.TextField(_("note"), blank=True)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("agenda version")
        verbose_name_plural = _("agenda versions")
        ordering = ["meeting", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "number"], name="agenda_version_number_unique")
        ]

    def __str__(self):
        return _("%(meeting)s – agenda version %(number)s") % {"meeting": self.meeting, "number": self.number}


class AgendaItem(models.Model):
    """An item ("Item 4") or a lettered sub-item ("4 (f)") of an agenda version."""

    version = models.ForeignKey(
        AgendaVersion, on_delete=models.CASCADE, related_name="items", verbose_name=_("agenda version")
    )
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="sub_items"
    )
    position = models.PositiveIntegerField(
        _("position"), help_text=_("The item number, or for a sub-item its place: 1 = (a), 6 = (f).")
    )
    title_en = models.CharField(_("title (English)"), max_length=500)
    title_fr = models.CharField(_("title (French)"), max_length=500, blank=True)
    title_es = models.CharField(_("title (Spanish)"), max_length=500, blank=True)
    annotation = models.TextField(_("annotation"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["version", "parent__position", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "position"],
                condition=Q(parent__isnull=True),
                name="agenda_item_position_unique",
            ),
            models.UniqueConstraint(
                fields=["parent", "position"],
                condition=Q(parent__isnull=False),
                name="agenda_sub_item_position_unique",
            ),
        ]

    def __str__(self):
        return f"{self.label}. {self.title}"

    @property
    def title(self):
        language = (translation.get_language() or "en")[:2]
        return getattr(self, f"title_{language}", "") or self.title_en

    @property
    def label(self):
        """The UN way: "4" for an item, "4 (f)" for its sixth sub-item."""
        if self.parent_id is None:
            return str(self.position)
        return f"{self.parent.position} ({chr(ord('a') + self.position - 1)})"
