"""Thin tasks: they take primary keys and call a service. Every service claims its row, so a
task delivered twice (acks_late redelivery, the sweeper, a double click) does nothing the
second time. A transient failure is not retried here: the service leaves the mail awaiting its
retry and queues the retry task itself (the sweeper backs it up)."""

from celery import shared_task

from . import services


@shared_task(acks_late=True)
def outgoing_mail_send(mail_id: int) -> str:
    return services.outgoing_mail_deliver(mail_id=mail_id)


@shared_task(acks_late=True)
def outgoing_mails_send(mail_ids: list[int]) -> dict:
    """A chunk of mails over one SMTP connection; a deferred mail gets its own retry task."""
    return services.outgoing_mails_deliver(mail_ids=mail_ids)


@shared_task
def outbox_sweep() -> dict:
    return services.outbox_sweep()
