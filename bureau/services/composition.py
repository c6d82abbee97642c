"""Who sits on the Bureau and the Compliance Committee, and when: bodies, terms, memberships."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from reference.enums import PartyStanding, RegionalGroup
from reference.selectors import party_standing

from .. import selectors
from ..enums import SINGLE_HOLDER_OFFICES, BodyKind, Office
from ..models import Body, Membership, Term

BODY_DEFAULTS = {
    BodyKind.COP_BUREAU: {
        "name_en": "Bureau of the Conference of the Parties",
        "name_fr": "Bureau de la Conférence des Parties",
        "name_es": "Mesa de la Conferencia de las Partes",
        "seats": 10,
        "seats_per_region": 2,
        "offices": {Office.PRESIDENT.value: 1, Office.VICE_PRESIDENT.value: 8, Office.RAPPORTEUR.value: 1},
        "staggered_terms": False,
    },
    BodyKind.COMPLIANCE_COMMITTEE: {
        "name_en": "Implementation and Compliance Committee",
        "name_fr": "Comité de mise en œuvre et du respect des obligations",
        "name_es": "Comité de Aplicación y Cumplimiento",
        "seats": 15,
        "seats_per_region": 3,
        # The Committee elects a Chair and a Vice-Chair (required offices: flagged when missing).
        "offices": {Office.CHAIR.value: 1, Office.VICE_CHAIR.value: 1},
        "staggered_terms": True,
    },
}


def body_ensure(*, kind: str) -> Body:
    """The body of that kind, created with the Convention's balance if it does not exist yet."""
    body, _created = Body.objects.get_or_create(kind=kind, defaults=BODY_DEFAULTS[kind])
    return body


BODY_EDITABLE_FIELDS = (
    "name_en",
    "name_fr",
    "name_es",
    "seats",
    "seats_per_region",
    "offices",
    "staggered_terms",
)


@transaction.atomic
def body_update(*, body: Body, by=None, **changes) -> Body:
    """Correct a body's names or balance (the admin's form); the database checks the seats."""
    unknown = set(changes) - set(BODY_EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"Body fields not editable: {sorted(unknown)}")
    body = Body.objects.select_for_update().get(pk=body.pk)
    for name, value in changes.items():
        setattr(body, name, value)
    body.full_clean()
    body.save(update_fields=list(changes))
    return body


def _check_no_term_overlap(
    *, body: Body, start_date: dt.date, end_date: dt.date | None, exclude_pk=None, field: str = "start_date"
):
    """Terms of a body without staggered terms follow one another: two never share a day."""
    if body.staggered_terms:
        return
    others = selectors.terms_overlapping(body=body, start=start_date, end=end_date)
    if exclude_pk is not None:
        others = others.exclude(pk=exclude_pk)
    if others.exists():
        raise ValidationError(
            {field: _("This term overlaps another term of %(body)s.") % {"body": body.name}},
            code="term_overlap",
        )


@transaction.atomic
def term_create(
    *, body: Body, elected_at=None, ends_at=None, start_date=None, end_date=None, by=None
) -> Term:
    """A term from the closure of the electing meeting to the closure of the next ordinary one.
    Its start day is included and its end day is not (that day the next Bureau takes over), so a
    term must end at least one day after it starts; no end date: the term runs until closed."""
    start_date = start_date or (elected_at.end_date if elected_at else None)
    if start_date is None:
        raise ValidationError({"start_date": _("A term needs a start date or the meeting that elected it.")})
    if end_date is None and ends_at is not None:
        end_date = ends_at.end_date
    if end_date is not None and end_date <= start_date:
        raise ValidationError({"end_date": _("A term must end after it starts.")})
    body = Body.objects.select_for_update().get(pk=body.pk)
    _check_no_term_overlap(body=body, start_date=start_date, end_date=end_date)
    term = Term(body=body, elected_at=elected_at, ends_at=ends_at, start_date=start_date, end_date=end_date)
    term._history_user = by
    term.save()
    return term


