"""Account e-mails: named after the portal (SITE_NAME, SITE_URL), not the host the request came in
by; from DEFAULT_FROM_EMAIL; stored and sent by the outbox like every other mail; Spanish in the
formal "usted". And the two-factor step says when a code was already used."""

import time

import pytest
from django.core import mail
from django.urls import reverse

from minamata_portal.settings import _default_from_email
from outbox.enums import MailStatus
from outbox.models import OutgoingMail
from tests.browser_helpers import totp_code
from tests.factories import PASSWORD, StaffFactory, UserFactory

pytestmark = pytest.mark.django_db


def _reset(client, email, **headers):
    return client.post(reverse("account_reset_password"), {"email": email}, **headers)


def test_password_reset_mail_names_the_portal_and_goes_through_the_outbox(
    client, settings, django_capture_on_commit_callbacks
):
    settings.SITE_NAME = "Minamata COP Portal"
    settings.SITE_URL = "https://meetings.mercuryconvention.example"
    settings.DEFAULT_FROM_EMAIL = "Minamata Convention Secretariat <noreply@mercuryconvention.example>"
    user = UserFactory(email="ana@example.org", first_name="Ana", last_name="O'Quispe & Co")
    with django_capture_on_commit_callbacks(execute=True):
        response = _reset(client, user.email, HTTP_HOST="127.0.0.1:8011")
    assert response.status_code == 302
    [row] = OutgoingMail.objects.all()
    assert (row.to, row.subject, row.status) == (
        "ana@example.org",
        "[Minamata COP Portal] Password reset",
        MailStatus.SENT,
    )
    assert row.body_text.startswith("Dear Ana O'Quispe & Co,")  # text, not HTML-escaped
    assert "Hello from" not in row.body_text and "127.0.0.1:8011!" not in row.body_text
    assert "Minamata COP Portal – https://meetings.mercuryconvention.example" in row.body_text
    [sent] = mail.outbox
    assert sent.from_email == "Minamata Convention Secretariat <noreply@mercuryconvention.example>"
    assert (sent.to, sent.subject) == (["ana@example.org"], row.subject)


def test_spanish_account_mails_use_usted(client, django_capture_on_commit_callbacks):
    UserFactory(email="ana.quispe@example.pe", preferred_language="es")
    with django_capture_on_commit_callbacks(execute=True):
        _reset(client, "ana.quispe@example.pe", HTTP_ACCEPT_LANGUAGE="en")
    [row] = OutgoingMail.objects.all()
    assert row.language == "es"
    body = row.body_text
    assert "probablemente usted" in body and "su cuenta" in body
    # None of allauth's informal forms.
    for informal in ("Has recibido", "tu cuenta", "tu contraseña", "Haz clic", "¡Hola"):
        assert informal not in body


def test_signup_confirmation_mail_is_ours_in_french(client, django_capture_on_commit_callbacks):
    data = {
        "email": "nadia@example.sn",
        "password1": "a long pass phrase 42",
        "password2": "a long pass phrase 42",
    }
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_signup"), data, HTTP_ACCEPT_LANGUAGE="fr")
    [row] = OutgoingMail.objects.all()
    assert row.subject == "[Minamata COP Portal] Confirmez votre adresse e-mail"
    [sent] = mail.outbox
    assert "/accounts/confirm-email/" in sent.body
    assert "Hello from" not in sent.body
    # Delivered: the outbox keeps the record, not the working link.
    assert row.status == MailStatus.SENT
    assert "/accounts/confirm-email/" not in row.body_text


@pytest.mark.parametrize(
    ("site_url", "expected"),
    [
        ("https://meetings.mercuryconvention.org", "noreply@meetings.mercuryconvention.org"),
        ("http://127.0.0.1:8011", "noreply@mercury.test"),
        ("http://localhost:8000", "noreply@mercury.test"),
    ],
)
def test_default_sender_follows_the_site_never_localhost(site_url, expected):
    assert _default_from_email(site_url) == f"Minamata Convention Secretariat <{expected}>"


def _code(secret):
    """The current code, taken early in its 30-second period: the test signs in twice with it."""
    if time.time() % 30 > 15:
        time.sleep(30.5 - time.time() % 30)
    return totp_code(secret)


def test_a_code_used_twice_is_told_apart_from_a_wrong_one(client):
    staff = StaffFactory()
    code = _code(staff.totp_secret)
    client.post(reverse("account_login"), {"login": staff.email, "password": PASSWORD})
    assert client.post(reverse("mfa_authenticate"), {"code": code})["Location"] == reverse("admin:index")
    client.logout()
    client.post(reverse("account_login"), {"login": staff.email, "password": PASSWORD})
    again = client.post(reverse("mfa_authenticate"), {"code": code})
    assert again.status_code == 200
    html = again.content.decode()
    assert "This code has already been used" in html and "Wait for your authenticator app" in html
    assert "_auth_user_id" not in client.session
    wrong = client.post(reverse("mfa_authenticate"), {"code": "000000" if code != "000000" else "111111"})
    assert "Incorrect code" in wrong.content.decode()
    assert "already been used" not in wrong.content.decode()
