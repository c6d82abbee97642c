import datetime as dt
import io

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from meetings.enums import MeetingStatus
from participants.enums import Capacity, OrganisationKind, RegistrationStatus
from participants.models import NominationLetter, Organisation, Registration
from tests.factories import MeetingFactory, UserFactory, country


def open_meeting(**kwargs):
    now = timezone.now()
    defaults = {
        "status": MeetingStatus.REGISTRATION_OPEN,
        "registration_opens": now - dt.timedelta(days=10),
        "registration_closes": now + dt.timedelta(days=10),
    }
    defaults.update(kwargs)
    return MeetingFactory(**defaults)


def upcoming_meeting(**kwargs):
    """A meeting open for registration that has not taken place yet (open_meeting's dates are
    2018's: its registrations are a past meeting's, no longer the delegate's to change)."""
    start = timezone.localdate() + dt.timedelta(days=60)
    return open_meeting(**{"start_date": start, "end_date": start + dt.timedelta(days=4), **kwargs})


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Zero Mercury Working Group {n}")
    kind = OrganisationKind.NGO


class RegistrationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Registration

    meeting = factory.SubFactory(MeetingFactory)
    user = factory.SubFactory(UserFactory)
    capacity = Capacity.PARTY
    country = factory.LazyFunction(lambda: country("ZMB"))
    first_name = factory.LazyAttribute(lambda r: r.user.first_name)
    last_name = factory.LazyAttribute(lambda r: r.user.last_name)
    email = factory.LazyAttribute(lambda r: r.user.email)
    function = "Director of Environment"
    status = RegistrationStatus.PRE_REGISTERED


def pdf_bytes(text="Note verbale"):
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def pdf_upload(name="note-verbale.pdf"):
    return SimpleUploadedFile(name, pdf_bytes(), content_type="application/pdf")


class NominationLetterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NominationLetter

    meeting = factory.SubFactory(MeetingFactory)
    country = factory.LazyFunction(lambda: country("ZMB"))
    file = factory.LazyFunction(lambda: SimpleUploadedFile("letter.pdf", pdf_bytes()))
    original_name = "letter.pdf"
    size = 500
