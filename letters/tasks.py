"""Thin tasks: they take primary keys and call a service. Every service claims its row, so a
task delivered twice (acks_late redelivery, the sweeper, a double click) does nothing the
second time."""

from celery import shared_task

from . import services


@shared_task(acks_late=True)
def letter_render(letter_id: int) -> str:
    return services.letter_render(letter_id=letter_id)


@shared_task(acks_late=True)
def letters_render(letter_ids: list[int]) -> dict:
    return services.letters_render(letter_ids=letter_ids)


@shared_task(acks_late=True)
def letters_dispatch(letter_ids: list[int]) -> int:
    return services.letters_dispatch(letter_ids=letter_ids)


@shared_task(bind=True, acks_late=True, max_retries=None)
def outgoing_mail_send(self, mail_id: int) -> str:
    while True:
        try:
            return services.outgoing_mail_deliver(mail_id=mail_id)
        except services.TransientMailError as exc:
            if self.request.is_eager:
                # Eager (the embedded demo, tests): no broker to hold a countdown, so try again
                # at once; the attempt limit ends the loop with the mail marked failed.
                continue
            # The row is back to "queued" with next_attempt_at; the broker keeps the countdown
            # (the visibility timeout is longer than any countdown), the sweeper backs it up.
            raise self.retry(countdown=exc.countdown, exc=exc) from exc


@shared_task(acks_late=True)
def outgoing_mails_send(mail_ids: list[int]) -> dict:
    """A chunk of mails over one SMTP connection; a deferred mail gets its own retry task."""
    return services.outgoing_mails_deliver(mail_ids=mail_ids)


@shared_task
def outbox_sweep() -> dict:
    return services.outbox_sweep()
