"""Bulk sends the secretariat starts from the letter batches' admin ("invitations to all
Parties' focal points", "confirmations to all accredited participants").

The apps that own the recipients build the letters and register their send here from their own
`letters` module (`meetings.letters`, `participants.letters`), which `LettersConfig.ready`
imports from every installed app, as the admin finds `admin` modules. Letters thus never imports
them. A registry rather than a view in each app's admin because the sends share everything but
the recipients: one form (pick a meeting), one rule (`letters.send_letters`), one progress page
and the links from the batch list, all letters' own. A view per app would copy them, and the
batch list would still have to know where each one lives.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class BulkSend:
    """`send(*, meeting, by)` creates the batch of the letters not sent yet (None if none)."""

    key: str
    send: Callable
    title: str
    intro: str
    submit: str
    nothing_new: str  # "%s": the meeting
    queued: str  # "%(n)d": how many letters
    order: int = 0


_SENDS: dict[str, BulkSend] = {}


def bulk_send_register(bulk: BulkSend) -> BulkSend:
    _SENDS[bulk.key] = bulk
    return bulk


def bulk_sends() -> list[BulkSend]:
    return sorted(_SENDS.values(), key=lambda bulk: (bulk.order, bulk.key))


def bulk_send(key: str) -> BulkSend | None:
    return _SENDS.get(key)
