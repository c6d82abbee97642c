"""Issuing letters: numbering, requesting one letter or a batch, resending, revoking.

Letters know nothing of registrations, focal points' States or meetings' participants: the app
that asks for a letter builds its details (a `LetterSpec`: recipient, language, address, the
facts printed) and hands them here (`participants.letters`, `meetings.letters`).
"""

import secrets
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from letters.enums import REFERENCE_CODES, LetterStatus
from letters.models import Letter, LetterBatch, LetterSequence
from outbox.enums import PENDING_STATUSES

from .rendering import dispatch_enqueue, letter_mail_queue, renders_enqueue
from .transition import letter_transition


class LetterActionError(ValueError):
    pass


@dataclass
class LetterSpec:
    """Who a new letter goes to and what it says, as the asking app built it."""

    trigger_key: str
    recipient_name: str
    recipient_email: str
    language: str = "en"
    recipient_address: str = ""
    recipient_user: object = None
    focal_point: object = None
    registration: object = None
    details: dict = field(default_factory=dict)


def language_for(preferred: str | None) -> str:
    """The letter's language: the recipient's preference where letters exist in it ("es-ar"
    reads as Spanish), else English."""
    preferred = (preferred or "")[:2].lower()
    return preferred if preferred in ("en", "fr", "es") else "en"


def reference_prefix(meeting) -> str:
    """UNEP/MC/COP.2 → MC/COP.2; meetings without a symbol use their code."""
    prefix = meeting.symbol_prefix or meeting.code.upper()
    return prefix.removeprefix("UNEP/")


def _letters_create(
    *, meeting, kind: str, specs: list[LetterSpec], batch_description: str = "", by=None
) -> tuple[list[Letter], LetterBatch | None]:
    """Create the letters that do not exist yet (by trigger key) with consecutive reference
    numbers, and queue their rendering after commit. Returns all letters for the specs and,
    with a `batch_description`, the batch of the new ones (None when there were none)."""
    batch = None
    keys = [spec.trigger_key for spec in specs]
    with transaction.atomic():
        LetterSequence.objects.get_or_create(meeting=meeting, kind=kind)
        # The lock serialises creation per meeting and kind: two clicks of the same action wait
        # for each other, and the second sees the first one's letters.
        sequence = LetterSequence.objects.select_for_update().get(meeting=meeting, kind=kind)
        seen = set(Letter.objects.filter(trigger_key__in=keys).values_list("trigger_key", flat=True))
        now = timezone.now()
        prefix, code, year = reference_prefix(meeting), REFERENCE_CODES[kind], meeting.start_date.year
        new = []
        for spec in specs:
            if spec.trigger_key in seen:
                continue
            seen.add(spec.trigger_key)
            number = sequence.last_number + len(new) + 1
            new.append(
                Letter(
                    kind=kind,
                    meeting=meeting,
                    focal_point=spec.focal_point,
                    registration=spec.registration,
                    recipient_user=spec.recipient_user,
                    recipient_name=spec.recipient_name,
                    recipient_email=spec.recipient_email,
                    recipient_address=spec.recipient_address,
                    language=spec.language,
                    details=spec.details,
                    reference=f"{prefix}/{year}/{code}/{number:04d}",
                    trigger_key=spec.trigger_key,
                    # 192 random bits: a code cannot be guessed, and nothing in it counts upwards.
                    verification_code=secrets.token_urlsafe(24),
                    enqueued_at=now,
                    created_by=by,
                )
            )
        if new:
            if batch_description:
                batch = LetterBatch.objects.create(
                    meeting=meeting, kind=kind, description=batch_description[:200], created_by=by
                )
                for letter in new:
                    letter.batch = batch
            Letter.objects.bulk_create(new, batch_size=500)
            sequence.last_number += len(new)
            sequence.save(update_fields=["last_number"])
            new_ids = [letter.pk for letter in new]
            if len(new_ids) == 1:
                transaction.on_commit(lambda: renders_enqueue(new_ids))
            else:
                transaction.on_commit(lambda: dispatch_enqueue(new_ids))
    by_key = {letter.trigger_key: letter for letter in Letter.objects.filter(trigger_key__in=keys)}
    return [by_key[key] for key in keys if key in by_key], batch


def letters_request(*, meeting, kind: str, specs: list[LetterSpec], by=None) -> list[Letter]:
    """The letters for `specs` (one per trigger key), created where they do not exist yet; they
    are rendered and sent after the transaction commits. Asking again returns the same letters."""
    return _letters_create(meeting=meeting, kind=kind, specs=specs, by=by)[0]


def letter_batch_create(
    *, meeting, kind: str, specs: list[LetterSpec], description: str, by=None
) -> LetterBatch | None:
    """Staff's bulk send: the letters for `specs` that do not exist yet, as one batch whose
    progress the admin follows. None when every spec already has its letter."""
    return _letters_create(meeting=meeting, kind=kind, specs=specs, batch_description=description, by=by)[1]


def _next_send_number(letter: Letter) -> int:
    """The number of the letter's next e-mail: one above the highest its trigger keys carry.
    Not their count: with a number missing (a mail row gone), the count would name an existing
    key, and mail_queue would return that old mail instead of sending."""
    numbers = [
        int(number)
        for key in letter.mails.values_list("trigger_key", flat=True)
        if (number := key.rpartition(":")[2]).isdigit()
    ]
    return max(numbers, default=0) + 1


def _refusal(letter: Letter, message: str) -> LetterActionError:
    """`message` (translated, with %(status)s) about a move LETTER_TRANSITIONS does not open
    from the letter's status."""
    return LetterActionError(message % {"status": LetterStatus(letter.status).label})


def letter_resend(*, letter: Letter, by=None) -> Letter:
    """Staff's resend, as LETTER_TRANSITIONS allows it: a letter that could not be rendered is
    rendered again; a rendered one is e-mailed once more (a new, deliberate trigger) unless its
    e-mail is still on its way. Any other letter (queued, revoked) is refused."""
    with transaction.atomic():
        letter = (
            Letter.objects.select_for_update(of=("self",)).select_related("meeting", "mail").get(pk=letter.pk)
        )
        if letter.can_render_again:
            letter_transition(
                action="render_again",
                where=Q(pk=letter.pk),
                render_claim=None,
                last_error="",
                enqueued_at=timezone.now(),
            )
            transaction.on_commit(lambda: renders_enqueue([letter.pk]))
        elif letter.can_resend:
            if letter.pdf_purged_at:
                raise LetterActionError(
                    _(
                        "The PDF of this letter was deleted with the personal data it printed: it cannot be sent again."
                    )
                )
            if letter.delivery_status in PENDING_STATUSES:
                raise LetterActionError(_("The letter is being sent."))
            letter_mail_queue(letter, send_number=_next_send_number(letter), by=by)
        else:
            raise _refusal(letter, _("This letter is “%(status)s”: it cannot be sent again."))
    letter.refresh_from_db()
    return letter


def letter_revoke(*, letter: Letter, by=None) -> Letter:
    """The verification page shows the letter as revoked from now on; who did it is recorded.
    A letter revoked before it was rendered is never rendered nor sent. A letter the table
    does not let revoke (already revoked) is refused."""
    moved = letter_transition(
        action="revoke", where=Q(pk=letter.pk), revoked_at=timezone.now(), revoked_by=by
    )
    letter.refresh_from_db()
    if not moved:
        raise _refusal(letter, _("This letter is “%(status)s”: it cannot be revoked."))
    return letter
