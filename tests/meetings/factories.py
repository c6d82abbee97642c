import datetime as dt
import zoneinfo

import factory

from meetings.enums import SessionKind, SideEventStatus
from meetings.models import Contribution, Session, SideEvent, SideEventSlot
from tests.factories import MeetingFactory

GENEVA = zoneinfo.ZoneInfo("Europe/Zurich")


def geneva(day, hour, minute=0):
    """A wall-clock time in Geneva during COP-2's week (19–23 November 2018)."""
    return dt.datetime(2018, 11, day, hour, minute, tzinfo=GENEVA)


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Session

    meeting = factory.SubFactory(MeetingFactory)
    kind = SessionKind.PLENARY
    title_en = factory.Sequence(lambda n: f"Plenary session {n}")
    room = factory.Sequence(lambda n: f"Room {n}")
    starts = factory.LazyFunction(lambda: geneva(19, 10))
    ends = factory.LazyFunction(lambda: geneva(19, 13))


class SideEventSlotFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SideEventSlot

    meeting = factory.SubFactory(MeetingFactory)
    starts = factory.Sequence(lambda n: geneva(19 + n % 5, 13, 15) + dt.timedelta(minutes=n // 5))
    ends = factory.LazyAttribute(lambda s: s.starts + dt.timedelta(minutes=90))


class SideEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SideEvent

    meeting = factory.SubFactory(MeetingFactory)
    status = SideEventStatus.SUBMITTED
    organisation = "Zero Mercury Working Group"
    title = factory.Sequence(lambda n: f"Mercury-free dentistry {n}")
    description = "Phasing down dental amalgam under Annex A."
    expected_attendance = 60
    contact_name = "Ana Ruiz"
    contact_email = factory.Sequence(lambda n: f"organiser{n}@example.org")


class ContributionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contribution

    meeting = factory.SubFactory(MeetingFactory)
    donor_name = "European Union"
    amount = "50000.00"
    currency = "USD"
