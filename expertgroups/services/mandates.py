"""A group's mandate: the decision that set it, and the later decisions that extended it."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from bureau.models import Decision
from meetings.models import ExpertGroup, Meeting

from ..models import GroupMandate


def mandate_end_check(*, ends_with_meeting: Meeting | None, ends_on: dt.date | None) -> None:
    if ends_with_meeting is None and ends_on is None:
        raise ValidationError(
            {"ends_with_meeting": _("Say when the mandate ends: a meeting (until COP-4) or a date.")}
        )
    if ends_with_meeting is not None and ends_on is not None:
        raise ValidationError({"ends_on": _("Give the meeting or the date the mandate ends, not both.")})


def mandate_record_check(
    *, group: ExpertGroup | None, decision: Decision | None, ends_with_meeting: Meeting | None,
    ends_on: dt.date | None, lock: bool = False,
) -> GroupMandate | None:  # fmt: skip
    """Refuse a mandate record that names no group or decision, no end or two, a decision already
    in the group's mandate, or an extension that does not end later; return the record it extends
    (None for the decision that sets the mandate)."""
    if group is None:
        raise ValidationError({"group": _("Choose the expert group.")})
    if decision is None:
        raise ValidationError({"decision": _("Choose the decision.")})
    mandate_end_check(ends_with_meeting=ends_with_meeting, ends_on=ends_on)
    records = GroupMandate.objects.filter(group=group).select_related("ends_with_meeting").order_by("pk")
    records = list(records.select_for_update(of=("self",)) if lock else records)
    if not records:
        return None
    if decision.pk in {m.decision_id for m in records}:
        raise ValidationError({"decision": _("This decision is in the group's mandate already.")})
    extended = {m.extends_id for m in records}
    last = next(m for m in records if m.pk not in extended)
    new_end = ends_with_meeting.end_date if ends_with_meeting is not None else ends_on
    if new_end <= last.end_date:
        raise ValidationError(
            {
                "ends_on": _("An extension ends after the mandate it extends (%(end)s).")
                % {"end": last.end_date}
            }
        )
    return last


@transaction.atomic
def mandate_record(
    *,
    group: ExpertGroup,
    decision: Decision,
    ends_with_meeting: Meeting | None = None,
    ends_on: dt.date | None = None,
    by,
) -> GroupMandate:
    """Record the decision that set the group's mandate and when it ends or, once one is on file, a
    later decision extending it to a new end: the new last link of the chain."""
    extends = mandate_record_check(
        group=group, decision=decision, ends_with_meeting=ends_with_meeting, ends_on=ends_on, lock=True
    )
    mandate = GroupMandate(
        group=group, decision=decision, ends_with_meeting=ends_with_meeting, ends_on=ends_on, extends=extends
    )
    mandate._history_user = by
    try:
        with transaction.atomic():
            mandate.save()
    except IntegrityError:  # two first records at once: the one-mandate-per-group constraint
        raise ValidationError(
            {"group": _("This group's mandate was recorded meanwhile: try again.")}
        ) from None
    return mandate
