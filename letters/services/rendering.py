"""Render orchestration: queued letters become PDFs, and their e-mails go to the outbox.

Exactly once in effect, as in the outbox: a letter's trigger key is unique, a render task claims
its letters with a conditional UPDATE (a fresh render claim), and a letter is marked rendered,
and its mail created, only where that claim still holds. Tasks are only nudges: `letters_sweep`
(Celery beat) queues again the letters whose task the broker lost and releases the claims of
workers that died.
"""

import hashlib
import logging
import uuid

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils import timezone, translation

from letters import tasks
from letters.enums import LETTER_TRANSITIONS, LetterKind, LetterStatus
from letters.models import Letter, LetterTemplate
from letters.providers import render_details
from letters.rendering import format_date_range, verify_url
from letters.stamping import letter_pdf
from letters.storage import letter_storage
from outbox.models import OutgoingMail
from outbox.services import in_flight_timeout, mail_build, mail_queue, mails_queue, sweep_after, tasks_enqueue

from .transition import letter_transition

logger = logging.getLogger(__name__)


def render_chunk_size() -> int:
    """How many letters one render task claims, renders and commits together."""
    return max(int(getattr(settings, "LETTERS_CHUNK_SIZE", 20)), 1)


def renders_enqueue(letter_ids) -> None:
    """One render task per chunk of letters."""
    ids, size = list(letter_ids), render_chunk_size()
    tasks_enqueue(
        tasks.letters_render, [ids[i : i + size] for i in range(0, len(ids), size)], "chunk of letters"
    )


def _layout_groups(letter_ids) -> list[list[int]]:
    """The letters grouped by what their text shares (meeting, kind, language, the delegation or
    State the body names), largest groups first. A render worker lays out each distinct text once
    and stamps the rest of its group (letters.stamping): the group must reach it together, not
    spread over chunks that two workers take in turn."""
    groups = {}
    for pk, meeting_id, kind, language, details in (
        Letter.objects.filter(pk__in=letter_ids)
        .order_by("pk")
        .values_list("pk", "meeting_id", "kind", "language", "details")
    ):
        groups.setdefault(_layout_group(meeting_id, kind, language, details), []).append(pk)
    return sorted(groups.values(), key=len, reverse=True)


def _layout_group(meeting_id, kind, language, details) -> tuple:
    details = details or {}
    return (meeting_id, kind, language, details.get("delegation") or details.get("country_name") or "")


def renders_enqueue_grouped(letter_ids) -> None:
    """One render task per chunk of letters, a chunk holding whole groups of letters with the
    same text where they fit (a group larger than a chunk fills chunks of its own)."""
    size = render_chunk_size()
    chunks, chunk = [], []
    for group in _layout_groups(letter_ids):
        if chunk and len(chunk) + len(group) > size:
            chunks.append(chunk)
            chunk = []
        for start in range(0, len(group), size):
            part = group[start : start + size]
            if len(part) == size:
                chunks.append(part)
            else:
                chunk.extend(part)
    if chunk:
        chunks.append(chunk)
    tasks_enqueue(tasks.letters_render, chunks, "chunk of letters")


def dispatch_enqueue(letter_ids) -> None:
    """One message for a whole batch: the staff member's request publishes once and answers at
    once; a worker fans it out into render tasks (`letters_dispatch`)."""
    tasks_enqueue(tasks.letters_dispatch, [list(letter_ids)], "batch of letters")


def letters_dispatch(*, letter_ids: list[int]) -> int:
    """Queue the render tasks, a chunk of letters each (run by a worker for a bulk send)."""
    renders_enqueue_grouped(letter_ids)
    return len(letter_ids)


def letter_render(*, letter_id: int) -> str:
    """Render one letter (see `letters_render`); returns its status."""
    return letters_render(letter_ids=[letter_id]).get(letter_id, "")


