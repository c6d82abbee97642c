"""The shared transition table every app declares its statuses with."""

from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError
from django.db import models

from minamata_portal.transitions import TransitionTable, move


class Light(models.TextChoices):
    RED = "red", "Red"
    GREEN = "green", "Green"
    AMBER = "amber", "Amber"


TABLE = TransitionTable(
    Light,
    [
        move("go", {Light.RED}, Light.GREEN, label="Go"),
        move("slow", {Light.GREEN}, Light.AMBER, rule="tests.may_slow"),
        move("stop", {Light.GREEN, Light.AMBER}, Light.RED),
    ],
)


def test_a_move_is_allowed_only_from_its_sources():
    assert TABLE.allowed(Light.RED, "go")
    assert not TABLE.allowed(Light.GREEN, "go")
    assert not TABLE.allowed(Light.RED, "fly")
    assert [m.action for m in TABLE.actions_from(Light.GREEN)] == ["slow", "stop"]
    assert TABLE.targets_from(Light.GREEN) == {Light.AMBER, Light.RED}
    assert TABLE.sources_of("stop") == {Light.GREEN, Light.AMBER}


def test_check_returns_the_target_or_names_both_states():
    assert TABLE.check(SimpleNamespace(status=Light.RED), "go") == Light.GREEN
    with pytest.raises(ValidationError) as caught:
        TABLE.check(SimpleNamespace(status=Light.AMBER), "go")
    assert caught.value.code == "illegal_transition"
    assert "Amber" in caught.value.messages[0] and "Green" in caught.value.messages[0]


def test_can_asks_the_moves_rule_of_the_user():
    green = SimpleNamespace(status=Light.GREEN)
    allowed = SimpleNamespace(has_perm=lambda rule, obj: rule == "tests.may_slow" and obj is green)
    refused = SimpleNamespace(has_perm=lambda rule, obj: False)
    assert TABLE.can(green, "slow", allowed)
    assert not TABLE.can(green, "slow", refused)
    assert TABLE.can(green, "stop", refused)  # no rule on that move
    assert not TABLE.can(SimpleNamespace(status=Light.RED), "slow", allowed)


def test_a_table_naming_an_unknown_status_is_refused_when_declared():
    with pytest.raises(ValueError, match="no status"):
        TransitionTable(Light, [move("blink", {"blue"}, Light.RED)])


def test_install_gives_the_model_can_properties():
    class Signal:
        def __init__(self, status):
            self.status = status

    TABLE.install(Signal)
    assert Signal(Light.RED).can_go and not Signal(Light.RED).can_stop
    assert Signal(Light.AMBER).can_stop
    with pytest.raises(ValueError, match="already exists"):
        TABLE.install(Signal)
