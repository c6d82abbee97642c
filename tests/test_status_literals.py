"""A status is named only in its app's enums.py: code and templates ask `can_<action>` or use the
enum's members, so renaming or adding a status never leaves a stale string behind."""

import importlib
import re
from pathlib import Path

from django.db import models

from minamata_portal.transitions import TransitionTable

ROOT = Path(__file__).resolve().parent.parent
APPS = ("outbox", "letters", "meetings", "bureau", "documents", "participants", "api")


def _status_enums():
    """Every enum named *Status, and every enum a transition table governs (a review's decision)."""
    for app in APPS:
        module = importlib.import_module(f"{app}.enums")
        governed = {
            table.status_enum for table in vars(module).values() if isinstance(table, TransitionTable)
        }
        for name, value in vars(module).items():
            if not (isinstance(value, type) and issubclass(value, models.TextChoices)):
                continue
            if value in governed or (name.endswith("Status") and value.__module__ == module.__name__):
                yield app, value


def _files():
    for folder in (*APPS, "templates"):
        for path in (ROOT / folder).rglob("*"):
            if path.suffix not in (".py", ".html", ".txt"):
                continue
            if "migrations" in path.parts or path.name in ("enums.py", "migration_operations.py"):
                continue
            yield path


def test_the_walk_knows_every_status_enum():
    names = {enum.__name__ for _app, enum in _status_enums()}
    assert {
        "RegistrationStatus",
        "ProcessingStatus",
        "MandateStatus",
        "SideEventStatus",
        "ReviewDecision",
    } <= names


# Words that are also status values but mean something else where they stand: a field of the same
# name, and a trigger key whose wording must not change for mails already stored under it.
NOT_STATUSES = {
    ("participants/admin.py", '"submitted"'): "the observer request's `submitted` date field",
    ("bureau/services/reviews.py", "'sent'"): "part of a stored mail's trigger key",
}


# An admin's `actions = [...]` names its methods (a verdict's action may share its word).
ADMIN_ACTIONS = re.compile(r"^\s*actions = \[")


def _status_pattern():
    values = {value for _app, enum in _status_enums() for value in enum.values}
    alternatives = "|".join(re.escape(v) for v in sorted(values, key=len, reverse=True))
    # Not a status: a translated label `_("sent")`, an error code `code="superseded"`, a key `"adopted": x`.
    return re.compile(rf"""(?<!_\()(?<!code=)(["'])({alternatives})\1(?!:\s*\S)""")


def test_no_status_string_outside_the_enums():
    pattern = _status_pattern()
    found = []
    for path in _files():
        relative = str(path.relative_to(ROOT))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if ADMIN_ACTIONS.match(line):
                continue
            for match in pattern.finditer(line):
                if (relative, match.group(0)) not in NOT_STATUSES:
                    found.append(f"{relative}:{number}: {match.group(0)}")
    assert found == []


def test_the_scan_catches_a_status_compared_as_a_string():
    pattern = _status_pattern()
    assert pattern.search('{% if registration.status == "pre_registered" %}')
    assert pattern.search("if version.status == 'published':")
    assert not pattern.search('label = _("published")')
    assert not pattern.search('{"adopted": decision.adopted_on}')
