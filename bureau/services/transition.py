"""The one way a Bureau status changes: a reviewer's answer, a decision's adoption, a mandate's
progress. The tables live in `bureau/enums.py`; the history row is the record's own (simple-history)."""

from django.db import models

from minamata_portal.transitions import TransitionTable


def transition(
    *, record: models.Model, table: TransitionTable, action: str, by=None, **changes
) -> models.Model:
    """Move `record` by `action` of `table` under a row lock (see `TransitionTable.apply`)."""
    return table.apply(record, action, by=by, **changes)
