"""Which roles a person holds, as the portal's named rules answer it, and what follows from them:
the page they land on after signing in and the pages the navigation shows them.

The rules are named by string (`rules.has_perm`), so accounts, the lowest app, imports none of
the apps whose rules it asks: a rule that is not registered simply answers no.

The roles are worked out at sign-in (some rules read the database: focal points, the Bureau's
current term) and kept in the session, so the navigation costs no query on most pages; they are
worked out again once they are ROLES_REFRESH_SECONDS old, so a role given or taken away during a
session shows in the navigation within that time without signing in again. Access itself is
decided afresh at every request by each page's rule: until then a focal point withdrawn during
their session still sees the link, and is refused behind it.
"""

import time
from dataclasses import dataclass

import rules
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _

SESSION_KEY = "portal_roles"
SESSION_AT_KEY = "portal_roles_at"
# How old the session's roles may grow before they are worked out again (a few queries).
ROLES_REFRESH_SECONDS = 120


@dataclass(frozen=True)
class Role:
    key: str
    rule: str | None  # None: everyone signed in
    landing: str  # the URL name they land on
    nav_label: object  # the navigation's link to their pages (None: none of its own)


# In order of precedence: who holds several roles lands on the first one's page.
ROLES = (
    Role("secretariat", "accounts.use_secretariat_desk", "admin:index", _("Secretariat")),
    Role("bureau", "bureau.view_bureau_pages", "bureau:home", _("Bureau")),
    Role(
        "focal_point", "participants.act_as_focal_point", "participants:fp_home", _("My State's delegations")
    ),
    Role("delegate", None, "participants:mine", None),
    # Focal points and observer contacts answer the calls sent to their State or organisation;
    # after "delegate" (held by everyone), so it adds a link without changing where anyone lands.
    Role("answerer", "calls.answer_calls", "calls:mine", _("Calls")),
    # Focal points and observer contacts nominate experts; appointed experts comment on drafts.
    Role("nominator", "expertgroups.nominate", "expertgroups:nominate", _("Expert nominations")),
    Role("expert", "expertgroups.act_as_expert", "expertgroups:mine", _("My expert groups")),
)
ROLE_BY_KEY = {role.key: role for role in ROLES}


def user_roles(user) -> list[str]:
    """The keys of the roles `user` holds, in order of precedence (empty when signed out)."""
    if user is None or not user.is_authenticated:
        return []
    return [role.key for role in ROLES if role.rule is None or rules.has_perm(role.rule, user)]


def landing_url(user) -> str:
    """Where `user` lands after signing in: the page of what they act on."""
    keys = user_roles(user)
    return reverse(ROLE_BY_KEY[keys[0]].landing if keys else "home")


def session_roles_remember(request, user) -> list[str]:
    """Work the roles out now and keep them for the navigation (at sign-in, and where a page
    changes them: a focal point's invitation accepted)."""
    keys = user_roles(user)
    if hasattr(request, "session"):
        request.session[SESSION_KEY] = keys
        request.session[SESSION_AT_KEY] = int(time.time())
    return keys


def roles_remember_on_sign_in(sender, request, user, **kwargs):
    """Django's `user_logged_in`: every sign-in (allauth's, the admin's, a test client's)."""
    if request is not None:
        session_roles_remember(request, user)


def session_roles(request) -> list[str]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not hasattr(request, "session"):
        return []
    keys = request.session.get(SESSION_KEY)
    worked_out_at = request.session.get(SESSION_AT_KEY, 0)
    # None: a session older than this code.
    if keys is None or time.time() - worked_out_at >= ROLES_REFRESH_SECONDS:
        keys = session_roles_remember(request, user)
    return keys


def portal_roles(request) -> dict:
    """Context processor: `portal_roles` (the keys of the person's roles) and `portal_nav` (the
    links to their roles' pages, for the navigation)."""
    keys = session_roles(request)
    nav = []
    for key in keys:
        role = ROLE_BY_KEY.get(key)
        if role is not None and role.nav_label is not None:
            url = reverse(role.landing)
            nav.append({"key": key, "url": url, "label": role.nav_label,
                        "current": request.path.startswith(url)})  # fmt: skip
    user = getattr(request, "user", None)
    return {
        "portal_roles": set(keys),
        "portal_nav": nav,
        # Read only by the pages that show them (the home page): no query elsewhere.
        "portal_focal_points": SimpleLazyObject(
            lambda: (
                list(user.focal_points.filter(active=True).select_related("country").order_by("pk"))
                if "focal_point" in keys
                else []
            )
        ),
    }
