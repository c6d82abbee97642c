from celery import shared_task

from .services import TransientMailError, outgoing_mail_deliver


@shared_task(
    bind=True,
    autoretry_for=(TransientMailError,),
    retry_backoff=30,
    retry_backoff_max=600,
    max_retries=8,
    acks_late=True,
)
def outgoing_mail_send(self, mail_id: int) -> str:
    return outgoing_mail_deliver(mail_id=mail_id)
