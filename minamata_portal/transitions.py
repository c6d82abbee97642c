"""One table per status: which action moves a record from which statuses to which, and which
named rule a user must hold to make that move.

Each app declares its tables in its `enums.py` beside the status they govern, and moves records
with one `transition()` function in its services (lock the row, `table.check()`, write the audit
row, save). Views and templates never compare status strings: they ask `record.can_<action>`,
which `table.install(Model)` derives from the same table, or `table.can(record, action, user)`
when the user's rule matters too.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Move:
    action: str
    sources: frozenset
    target: str
    label: str = ""
    # A named rule ("participants.accredit_registration") the user must hold, checked with the record.
    rule: str | None = None


def move(action: str, sources: Iterable, target, *, label="", rule: str | None = None) -> Move:
    return Move(action=action, sources=frozenset(sources), target=target, label=label, rule=rule)


class TransitionTable:
    def __init__(self, status_enum, moves: Iterable[Move], *, field: str = "status"):
        self.status_enum = status_enum
        self.field = field
        self.moves = {m.action: m for m in moves}
        unknown = {s for m in self.moves.values() for s in (*m.sources, m.target)} - set(status_enum.values)
        if unknown:
            raise ValueError(f"{status_enum.__name__} has no status {sorted(unknown)}")

    def __getitem__(self, action) -> Move:
        return self.moves[action]

    def __contains__(self, action) -> bool:
        return action in self.moves

    def allowed(self, status, action) -> bool:
        found = self.moves.get(action)
        return found is not None and status in found.sources

    def actions_from(self, status) -> list[Move]:
        """The moves open from `status`, in the order the table declares them."""
        return [m for m in self.moves.values() if status in m.sources]

    def targets_from(self, status) -> set:
        return {m.target for m in self.actions_from(status)}

    def sources_of(self, action) -> frozenset:
        return self.moves[action].sources

    def check(self, record, action) -> str:
        """The status `record` moves to by `action`, or a ValidationError naming both states."""
        current = getattr(record, self.field)
        if not self.allowed(current, action):
            found = self.moves.get(action)
            raise ValidationError(
                _("This is “%(current)s” and cannot become “%(target)s”.")
                % {
                    "current": self.status_enum(current).label,
                    "target": self.status_enum(found.target).label if found else action,
                },
                code="illegal_transition",
            )
        return self.moves[action].target

    def can(self, record, action, user) -> bool:
        """The move is open from the record's status and, if it names a rule, `user` holds it
        (`record.can_<action>` answers the first half alone)."""
        if not self.allowed(getattr(record, self.field), action):
            return False
        rule = self.moves[action].rule
        return rule is None or bool(user.has_perm(rule, record))

    @transaction.atomic
    def apply(self, record, action, *, by=None, change_reason: str = "", **changes):
        """Move `record` by `action`, with `changes` to other fields saved alongside.

        Locks the row and checks the move against the status read under the lock, so two people
        acting at once cannot both move it; the acting user goes into the record's history
        (django-simple-history reads `_history_user`). auto_now fields ("modified", which feeds
        and calendars read as the time of the last change) move too. Returns the locked, saved
        copy; the caller's instance is left as it was."""
        model = type(record)
        locked = model._default_manager.select_for_update().get(pk=record.pk)
        target = self.check(locked, action)
        setattr(locked, self.field, target)
        for name, value in changes.items():
            setattr(locked, name, value)
        locked._history_user = by
        if change_reason:
            locked._change_reason = change_reason  # django-simple-history's "why"
        touched = [f.name for f in model._meta.concrete_fields if getattr(f, "auto_now", False)]
        locked.save(update_fields=[self.field, *changes, *touched])
        return locked

    def install(self, model) -> None:
        """Give `model` a read-only `can_<action>` property per move (the status part only)."""
        for action in self.moves:
            name = f"can_{action}"
            if hasattr(model, name):
                raise ValueError(f"{model.__name__}.{name} already exists")
            setattr(
                model,
                name,
                property(lambda record, action=action: self.allowed(getattr(record, self.field), action)),
            )
