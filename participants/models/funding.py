from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ..enums import DSA_PAID_STATUSES, FundingStatus, TravelClass


class DsaRate(models.Model):
    """A daily subsistence allowance rate for a place and period (as the ICSC publishes them
    monthly), with the share of it that pays for the room."""

    country = models.ForeignKey("reference.Country", on_delete=models.PROTECT, related_name="+")
    location = models.CharField(_("location"), max_length=120)
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    daily_rate = models.DecimalField(_("daily rate"), max_digits=10, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3, default="USD")
    room_percent = models.DecimalField(
        _("room share (%)"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )

    class Meta:
        verbose_name = _("DSA rate")
        verbose_name_plural = _("DSA rates")
        ordering = ["country__name_en", "location", "-valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["country", "location", "valid_from"], name="dsa_rate_unique_period"
            ),
            models.CheckConstraint(
                condition=Q(room_percent__gte=0) & Q(room_percent__lte=100), name="dsa_room_percent_range"
            ),
        ]

    def __str__(self):
        return f"{self.location} {self.valid_from}: {self.daily_rate} {self.currency}"


class FundingRequest(models.Model):
    """A request for funded participation (ticket and DSA) for one registration."""

    registration = models.OneToOneField(
        "participants.Registration", on_delete=models.CASCADE, related_name="funding"
    )
    status = models.CharField(
        _("status"), max_length=15, choices=FundingStatus, default=FundingStatus.REQUESTED, db_index=True
    )
    priority = models.PositiveSmallIntegerField(
        _("priority"), default=9, help_text=_("1 is served first (least developed countries).")
    )
    donor = models.CharField(_("fund or donor"), max_length=120, blank=True)
    decision_note = models.CharField(_("note on the decision"), max_length=300, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    # Ticket
    itinerary = models.TextField(_("itinerary"), blank=True)
    travel_class = models.CharField(
        _("class"), max_length=10, choices=TravelClass, default=TravelClass.ECONOMY, blank=True
    )
    ticket_cost = models.DecimalField(
        _("ticket cost"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    ticket_currency = models.CharField(_("ticket currency"), max_length=3, default="USD", blank=True)
    # DSA
    dsa_rate = models.ForeignKey(DsaRate, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    lodging_provided = models.BooleanField(_("lodging provided"), default=False)
    meals_percent_provided = models.DecimalField(
        _("meals provided (% reduction)"), max_digits=5, decimal_places=2, default=Decimal("0")
    )
    terminal_expenses = models.DecimalField(
        _("terminal expenses"), max_digits=8, decimal_places=2, default=Decimal("0")
    )
    dsa_nights = models.PositiveSmallIntegerField(_("nights"), null=True, blank=True)
    dsa_amount = models.DecimalField(_("DSA amount"), max_digits=10, decimal_places=2, null=True, blank=True)
    dsa_currency = models.CharField(_("DSA currency"), max_length=3, blank=True)
    dsa_paid_at = models.DateTimeField(_("DSA paid"), null=True, blank=True)
    dsa_paid_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    receipt_signed = models.BooleanField(_("receipt signed"), default=False)
    created = models.DateTimeField(_("created"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("funding request")
        verbose_name_plural = _("funding requests")
        ordering = ["priority", "created"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ticket_cost__isnull=True) | Q(ticket_cost__gte=0),
                name="funding_ticket_cost_positive",
            ),
            models.CheckConstraint(
                condition=Q(dsa_paid_at__isnull=True) | Q(status__in=list(DSA_PAID_STATUSES)),
                name="funding_dsa_paid_status",
            ),
        ]

    def __str__(self):
        return f"{self.registration.full_name} – {self.get_status_display()}"
