"""Letters and mails in the recipient's language of correspondence: chosen at registration
(defaulting to the language the portal is used in), whatever language the staff member who sends
the letter reads the portal in; dates as the language writes them."""

import datetime as dt
import re
from io import BytesIO

import pytest
from django.core import mail as django_mail
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader

from letters.enums import LetterKind, LetterStatus
from letters.models import Letter
from letters.rendering import format_date, format_date_range
from outbox.enums import MailStatus
from outbox.models import OutgoingMail
from participants.letters import letter_batch_confirm_accredited, letter_request
from participants.models import Registration
from participants.services.focal_points import focal_point_pre_register
from participants.services.registration import (
    registration_accredit,
    registration_create,
    registration_nominate,
)
from tests.factories import FocalPointFactory, StaffFactory, UserFactory, country
from tests.participants.factories import NominationLetterFactory, open_meeting

from .factories import RegistrationFactory

pytestmark = pytest.mark.django_db


def pdf_text(letter) -> str:
    letter.refresh_from_db()
    assert letter.status == LetterStatus.RENDERED, letter.last_error
    return " ".join(" ".join(p.extract_text() for p in PdfReader(BytesIO(letter.pdf.read())).pages).split())


@pytest.fixture
def workshop():
    """A one-day meeting on 1 December 2026, open for registration."""
    return open_meeting(
        code="ws-2026", start_date=dt.date(2026, 12, 1), end_date=dt.date(2026, 12, 1),
        title_en="Technical workshop on mercury waste",
        title_fr="Atelier technique sur les déchets de mercure",
        title_es="Taller técnico sobre desechos de mercurio",
    )  # fmt: skip


# --- Dates ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "expected"),
    [("en", "1 December 2026"), ("fr", "1er décembre 2026"), ("es", "1 de diciembre de 2026")],
)
def test_a_date_reads_as_the_language_writes_it(language, expected):
    assert format_date(dt.date(2026, 12, 1), language) == expected


@pytest.mark.parametrize(
    ("language", "start", "end", "expected"),
    [
        ("es", dt.date(2023, 10, 30), dt.date(2023, 11, 3), "30 de octubre – 3 de noviembre de 2023"),
        ("fr", dt.date(2023, 10, 30), dt.date(2023, 11, 3), "30 octobre – 3 novembre 2023"),
        ("en", dt.date(2023, 10, 30), dt.date(2023, 11, 3), "30 October – 3 November 2023"),
        ("es", dt.date(2025, 11, 3), dt.date(2025, 11, 7), "3–7 de noviembre de 2025"),
        ("fr", dt.date(2026, 12, 1), dt.date(2026, 12, 5), "1er–5 décembre 2026"),
        ("fr", dt.date(2025, 12, 29), dt.date(2026, 1, 2), "29 décembre 2025 – 2 janvier 2026"),
    ],
)
def test_a_meeting_s_dates_read_as_the_language_writes_them(language, start, end, expected):
    assert format_date_range(start, end, language) == expected


# --- The registration's language of correspondence ----------------------------------------------


def _register(client, meeting, *, accept_language, **extra):
    data = {
        "capacity": "party", "country": country("PER").pk, "title": "Sra.", "first_name": "Ana",
        "last_name": "Quispe", "function": "Directora", "email": "ana.quispe@example.pe", **extra,
    }  # fmt: skip
    return client.post(
        reverse("participants:register", args=[meeting.code]), data, HTTP_ACCEPT_LANGUAGE=accept_language
    )


def test_the_form_offers_the_language_the_portal_is_used_in(client, workshop):
    client.force_login(UserFactory(roles=["Delegate"]))
    page = client.get(
        reverse("participants:register", args=[workshop.code]), HTTP_ACCEPT_LANGUAGE="es"
    ).content.decode()
    assert re.search(r'<option value="es" selected>', page), "Spanish is not the default"
    page = client.get(
        reverse("participants:register", args=[workshop.code]), HTTP_ACCEPT_LANGUAGE="fr"
    ).content.decode()
    assert re.search(r'<option value="fr" selected>', page)


