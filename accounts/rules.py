"""The predicates every app builds its named rules on: who is secretariat staff, and for which
States a user acts as focal point. The rules themselves live in each app's rules.py."""

import rules


@rules.predicate
def is_secretariat(user):
    return bool(user and user.is_active and user.is_staff)


# The States a user acts for, cached on the user object. Django loads `request.user` afresh at every
# request, so the cache lives one request: a focal point deactivated now is refused at the next one.
# Never keep a user object (and so this cache) beyond a request; `focal_point_save` drops it.
FOCAL_POINT_CACHE = "_focal_point_country_ids"


def focal_point_country_ids(user):
    if not user or not user.is_authenticated or not user.is_active:
        return set()
    cache = getattr(user, FOCAL_POINT_CACHE, None)
    if cache is None:
        cache = set(user.focal_points.filter(active=True).values_list("country_id", flat=True))
        setattr(user, FOCAL_POINT_CACHE, cache)
    return cache


@rules.predicate
def is_focal_point_for(user, country):
    if country is None:
        return False
    country_id = getattr(country, "pk", country)
    return country_id in focal_point_country_ids(user)


def holds(permission: str):
    """A predicate: the user's roles give them the model permission `permission`
    ("bureau.change_term"). The role table in accounts/roles.py decides who that is."""

    @rules.predicate(name=f"holds {permission}")
    def holds_permission(user):
        # Without an object: Django's ModelBackend answers only object-free model permissions.
        return bool(user is not None and user.is_active and user.has_perm(permission))

    return holds_permission


# The secretariat's desk (the admin and the staff pages): where staff land and what the navigation
# offers them. Each page behind it asks its own rule.
rules.add_perm("accounts.use_secretariat_desk", is_secretariat)
