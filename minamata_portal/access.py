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
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.http import Http404


def load_or_404(fetch: Callable):
    """A `load` for `rule_required`: `fetch(**url_kwargs)` (a selector), with a missing row
    answered by 404 (`bureau_meeting_detail(code=...)` for the URL `<code>`)."""

    def load(request, *args, **kwargs):
        try:
            return fetch(*args, **kwargs)
        except ObjectDoesNotExist:
            raise Http404 from None

    # What the access matrix (tests/test_access_matrix.py) builds its world by: the selector.
    load.fetch = fetch
    return load


def public(view):
    """Mark a view as open to everyone (the access test reads the mark)."""
    view.access_rule = None
    view.access_public = True
    view.access_load = None
    view.access_hide = False
    view.access_anonymous = True
    return view


def rule_required(
    rule: str,
    *,
    load: Callable | None = None,
    hide: bool = False,
    anonymous: bool = False,
    message: str = "",
):
    """Refuse the view unless the user holds `rule` (on the object `load(request, **kwargs)`
    returns, if `load` is given; the object is passed to the view after the request).

    With `anonymous=True` the rule is asked for visitors who are not signed in too (an adopted
    decision, a published document): they pass where the rule lets them, and are sent to sign in
    (or get 404 with `hide`) where it does not."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            user = request.user
            if not user.is_authenticated and not anonymous:
                return redirect_to_login(request.get_full_path())
            obj = load(request, *args, **kwargs) if load is not None else None
            if not user.has_perm(rule, obj):
                if hide:
                    raise Http404
                if not user.is_authenticated:
                    return redirect_to_login(request.get_full_path())
                raise PermissionDenied(message or None)
            # The rule let the user in: a refusal further on is the view's own (an action on the
            # page that another rule opens), which the access matrix tells apart by this mark.
            request.access_granted = rule
            if load is None:
                return view(request, *args, **kwargs)
            return view(request, obj, *args, **kwargs)

        # What the wrapper checks, for the access matrix to derive each answer from
        # (tests/test_access_matrix.py): the rule, the object it is asked on, 404 or 403, visitors.
        wrapper.access_rule = rule
        wrapper.access_public = False
        wrapper.access_load = load
        wrapper.access_hide = hide
        wrapper.access_anonymous = anonymous
        return wrapper

    return decorator