def test_a_delegate_chooses_another_language_than_the_page_s(client, workshop):
    user = UserFactory(roles=["Delegate"], email="ana.quispe@example.pe")
    client.force_login(user)
    response = _register(client, workshop, accept_language="en", correspondence_language="es")
    assert response.status_code == 302, response.content.decode()[:3000]
    assert Registration.objects.get(user=user).correspondence_language == "es"


def test_without_a_choice_the_service_takes_the_language_in_use(workshop):
    with translation.override("fr"):
        registration = registration_create(
            meeting=workshop, user=UserFactory(), by=None, capacity="party", country=country("SEN")
        )
    assert registration.correspondence_language == "fr"


def test_a_language_the_letters_are_not_written_in_is_refused_and_nothing_is_stored(client, workshop):
    user = UserFactory(roles=["Delegate"], email="ana.quispe@example.pe")
    client.force_login(user)
    response = _register(client, workshop, accept_language="es", correspondence_language="de")
    assert response.status_code == 200
    assert "correspondence_language" in response.context["form"].errors
    assert not Registration.objects.filter(user=user).exists()


def test_a_spanish_delegate_gets_a_spanish_confirmation_letter_sent_by_english_speaking_staff(
    client, workshop, django_capture_on_commit_callbacks, smtp_server
):
    """The whole path: registered in Spanish, nominated by the focal point, accredited by staff
    who use the portal in English; the letter and its mail are in Spanish."""
    user = UserFactory(
        roles=["Delegate"], email="ana.quispe@example.pe", first_name="Ana", last_name="Quispe"
    )
    client.force_login(user)
    page = client.get(reverse("participants:register", args=[workshop.code]), HTTP_ACCEPT_LANGUAGE="es")
    assert page.context["form"].initial["correspondence_language"] == "es"
    # The browser sends the option selected by default.
    response = _register(client, workshop, accept_language="es", correspondence_language="es")
    assert response.status_code == 302, response.context["form"].errors
    registration = Registration.objects.get(user=user)
    assert registration.correspondence_language == "es"
    peru = FocalPointFactory(country=country("PER")).user
    staff = StaffFactory(preferred_language="en")
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        registration_nominate(
            registration=registration, by=peru,
            letter=NominationLetterFactory(meeting=workshop, country=country("PER")),
        )  # fmt: skip
        registration_accredit(registration=registration, by=staff)
    letter = Letter.objects.get(registration=registration, kind=LetterKind.CONFIRMATION)
    assert letter.language == "es"
    text = pdf_text(letter)
    assert "Confirmación de inscripción: Taller técnico sobre desechos de mercurio" in text
    assert "Estimado/a Sra. Ana Quispe" in text
    assert "Perú" in text
    assert "que se celebrará del 1 de diciembre de 2026" in text
    assert "December" not in text and "Dear" not in text
    # The date of issue, written the Spanish way.
    assert format_date(letter.created.date(), "es") in text
    letter_mail = letter.mail
    assert letter_mail.language == "es" and letter_mail.status == MailStatus.SENT
    assert "1 de diciembre de 2026" in letter_mail.body_text
    assert "Taller técnico sobre desechos de mercurio" in letter_mail.subject


@pytest.mark.parametrize(
    ("language", "fragments"),
    [
        ("fr", ["Atelier technique sur les déchets de mercure", "1er décembre 2026", "Sénégal"]),
        ("en", ["Technical workshop on mercury waste", "1 December 2026", "Senegal"]),
    ],
)
def test_a_bulk_send_writes_each_letter_in_its_own_language(
    workshop, django_capture_on_commit_callbacks, smtp_server, language, fragments
):
    registration = RegistrationFactory(
        meeting=workshop, country=country("SEN"), correspondence_language=language
    )
    spanish = RegistrationFactory(meeting=workshop, country=country("PER"), correspondence_language="es")
    with translation.override("es"), django_capture_on_commit_callbacks(execute=True):
        letter_batch_confirm_accredited(meeting=workshop, by=StaffFactory())
    text = pdf_text(Letter.objects.get(registration=registration))
    for fragment in fragments:
        assert fragment in text
    assert "1 de diciembre de 2026" in pdf_text(Letter.objects.get(registration=spanish))


