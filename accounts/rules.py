"""The predicates every app builds its named rules on: who is secretariat staff, and for which
States a user acts as focal point. The rules themselves live in each app's rules.py."""

import rules


@rules.predicate
def is_secretariat(user):
    return bool(user and user.is_active and user.is_staff)


def focal_point_country_ids(user):
    if not user or not user.is_authenticated:
        return set()
    cache = getattr(user, "_focal_point_country_ids", None)
    if cache is None:
        cache = set(user.focal_points.filter(active=True).values_list("country_id", flat=True))
        user._focal_point_country_ids = cache
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
