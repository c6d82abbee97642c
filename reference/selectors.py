"""Reads of the reference data: who is a Party to the Convention on a given day.

A Party whose date is not known (no deposit date in the sources: Cameroon in the 2026 table)
is PARTY_DATE_UNKNOWN, never given a guessed date. `parties_on` counts it among the Parties
(the table says it is one) and flags it, so that pages can say so (the quorum's footnote, the
funding decision, the admin)."""

import datetime as dt
from typing import NamedTuple

from django.db.models import BooleanField, Count, Exists, OuterRef, Q, QuerySet, Value
from django.db.models.functions import Coalesce

from .enums import PartyStanding
from .models import ConventionParty, Country, parties_table_valid_by


class PartyStandings(dict):
    """country_id -> PartyStanding; a State without a Party record is NOT_PARTY."""

    def __missing__(self, key):
        return PartyStanding.NOT_PARTY


class PartiesCount(NamedTuple):
    total: int
    date_unknown: int


def party_standing(country: Country | None, day: dt.date) -> PartyStanding:
    """Whether `country` (a State or the EU) is a Party on `day`. One query, unless its
    `party_records` are prefetched."""
    if country is None:
        return PartyStanding.NOT_PARTY
    return country.party_standing_on(day)


def party_standings(day: dt.date) -> PartyStandings:
    """Every State's standing on `day` in one query: {country_id: PartyStanding}; a State
    missing from the dict is NOT_PARTY."""
    standings = PartyStandings()
    for record in (
        ConventionParty.objects.filter(country__isnull=False)
        .only("country_id", "entry_into_force")
        .annotate(table_valid=parties_table_valid_by(day))
    ):
        record._table_valid_on = day if record.table_valid else None  # no query per record
        standing = record.standing_on(day)
        if standings.get(record.country_id) != PartyStanding.PARTY:
            standings[record.country_id] = standing
    return standings


def _party_records_on(day: dt.date, *, include_date_unknown: bool):
    # From the table's date of validity on, a Party whose date is unknown is a Party (its date
    # is then no longer in question: see ConventionParty.standing_on).
    condition = Q(entry_into_force__lte=day) | (
        Q(entry_into_force__isnull=True) & Q(parties_table_valid_by(day))
    )
    if include_date_unknown:
        condition |= Q(entry_into_force__isnull=True)
    return ConventionParty.objects.filter(condition)


def parties_on(day: dt.date, *, include_date_unknown: bool = True) -> QuerySet[Country]:
    """The States (and the EU) that are Parties on `day`, each annotated `party_date_unknown`
    (True: a Party whose date is not known, counted because the table says it is a Party).
    `include_date_unknown=False` leaves those out."""
    dated = ConventionParty.objects.filter(country=OuterRef("pk")).filter(
        Q(entry_into_force__lte=day) | (Q(entry_into_force__isnull=True) & Q(parties_table_valid_by(day)))
    )
    records = _party_records_on(day, include_date_unknown=include_date_unknown)
    return (
        Country.objects.filter(pk__in=records.values("country"))
        .annotate(party_date_unknown=Coalesce(~Exists(dated), Value(False), output_field=BooleanField()))
        .order_by("name_en")
    )


def parties_count_on(day: dt.date) -> PartiesCount:
    """How many Parties on `day` (including those whose date is unknown), and how many of them
    have an unknown date: for the quorum's denominator and its footnote. One query (a State
    has at most one Party record: a database constraint)."""
    counts = ConventionParty.objects.filter(country__isnull=False).aggregate(
        total=Count("pk", filter=Q(entry_into_force__lte=day) | Q(entry_into_force__isnull=True)),
        date_unknown=Count("pk", filter=Q(entry_into_force__isnull=True) & ~Q(parties_table_valid_by(day))),
    )
    return PartiesCount(total=counts["total"], date_unknown=counts["date_unknown"])


def parties_with_unknown_date() -> QuerySet[ConventionParty]:
    """The Party records without a known date, for staff."""
    return ConventionParty.objects.filter(entry_into_force__isnull=True).select_related("country")
