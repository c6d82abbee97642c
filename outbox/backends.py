"""Django's e-mail backend interface onto the outbox, for mail composed by code that is not ours
(allauth's account mails): each message becomes an outbox row like every other mail, sent by the
outbox's tasks once the transaction commits, with its retries and its place in the outbox's view.
The adapter that composes them names this backend by its dotted path (settings.ACCOUNT_MAIL_BACKEND),
so the accounts app, below the outbox, does not import it."""

from django.core.mail.backends.base import BaseEmailBackend
from django.utils import translation

from .services import mail_queue


class OutboxEmailBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        count = 0
        for message in email_messages:
            for to in message.to:
                mail_queue(
                    to=to,
                    template_prefix="outbox/email/prerendered",
                    context={"subject": message.subject, "body": message.body},
                    # The message was composed in the language active now (the caller's).
                    language=translation.get_language() or "en",
                    reply_to=", ".join(message.reply_to),
                )
                count += 1
        return count
