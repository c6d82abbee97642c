from django.db import models
from django.utils.translation import gettext_lazy as _

from minamata_portal.transitions import TransitionTable, move


class MailStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    SENDING = "sending", _("Sending")
    AWAITING_RETRY = "awaiting_retry", _("Awaiting retry")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


S = MailStatus

# Every status change of a mail is one conditional UPDATE from these sources (see
# outbox.services.mail_transition): the condition is what makes a claim belong to one worker.
MAIL_TRANSITIONS = TransitionTable(
    MailStatus,
    [
        # A worker takes the mail; one awaiting retry only once its retry_at has come (the
        # claim's time condition, in outbox.services._claim).
        move("claim", {S.QUEUED, S.AWAITING_RETRY}, S.SENDING, label=_("Claim")),
        move("deliver", {S.SENDING}, S.SENT, label=_("Sent")),
        # A permanent refusal (5xx), or the last attempt.
        move("fail", {S.SENDING}, S.FAILED, label=_("Fail")),
        # A transient failure (4xx, connection lost): tried again at retry_at.
        move("defer", {S.SENDING}, S.AWAITING_RETRY, label=_("Defer")),
        # The sweeper: a retry whose task the broker lost goes back on the queue.
        move("requeue", {S.AWAITING_RETRY}, S.QUEUED, label=_("Queue again")),
        # The sweeper: a mail claimed by a worker that died.
        move("take_back", {S.SENDING}, S.QUEUED, label=_("Take back")),
        # Its attachment was deleted with personal data (a visa letter after the passport
        # purge): never sent without what it announces.
        move("withdraw", {S.QUEUED, S.AWAITING_RETRY}, S.FAILED, label=_("Withdraw")),
        # Staff's retry from the status page (operations), once the cause is fixed: a fresh set
        # of attempts. A letter's mail is retried by resending the letter (letters), which
        # refuses one whose PDF was purged.
        move("retry", {S.FAILED}, S.QUEUED, label=_("Send again")),
    ],
)

# Not settled yet: a worker or the sweeper will move it.
PENDING_STATUSES = frozenset({S.QUEUED, S.SENDING, S.AWAITING_RETRY})
