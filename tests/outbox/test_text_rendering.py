"""Plain-text mails are text: no HTML entities in the subject or the text part (issue 14); the
HTML part stays escaped. And the outbox's redaction of personal data."""

import datetime as dt
from pathlib import Path

import pytest
from django.db.models import Q

from outbox.enums import MailStatus
from outbox.models import OutgoingMail
from outbox.services import mail_build, mail_queue

pytestmark = pytest.mark.django_db
NAME = "Siobhán O'Sullivan & Partners <UK>"
ESCAPED = "Siobhán O&#x27;Sullivan &amp; Partners &lt;UK&gt;"


def test_text_part_and_subject_are_not_html_escaped_the_html_part_is(mail_templates):
    mail = mail_build(to="a@example.org", template_prefix="outbox_test/hello", context={"name": NAME})
    assert mail.subject == f"Hello {NAME}"
    assert mail.body_text.startswith(f"Dear {NAME},")
    assert "&#x27;" not in mail.body_text + mail.subject and "&amp;" not in mail.body_text
    assert ESCAPED in mail.body_html and NAME not in mail.body_html


_DATES = {"date", "start", "end", "starts", "ends"}
_WHEN = dt.datetime(2018, 11, 19, 10, 0, tzinfo=dt.UTC)
_COUNTS = {"days"}


class _Anything:
    """Stands for any object a mail template reads: each attribute is another, and it prints
    as NAME."""

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        if name == "time_zone":
            return "UTC"
        return _WHEN if name in _DATES or name.endswith(("_date", "_at")) else _Anything()

    def __str__(self):
        return NAME

    def __iter__(self):  # a list the template loops over (the files of an answer): one item
        return iter([_Anything()])


def _top_level_names(templates: Path) -> set[str]:
    import re

    names = set()
    for path in templates.rglob("*.txt"):
        names.update(re.findall(r"{{\s*([a-z_]+)", path.read_text(encoding="utf-8")))
        names.update(re.findall(r"{%\s*(?:if|with)\s+([a-z_]+)", path.read_text(encoding="utf-8")))
    return names


def test_every_mail_template_of_the_portal_renders_its_text_part_unescaped():
    """The fix is in the outbox's rendering, so it holds for every trio the portal has."""
    from django.conf import settings

    templates = Path(settings.BASE_DIR) / "templates"
    # Not account/email/: allauth renders those (their text parts are "<name>_message.txt", with
    # autoescape off) and hands the result to the outbox's outbox/email/prerendered trio, checked here.
    prefixes = sorted(
        str(path.relative_to(templates))[: -len("_subject.txt")]
        for path in templates.rglob("*_subject.txt")
        if not str(path.relative_to(templates)).startswith("account/email/")
    )
    assert "letters/email/letter" in prefixes and len(prefixes) >= 5
    # A number where a template counts with it ({% blocktranslate count days=days %}).
    context = {
        key: _WHEN if key in _DATES else 3 if key in _COUNTS else _Anything()
        for key in _top_level_names(templates)
    }
    for prefix in prefixes:
        mail = mail_build(to="a@example.org", template_prefix=prefix, context=context)
        assert NAME in mail.body_text, prefix
        assert "&#x27;" not in mail.subject + mail.body_text, prefix
        assert "&amp;" not in mail.subject + mail.body_text and "&lt;" not in mail.subject + mail.body_text, (
            prefix
        )


def test_a_letter_mail_names_the_recipient_as_typed(settings):
    mail = mail_queue(
        to="a@example.org", template_prefix="letters/email/letter", trigger_key="t:1",
        context={"recipient_name": NAME, "meeting_title": "COP-2 & friends", "meeting_dates": "19–23 November 2018",
                 "reference": "MC/COP.2/2018/VISA/0001", "verify_url": "https://x/verify/abc", "kind_label": "Visa support"},
    )  # fmt: skip
    mail.refresh_from_db()
    assert f"Dear {NAME}," in mail.body_text
    assert "COP-2 & friends" in mail.subject and "COP-2 & friends" in mail.body_text
    assert "Dear Siobhán O&#x27;Sullivan &amp; Partners &lt;UK&gt;," in mail.body_html


def test_redaction_withdraws_unsent_mails_and_drops_attachments():
    from outbox.services import mails_redact

    waiting = OutgoingMail.objects.create(
        to="a@example.org", subject="Visa P123", body_text="P123", attachment="letters/x.pdf",
        status=MailStatus.QUEUED,
    )  # fmt: skip
    sent = OutgoingMail.objects.create(
        to="a@example.org", subject="Visa", body_text="Letter", body_html="<p>P123</p>",
        attachment="letters/x.pdf", attachment_name="x.pdf", status=MailStatus.SENT, sent_at="2020-01-01T00:00Z",
    )  # fmt: skip
    other = OutgoingMail.objects.create(to="b@example.org", subject="P123", body_text="P123")
    assert (
        mails_redact(where=Q(to="a@example.org"), redact=["P123"], drop_attachment=True, reason="purged") == 2
    )
    waiting.refresh_from_db(), sent.refresh_from_db(), other.refresh_from_db()
    assert (waiting.status, waiting.last_error, waiting.attachment.name) == (MailStatus.FAILED, "purged", "")
    assert (waiting.subject, waiting.body_text) == ("Visa [removed]", "[removed]")
    assert (sent.status, sent.attachment.name, sent.attachment_name, sent.body_html) == (
        MailStatus.SENT, "", "", "<p>[removed]</p>",
    )  # fmt: skip
    assert other.body_text == "P123"  # not matched by `where`


def test_redaction_leaves_the_attachment_of_a_mail_in_the_middle_of_its_send():
    """Were that send to fail and be retried, the mail must not go out without the PDF its text
    announces; the next daily run clears it once the send has ended."""
    import uuid

    from outbox.services import mails_redact

    sending = OutgoingMail.objects.create(
        to="a@example.org", subject="Visa", body_text="Letter", attachment="letters/x.pdf",
        attachment_name="x.pdf", status=MailStatus.SENDING, claim_token=uuid.uuid4(),
    )  # fmt: skip
    mails_redact(where=Q(to="a@example.org"), drop_attachment=True, reason="purged")
    sending.refresh_from_db()
    assert (sending.status, sending.attachment.name) == (MailStatus.SENDING, "letters/x.pdf")
    OutgoingMail.objects.filter(pk=sending.pk).update(
        status=MailStatus.SENT, claim_token=None, sent_at="2020-01-01T00:00Z"
    )
    mails_redact(where=Q(to="a@example.org"), drop_attachment=True, reason="purged")
    sending.refresh_from_db()
    assert sending.attachment.name == ""