def test_the_registration_s_language_not_the_account_s(
    workshop, django_capture_on_commit_callbacks, smtp_server
):
    user = UserFactory(preferred_language="fr")
    registration = RegistrationFactory(
        meeting=workshop, user=user, country=country("PER"), correspondence_language="es"
    )
    with django_capture_on_commit_callbacks(execute=True):
        letter = letter_request(kind=LetterKind.CONFIRMATION, registration=registration)
    assert letter.language == "es"
    assert "1 de diciembre de 2026" in pdf_text(letter)


# --- Focal points and accounts ------------------------------------------------------------------


def test_a_focal_point_chooses_the_language_of_the_delegate_s_correspondence(workshop):
    zambia = FocalPointFactory(country=country("ZMB")).user
    made = focal_point_pre_register(
        meeting=workshop, country=country("ZMB"), by=zambia, email="new.delegate@example.zm",
        first_name="Mulenga", last_name="Tembo", correspondence_language="fr",
    )  # fmt: skip
    assert made.correspondence_language == "fr"
    person = UserFactory(preferred_language="en")
    request = focal_point_pre_register(
        meeting=workshop, country=country("ZMB"), by=zambia, email=person.email,
        first_name=person.first_name, last_name=person.last_name, correspondence_language="es",
    )  # fmt: skip
    asked = OutgoingMail.objects.get(trigger_key=f"registration-request:{request.pk}")
    assert asked.language == "es"
    assert "Taller técnico sobre desechos de mercurio" in asked.body_text


def test_a_new_account_takes_the_language_it_signs_up_in(client, django_capture_on_commit_callbacks):
    # Account mails go through the outbox: sent once the request's transaction commits.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("account_signup"),
            {
                "email": "nadia@example.sn",
                "password1": "a long passphrase 42",
                "password2": "a long passphrase 42",
            },
            HTTP_ACCEPT_LANGUAGE="fr",
        )
    assert response.status_code == 302
    from accounts.models import User

    assert User.objects.get(email="nadia@example.sn").preferred_language == "fr"
    assert "Confirmez votre adresse e-mail" in django_mail.outbox[-1].subject


def test_account_mails_follow_the_person_s_language_not_the_page_s(
    client, django_capture_on_commit_callbacks
):
    UserFactory(email="ana.quispe@example.pe", preferred_language="es")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("account_reset_password"), {"email": "ana.quispe@example.pe"}, HTTP_ACCEPT_LANGUAGE="en"
        )
    assert response.status_code == 302
    sent = django_mail.outbox[-1]
    assert sent.to == ["ana.quispe@example.pe"]
    assert "restablecer contraseña" in sent.subject.lower()


@pytest.mark.parametrize(
    ("language", "expected", "not_expected"),
    [
        (
            "fr",
            "l’organisation régionale d’intégration économique suivante : Union européenne",
            "Gouvernement",
        ),
        ("en", "the following regional economic integration organization: European Union", "Government of"),
        ("es", "a la siguiente organización regional de integración económica: Unión Europea", "Gobierno"),
    ],
)
def test_the_european_union_s_focal_point_is_invited_as_a_party_not_a_government(
    workshop, django_capture_on_commit_callbacks, smtp_server, language, expected, not_expected
):
    from meetings.letters import letter_request_invitation

    focal_point = FocalPointFactory(country=country("EUU"), user=UserFactory(preferred_language=language))
    with django_capture_on_commit_callbacks(execute=True):
        letter = letter_request_invitation(meeting=workshop, focal_point=focal_point)
    text = pdf_text(letter)
    assert expected in text
    assert not_expected not in text
    assert format_date(workshop.start_date, language) in text


