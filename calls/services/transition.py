"""The one function that moves a call's or an answer's status: lock the row, check the move
against its table (calls/enums.py), save it with the fields that go with it, and record who did it
and why in the history."""

from django.db import transaction

from ..enums import ANSWER_TRANSITIONS, CALL_TRANSITIONS
from ..models import Answer, Call

TABLES = {Call: CALL_TRANSITIONS, Answer: ANSWER_TRANSITIONS}


@transaction.atomic
def transition(record, action: str, *, by, changes: dict | None = None, reason: str = ""):
    """Move `record` by `action`; returns the locked, saved row (`record` gets the new status too).
    A move its table does not allow raises ValidationError naming both statuses."""
    table = TABLES[type(record)]
    row = type(record).objects.select_for_update().get(pk=record.pk)
    target = table.check(row, action)
    setattr(row, table.field, target)
    for name, value in (changes or {}).items():
        setattr(row, name, value)
    row._history_user = by
    row._change_reason = reason or str(table.status_enum(target).label)
    row.save()
    setattr(record, table.field, target)
    for name, value in (changes or {}).items():
        setattr(record, name, value)
    return row
