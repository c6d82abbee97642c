"""Funded participation: the request (ranked by the Party's classification), approval within the
per-Party limit and the budget, the ticket, the daily subsistence allowance and its payment."""

from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..enums import (
    DSA_COMPUTABLE_STATUSES,
    FUNDED_STATUSES,
    ITINERARY_OPEN_STATUSES,
    FundingStatus,
)
from ..errors import FundingError
from ..models import DsaRate, FundingRequest, MeetingParticipationSettings, Registration
from ..selectors import dsa_rate_for, funding_eligibility, funding_ranked
from .participation import online_refusal
from .transition import locked, queue_letter, transition

CENT = Decimal("0.01")


def meeting_settings_get_or_create(*, meeting) -> MeetingParticipationSettings:
    """The meeting's settings row, created with the defaults if it does not exist yet."""
    found, _created = MeetingParticipationSettings.objects.get_or_create(meeting=meeting)
    meeting._participation_settings = found
    return found


@transaction.atomic
def meeting_settings_update(*, meeting, by, **changes) -> MeetingParticipationSettings:
    """Change the meeting's participation settings (created with the defaults first if need be)."""
    found = meeting_settings_get_or_create(meeting=meeting)
    found = MeetingParticipationSettings.objects.select_for_update().get(pk=found.pk)
    for field, value in changes.items():
        setattr(found, field, value)
    try:
        found.full_clean()
    except ValidationError as exc:
        raise FundingError(exc.message_dict) from exc
    found.save()
    meeting._participation_settings = found
    return found


def dsa_rate_save(*, by, rate: DsaRate | None = None, **data) -> DsaRate:
    """Record a DSA rate (no `rate`) or change one on file: the admin, the ICSC spreadsheet import
    and the demo data all save them here."""
    rate = rate if rate is not None else DsaRate()
    for field, value in data.items():
        setattr(rate, field, value)
    try:
        rate.full_clean()
    except ValidationError as exc:
        raise FundingError(exc.message_dict) from exc
    rate.save()
    return rate


@transaction.atomic
def funding_request_create(*, registration, by, donor: str = "") -> FundingRequest:
    if registration.is_online:
        raise FundingError(online_refusal(registration, _("funded travel or DSA")))
    meeting_settings_get_or_create(meeting=registration.meeting)  # the row approvals lock must exist
    eligible, priority, reason = funding_eligibility(registration=registration)
    status, note = FundingStatus.REQUESTED, ""
    if not eligible:
        # The real cause: not a Party, out of the meeting's scope, Party date unknown, category.
        status, note = FundingStatus.DECLINED, reason
    funding, created = FundingRequest.objects.get_or_create(
        registration=registration,
        defaults={"status": status, "priority": priority, "decision_note": note[:300], "donor": donor},
    )
    if created and not registration.funding_requested:
        Registration.objects.filter(pk=registration.pk).update(funding_requested=True)
    return funding


def _locked_funding(funding) -> FundingRequest:
    return (
        FundingRequest.objects.select_for_update(of=("self",))
        .select_related("registration__meeting", "registration__country")
        .get(pk=funding.pk)
    )


@transaction.atomic
def funding_approve(*, funding, by) -> FundingRequest:
    """Approve within the per-Party limit and the budget. Approvals of one meeting are serialised
    by locking its settings row, so two officers approving at once cannot exceed either limit;
    when the budget is spent the request joins the waiting list instead."""
    current = _locked_funding(funding)
    meeting = current.registration.meeting
    rules = MeetingParticipationSettings.objects.select_for_update().get(meeting=meeting)
    if not current.can_approve:
        raise FundingError(
            _("A funding request that is “%(current)s” cannot be approved.")
            % {"current": current.get_status_display()}
        )
    if not current.registration.is_active:
        raise FundingError(_("The registration is no longer active."))
    if current.registration.is_online:
        raise FundingError(online_refusal(current.registration, _("funded travel or DSA")))
    # The meeting's rules may have changed since the request (its scope, whom it funds).
    eligibility = funding_eligibility(registration=current.registration)
    if not eligibility.eligible:
        raise FundingError(eligibility.reason)
    funded = FundingRequest.objects.filter(registration__meeting=meeting, status__in=FUNDED_STATUSES)
    party_count = funded.filter(registration__country_id=current.registration.country_id).count()
    if party_count >= rules.funded_per_party:
        raise FundingError(
            _("%(state)s already has %(count)s funded participant(s), the limit for this meeting.")
            % {"state": current.registration.country.name, "count": party_count}
        )
    if rules.funded_places is not None and funded.count() >= rules.funded_places:
        return transition(
            funding, "put_on_waiting_list", by=by,
            changes={"decision_note": _("Waiting list: the funded places are all allocated.")[:300]},
        )  # fmt: skip
    result = transition(
        funding,
        "approve",
        by=by,
        changes={"decided_by": by, "decided_at": timezone.now(), "decision_note": ""},
    )
    queue_letter("funding", result.registration, by)
    return result


def funding_allocate(*, meeting, by) -> dict:
    """Approve pending requests in rank order (LDCs first, then by date of request) until the
    budget runs out; the rest wait. A request the meeting cannot fund (not eligible: not a Party,
    out of scope, not in an eligible category) is declined with that reason rather than left
    pending with none. Returns the count per status reached, and of refusals (declines
    included)."""
    outcome = {FundingStatus.APPROVED: 0, FundingStatus.WAITING: 0, "refusals": 0}
    for funding in list(funding_ranked(meeting=meeting)):
        try:
            result = funding_approve(funding=funding, by=by)
        except FundingError:
            outcome["refusals"] += 1
            eligibility = funding_eligibility(registration=funding.registration)
            if not eligibility.eligible:
                funding_decline(funding=funding, by=by, reason=eligibility.reason)
            continue
        outcome[result.status] += 1
    return outcome


