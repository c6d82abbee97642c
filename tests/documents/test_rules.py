"""Every page of the app says who may open it: `@public`, or one named rule of `documents/rules.py`."""

import pytest
import rules
from django.urls import URLResolver, get_resolver

from accounts import roles
from tests.factories import StaffFactory, UserFactory


def _documents_views():
    (app,) = [
        p for p in get_resolver().url_patterns if isinstance(p, URLResolver) and p.app_name == "documents"
    ]
    return {pattern.name: pattern.callback for pattern in app.url_patterns}


def test_every_documents_view_is_public_or_names_a_documents_rule():
    marks = {name: (view.access_public, view.access_rule) for name, view in _documents_views().items()}
    public = sorted(name for name, (is_public, _rule) in marks.items() if is_public)
    assert public == ["meeting", "search"]
    # One document and its files: the rule is asked of visitors too, and hides what it refuses.
    assert marks["detail"] == marks["download"] == (False, "documents.read_document")
    for name, (is_public, rule) in marks.items():
        assert is_public or (rule.startswith("documents.") and rules.perm_exists(rule)), name


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "expected"),
    [
        (
            roles.DOCUMENTS_OFFICER,
            {"manage_processing": True, "register_document": True, "view_submissions": True},
        ),
        (
            roles.SECRETARIAT_ADMIN,
            {"manage_processing": True, "register_document": True, "view_submissions": True},
        ),
        (
            roles.REGISTRATION_OFFICER,
            {"manage_processing": False, "register_document": False, "view_submissions": False},
        ),
    ],
)
def test_the_role_table_decides_the_documents_rules(role, expected):
    user = StaffFactory(roles=[role])
    assert {rule: user.has_perm(f"documents.{rule}") for rule in expected} == expected


@pytest.mark.django_db
def test_a_delegate_holds_no_documents_rule():
    user = UserFactory(roles=[roles.DELEGATE])
    assert not any(
        user.has_perm(f"documents.{r}")
        for r in ("manage_processing", "register_document", "view_submissions")
    )
