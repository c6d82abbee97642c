"""The permission layer: every page says who may open it, through one decorator and a named rule."""

from pathlib import Path

import pytest
import rules
from django.urls import URLPattern, URLResolver, get_resolver

ROOT = Path(__file__).resolve().parent.parent
PORTAL_APPS = (
    "accounts",
    "reference",
    "outbox",
    "letters",
    "meetings",
    "bureau",
    "documents",
    "participants",
    "api",
    "operations",
)
# Mounted libraries with their own access control: the admin (staff and model permissions),
# allauth (sign-in, sign-up) and Django's language switch.
FOREIGN_PREFIXES = ("admin/", "accounts/", "i18n/")


def _walk(patterns, prefix=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry.callback


def _portal_views():
    return [
        (route, view)
        for route, view in _walk(get_resolver().url_patterns)
        if not route.startswith(FOREIGN_PREFIXES)
    ]


def test_the_walk_finds_the_portal_pages():
    routes = [route for route, _view in _portal_views()]
    assert len(routes) > 60
    assert any(route.startswith("participants/") for route in routes)
    assert any(route.startswith("bureau/") for route in routes)


def test_every_page_is_public_or_names_its_rule():
    unmarked = [
        f"{route} ({view.__module__}.{view.__name__})"
        for route, view in _portal_views()
        if not getattr(view, "access_public", False) and not getattr(view, "access_rule", None)
    ]
    assert unmarked == []


def test_every_rule_a_page_names_exists():
    missing = [
        f"{route}: {view.access_rule}"
        for route, view in _portal_views()
        if getattr(view, "access_rule", None) and not rules.perm_exists(view.access_rule)
    ]
    assert missing == []


def _sources_outside_rules_modules():
    texts = []
    for folder in (*PORTAL_APPS, "templates", "minamata_portal"):
        for path in (ROOT / folder).rglob("*"):
            if (
                path.suffix in (".py", ".html", ".txt")
                and path.name != "rules.py"
                and "migrations" not in path.parts
            ):
                texts.append(path.read_text(encoding="utf-8"))
    return "\n".join(texts)


def test_every_named_rule_is_used_somewhere():
    """A rule declared and never asked is a rule a reader believes in and nobody enforces."""
    sources = _sources_outside_rules_modules()
    declared = [name for name in rules.permissions.permissions if name.split(".")[0] in PORTAL_APPS]
    assert declared
    unused = [name for name in declared if f'"{name}"' not in sources and f"'{name}'" not in sources]
    assert unused == []


@pytest.mark.django_db
def test_a_signed_in_user_without_the_rule_is_refused_and_an_anonymous_one_sent_to_sign_in(client):
    from django.contrib.auth import get_user_model
    from django.test import RequestFactory

    from minamata_portal.access import rule_required

    rules.add_perm("tests.never", rules.always_deny)
    try:

        @rule_required("tests.never")
        def page(request):
            raise AssertionError("the view ran")

        request = RequestFactory().get("/x")
        from django.contrib.auth.models import AnonymousUser

        request.user = AnonymousUser()
        assert page(request).status_code == 302
        request.user = get_user_model().objects.create_user(email="someone@example.org", password="x")
        from django.core.exceptions import PermissionDenied

        with pytest.raises(PermissionDenied):
            page(request)
    finally:
        rules.remove_perm("tests.never")


@pytest.mark.django_db
def test_a_rule_open_to_visitors_is_asked_for_them_too():
    from django.contrib.auth.models import AnonymousUser
    from django.http import Http404
    from django.test import RequestFactory

    from minamata_portal.access import rule_required

    rules.add_perm("tests.even_numbers", rules.predicate(lambda user, number: number % 2 == 0))
    try:

        @rule_required("tests.even_numbers", load=lambda request, n: n, anonymous=True, hide=True)
        def page(request, number, n):
            return number

        request = RequestFactory().get("/x")
        request.user = AnonymousUser()
        assert page(request, n=4) == 4
        with pytest.raises(Http404):
            page(request, n=3)

        @rule_required("tests.even_numbers", load=lambda request, n: n, anonymous=True)
        def signed_in_page(request, number, n):
            return number

        assert signed_in_page(request, n=3).status_code == 302
    finally:
        rules.remove_perm("tests.even_numbers")


@pytest.mark.django_db
def test_no_rule_shares_its_name_with_a_model_permission():
    """`has_perm("bureau.view_decision")` would also be answered by Django's model permission of
    that name, whatever the rule says."""
    from django.contrib.auth.models import Permission

    model_permissions = {
        f"{app}.{codename}"
        for app, codename in Permission.objects.values_list("content_type__app_label", "codename")
    }
    declared = {name for name in rules.permissions.permissions if name.split(".")[0] in PORTAL_APPS}
    assert declared & model_permissions == set()


def test_every_rule_a_transition_names_exists():
    import importlib

    from minamata_portal.transitions import TransitionTable

    missing = []
    for app in PORTAL_APPS:
        try:
            enums = importlib.import_module(f"{app}.enums")
        except ModuleNotFoundError:
            continue
        for name, table in vars(enums).items():
            if isinstance(table, TransitionTable):
                missing += [
                    f"{app}.{name}.{m.action}: {m.rule}"
                    for m in table.moves.values()
                    if m.rule and not rules.perm_exists(m.rule)
                ]
    assert missing == []