@transaction.atomic
def term_close(*, term: Term, end_date: dt.date, ends_at=None, by=None) -> Term:
    """End a term (at the closure of the next ordinary COP): its members lose access that day.
    `end_date` is excluded from the term and must come at least one day after its start (included);
    the end may not run into the next term of the same body, which may start on `end_date`."""
    body = Body.objects.select_for_update().get(pk=term.body_id)
    term = Term.objects.select_for_update().get(pk=term.pk)
    if end_date <= term.start_date:
        raise ValidationError({"end_date": _("A term must end after it starts.")})
    _check_no_term_overlap(
        body=body, start_date=term.start_date, end_date=end_date, exclude_pk=term.pk, field="end_date"
    )
    term.end_date = end_date
    if ends_at is not None:
        term.ends_at = ends_at
    term._history_user = by
    term.save(update_fields=["end_date", "ends_at"])
    return term


def membership_check(
    *, term: Term, user, country, office: str, start_date: dt.date, end_date: dt.date | None,
    region: str | None = None, exclude_pk=None,
) -> str:  # fmt: skip
    """What a seat must satisfy wherever it is written (these services, the admin's form): a State
    in a regional group, an office the body knows, dates within the term, no second holder of a
    single-holder office and no second seat for one person on the same days. Writes nothing;
    returns the region the seat counts for.

    Boundaries: a seat may start on the term's first day (included) and up to the day before the
    term's end (the end day is excluded: the term is over); a seat's own end day is excluded too, so
    it must come at least one day after its start, and may be the term's end day but not later."""
    # The United States sits in no regional group but counts as WEOG for elections: the secretariat
    # may say so explicitly; otherwise the State's own group decides.
    region = region or country.regional_group
    if not region or region == RegionalGroup.NONE:
        raise ValidationError(
            {"country": _("%(state)s belongs to no UN regional group, so it cannot hold a regional seat.")
             % {"state": country.name}},
            code="no_region",
        )  # fmt: skip
    if office not in Office.values:
        raise ValidationError({"office": _("Unknown office “%(office)s”.") % {"office": office}})
    membership_party_check(term=term, country=country, elected_on=start_date)
    if start_date < term.start_date or (term.end_date and start_date >= term.end_date):
        raise ValidationError({"start_date": _("The membership must start within the term.")})
    if end_date is not None and end_date <= start_date:
        raise ValidationError({"end_date": _("A membership must end after it starts.")})
    if term.end_date and end_date and end_date > term.end_date:
        raise ValidationError({"end_date": _("The membership cannot outlast the term.")})
    others = selectors.spans_overlapping(term.memberships.all(), start=start_date, end=end_date)
    if exclude_pk:
        others = others.exclude(pk=exclude_pk)
    if office in SINGLE_HOLDER_OFFICES:
        clash = others.filter(office=office).select_related("user").first()
        if clash:
            raise ValidationError(
                {"office": _("%(office)s is already held by %(person)s from %(start)s in this term.")
                 % {"office": Office(office).label, "person": clash.user, "start": clash.start_date}},
                code="office_overlap",
            )  # fmt: skip
    if others.filter(user=user).exists():
        raise ValidationError({"user": _("%(person)s already holds a seat in this term on those dates.")
                               % {"person": user}}, code="person_overlap")  # fmt: skip
    return region


def membership_party_check(*, term: Term, country, elected_on: dt.date) -> None:
    """Officers of the Bureau and of the Compliance Committee are elected from the Parties: the
    State must be a Party on the day of its election (the day its seat starts: the closure of the
    electing meeting, or a replacement's first day). A Party whose date is not known in the
    reference data is refused with that reason rather than guessed."""
    standing = party_standing(country, elected_on)
    if standing == PartyStanding.PARTY:
        return
    values = {"state": country.name, "day": date_format(elected_on), "body": term.body.name}
    if standing == PartyStanding.PARTY_DATE_UNKNOWN:
        message = _(
            "The date on which %(state)s became a Party is not known, so it cannot be said that it was a Party "
            "on %(day)s, the day of the election: record the date in the Parties' table first."
        )
    else:
        message = _(
            "%(state)s was not a Party to the Convention on %(day)s, the day of the election: the officers "
            "of %(body)s are elected from the Parties."
        )
    raise ValidationError({"country": message % values}, code="not_a_party")


