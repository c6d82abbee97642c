"""The Bureau of the COP and the Implementation and Compliance Committee: who sits on them and when,
the Bureau's review of draft agendas, and the decisions (COP and Bureau) with the mandates they give
the secretariat."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from reference.enums import RegionalGroup

from .enums import BodyKind, Office


class Body(models.Model):
    """A body whose members are elected by region: the COP Bureau, the Compliance Committee.

    The balance is data, not code, because the two bodies differ: the Bureau has a President and
    nine Vice-Presidents (one the rapporteur), two per region; the Committee fifteen members,
    three per region, on staggered terms."""

    kind = models.CharField(_("kind"), max_length=20, choices=BodyKind, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=200)
    name_fr = models.CharField(_("name (French)"), max_length=200, blank=True)
    name_es = models.CharField(_("name (Spanish)"), max_length=200, blank=True)
    seats = models.PositiveSmallIntegerField(_("seats"))
    seats_per_region = models.PositiveSmallIntegerField(_("seats per region"))
    offices = models.JSONField(
        _("offices"),
        default=dict,
        blank=True,
        help_text=_('How many holders each office needs, e.g. {"president": 1, "rapporteur": 1}.'),
    )
    staggered_terms = models.BooleanField(
        _("staggered terms"), default=False, help_text=_("Terms of different members overlap.")
    )

    class Meta:
        verbose_name = _("body")
        verbose_name_plural = _("bodies")
        ordering = ["kind"]
        constraints = [
            models.CheckConstraint(
                condition=Q(seats__gte=F("seats_per_region")),
                name="bureau_body_seats_cover_region",
                violation_error_message=_("A body cannot have fewer seats than seats per region."),
            )
        ]

    def __str__(self):
        return self.name

    @property
    def name(self):
        language = (translation.get_language() or "en")[:2]
        return getattr(self, f"name_{language}", "") or self.name_en


class Term(models.Model):
    """A term of office: from the closure of the electing COP to the closure of the next ordinary
    one. The end is exclusive: on the closing day the next term's members take over."""

    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="terms", verbose_name=_("body"))
    elected_at = models.ForeignKey(
        "meetings.Meeting",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("elected at"),
        null=True,
        blank=True,
    )
    ends_at = models.ForeignKey(
        "meetings.Meeting",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("ends at the closure of"),
        null=True,
        blank=True,
    )
    start_date = models.DateField(_("start"))
    end_date = models.DateField(_("end"), null=True, blank=True, help_text=_("Empty while the term runs."))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("term")
        verbose_name_plural = _("terms")
        ordering = ["body", "-start_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gt=F("start_date")),
                name="bureau_term_ends_after_start",
                violation_error_message=_("A term must end after it starts."),
            )
        ]

    def __str__(self):
        if self.elected_at_id and self.ends_at_id:
            return f"{self.body}: {self.elected_at.code.upper()} – {self.ends_at.code.upper()}"
        return f"{self.body}: {self.start_date:%Y-%m-%d} – {self.end_date or '…'}"

    def get_absolute_url(self):
        return reverse("bureau:term", kwargs={"pk": self.pk})


class Membership(models.Model):
    """One person holding one office for one State, for a span of dates within a term.

    A replacement during the term is a new membership pointing at the one it replaces; the
    replaced one keeps its dates and ends the day the replacement starts."""

    term = models.ForeignKey(
        Term, on_delete=models.PROTECT, related_name="memberships", verbose_name=_("term")
    )
    user = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="bureau_memberships", verbose_name=_("person")
    )
    country = models.ForeignKey(
        "reference.Country", on_delete=models.PROTECT, related_name="+", verbose_name=_("State")
    )
    region = models.CharField(
        _("region"),
        max_length=30,
        choices=RegionalGroup,
        help_text=_("The State's UN regional group when the member was elected."),
    )
    office = models.CharField(_("office"), max_length=20, choices=Office)
    start_date = models.DateField(_("from"))
    end_date = models.DateField(
        _("until"), null=True, blank=True, help_text=_("Exclusive; empty = end of term.")
    )
    replaces = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="replaced_by",
        verbose_name=_("replaces"),
    )
    note = models.CharField(_("note"), max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["term", "office", "region", "start_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gt=F("start_date")),
                name="bureau_membership_ends_after_start",
                violation_error_message=_("A membership must end after it starts."),
            ),
            models.CheckConstraint(
                condition=~Q(region=RegionalGroup.NONE),
                name="bureau_membership_has_region",
                violation_error_message=_("A member's State must belong to a UN regional group."),
            ),
        ]
        # Overlap of a single-holder office (or of one person's seats) within a term is refused by
        # exclusion constraints that migration 0001 creates on PostgreSQL only (SQLite has none);
        # `membership_add` checks the same rule on every database.

    def __str__(self):
        return f"{self.user} ({self.country}) – {self.get_office_display()}"

    def clean(self):
        if self.end_date and self.start_date and self.end_date <= self.start_date:
            raise ValidationError({"end_date": _("A membership must end after it starts.")})
