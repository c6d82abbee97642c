"""Factories shared by every app's tests."""

import datetime as dt

import factory
from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.contrib.auth.models import Group

from accounts.models import FocalPoint, User
from meetings.enums import MeetingKind, MeetingStatus
from meetings.models import AgendaItem, AgendaVersion, Meeting
from reference.models import Country

PASSWORD = "correct horse battery staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def verified(self, create, extracted, **kwargs):
        if create and extracted is not False:
            EmailAddress.objects.create(user=self, email=self.email, verified=True, primary=True)
        if create:
            self.save()

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        if create and extracted:
            self.groups.add(*Group.objects.filter(name__in=extracted))


class StaffFactory(UserFactory):
    """Secretariat staff, enrolled in two-factor authentication as the portal requires.
    The TOTP secret is kept on the instance as `totp_secret` for tests that sign in for real."""

    is_staff = True

    @factory.post_generation
    def totp(self, create, extracted, **kwargs):
        if create and extracted is not False:
            self.totp_secret = generate_totp_secret()
            TOTP.activate(self, self.totp_secret)


def country(iso3):
    """A real State from the reference data (loaded once per test database)."""
    return Country.objects.get(iso3=iso3)


class FocalPointFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FocalPoint

    user = factory.SubFactory(UserFactory, roles=["National focal point"])
    country = factory.LazyFunction(lambda: country("ZMB"))


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    kind = MeetingKind.COP
    number = factory.Sequence(lambda n: n + 10)
    code = factory.Sequence(lambda n: f"test-meeting-{n}")
    title_en = factory.LazyAttribute(lambda m: f"Meeting {m.code}")
    start_date = dt.date(2018, 11, 19)
    end_date = dt.date(2018, 11, 23)
    city = "Geneva"
    country = factory.LazyFunction(lambda: country("CHE"))
    time_zone = "Europe/Zurich"
    status = MeetingStatus.PLANNED
    symbol_prefix = factory.LazyAttribute(lambda m: f"UNEP/MC/COP.{m.number}")


class AgendaVersionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgendaVersion

    meeting = factory.SubFactory(MeetingFactory)
    number = factory.Sequence(lambda n: n + 1)


class AgendaItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgendaItem

    version = factory.SubFactory(AgendaVersionFactory)
    position = factory.Sequence(lambda n: n + 1)
    title_en = factory.Faker("sentence", nb_words=5)
