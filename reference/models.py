from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from minamata_portal.i18n import in_current_language

from .enums import Classification, MemberStatus, RegionalGroup


class ReferenceDataset(models.Model):
    """One loaded table, with its source and the caveats staff must see before relying on it."""

    key = models.SlugField(_("key"), unique=True)
    title = models.CharField(_("title"), max_length=200)
    file_name = models.CharField(_("file"), max_length=100)
    valid_on = models.DateField(_("valid on"), null=True, blank=True)
    rows = models.PositiveIntegerField(_("rows"), default=0)
    caveats = models.TextField(_("caveats"), blank=True)
    loaded = models.DateTimeField(_("loaded"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("reference dataset")
        verbose_name_plural = _("reference datasets")
        ordering = ["title"]

    def __str__(self):
        return self.title


class Country(models.Model):
    """A UN Member State or observer State."""

    iso2 = models.CharField(_("ISO alpha-2"), max_length=2, unique=True)
    iso3 = models.CharField(_("ISO alpha-3"), max_length=3, unique=True)
    m49 = models.CharField(_("UN M49 code"), max_length=3, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=120)
    name_fr = models.CharField(_("name (French)"), max_length=120, blank=True)
    name_es = models.CharField(_("name (Spanish)"), max_length=120, blank=True)
    regional_group = models.CharField(
        _("UN regional group"), max_length=30, choices=RegionalGroup, db_index=True
    )
    member_status = models.CharField(
        _("UN status"), max_length=20, choices=MemberStatus, default=MemberStatus.MEMBER
    )
    notes = models.TextField(_("notes"), blank=True)
    source = models.TextField(_("source"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("State")
        verbose_name_plural = _("States")
        ordering = ["name_en"]

    def __str__(self):
        return self.name

    @property
    def name(self):
        return in_current_language(self, "name")

    def classifications_on(self, day):
        """The classification codes that hold for this State on `day` (a date)."""
        return {c.kind for c in self.classifications.all() if c.holds_on(day)}

    def is_party_on(self, day):
        return any(p.is_party_on(day) for p in self.party_records.all())


class CountryClassificationQuerySet(models.QuerySet):
    def holding_on(self, day):
        return self.filter(Q(start__isnull=True) | Q(start__lte=day)).filter(
            Q(end__isnull=True) | Q(end__gt=day)
        )


class CountryClassification(models.Model):
    """A State's membership of a list that decides funding, for the dates it holds.

    `end` is the first day it no longer holds (e.g. the LDC graduation date). A scheduled but not
    yet confirmed end is kept in `scheduled_end` for information only: eligibility never reads it.
    """

    country = models.ForeignKey(
        Country, on_delete=models.CASCADE, related_name="classifications", verbose_name=_("State")
    )
    kind = models.CharField(_("classification"), max_length=20, choices=Classification)
    start = models.DateField(_("holds from"), null=True, blank=True)
    end = models.DateField(_("holds until (exclusive)"), null=True, blank=True)
    scheduled_end = models.DateField(_("scheduled end (not applied)"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    source = models.TextField(_("source"), blank=True)

    objects = CountryClassificationQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("classification")
        verbose_name_plural = _("classifications")
        ordering = ["country__name_en", "kind"]
        constraints = [
            models.CheckConstraint(
                condition=Q(start__isnull=True) | Q(end__isnull=True) | Q(end__gt=models.F("start")),
                name="classification_end_after_start",
                violation_error_message=_("The end date must be after the start date."),
            ),
            models.UniqueConstraint(fields=["country", "kind", "start"], name="classification_unique_period"),
        ]

    def __str__(self):
        return f"{self.country.name_en}: {self.get_kind_display()}"

    def holds_on(self, day):
        return (self.start is None or self.start <= day) and (self.end is None or day < self.end)


class ConventionParty(models.Model):
    """A Party to the Minamata Convention: a State, or a regional economic integration
    organisation (the European Union), which has no `country`."""

    country = models.ForeignKey(
        Country,
        on_delete=models.PROTECT,
        related_name="party_records",
        null=True,
        blank=True,
        verbose_name=_("State"),
    )
    code = models.CharField(_("code"), max_length=3, unique=True, help_text=_("ISO alpha-3, or EU."))
    name_en = models.CharField(_("name"), max_length=120)
    deposit_date = models.DateField(_("date of deposit of the instrument"))
    instrument_type = models.CharField(_("instrument"), max_length=30, blank=True)
    entry_into_force = models.DateField(_("entry into force for the Party"))
    notes = models.TextField(_("notes"), blank=True)
    source = models.TextField(_("source"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("Party to the Convention")
        verbose_name_plural = _("Parties to the Convention")
        ordering = ["name_en"]

    def __str__(self):
        return self.name_en

    def is_party_on(self, day):
        return self.entry_into_force <= day