def test_a_focal_point_sets_their_own_language_and_their_invitations_follow_it(
    client, workshop, django_capture_on_commit_callbacks, smtp_server
):
    from meetings.letters import letter_request_invitation

    focal_point = FocalPointFactory(country=country("SEN"), user=UserFactory(preferred_language="en"))
    client.force_login(focal_point.user)
    assert 'value="en" selected' in client.get(reverse("participants:fp_home")).content.decode()
    response = client.post(
        reverse("participants:correspondence_language"), {"language": "fr", "back": "fp_home"}
    )
    assert response.status_code == 302 and response.url == reverse("participants:fp_home")
    focal_point.user.refresh_from_db()
    assert focal_point.user.preferred_language == "fr"
    with django_capture_on_commit_callbacks(execute=True):
        letter = letter_request_invitation(meeting=workshop, focal_point=focal_point)
    assert letter.language == "fr"
    assert "le Gouvernement de l’État suivant : Sénégal" in pdf_text(letter)


def test_a_language_of_correspondence_the_portal_does_not_write_is_refused(client):
    user = UserFactory(preferred_language="es")
    client.force_login(user)
    response = client.post(reverse("participants:correspondence_language"), {"language": "de"}, follow=True)
    assert "Choose English, French or Spanish." in response.content.decode()
    user.refresh_from_db()
    assert user.preferred_language == "es"
    assert client.get(reverse("participants:correspondence_language")).status_code == 405


def test_nobody_signed_out_changes_a_language(client):
    response = client.post(reverse("participants:correspondence_language"), {"language": "fr"})
    assert response.status_code == 302 and "/accounts/login/" in response.url


def test_a_focal_point_invitation_is_mailed_in_the_language_staff_chose(client):
    from participants.services.focal_points import focal_point_invite

    staff = StaffFactory()
    invitation = focal_point_invite(country=country("SEN"), email="pf@env.gouv.sn", by=staff, language="fr")
    assert invitation.language == "fr"
    sent = OutgoingMail.objects.get(trigger_key=f"focal-point-invitation:{invitation.pk}")
    assert sent.language == "fr"
    assert "Sénégal" in sent.subject and "Senegal" not in sent.body_text


def test_a_spanish_delegate_s_visa_letter_is_spanish_with_spanish_dates(
    workshop, django_capture_on_commit_callbacks, smtp_server
):
    from participants.models import VisaRequest

    registration = RegistrationFactory(
        meeting=workshop,
        first_name="Ana",
        last_name="Quispe",
        country=country("PER"),
        correspondence_language="es",
    )
    VisaRequest.objects.create(
        registration=registration, passport_number="P7654321", passport_country=country("PER"),
        passport_expires=dt.date(2027, 3, 1), embassy="Embajada de Suiza en Lima",
    )  # fmt: skip
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        letter = letter_request(kind=LetterKind.VISA, registration=registration)
    text = pdf_text(letter)
    for fragment in (
        "Apoyo para la obtención de visado: Taller técnico sobre desechos de mercurio",
        "Nacionalidad Perú",
        "Pasaporte válido hasta 1 de marzo de 2027",
        "que se celebrará del 1 de diciembre de 2026",
    ):
        assert fragment in text
    assert "March" not in text and "Peru " not in text


def test_an_edit_that_leaves_the_language_out_keeps_it():
    from participants.services.registration import registration_update
    from tests.participants.factories import upcoming_meeting

    # A meeting still ahead: a past meeting's registration is no longer the delegate's to change.
    registration = RegistrationFactory(
        meeting=upcoming_meeting(),
        country=country("PER"),
        correspondence_language="es",
        status="pre_registered",
    )
    registration_update(
        registration=registration, by=registration.user, function="Asesora", correspondence_language=""
    )
    registration.refresh_from_db()
    assert (registration.function, registration.correspondence_language) == ("Asesora", "es")
    registration_update(registration=registration, by=registration.user, correspondence_language="fr")
    registration.refresh_from_db()
    assert registration.correspondence_language == "fr"


@pytest.mark.parametrize(
    ("asked", "language"), [("es-ar", "es"), ("fr", "fr"), ("de", "en"), (None, "en"), ("", "en")]
)
def test_a_letter_is_written_in_english_french_or_spanish_only(asked, language):
    from letters.services.issuing import language_for

    assert language_for(asked) == language
