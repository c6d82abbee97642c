import datetime as dt
from decimal import Decimal
from io import BytesIO

import pytest
from pypdf import PdfReader

from letters.enums import LetterKind, LetterStatus
from letters.models import Letter
from letters.services.issuing import LetterActionError
from outbox.enums import MailStatus
from participants.letters import (
    letter_batch_confirm_accredited,
    letter_batch_for_registrations,
    letter_request,
)
from participants.models import FundingRequest, VisaRequest
from tests.factories import MeetingFactory, StaffFactory, UserFactory, country

from .factories import RegistrationFactory

pytestmark = pytest.mark.django_db


def text_of(letter) -> str:
    letter.refresh_from_db()
    assert letter.status == LetterStatus.RENDERED, letter.last_error
    assert letter.delivery_status == MailStatus.SENT, letter.mail.last_error
    return " ".join(" ".join(p.extract_text() for p in PdfReader(BytesIO(letter.pdf.read())).pages).split())


@pytest.fixture
def cop2():
    return MeetingFactory(
        code="cop-2", number=2, start_date=dt.date(2018, 11, 19), end_date=dt.date(2018, 11, 23),
        city="Geneva", venue="Centre International de Conférences Genève", symbol_prefix="UNEP/MC/COP.2",
        title_en="Second meeting of the Conference of the Parties",
        title_fr="Deuxième réunion de la Conférence des Parties",
    )  # fmt: skip


def test_confirmation_letter_for_a_registration(cop2, django_capture_on_commit_callbacks, smtp_server):
    user = UserFactory(first_name="Mwila", last_name="Banda")
    registration = RegistrationFactory(meeting=cop2, user=user, title="Mme", correspondence_language="fr")
    with django_capture_on_commit_callbacks(execute=True):
        letter = letter_request(kind=LetterKind.CONFIRMATION, registration=registration)
        again = letter_request(kind=LetterKind.CONFIRMATION, registration=registration)
    assert again.pk == letter.pk
    text = text_of(letter)
    assert "Mme Mwila Banda" in text
    assert "Deuxième réunion de la Conférence des Parties" in text
    assert "19–23 novembre 2018" in text
    assert "Zambie" in text
    assert letter.reference == "MC/COP.2/2018/CONF/0001"
    assert (letter.registration, letter.recipient_user) == (registration, user)
    assert list(registration.letters.all()) == [letter]
    assert [m["to"] for m in smtp_server.wait_for(1)] == [[registration.email]]


def test_visa_letter_prints_the_passport_details_without_storing_the_number(
    cop2, django_capture_on_commit_callbacks, smtp_server
):
    registration = RegistrationFactory(
        meeting=cop2, first_name="Ana", last_name="Quispe", country=country("PER")
    )
    VisaRequest.objects.create(
        registration=registration, passport_number="P1234567", passport_country=country("PER"),
        passport_expires=dt.date(2027, 3, 31), embassy="Embassy of Switzerland in Lima",
    )  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        letter = letter_request(kind=LetterKind.VISA, registration=registration)
    text = text_of(letter)
    for fragment in ("Embassy of Switzerland in Lima", "Ana Quispe", "P1234567", "Peru", "31 March 2027"):
        assert fragment in text
    assert "19–23 November 2018" in text
    assert "P1234567" not in str(Letter.objects.values("details").get(pk=letter.pk))


def test_funding_letter_states_ticket_and_dsa(cop2, django_capture_on_commit_callbacks, smtp_server):
    registration = RegistrationFactory(meeting=cop2, first_name="Kaya", last_name="Phiri")
    FundingRequest.objects.create(
        registration=registration, itinerary="Lusaka – Geneva – Lusaka", dsa_nights=6,
        dsa_amount=Decimal("2856.00"), dsa_currency="USD", terminal_expenses=Decimal("76.00"),
    )  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        letter = letter_request(kind=LetterKind.FUNDING, registration=registration)
    text = text_of(letter)
    for fragment in ("Kaya Phiri", "Lusaka – Geneva – Lusaka", "6 days", "USD 2,856.00", "USD 76.00"):
        assert fragment in text


def test_invitation_is_not_a_registration_letter(cop2):
    with pytest.raises(ValueError):
        letter_request(kind=LetterKind.INVITATION, registration=RegistrationFactory(meeting=cop2))


def test_bulk_confirmation_to_accredited_participants_skips_others_and_repeats(
    cop2, django_capture_on_commit_callbacks, smtp_server
):
    accredited = RegistrationFactory.create_batch(3, meeting=cop2)
    RegistrationFactory(meeting=cop2, status="nominated")
    RegistrationFactory(meeting=cop2, status="declined")
    with django_capture_on_commit_callbacks(execute=True):
        batch = letter_batch_confirm_accredited(meeting=cop2, by=StaffFactory())
    assert {letter.registration for letter in batch.letters.all()} == set(accredited)
    smtp_server.wait_for(3)
    with django_capture_on_commit_callbacks(execute=True):
        assert letter_batch_confirm_accredited(meeting=cop2) is None
    assert len(smtp_server.messages) == 3


def test_accrediting_a_registration_sends_its_confirmation_letter(
    cop2, django_capture_on_commit_callbacks, smtp_server
):
    from participants.services.registration import registration_accredit

    registration = RegistrationFactory(
        meeting=cop2, capacity="un_body", country=None, status="pre_registered"
    )
    with django_capture_on_commit_callbacks(execute=True):
        registration_accredit(registration=registration, by=StaffFactory())
    letter = Letter.objects.get(registration=registration)
    assert (letter.kind, letter.delivery_status) == (LetterKind.CONFIRMATION, MailStatus.SENT)
    assert [m["to"] for m in smtp_server.wait_for(1)] == [[registration.email]]


def test_bulk_action_refuses_registrations_of_two_meetings(cop2):
    other = MeetingFactory()
    with pytest.raises(LetterActionError):
        letter_batch_for_registrations(
            kind=LetterKind.CONFIRMATION,
            registrations=[RegistrationFactory(meeting=cop2), RegistrationFactory(meeting=other)],
        )
    assert Letter.objects.count() == 0