def letters_render(*, letter_ids: list[int]) -> dict[int, str]:
    """Claim the queued letters among `letter_ids`, render and store their PDFs, then, in one
    transaction that marks them rendered only where our claim still holds, put their e-mails in
    the outbox. Returns each letter's status.

    A chunk costs a fixed handful of queries (claim, read, overrides, lock, update, insert)
    whatever its size: one letter at a time, the round trips and the ORM's work on them cost a
    quarter as much as WeasyPrint's layout. A worker killed mid-chunk leaves the claimed letters
    queued; the sweeper releases them after OUTBOX_IN_FLIGHT_TIMEOUT and they are rendered
    again, still with one mail each (the mail is created only with the claim).
    """
    token = uuid.uuid4()
    now = timezone.now()
    render_sources = LETTER_TRANSITIONS.sources_of("render")
    Letter.objects.filter(pk__in=letter_ids, status__in=render_sources).filter(
        Q(render_claim__isnull=True) | Q(render_claimed_at__lt=now - in_flight_timeout())
    ).update(render_claim=token, render_claimed_at=now)
    # `created_by` is not joined: only its id goes on the mail.
    letters = list(
        Letter.objects.filter(render_claim=token)
        .select_related("meeting__country", "focal_point__country")
        .order_by("pk")
    )
    # Details never stored with the letter (a visa letter's passport number), from the app
    # that holds them, for the whole chunk at once.
    extra = render_details(letters)
    statuses = {}
    if len(letters) < len(set(letter_ids)):
        # In flight elsewhere, already rendered, failed, revoked, or unknown: left alone.
        claimed = {letter.pk for letter in letters}
        statuses.update(Letter.objects.filter(pk__in=set(letter_ids) - claimed).values_list("pk", "status"))
    if not letters:
        return statuses
    overrides = {
        (template.meeting_id, template.kind, template.language): template
        for template in LetterTemplate.objects.filter(
            meeting_id__in={letter.meeting_id for letter in letters},
            kind__in={letter.kind for letter in letters},
            language__in={letter.language for letter in letters},
        )
    }
    rendered = []
    # A group's letters one after the other: each distinct text is laid out once (a stable sort:
    # by id within a group).
    letters.sort(
        key=lambda letter: _layout_group(letter.meeting_id, letter.kind, letter.language, letter.details)
    )
    for letter in letters:
        override = overrides.get((letter.meeting_id, letter.kind, letter.language))
        try:
            pdf = letter_pdf(letter, override=override, extra=extra.get(letter.pk))
        except Exception as exc:
            # A template that does not render will not render on a retry either: fail, visibly.
            logger.exception("Letter %s could not be rendered", letter.pk)
            letter_transition(
                action="fail_rendering",
                where=Q(pk=letter.pk, render_claim=token),
                last_error=f"rendering: {exc!r}"[:2000],
                render_claim=None,
            )
            statuses[letter.pk] = LetterStatus.FAILED
            continue
        name = f"letters/{letter.meeting.code}/{letter.reference.replace('/', '-')}.pdf"
        letter.pdf = letter_storage.save(name, ContentFile(pdf))
        letter.sha256 = hashlib.sha256(pdf).hexdigest()
        letter.template_version = override.version if override else None
        rendered.append(letter)
    if not rendered:
        return statuses
    with transaction.atomic():
        held = set(
            Letter.objects.select_for_update()
            .filter(pk__in=[letter.pk for letter in rendered], render_claim=token, status__in=render_sources)
            .values_list("pk", flat=True)
        )
        done = [letter for letter in rendered if letter.pk in held]
        mails = mails_queue([letter_mail_build(letter, send_number=1) for letter in done])
        # What every letter of the chunk shares in one UPDATE; only what differs goes through
        # bulk_update's CASE expressions, which Django builds slowly (a field per letter each).
        same = {"render_claim": None, "rendered_at": timezone.now()}
        for letter, mail in zip(done, mails, strict=True):
            letter.mail = mail
            letter.status = LetterStatus.RENDERED
            for name, value in same.items():
                setattr(letter, name, value)
        versions = {letter.template_version for letter in done}
        if len(versions) == 1:
            same["template_version"] = versions.pop()
        Letter.objects.bulk_update(
            done, ["pdf", "sha256", "mail", *(["template_version"] if versions else [])]
        )
        # After: a rendered letter has its hash.
        letter_transition(action="render", where=Q(pk__in=held), **same)
    for letter in rendered:
        # A letter whose claim the sweeper took back is another worker's now.
        statuses[letter.pk] = LetterStatus.RENDERED if letter.pk in held else LetterStatus.QUEUED
    return statuses


def _letter_mail_context(letter: Letter) -> dict:
    with translation.override(letter.language):
        return {
            "kind_label": LetterKind(letter.kind).label,
            "recipient_name": letter.recipient_name,
            "meeting_title": letter.meeting.title,
            "meeting_dates": format_date_range(
                letter.meeting.start_date, letter.meeting.end_date, letter.language
            ),
            "reference": letter.reference,
            "verify_url": verify_url(letter.verification_code),
            "language": letter.language,
        }


def _letter_mail_fields(letter: Letter, *, send_number: int) -> dict:
    """What a letter's e-mail is made of: one trigger key per send, and the PDF the letter
    already stored, named by its reference (not copied)."""
    return {
        "to": letter.recipient_email,
        "template_prefix": "letters/email/letter",
        "context": _letter_mail_context(letter),
        "language": letter.language,
        "trigger_key": letter.mail_trigger_key(send_number),
        "attachment": letter.pdf.name,
        "attachment_name": letter.reference.replace("/", "-") + ".pdf",
    }


def letter_mail_build(letter: Letter, *, send_number: int) -> OutgoingMail:
    """The unsaved mail of a letter just rendered: its render claim makes the trigger new."""
    return mail_build(**_letter_mail_fields(letter, send_number=send_number), by_id=letter.created_by_id)


def letter_mail_queue(letter: Letter, *, send_number: int, by=None) -> OutgoingMail:
    """A further e-mail of a rendered letter (staff's resend); it becomes the letter's mail."""
    mail = mail_queue(
        **_letter_mail_fields(letter, send_number=send_number),
        by=by,
        by_id=None if by is not None else letter.created_by_id,
    )
    Letter.objects.filter(pk=letter.pk).update(mail=mail)
    return mail


def letters_sweep() -> dict:
    """Queue again the letters whose render task the broker lost (queued for longer than
    OUTBOX_SWEEP_AFTER) and release the claims of render workers that died (claimed longer ago
    than OUTBOX_IN_FLIGHT_TIMEOUT). Run by Celery beat every minute."""
    now = timezone.now()
    stale = now - in_flight_timeout()
    waiting = now - sweep_after()
    Letter.objects.filter(status=LetterStatus.QUEUED, render_claimed_at__lt=stale).update(render_claim=None)
    lost = list(
        Letter.objects.filter(status=LetterStatus.QUEUED)
        .annotate(due=Coalesce("swept_at", "enqueued_at", "created"))
        .filter(due__lt=waiting)
        .filter(Q(render_claim__isnull=True) | Q(render_claimed_at__lt=stale))
        .values_list("pk", flat=True)
    )
    # swept_at, not enqueued_at: a letter the broker keeps losing must still age in the backlog
    # (readiness, operators' alert), not look freshly queued every OUTBOX_SWEEP_AFTER.
    Letter.objects.filter(pk__in=lost).update(swept_at=now)
    transaction.on_commit(lambda: renders_enqueue(lost))
    return {"letters": len(lost)}
