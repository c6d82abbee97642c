"""Who may act for which State. Later apps build their predicates on these."""

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


rules.add_perm("accounts.act_for_country", is_secretariat | is_focal_point_for)
