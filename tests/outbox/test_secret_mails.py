"""Mails that carry a working password or confirmation link (account mails, a pre-registration):
the outbox's view never shows their bodies, and once delivered their links are removed from the
record. The outbox backend refuses what it would otherwise drop silently."""

import pytest
from django.core import mail
from django.core.mail import EmailMessage, EmailMultiAlternatives, get_connection
from django.urls import reverse

from outbox.enums import MailStatus
from outbox.models import OutgoingMail
from outbox.services import REDACTED, mail_queue
from tests.factories import StaffFactory, UserFactory

pytestmark = pytest.mark.django_db

BACKEND = "outbox.backends.OutboxEmailBackend"
KEY_PATH = "/accounts/password/reset/key/"


def _officer_sees(client, row):
    client.force_login(StaffFactory(roles=["Registration officer"]))
    response = client.get(reverse("admin:outbox_outgoingmail_change", args=[row.pk]), secure=True)
    assert response.status_code == 200
    return response.content.decode()


def test_a_reset_mail_is_delivered_with_its_link_and_kept_without_it(
    client, django_capture_on_commit_callbacks
):
    user = UserFactory(email="ana@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_reset_password"), {"email": user.email})
    [row] = OutgoingMail.objects.all()
    assert row.status == MailStatus.SENT and row.trigger_key.startswith("account:")
    [delivered] = mail.outbox
    assert KEY_PATH in delivered.body
    assert KEY_PATH not in row.body_text and REDACTED in row.body_text
    assert "Dear " in row.body_text  # the record of what was sent stays
    page = _officer_sees(client, row)
    assert KEY_PATH not in page and "Not shown: this e-mail carries a link" in page


def test_a_reset_mail_not_yet_sent_is_not_shown_to_the_officer(client):
    user = UserFactory(email="ana@example.org")
    client.post(reverse("account_reset_password"), {"email": user.email})  # no commit: still queued
    [row] = OutgoingMail.objects.all()
    assert row.status == MailStatus.QUEUED and KEY_PATH in row.body_text
    page = _officer_sees(client, row)
    assert KEY_PATH not in page and row.subject in page


def test_an_ordinary_mail_shows_its_body_and_keeps_its_links(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        row = mail_queue(
            to="someone@example.org",
            template_prefix="outbox/email/prerendered",
            context={
                "subject": "Hello",
                "body": "See https://portal.example.org/accounts/password/reset/key/1-x/",
            },
            trigger_key="status:test:1",
        )
    row.refresh_from_db()
    assert row.status == MailStatus.SENT and KEY_PATH in row.body_text
    assert KEY_PATH in _officer_sees(client, row)


@pytest.mark.parametrize(
    ("extra", "refused"),
    [
        ({"cc": ["cc@example.org"]}, "cc"),
        ({"bcc": ["bcc@example.org"]}, "bcc"),
        ({"from_email": "other@example.org"}, "from_email"),
    ],
)
def test_the_backend_refuses_what_it_would_drop(extra, refused):
    message = EmailMessage(
        "Subject", "Body", to=["a@example.org"], connection=get_connection(BACKEND), **extra
    )
    with pytest.raises(ValueError, match=refused):
        message.send()
    assert not OutgoingMail.objects.exists()


def test_the_backend_refuses_html_and_attachments():
    html = EmailMultiAlternatives("Subject", "Body", to=["a@example.org"], connection=get_connection(BACKEND))
    html.attach_alternative("<p>Body</p>", "text/html")
    with pytest.raises(ValueError, match="HTML alternatives"):
        html.send()
    attached = EmailMessage("Subject", "Body", to=["a@example.org"], connection=get_connection(BACKEND))
    attached.attach("a.txt", "text", "text/plain")
    with pytest.raises(ValueError, match="attachments"):
        attached.send()
    plain = EmailMessage("Subject", "Body", to=["a@example.org"], connection=get_connection(BACKEND))
    assert plain.send() == 1
    assert OutgoingMail.objects.get().body_text.startswith("Body")


def test_a_pre_registration_mail_is_delivered_with_its_link_and_kept_without_it(
    client, django_capture_on_commit_callbacks
):
    from participants.services.focal_points import focal_point_pre_register
    from tests.factories import FocalPointFactory, country
    from tests.participants.factories import upcoming_meeting

    focal_point = FocalPointFactory(country=country("ZMB")).user
    with django_capture_on_commit_callbacks(execute=True):
        registration = focal_point_pre_register(
            meeting=upcoming_meeting(), country=country("ZMB"), by=focal_point, email="new@example.zm"
        )
    row = OutgoingMail.objects.get(trigger_key=f"pre-registered:{registration.pk}")
    [delivered] = [m for m in mail.outbox if m.to == ["new@example.zm"]]
    assert KEY_PATH in delivered.body
    assert row.status == MailStatus.SENT and KEY_PATH not in row.body_text and REDACTED in row.body_text
    assert reverse("participants:mine") in row.body_text  # the other links stay
    assert KEY_PATH not in _officer_sees(client, row)
