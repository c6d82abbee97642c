"""The one function that moves a call's or an answer's status: lock the row, check the move
against its table (calls/enums.py), save it with the fields that go with it, and record who did it
and why in the history."""

from ..enums import ANSWER_TRANSITIONS, CALL_TRANSITIONS
from ..models import Answer, Call

TABLES = {Call: CALL_TRANSITIONS, Answer: ANSWER_TRANSITIONS}


def transition(record, action: str, *, by, changes: dict | None = None, reason: str = ""):
    """Move `record` by `action` (TransitionTable.apply: lock, check, save, history); returns the
    locked, saved row (`record` gets the new status too). A move its table does not allow raises
    ValidationError naming both statuses. The history's reason is `reason`, else the new status."""
    table = TABLES[type(record)]
    target = table.moves[action].target
    changes = changes or {}
    row = table.apply(
        record, action, by=by, change_reason=reason or str(table.status_enum(target).label), **changes
    )
    for name, value in {table.field: getattr(row, table.field), **changes}.items():
        setattr(record, name, value)
    return row
