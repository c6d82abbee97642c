"""Who may do what with calls (`calls.<rule>`).

Staff whose role holds the calls permissions (the documents officer, the secretariat
administrator) create and send calls, decide on answers, remind and compile. A focal point answers
for their own State, an observer contact for their own organisation, and only calls that were sent;
any other State's or organisation's answer page is a 404 to them."""

import rules

from accounts.rules import focal_point_country_ids, holds, is_secretariat
from participants.selectors import organisations_represented_by

from .enums import CallStatus

is_calls_staff = is_secretariat & holds("calls.change_call")


def _speaks_for(user, *, country_id=None, organisation_id=None) -> bool:
    if country_id is not None:
        return country_id in focal_point_country_ids(user)
    if organisation_id is not None:
        return organisations_represented_by(user).filter(pk=organisation_id).exists()
    return False


@rules.predicate
def is_answerer(user):
    return bool(focal_point_country_ids(user)) or organisations_represented_by(user).exists()


@rules.predicate
def speaks_for_seat(user, seat):
    """The seat's State is one the user is focal point for, or its organisation one they speak
    for, and the call has been sent."""
    if seat is None or seat.call.status == CallStatus.DRAFT:
        return False
    return _speaks_for(
        user,
        country_id=seat.country.pk if seat.country else None,
        organisation_id=seat.organisation.pk if seat.organisation else None,
    )


@rules.predicate
def speaks_for_answer_of_file(user, stored):
    answer = stored.answer if stored is not None else None
    return answer is not None and _speaks_for(
        user, country_id=answer.country_id, organisation_id=answer.organisation_id
    )


rules.add_perm("calls.manage_calls", is_calls_staff)
rules.add_perm("calls.answer_calls", is_answerer)
rules.add_perm("calls.answer_call", speaks_for_seat)
rules.add_perm("calls.view_answer_file", is_calls_staff | speaks_for_answer_of_file)
