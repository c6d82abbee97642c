"""Factories for the letters' tests."""

import factory

from accounts.models import FocalPoint
from tests.factories import FocalPointFactory, UserFactory, country


def party_focal_points(iso3_codes, **user_kwargs):
    """One focal point per State, each a real Party (reference data) with its own account."""
    return [
        FocalPointFactory(
            country=country(iso3), user=UserFactory(roles=["National focal point"], **user_kwargs)
        )
        for iso3 in iso3_codes
    ]


class ObserverFocalPointFactory(FocalPointFactory):
    class Meta:
        model = FocalPoint

    user = factory.SubFactory(UserFactory)
