"""The one way a page says who may open it.

Every view of the portal is either `@public` or `@rule_required("<app>.<rule>", ...)`, where the
rule is a named predicate in that app's `rules.py` (django-rules) and the role table in
`accounts/roles.py` decides who holds the model permissions the predicates build on. A test walks
every URL pattern and refuses one that says neither (`tests/test_access_layer.py`).

`load` turns the URL's arguments into the object the rule is checked against; the view then gets
that object as its first argument after the request, so it is read once. An anonymous visitor is
sent to sign in; a signed-in user without the rule gets 403, or 404 with `hide=True` where even
knowing the object exists is more than they should learn.
"""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404


def public(view):
    """Mark a view as open to everyone (the access test reads the mark)."""
    view.access_rule = None
    view.access_public = True
    return view


def rule_required(rule: str, *, load: Callable | None = None, hide: bool = False, message: str = ""):
    """Refuse the view unless the user holds `rule` (on the object `load(request, **kwargs)`
    returns, if `load` is given; the object is passed to the view after the request)."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            user = request.user
            if not user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if load is None:
                if not user.has_perm(rule):
                    raise PermissionDenied(message or None)
                return view(request, *args, **kwargs)
            obj = load(request, *args, **kwargs)
            if not user.has_perm(rule, obj):
                if hide:
                    raise Http404
                raise PermissionDenied(message or None)
            return view(request, obj, *args, **kwargs)

        wrapper.access_rule = rule
        wrapper.access_public = False
        return wrapper

    return decorator
