"""Django's e-mail backend interface onto the outbox, for mail composed by code that is not ours
(allauth's account mails): each message becomes an outbox row like every other mail, sent by the
outbox's tasks once the transaction commits, with its retries and its place in the outbox's view.
The adapter that composes them names this backend by its dotted path (settings.ACCOUNT_MAIL_BACKEND),
so the accounts app, below the outbox, does not import it.

Plain-text account mails only: a message with cc, bcc, an HTML alternative, an attachment or a
sender other than DEFAULT_FROM_EMAIL is refused (ValueError) rather than sent without them. Each
is stored as a secret mail (SECRET_TRIGGER_PREFIXES): it carries a working password or
confirmation link, so the outbox's view does not show its body and its link is removed once
delivered."""

import uuid

from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend
from django.utils import translation

from .services import ACCOUNT_TRIGGER_PREFIX, mail_queue


class OutboxEmailBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        count = 0
        for message in email_messages:
            _refuse_what_the_outbox_would_drop(message)
            for to in message.to:
                mail_queue(
                    to=to,
                    template_prefix="outbox/email/prerendered",
                    context={"subject": message.subject, "body": message.body},
                    # The message was composed in the language active now (the caller's).
                    language=translation.get_language() or "en",
                    reply_to=", ".join(message.reply_to),
                    trigger_key=f"{ACCOUNT_TRIGGER_PREFIX}{uuid.uuid4().hex}",
                )
                count += 1
        return count


def _refuse_what_the_outbox_would_drop(message):
    """The outbox stores a recipient, a reply-to, a subject and a plain-text body: anything else
    on the message would be lost silently."""
    dropped = [
        name
        for name, present in (
            ("cc", message.cc),
            ("bcc", message.bcc),
            ("HTML alternatives", getattr(message, "alternatives", None)),
            ("attachments", message.attachments),
            ("from_email", message.from_email not in ("", None, settings.DEFAULT_FROM_EMAIL)),
        )
        if present
    ]
    if dropped:
        raise ValueError(
            f"The outbox backend sends plain-text mails only; it cannot send: {', '.join(dropped)}."
        )