@transaction.atomic
def funding_decline(*, funding, by, reason: str = "") -> FundingRequest:
    return transition(
        funding, "decline", by=by,
        changes={"decided_by": by, "decided_at": timezone.now(), "decision_note": reason[:300]},
    )  # fmt: skip


@transaction.atomic
def funding_issue_ticket(
    *, funding, by, itinerary: str, travel_class: str, cost, currency: str
) -> FundingRequest:
    """Once the ticket is issued the itinerary (and the registration's dates) no longer change."""
    if not itinerary.strip():
        raise FundingError({"itinerary": _("Enter the itinerary.")})
    if cost is None or Decimal(cost) < 0:
        raise FundingError({"ticket_cost": _("Enter the cost of the ticket.")})
    return transition(
        funding, "issue_ticket", by=by,
        changes={"itinerary": itinerary, "travel_class": travel_class, "ticket_cost": Decimal(cost),
                 "ticket_currency": currency.upper()},
    )  # fmt: skip


@transaction.atomic
def funding_update_itinerary(
    *, funding, by, itinerary: str, travel_class=None, ticket_cost=None, ticket_currency=None
) -> FundingRequest:
    """The itinerary and the ticket's details, while the ticket is not issued yet."""
    row = locked(funding)
    if row.status not in ITINERARY_OPEN_STATUSES:
        raise FundingError(
            {"itinerary": _("The ticket has been issued: the itinerary can no longer change.")}
        )
    if ticket_cost is not None and Decimal(ticket_cost) < 0:
        raise FundingError({"ticket_cost": _("Enter the cost of the ticket.")})
    row.itinerary = itinerary
    changed = ["itinerary"]
    for field, value in (("travel_class", travel_class), ("ticket_cost", ticket_cost),
                         ("ticket_currency", ticket_currency)):  # fmt: skip
        if value is not None:
            setattr(row, field, value.upper() if field == "ticket_currency" else value)
            changed.append(field)
    row._history_user = by
    row.save(update_fields=changed)
    return row


@transaction.atomic
def funding_update_dsa_inputs(
    *, funding, by, lodging_provided: bool, meals_percent, terminal_expenses
) -> FundingRequest:
    """What the DSA is computed from, until it has been computed."""
    row = locked(funding)
    if row.dsa_amount is not None:
        raise FundingError(_("The DSA has been computed: what it was computed from can no longer change."))
    row.lodging_provided, row.meals_percent_provided = lodging_provided, meals_percent
    row.terminal_expenses = terminal_expenses
    row._history_user = by
    row.save(update_fields=["lodging_provided", "meals_percent_provided", "terminal_expenses"])
    return row


@transaction.atomic
def funding_set_donor(*, funding, by, donor: str) -> FundingRequest:
    row = locked(funding)
    row.donor = donor
    row._history_user = by
    row.save(update_fields=["donor"])
    return row


def dsa_amount(*, rate, nights: int, lodging_provided: bool, meals_percent, terminal_expenses) -> Decimal:
    """UN practice: the daily rate per night; when lodging is provided the room share is not paid,
    and provided meals reduce the rest by a percentage; terminal expenses are added once."""
    daily = Decimal(rate.daily_rate)
    room = daily * Decimal(rate.room_percent) / 100
    rest = (daily - room) * (1 - Decimal(meals_percent or 0) / 100)
    per_night = rest + (Decimal(0) if lodging_provided else room)
    return (per_night * nights + Decimal(terminal_expenses or 0)).quantize(CENT, rounding=ROUND_HALF_UP)


@transaction.atomic
def funding_compute_dsa(
    *, funding, by, lodging_provided=False, meals_percent=0, terminal_expenses=0, rate=None
) -> FundingRequest:
    row = _locked_funding(funding)
    registration, meeting = row.registration, row.registration.meeting
    if row.status not in DSA_COMPUTABLE_STATUSES:
        raise FundingError(_("The DSA is computed for approved requests only."))
    arrival = registration.arrival or meeting.start_date
    departure = registration.departure or meeting.end_date
    nights = (departure - arrival).days
    if nights < 0:
        raise FundingError({"departure": _("Departure cannot be before arrival.")})
    rate = rate or dsa_rate_for(country=meeting.country, location=meeting.city, day=arrival)
    if rate is None:
        raise FundingError(
            _("No DSA rate for %(place)s on %(day)s: import the rates first.")
            % {"place": meeting.city, "day": arrival}
        )
    row.dsa_rate, row.dsa_nights = rate, nights
    row.lodging_provided, row.meals_percent_provided = lodging_provided, meals_percent
    row.terminal_expenses = terminal_expenses
    row.dsa_amount = dsa_amount(
        rate=rate, nights=nights, lodging_provided=lodging_provided, meals_percent=meals_percent,
        terminal_expenses=terminal_expenses,
    )  # fmt: skip
    row.dsa_currency = rate.currency
    row._history_user = by
    row.save()
    return row


@transaction.atomic
def funding_pay_dsa(*, funding, by, receipt_signed: bool) -> FundingRequest:
    if not receipt_signed:
        raise FundingError({"receipt_signed": _("The participant must sign the receipt.")})
    if locked(funding).dsa_amount is None:
        raise FundingError(_("Compute the DSA before paying it."))
    return transition(
        funding,
        "pay_dsa",
        by=by,
        changes={"dsa_paid_at": timezone.now(), "dsa_paid_by": by, "receipt_signed": True},
    )


@transaction.atomic
def funding_close(*, funding, by) -> FundingRequest:
    return transition(funding, "close", by=by)
