from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from minamata_portal.i18n import in_current_language

from .enums import Classification, CountryKind, MemberStatus, PartyStanding, RegionalGroup

PARTIES_DATASET = "minamata_parties"


def parties_table_valid_on():
    """The day the Parties' table is valid on: its ReferenceDataset row's `valid_on` (None if the
    row has none); reference.services.PARTIES_VALID_ON while the table's row is not loaded."""
    rows = ReferenceDataset.objects.filter(key=PARTIES_DATASET).values_list("valid_on", flat=True)
    for valid_on in rows:
        return valid_on
    from .services import PARTIES_VALID_ON  # here: services imports the models

    return PARTIES_VALID_ON


def parties_table_valid_by(day):
    """The same test as a condition for a query: True where the Parties' table is valid on or
    before `day` (a Party whose date is unknown is then a Party)."""
    from .services import PARTIES_VALID_ON

    rows = ReferenceDataset.objects.filter(key=PARTIES_DATASET)
    valid = models.Exists(rows.filter(valid_on__lte=day))
    return (valid | ~models.Exists(rows)) if day >= PARTIES_VALID_ON else valid


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


class CountryQuerySet(models.QuerySet):
    def states(self):
        """States only: not the European Union (e.g. for a passport's issuing State)."""
        return self.filter(kind=CountryKind.STATE)


class Country(models.Model):
    """A UN Member State or observer State, or the European Union (kind REIO): a Party to the
    Convention that registers delegates, has a focal point and presents credentials as a State
    does. Its regional group is "none" and it is not a UN Member State."""

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
    kind = models.CharField(_("kind"), max_length=10, choices=CountryKind, default=CountryKind.STATE)
    notes = models.TextField(_("notes"), blank=True)
    source = models.TextField(_("source"), blank=True)

    objects = CountryQuerySet.as_manager()
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

    def party_standing_on(self, day) -> PartyStanding:
        """PARTY, NOT_PARTY or PARTY_DATE_UNKNOWN on `day` (reads `party_records`: prefetch it
        for many States, or use reference.selectors.party_standings)."""
        standings = {p.standing_on(day) for p in self.party_records.all()}
        for standing in (PartyStanding.PARTY, PartyStanding.PARTY_DATE_UNKNOWN):
            if standing in standings:
                return standing
        return PartyStanding.NOT_PARTY

    def is_party_on(self, day):
        """True for a Party on `day`, and also for a Party whose date is unknown: the table says
        it is a Party, and refusing a Party its capacity and credentials is the worse mistake.
        Where the difference matters (funding, quorum, the admin), read `party_standing_on` or
        reference.selectors and say that the date is unknown."""
        return self.party_standing_on(day) != PartyStanding.NOT_PARTY


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
        """From `start` (included; none: always before) to `end` (excluded: the graduation date is
        the first day a State is no longer a least developed country; none: still holds)."""
        return (self.start is None or self.start <= day) and (self.end is None or day < self.end)


class ConventionParty(models.Model):
    """A Party to the Minamata Convention: a State, or a regional economic integration
    organisation (the European Union, whose `country` is its Country row of kind REIO).

    `deposit_date` and `entry_into_force` are empty where the sources do not give the date
    (Cameroon): a Party from an unknown date, PARTY_DATE_UNKNOWN, never a guessed date."""

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
    deposit_date = models.DateField(
        _("date of deposit of the instrument"),
        null=True,
        blank=True,
        help_text=_("Empty when no source gives it: the Party's date is then shown as unknown."),
    )
    instrument_type = models.CharField(_("instrument"), max_length=30, blank=True)
    entry_into_force = models.DateField(
        _("entry into force for the Party"),
        null=True,
        blank=True,
        help_text=_("The 90th day after deposit (Art. 31), not before 16 August 2017. Empty when unknown."),
    )
    notes = models.TextField(_("notes"), blank=True)
    source = models.TextField(_("source"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("Party to the Convention")
        verbose_name_plural = _("Parties to the Convention")
        ordering = ["name_en"]
        constraints = [
            models.UniqueConstraint(
                fields=["country"],
                name="convention_party_one_per_country",
                violation_error_message=_("This State already has a Party record."),
            ),
            models.CheckConstraint(
                condition=Q(deposit_date__isnull=True)
                | Q(entry_into_force__isnull=True)
                | Q(entry_into_force__gte=models.F("deposit_date")),
                name="convention_party_entry_into_force_after_deposit",
                violation_error_message=_("Entry into force cannot be before the deposit."),
            ),
        ]

    def __str__(self):
        return self.name_en

    @property
    def date_unknown(self) -> bool:
        return self.entry_into_force is None

    def standing_on(self, day) -> PartyStanding:
        """PARTY, NOT_PARTY or PARTY_DATE_UNKNOWN on `day`. A Party whose date is unknown is a Party
        on and after the day the Parties' table is valid on (inclusive: `parties_table_valid_on`,
        the dataset's `valid_on`, 2026-12-01 for the 2026 table), since the table says it is one
        then; before that day nobody can say, so PARTY_DATE_UNKNOWN (never a guessed date). One
        query for such a record (kept on the instance), none for a dated one."""
        if self.entry_into_force is None:
            if not hasattr(self, "_table_valid_on"):
                self._table_valid_on = parties_table_valid_on()
            if self._table_valid_on is not None and day >= self._table_valid_on:
                return PartyStanding.PARTY
            return PartyStanding.PARTY_DATE_UNKNOWN
        # A Party from the day the Convention enters into force for it, that day included.
        return PartyStanding.PARTY if self.entry_into_force <= day else PartyStanding.NOT_PARTY

    def is_party_on(self, day):
        """As Country.is_party_on: a Party whose date is unknown counts."""
        return self.standing_on(day) != PartyStanding.NOT_PARTY