def membership_region_kept(*, membership: Membership, country) -> str | None:
    """The region to keep when a seat is corrected: its own while the State stays the same (it may
    be an explicit one, as for the United States), the new State's group when the State changes."""
    return membership.region if membership.pk and membership.country_id == country.pk else None


def _save_membership(membership, by):
    membership._history_user = by
    try:
        with transaction.atomic():
            membership.save()
    except IntegrityError as exc:
        # The PostgreSQL exclusion constraints catch what a concurrent write slipped past the check.
        raise ValidationError(_("This seat overlaps another one on those dates."), code="overlap") from exc
    return membership


@transaction.atomic
def membership_add(
    *,
    term: Term,
    user,
    country,
    office: str,
    start_date=None,
    end_date=None,
    region: str | None = None,
    note: str = "",
    by=None,
) -> Membership:
    """Seat `user` for `country` in `office` for the term (or part of it)."""
    Term.objects.select_for_update().get(pk=term.pk)
    start_date = start_date or term.start_date
    region = membership_check(
        term=term, user=user, country=country, office=office, start_date=start_date, end_date=end_date,
        region=region,
    )  # fmt: skip
    membership = Membership(
        term=term, user=user, country=country, region=region, office=office,
        start_date=start_date, end_date=end_date, note=note,
    )  # fmt: skip
    return _save_membership(membership, by)


@transaction.atomic
def membership_update(
    *,
    membership: Membership,
    user,
    country,
    office: str,
    start_date: dt.date,
    end_date: dt.date | None,
    note: str = "",
    by=None,
) -> Membership:
    """Correct a seat (the admin's form): checked as a new seat is, and its region follows its State."""
    Term.objects.select_for_update().get(pk=membership.term_id)
    current = Membership.objects.select_related("term").get(pk=membership.pk)
    region = membership_check(
        term=current.term, user=user, country=country, office=office, start_date=start_date,
        end_date=end_date, region=membership_region_kept(membership=current, country=country),
        exclude_pk=current.pk,
    )  # fmt: skip
    current.user, current.country, current.region, current.office = user, country, region, office
    current.start_date, current.end_date, current.note = start_date, end_date, note
    return _save_membership(current, by)


@transaction.atomic
def membership_replace(
    *, membership: Membership, user, on: dt.date, country=None, note: str = "", by=None
) -> Membership:
    """Replace a member during the term from `on`: the outgoing membership ends that day and the
    new one, same office, records whom it replaces. Both stay, with their dates. `on` must fall
    strictly after the outgoing member's first day and strictly before its end day (if it has one):
    on `on` the newcomer holds the seat and the outgoing member no longer does."""
    Term.objects.select_for_update().get(pk=membership.term_id)
    outgoing = Membership.objects.select_related("term").get(pk=membership.pk)
    if hasattr(outgoing, "replaced_by"):
        raise ValidationError(_("This member has already been replaced."), code="already_replaced")
    if on <= outgoing.start_date or (outgoing.end_date and on >= outgoing.end_date):
        raise ValidationError({"on": _("The replacement must start while the outgoing member serves.")})
    country = country or outgoing.country
    end_date = outgoing.end_date
    outgoing.end_date = on
    outgoing._history_user = by
    outgoing.save(update_fields=["end_date"])
    region = membership_check(
        term=outgoing.term,
        user=user,
        country=country,
        office=outgoing.office,
        start_date=on,
        end_date=end_date,
    )
    incoming = Membership(
        term=outgoing.term, user=user, country=country, region=region, office=outgoing.office,
        start_date=on, end_date=end_date, replaces=outgoing, note=note,
    )  # fmt: skip
    return _save_membership(incoming, by)
