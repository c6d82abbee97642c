"""The one way a nomination's status changes; the table lives in `expertgroups/enums.py`, the
history row is the nomination's own (simple-history)."""

from minamata_portal.transitions import TransitionTable

from ..models import Nomination


def nomination_transition(
    *, nomination: Nomination, table: TransitionTable, action: str, by=None, **changes
) -> Nomination:
    """Move `nomination` by `action` under a row lock (see `TransitionTable.apply`)."""
    return table.apply(nomination, action, by=by, **changes)
