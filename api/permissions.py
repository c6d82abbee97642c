from django.utils.translation import gettext_lazy as _
from rest_framework import permissions

from .models import ApiToken


class TokenScopeAllows(permissions.BasePermission):
    """A read token reads; only a read-write token changes anything (and only what its owner may)."""

    message = _("This token may only read: make a read-and-write token to change anything.")

    def has_permission(self, request, view):
        if request.method in permissions.SAFE_METHODS:
            return True
        token = request.auth
        return not isinstance(token, ApiToken) or token.may_write


class HoldsRule(permissions.BasePermission):
    """The view's `access_rule` (a named rule of the pages), held by the request's user; views
    whose rule needs an object check it themselves with `user.has_perm(rule, obj)`."""

    def has_permission(self, request, view):
        rule = getattr(view, "access_rule", None)
        if rule is None:
            return True
        # No rule of the staff part holds for a visitor: 401, so a tool knows to send its token.
        if not request.user.is_authenticated:
            return False
        return getattr(view, "rule_on_object", False) or bool(request.user.has_perm(rule))
