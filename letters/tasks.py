"""Thin tasks: they take primary keys and call a service. Every service claims its row, so a
task delivered twice (acks_late redelivery, the sweeper, a double click) does nothing the
second time. The mails' tasks are the outbox's."""

from celery import shared_task

# The rendering services queue these tasks: each module reads the other's names only when
# called, so importing either first works.
from .services import rendering


@shared_task(acks_late=True)
def letter_render(letter_id: int) -> str:
    return rendering.letter_render(letter_id=letter_id)


@shared_task(acks_late=True)
def letters_render(letter_ids: list[int]) -> dict:
    return rendering.letters_render(letter_ids=letter_ids)


@shared_task(acks_late=True)
def letters_dispatch(letter_ids: list[int]) -> int:
    return rendering.letters_dispatch(letter_ids=letter_ids)


@shared_task
def letters_sweep() -> dict:
    return rendering.letters_sweep()
