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


class RegistrationFactory(factory.django.DjangoModelFactory):
    """A State delegate's registration (participants.Registration), for letters' tests."""

    class Meta:
        model = "participants.Registration"

    meeting = factory.SubFactory("tests.factories.MeetingFactory")
    user = factory.SubFactory(UserFactory, roles=["Delegate"])
    capacity = "party"
    country = factory.LazyFunction(lambda: country("ZMB"))
    first_name = factory.LazyAttribute(lambda r: r.user.first_name)
    last_name = factory.LazyAttribute(lambda r: r.user.last_name)
    email = factory.LazyAttribute(lambda r: r.user.email)
    function = "Director of Environment"
    status = "accredited"
