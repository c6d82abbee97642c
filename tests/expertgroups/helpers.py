"""Members made the real way: nominated by a focal point, appointed by the secretariat."""

from expertgroups.services import nomination_appoint, nomination_create, nomination_decline
from tests.factories import UserFactory


def appointed(*, group, focal_point, email, name="An Expert", consent=True, by, **appoint):
    country = focal_point.focal_points.get().country
    nomination = nomination_create(
        group=group, country=country, name=name, email=email, expertise="Waste chemistry",
        publish_consent=consent, by=focal_point,
    )  # fmt: skip
    return nomination_appoint(nomination=nomination, by=by, **appoint)


def expert_account(email):
    return UserFactory(email=email)


__all__ = ["appointed", "expert_account", "nomination_decline"]
