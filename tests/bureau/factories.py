"""Factories for the Bureau's tests: a COP Bureau term with its members, built through the services."""

import datetime as dt

from bureau.enums import BodyKind, Office
from bureau.services import body_ensure, membership_add, term_create
from tests.factories import MeetingFactory, UserFactory, country

# Two real States per region, as the Bureau's balance requires, all Parties when the COP-1 Bureau
# was elected (29 September 2017): officers are elected from the Parties.
STATES_BY_REGION = {
    "african": ["ZMB", "SEN"],
    "asia_pacific": ["JPN", "IRN"],
    "eastern_european": ["MDA", "SVK"],
    "latin_american_caribbean": ["PER", "MEX"],
    "western_european_other": ["CHE", "CAN"],
}
OFFICES = [Office.PRESIDENT, Office.VICE_PRESIDENT, Office.VICE_PRESIDENT, Office.VICE_PRESIDENT,
           Office.RAPPORTEUR] + [Office.VICE_PRESIDENT] * 5  # fmt: skip


def bureau_term(*, start=dt.date(2017, 9, 29), end=None, elected_at=None, ends_at=None):
    body = body_ensure(kind=BodyKind.COP_BUREAU)
    return term_create(body=body, start_date=start, end_date=end, elected_at=elected_at, ends_at=ends_at)


def full_bureau(*, start=dt.date(2017, 9, 29), end=dt.date(2018, 11, 23), users=None):
    """A balanced Bureau: ten members, two per region, a President and a rapporteur."""
    term = bureau_term(start=start, end=end)
    states = [iso3 for pair in STATES_BY_REGION.values() for iso3 in pair]
    members = []
    for i, (iso3, office) in enumerate(zip(states, OFFICES, strict=True)):
        user = users[i] if users and i < len(users) else UserFactory(roles=["Bureau member"])
        members.append(membership_add(term=term, user=user, country=country(iso3), office=office))
    return term, members


def bureau_member(*, term=None, iso3="ZMB", office=Office.VICE_PRESIDENT, user=None, **kwargs):
    term = term or bureau_term()
    user = user or UserFactory(roles=["Bureau member"])
    return membership_add(term=term, user=user, country=country(iso3), office=office, **kwargs)


__all__ = ["MeetingFactory", "bureau_member", "bureau_term", "full_bureau"]
