"""Reads for the Bureau: who sits when, balance, rotation, reviews awaiting a member, decisions."""

import datetime as dt
from collections import Counter

from django.db.models import Q, QuerySet
from django.utils import timezone

from reference.enums import RegionalGroup

from .enums import BodyKind, Office
from .models import Body, Membership, Term


def _day(on) -> dt.date:
    if on is None:
        return timezone.localdate()
    if isinstance(on, dt.datetime):
        return timezone.localdate(on) if timezone.is_aware(on) else on.date()
    return on


def memberships_on(*, on=None, body_kind: str = BodyKind.COP_BUREAU) -> QuerySet[Membership]:
    """Memberships that hold on `on`: started, not ended, and their term not ended. End dates are
    exclusive, so on the closing day of a COP the outgoing members no longer count."""
    day = _day(on)
    return Membership.objects.filter(
        Q(term__body__kind=body_kind),
        Q(start_date__lte=day),
        Q(end_date__isnull=True) | Q(end_date__gt=day),
        Q(term__start_date__lte=day),
        Q(term__end_date__isnull=True) | Q(term__end_date__gt=day),
    )


def user_is_current_bureau_member(user, on=None) -> bool:
    """Whether `user` sits on the COP Bureau on `on` (today by default). Other apps restrict
    Bureau documents with this; a former member stops passing it the day their term ends."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    day = _day(on)
    cache = getattr(user, "_bureau_member_on", None)
    if cache is None:
        cache = user._bureau_member_on = {}
    if day not in cache:
        cache[day] = memberships_on(on=day).filter(user=user).exists()
    return cache[day]


def bureau_members_on(*, on=None, region: str | None = None) -> list[Membership]:
    qs = memberships_on(on=on).select_related("user", "country")
    if region:
        qs = qs.filter(region=region)
    return list(qs.order_by("region", "office", "user__last_name"))


def term_current(*, body_kind: str = BodyKind.COP_BUREAU, on=None) -> Term | None:
    day = _day(on)
    return (
        Term.objects.filter(body__kind=body_kind, start_date__lte=day)
        .filter(Q(end_date__isnull=True) | Q(end_date__gt=day))
        .select_related("body", "elected_at", "ends_at")
        .order_by("-start_date")
        .first()
    )


def term_list(*, body: Body | None = None) -> QuerySet[Term]:
    qs = Term.objects.select_related("body", "elected_at", "ends_at")
    if body is not None:
        qs = qs.filter(body=body)
    return qs.order_by("body__kind", "-start_date")


def term_memberships(*, term: Term) -> list[Membership]:
    return list(
        term.memberships.select_related("user", "country", "replaces__user", "replaced_by__user").order_by(
            "region", "office", "start_date"
        )
    )


def term_balance(*, term: Term, on=None) -> dict:
    """The balance report for a term on a day (its start by default): seats per region and
    offices against what the body requires, with the problems spelt out."""
    body = term.body
    day = _day(on) if on is not None else term.start_date
    holding = [
        m
        for m in term.memberships.select_related("country")
        if m.start_date <= day and (m.end_date is None or m.end_date > day)
    ]
    per_region = Counter(m.region for m in holding)
    per_office = Counter(m.office for m in holding)
    # The rapporteur is also a Vice-President: count them in both for the body's requirements.
    regions = [
        {
            "region": value,
            "label": label,
            "count": per_region.get(value, 0),
            "required": body.seats_per_region,
            "ok": per_region.get(value, 0) == body.seats_per_region,
        }
        for value, label in RegionalGroup.choices
        if value != RegionalGroup.NONE
    ]
    offices = [
        {
            "office": office,
            "label": Office(office).label,
            "count": per_office.get(office, 0),
            "required": required,
            "ok": per_office.get(office, 0) == required,
        }
        for office, required in (body.offices or {}).items()
    ]
    problems = [f"{r['label']}: {r['count']} / {r['required']}" for r in regions if not r["ok"]] + [
        f"{o['label']}: {o['count']} / {o['required']}" for o in offices if not o["ok"]
    ]
    return {
        "day": day,
        "seats": len(holding),
        "required_seats": body.seats,
        "regions": regions,
        "offices": offices,
        "ok": not problems and len(holding) == body.seats,
        "problems": problems,
    }


def body_rotation(*, body: Body) -> list[dict]:
    """For each term, the regions of the President and the rapporteur (or chair): the rotation
    among regions over the terms. Two queries whatever the number of terms."""
    terms = list(term_list(body=body).order_by("start_date"))
    leaders = {}
    for m in (
        Membership.objects.filter(
            term__in=terms, office__in=[Office.PRESIDENT, Office.RAPPORTEUR, Office.CHAIR]
        )
        .filter(replaces__isnull=True)
        .select_related("country", "user")
    ):
        leaders.setdefault(m.term_id, {})[m.office] = m
    return [{"term": t, **leaders.get(t.pk, {})} for t in terms]
