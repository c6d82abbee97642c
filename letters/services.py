"""The outbox and the letters: every write about mail and letters goes through here.

Exactly-once in effect, by three rules:
1. Every mail and every letter has a unique trigger key (what caused it), so asking twice
   (a double click, a task run twice, a status saved twice) finds the existing row.
2. Work is claimed with a conditional UPDATE (`status = queued` → `sending` with a fresh claim
   token) that changes one row for one worker; a task that finds the row in flight or done skips
   it, and the outcome is written only `WHERE claim_token = <ours>`.
3. Nothing depends on the broker keeping a task: rows are committed first, the task is only a
   nudge, and `outbox_sweep` (Celery beat) re-queues rows left queued (broker down, task lost)
   or stuck in flight past `LETTERS_IN_FLIGHT_TIMEOUT` (worker killed).

The one window no database can close is a worker killed after the SMTP server answered
"250 accepted" and before our UPDATE: the sweeper then sends the mail again. It is bounded:
the window is the few milliseconds of one UPDATE, and the resend carries the same Message-ID
(fixed on the row), so the copy is recognisable and most mail systems drop it.
"""

import contextlib
import datetime as dt
import hashlib
import logging
import secrets
import smtplib
import uuid
from dataclasses import dataclass, field

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import IntegrityError, transaction
from django.db.models import F, Q, prefetch_related_objects
from django.db.models.functions import Coalesce
from django.template.loader import render_to_string
from django.utils import timezone, translation

from .enums import REFERENCE_CODES, LetterKind, LetterStatus, MailStatus
from .models import Letter, LetterBatch, LetterSequence, LetterTemplate, OutgoingMail
from .rendering import compile_body, format_date_range, html_to_letter_pdf, letter_html, verify_url
from .storage import letter_storage

logger = logging.getLogger(__name__)


def _setting(name, default):
    return getattr(settings, name, default)


def in_flight_timeout() -> dt.timedelta:
    """How long a row may stay claimed before the sweeper takes it back. Far longer than any
    send can last (EMAIL_TIMEOUT bounds each SMTP step), so a live worker is never overtaken."""
    return dt.timedelta(seconds=_setting("LETTERS_IN_FLIGHT_TIMEOUT", 600))


def sweep_after() -> dt.timedelta:
    """How long a queued row waits for its task before the sweeper queues it again."""
    return dt.timedelta(seconds=_setting("LETTERS_SWEEP_AFTER", 600))


def max_attempts() -> int:
    return _setting("LETTERS_MAX_ATTEMPTS", 8)


def retry_countdown(attempts: int) -> int:
    """Exponential backoff for transient SMTP failures: 30 s, 60 s, 120 s … at most 10 min."""
    base = _setting("LETTERS_RETRY_BASE_SECONDS", 30)
    return int(min(base * 2 ** max(attempts - 1, 0), 600))


# --- The outbox -----------------------------------------------------------------------------


def _render_mail(template_prefix, context, language):
    with translation.override(language):
        subject = render_to_string(f"{template_prefix}_subject.txt", context).strip()
        text = render_to_string(f"{template_prefix}.txt", context)
        try:
            html = render_to_string(f"{template_prefix}.html", context)
        except Exception:
            html = ""
    return " ".join(subject.split()), text, html


def _mail_row(*, to, template_prefix, context, language, trigger_key, reply_to="", by_id=None, letter=None):
    """An unsaved outbox row with its subject and bodies rendered in `language`."""
    subject, text, html = _render_mail(template_prefix, context, language)
    return OutgoingMail(
        to=to,
        reply_to=reply_to,
        subject=subject,
        body_text=text,
        body_html=html,
        language=language,
        trigger_key=trigger_key,
        letter=letter,
        created_by_id=by_id,
    )


def mail_queue(
    *,
    to: str,
    template_prefix: str,
    context: dict,
    language: str = "en",
    trigger_key: str | None = None,
    reply_to: str = "",
    by=None,
    by_id: int | None = None,
    letter: Letter | None = None,
) -> OutgoingMail:
    """Store the mail, then queue its sending once the surrounding transaction commits.

    `template_prefix` names a trio: `<prefix>_subject.txt`, `<prefix>.txt`, `<prefix>.html`
    (the HTML part is optional). A mail with a `trigger_key` that already exists is not created
    again: the existing row is returned. `letter` attaches that letter's PDF.
    """
    if trigger_key:
        existing = OutgoingMail.objects.filter(trigger_key=trigger_key).first()
        if existing:
            return existing
    mail = _mail_row(
        to=to,
        template_prefix=template_prefix,
        context=context,
        language=language,
        trigger_key=trigger_key,
        reply_to=reply_to,
        by_id=by.pk if by is not None else by_id,
        letter=letter,
    )
    try:
        with transaction.atomic():
            mail.save(force_insert=True)
    except IntegrityError:
        return OutgoingMail.objects.get(trigger_key=trigger_key)
    transaction.on_commit(lambda: _enqueue_mails([mail.pk]))
    return mail


def mail_queue_rows(rows: list[OutgoingMail]) -> list[OutgoingMail]:
    """Store many new mails (built by _mail_row) at once and queue their sending once the
    surrounding transaction commits. For callers whose claim makes every trigger new (a render
    chunk): no lookup per trigger key, as mail_queue does."""
    mails = OutgoingMail.objects.bulk_create(rows)
    transaction.on_commit(lambda: _enqueue_mails([mail.pk for mail in mails]))
    return mails


def _enqueue_mails(mail_ids):
    from .tasks import outgoing_mail_send, outgoing_mails_send

    ids, size = list(mail_ids), chunk_size()
    if len(ids) == 1:
        _enqueue_each(outgoing_mail_send, ids, "mail")
    else:
        _enqueue_each(outgoing_mails_send, [ids[i : i + size] for i in range(0, len(ids), size)], "mails")


def _enqueue_renders(letter_ids):
    from .tasks import letters_render

    ids, size = list(letter_ids), chunk_size()
    chunks = [ids[i : i + size] for i in range(0, len(ids), size)]
    _enqueue_each(letters_render, chunks, "chunk of letters")


def _enqueue_dispatch(letter_ids):
    from .tasks import letters_dispatch

    _enqueue_each(letters_dispatch, [letter_ids], "batch of letters")


def letters_dispatch(*, letter_ids: list[int]) -> int:
    """Queue the render tasks, a chunk of letters each (run by a worker for a bulk send)."""
    _enqueue_renders(letter_ids)
    return len(letter_ids)


def _enqueue_each(task, ids, what):
    """Queue one task per id. The rows are already committed: if the broker is down, the
    sweeper queues them later, so a failure here is logged, not raised to the user."""
    for pk in ids:
        try:
            task.delay(pk)
        except Exception:
            logger.warning(
                "Could not queue %s %s (and %d more); the sweeper will.",
                what,
                pk,
                len(ids) - 1,
                exc_info=True,
            )
            return


class TransientMailError(Exception):
    def __init__(self, message, countdown=0):
        super().__init__(message)
        self.countdown = countdown


def _smtp_code(exc) -> int | None:
    if isinstance(exc, smtplib.SMTPResponseException):
        return exc.smtp_code
    if isinstance(exc, smtplib.SMTPRecipientsRefused) and exc.recipients:
        # All recipients refused: permanent only if every refusal was permanent.
        return min(code for code, _msg in exc.recipients.values())
    return None


def _build_message(mail: OutgoingMail, connection=None) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject=mail.subject,
        body=mail.body_text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[mail.to],
        reply_to=[mail.reply_to] if mail.reply_to else None,
        headers={"Message-ID": mail.message_id, "X-Portal-Mail-Id": str(mail.pk)},
        connection=connection,
    )
    if mail.body_html:
        message.attach_alternative(mail.body_html, "text/html")
    if mail.letter_id and mail.letter.pdf:
        with mail.letter.pdf.open("rb") as handle:
            message.attach(mail.letter.reference.replace("/", "-") + ".pdf", handle.read(), "application/pdf")
    return message


def _finish_mail(mail: OutgoingMail, token, *, status, error="") -> bool:
    """Record the outcome, only if our claim still holds; the letter follows its mail."""
    now = timezone.now()
    fields = {"status": status, "last_error": error[:2000], "claim_token": None}
    if status == MailStatus.SENT:
        fields["sent_at"] = now
    with transaction.atomic():
        updated = OutgoingMail.objects.filter(pk=mail.pk, claim_token=token).update(**fields)
        if updated and mail.letter_id and status in (MailStatus.SENT, MailStatus.FAILED):
            letter_fields = {"attempts": mail.attempts, "last_error": error[:2000]}
            if status == MailStatus.SENT:
                letter_fields.update(status=LetterStatus.SENT, sent_at=now)
            else:
                letter_fields.update(status=LetterStatus.FAILED)
            Letter.objects.filter(pk=mail.letter_id).update(**letter_fields)
    return bool(updated)


def _claim_mails(mail_ids, token) -> list[OutgoingMail]:
    """Claim the queued mails among `mail_ids` (one UPDATE) and read them back with their letters."""
    OutgoingMail.objects.filter(pk__in=mail_ids, status=MailStatus.QUEUED).update(
        status=MailStatus.SENDING, claim_token=token, claimed_at=timezone.now(), attempts=F("attempts") + 1
    )
    return list(OutgoingMail.objects.filter(claim_token=token).select_related("letter").order_by("pk"))


def _send_claimed(mail: OutgoingMail, token, connection=None) -> str:
    """Send one claimed mail and record the outcome; raises TransientMailError (with the
    countdown) when the send should be retried."""
    try:
        if connection is not None:
            connection.open()  # kept open across a chunk; a no-op while it is up
        _build_message(mail, connection).send()
    except (OSError, smtplib.SMTPException) as exc:
        code = _smtp_code(exc)
        error = f"{code} {exc}" if code else repr(exc)
        if (code is not None and code >= 500) or mail.attempts >= max_attempts():
            _finish_mail(mail, token, status=MailStatus.FAILED, error=error)
            logger.warning("Mail %s failed for good: %s", mail.pk, error)
            return MailStatus.FAILED
        countdown = retry_countdown(mail.attempts)
        OutgoingMail.objects.filter(pk=mail.pk, claim_token=token).update(
            status=MailStatus.QUEUED,
            claim_token=None,
            last_error=error[:2000],
            next_attempt_at=timezone.now() + dt.timedelta(seconds=countdown),
        )
        if mail.letter_id:
            Letter.objects.filter(pk=mail.letter_id).update(attempts=mail.attempts, last_error=error[:2000])
        raise TransientMailError(error, countdown=countdown) from exc
    if not _finish_mail(mail, token, status=MailStatus.SENT):
        logger.error("Mail %s was sent but its claim had been taken back by the sweeper.", mail.pk)
    return MailStatus.SENT


def outgoing_mail_deliver(*, mail_id: int) -> str:
    """Claim the mail (one worker only), send it, record the outcome. Returns the new status;
    raises TransientMailError (with the countdown) when the send should be retried."""
    token = uuid.uuid4()
    claimed = _claim_mails([mail_id], token)
    if not claimed:
        # In flight elsewhere, already sent, failed, or unknown: never send twice.
        return OutgoingMail.objects.filter(pk=mail_id).values_list("status", flat=True).first() or ""
    return _send_claimed(claimed[0], token)


def outgoing_mails_deliver(*, mail_ids: list[int]) -> dict[int, str]:
    """Send a chunk of mails over one SMTP connection; returns each mail's status.

    Claimed together, but each outcome is recorded as soon as its send ends, so a worker killed
    mid-chunk leaves the same one-message window as a single send. A mail the server defers
    (4xx, connection lost) is queued again with its own retry task and backoff; the connection
    is then opened afresh for the rest of the chunk.
    """
    token = uuid.uuid4()
    mails = _claim_mails(mail_ids, token)
    statuses = {}
    if len(mails) < len(set(mail_ids)):
        claimed = {mail.pk for mail in mails}
        statuses.update(
            OutgoingMail.objects.filter(pk__in=set(mail_ids) - claimed).values_list("pk", "status")
        )
    connection = get_connection()
    try:
        for mail in mails:
            try:
                statuses[mail.pk] = _send_claimed(mail, token, connection)
            except TransientMailError as exc:
                statuses[mail.pk] = MailStatus.QUEUED
                _close_quietly(connection)
                _enqueue_mail_retry(mail.pk, exc.countdown)
    finally:
        _close_quietly(connection)
    return statuses


def _close_quietly(connection):
    with contextlib.suppress(OSError, smtplib.SMTPException):
        connection.close()


def _enqueue_mail_retry(mail_id, countdown):
    from .tasks import outgoing_mail_send

    try:
        outgoing_mail_send.apply_async((mail_id,), countdown=countdown)
    except Exception:
        logger.warning("Could not queue the retry of mail %s; the sweeper will.", mail_id, exc_info=True)


def outbox_sweep() -> dict:
    """Queue again what the broker lost: mails and letters queued for longer than
    LETTERS_SWEEP_AFTER, and rows claimed longer ago than LETTERS_IN_FLIGHT_TIMEOUT (their
    worker died). Run by Celery beat every minute."""
    now = timezone.now()
    stale = now - in_flight_timeout()
    waiting = now - sweep_after()

    # A mail stuck in "sending": its worker died. Take the claim back (new token), resend.
    stuck = list(
        OutgoingMail.objects.filter(status=MailStatus.SENDING, claimed_at__lt=stale).values_list(
            "pk", flat=True
        )
    )
    recovered = [
        pk
        for pk in stuck
        if OutgoingMail.objects.filter(pk=pk, status=MailStatus.SENDING, claimed_at__lt=stale).update(
            status=MailStatus.QUEUED,
            claim_token=None,
            next_attempt_at=now,
            last_error="worker lost in flight",
        )
    ]
    lost_mails = list(
        OutgoingMail.objects.filter(status=MailStatus.QUEUED)
        .annotate(due=Coalesce("next_attempt_at", "created"))
        .filter(due__lt=waiting)
        .values_list("pk", flat=True)
    )
    OutgoingMail.objects.filter(pk__in=lost_mails).update(next_attempt_at=now)

    # A letter whose rendering worker died: release the claim so any worker may take it.
    Letter.objects.filter(status=LetterStatus.QUEUED, render_claimed_at__lt=stale).update(render_claim=None)
    lost_letters = list(
        Letter.objects.filter(status=LetterStatus.QUEUED)
        .annotate(due=Coalesce("enqueued_at", "created"))
        .filter(due__lt=waiting)
        .filter(Q(render_claim__isnull=True) | Q(render_claimed_at__lt=stale))
        .values_list("pk", flat=True)
    )
    Letter.objects.filter(pk__in=lost_letters).update(enqueued_at=now)

    mail_ids = sorted(set(recovered) | set(lost_mails))
    transaction.on_commit(lambda: (_enqueue_mails(mail_ids), _enqueue_renders(lost_letters)))
    return {
        "mails recovered in flight": len(recovered),
        "mails queued": len(mail_ids),
        "letters": len(lost_letters),
    }


# --- Letters --------------------------------------------------------------------------------


class LetterActionError(ValueError):
    pass


@dataclass
class LetterSpec:
    """Who a new letter goes to; built from a focal point, a registration or an organisation."""

    trigger_key: str
    recipient_name: str
    recipient_email: str
    language: str = "en"
    recipient_address: str = ""
    recipient_user: object = None
    focal_point: object = None
    registration: object = None
    details: dict = field(default_factory=dict)


def _language_for(preferred: str | None) -> str:
    return preferred if preferred in ("en", "fr", "es") else "en"


def reference_prefix(meeting) -> str:
    """UNEP/MC/COP.2 → MC/COP.2; meetings without a symbol use their code."""
    prefix = meeting.symbol_prefix or meeting.code.upper()
    return prefix.removeprefix("UNEP/")


def _new_letters(
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
        existing = set(Letter.objects.filter(trigger_key__in=keys).values_list("trigger_key", flat=True))
        seen = set(existing)
        now = timezone.now()
        prefix, code, year = reference_prefix(meeting), REFERENCE_CODES[kind], meeting.start_date.year
        new = []
        for spec in specs:
            if spec.trigger_key in seen:
                continue
            seen.add(spec.trigger_key)
            number = sequence.last_number + len(new) + 1
            letter = Letter(
                kind=kind,
                meeting=meeting,
                batch=batch,
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
            new.append(letter)
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
                transaction.on_commit(lambda: _enqueue_renders(new_ids))
            else:
                # One message for the whole batch: the staff member's request publishes once and
                # answers at once; a worker fans it out into render tasks of LETTERS_CHUNK_SIZE.
                transaction.on_commit(lambda: _enqueue_dispatch(new_ids))
    by_key = {letter.trigger_key: letter for letter in Letter.objects.filter(trigger_key__in=keys)}
    return [by_key[key] for key in keys if key in by_key], batch


def _focal_point_spec(meeting, focal_point) -> LetterSpec:
    user = focal_point.user
    language = _language_for(user.preferred_language)
    with translation.override(language):
        address = "\n".join([str(focal_point.get_kind_display()), focal_point.country.name])
        country_name = focal_point.country.name
    name = " ".join(p for p in (user.title, user.get_full_name()) if p) or user.email
    return LetterSpec(
        trigger_key=f"invitation:{meeting.pk}:focal-point:{focal_point.pk}",
        recipient_name=name,
        recipient_email=user.email,
        language=language,
        recipient_address=address,
        recipient_user=user,
        focal_point=focal_point,
        details={"country_name": country_name},
    )


def letter_request_invitation(*, meeting, focal_point=None, organisation=None, by=None) -> Letter:
    """One invitation letter, to a State's focal point (accounts.FocalPoint) or to an observer
    organisation (any object or dict with name, email, and optionally address, language, pk)."""
    if (focal_point is None) == (organisation is None):
        raise ValueError("Give either a focal point or an organisation.")
    if focal_point is not None:
        spec = _focal_point_spec(meeting, focal_point)
    else:
        get = (
            organisation.get
            if isinstance(organisation, dict)
            else lambda k, d="": getattr(organisation, k, d)
        )
        key = get("pk", "") or get("email")
        spec = LetterSpec(
            trigger_key=f"invitation:{meeting.pk}:organisation:{key}",
            recipient_name=get("name"),
            recipient_email=get("email"),
            recipient_address=get("address", ""),
            language=_language_for(get("language", "en")),
        )
    return _new_letters(meeting=meeting, kind=LetterKind.INVITATION, specs=[spec], by=by)[0][0]


def party_focal_points(meeting):
    """The active focal points of the States that are Parties on the meeting's opening day."""
    from accounts.models import FocalPoint

    return (
        FocalPoint.objects.filter(
            active=True, country__party_records__entry_into_force__lte=meeting.start_date
        )
        .select_related("user", "country")
        .order_by("country__name_en", "pk")
        .distinct()
    )


def letter_batch_invite_parties(*, meeting, by=None) -> LetterBatch | None:
    """Staff's bulk action: an invitation to every Party's focal point for the meeting. Running it
    again creates letters only for focal points added since (None if there are none): nobody
    gets a second invitation."""
    specs = [_focal_point_spec(meeting, fp) for fp in party_focal_points(meeting)]
    description = f"Invitations to the Parties' focal points – {meeting.code}"
    return _new_letters(
        meeting=meeting, kind=LetterKind.INVITATION, specs=specs, batch_description=description, by=by
    )[1]


def _money(amount, currency) -> str:
    return f"{currency} {amount:,.2f}".strip() if amount is not None else ""


def _registration_spec(kind: str, registration) -> LetterSpec:
    """What a letter needs from a participants.Registration, as issued. The passport number is
    not copied here (it is encrypted at rest): the renderer reads it from the visa request."""
    user = registration.user
    language = _language_for(getattr(user, "preferred_language", None))
    name = " ".join(p for p in (registration.title, registration.full_name) if p)
    with translation.override(language):
        represented = registration.country or registration.organisation
        delegation = str(getattr(represented, "name", represented or ""))
    address = "\n".join(
        line
        for line in (
            registration.function,
            registration.department,
            *registration.address.splitlines(),
            delegation,
        )
        if line and line.strip()
    )
    details = {"participant_name": registration.full_name, "delegation": delegation}
    if kind == LetterKind.VISA:
        visa = getattr(registration, "visa_request", None)
        if visa is not None:
            details["embassy"] = visa.embassy
            if visa.passport_country_id:
                with translation.override(language):
                    details["nationality"] = visa.passport_country.name
            if visa.passport_expires:
                from .rendering import format_date

                details["passport_expiry"] = format_date(visa.passport_expires, language)
    if kind == LetterKind.FUNDING:
        funding = getattr(registration, "funding", None)
        if funding is not None:
            ticket = " – ".join(p for p in (funding.itinerary, funding.get_travel_class_display()) if p)
            if ticket:
                details["ticket"] = ticket
            if funding.dsa_nights:
                details["dsa_days"] = str(funding.dsa_nights)
            if funding.dsa_amount is not None:
                details["dsa_rate"] = _money(funding.dsa_amount, funding.dsa_currency)
            if funding.terminal_expenses:
                details["terminal"] = _money(funding.terminal_expenses, funding.dsa_currency or "USD")
    return LetterSpec(
        trigger_key=f"{kind}:registration:{registration.pk}",
        recipient_name=name or registration.email,
        recipient_email=registration.email,
        recipient_address=address,
        language=language,
        recipient_user=user,
        registration=registration,
        details=details,
    )


def letter_request(*, kind: str, registration, by=None) -> Letter:
    """The letter a registration's status change calls for (confirmation when accredited, visa
    when a visa request is approved, funding when funding is granted). Call it from the
    participants' services; the letter is rendered and sent after the transaction commits.
    Calling it again for the same registration and kind returns the same letter."""
    if kind not in (LetterKind.CONFIRMATION, LetterKind.VISA, LetterKind.FUNDING):
        raise ValueError(f"letter_request does not make {kind} letters")
    spec = _registration_spec(kind, registration)
    return _new_letters(meeting=registration.meeting, kind=kind, specs=[spec], by=by)[0][0]


def letter_batch_for_registrations(*, kind: str, registrations, by=None) -> LetterBatch | None:
    """Staff's bulk action on selected registrations of one meeting ("send confirmation letters
    to selected"). Registrations that already have this letter are skipped."""
    registrations = list(registrations)
    if not registrations:
        return None
    meeting = registrations[0].meeting
    if any(r.meeting_id != meeting.pk for r in registrations):
        raise LetterActionError("Select registrations of one meeting at a time.")
    specs = [_registration_spec(kind, r) for r in registrations]
    description = f"{LetterKind(kind).label} – {meeting.code}"
    return _new_letters(meeting=meeting, kind=kind, specs=specs, batch_description=description, by=by)[1]


def letter_batch_confirm_selected(*, registrations, by=None) -> tuple[LetterBatch | None, int]:
    """Staff's action on chosen registrations: a confirmation letter to each that is accredited
    and has none yet. Returns the batch (None when nobody is new) and how many chosen
    registrations were not accredited, hence skipped: a confirmation confirms an accreditation."""
    from participants.enums import ACCREDITED_STATUSES

    chosen = registrations.select_related("meeting", "user", "country", "organisation")
    accredited = [registration for registration in chosen if registration.status in ACCREDITED_STATUSES]
    batch = letter_batch_for_registrations(kind=LetterKind.CONFIRMATION, registrations=accredited, by=by)
    return batch, len(chosen) - len(accredited)


def letter_batch_confirm_accredited(*, meeting, by=None) -> LetterBatch | None:
    """Staff's bulk action: a confirmation letter to every accredited participant of the meeting
    who has none yet (None when there is nobody new)."""
    from participants.enums import ACCREDITED_STATUSES
    from participants.models import Registration

    registrations = (
        Registration.objects.filter(meeting=meeting, status__in=ACCREDITED_STATUSES)
        .select_related("meeting", "user", "country", "organisation")
        .order_by("last_name", "first_name", "pk")
    )
    return letter_batch_for_registrations(kind=LetterKind.CONFIRMATION, registrations=registrations, by=by)


def letter_template_for(letter_or_meeting, kind=None, language=None):
    meeting_id = getattr(letter_or_meeting, "meeting_id", None) or letter_or_meeting.pk
    return LetterTemplate.objects.filter(
        meeting_id=meeting_id,
        kind=kind or letter_or_meeting.kind,
        language=language or letter_or_meeting.language,
    ).first()


def chunk_size() -> int:
    """How many letters one render task claims, renders and commits together, and how many
    mails one send task sends over one SMTP connection."""
    return max(int(_setting("LETTERS_CHUNK_SIZE", 20)), 1)


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
    queued; the sweeper releases them after LETTERS_IN_FLIGHT_TIMEOUT and they are rendered
    again, still with one mail each (the mail is created only with the claim).
    """
    token = uuid.uuid4()
    now = timezone.now()
    Letter.objects.filter(pk__in=letter_ids, status=LetterStatus.QUEUED).filter(
        Q(render_claim__isnull=True) | Q(render_claimed_at__lt=now - in_flight_timeout())
    ).update(render_claim=token, render_claimed_at=now)
    # `created_by` is not joined: only its id goes on the mail.
    letters = list(
        Letter.objects.filter(render_claim=token)
        .select_related("meeting__country", "focal_point__country")
        .order_by("pk")
    )
    # A visa letter prints the passport from its registration's visa request: fetched for the
    # chunk's visa letters only (two queries), never decrypted for the others.
    prefetch_related_objects(
        [letter for letter in letters if letter.kind == LetterKind.VISA], "registration__visa_request"
    )
    statuses = {}
    if len(letters) < len(set(letter_ids)):
        # In flight elsewhere, already rendered or sent, failed, or unknown: left alone.
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
    for letter in letters:
        override = overrides.get((letter.meeting_id, letter.kind, letter.language))
        try:
            pdf = html_to_letter_pdf(letter_html(letter, override=override))
        except Exception as exc:
            # A template that does not render will not render on a retry either: fail, visibly.
            logger.exception("Letter %s could not be rendered", letter.pk)
            Letter.objects.filter(pk=letter.pk, render_claim=token).update(
                status=LetterStatus.FAILED, last_error=f"rendering: {exc!r}"[:2000], render_claim=None
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
            .filter(pk__in=[letter.pk for letter in rendered], render_claim=token, status=LetterStatus.QUEUED)
            .values_list("pk", flat=True)
        )
        done = [letter for letter in rendered if letter.pk in held]
        # What every letter of the chunk shares in one UPDATE; only what differs goes through
        # bulk_update's CASE expressions, which Django builds slowly (a field per letter each).
        same = {"status": LetterStatus.RENDERED, "render_claim": None, "rendered_at": timezone.now()}
        for letter in done:
            for name, value in same.items():
                setattr(letter, name, value)
        versions = {letter.template_version for letter in done}
        if len(versions) == 1:
            same["template_version"] = versions.pop()
        Letter.objects.bulk_update(done, ["pdf", "sha256", *(["template_version"] if versions else [])])
        Letter.objects.filter(pk__in=held).update(**same)  # after: a rendered letter has its hash
        mail_queue_rows([_letter_mail_row(letter, send_number=1) for letter in done])
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
    """What a letter's e-mail is made of; one trigger key per send."""
    return {
        "to": letter.recipient_email,
        "template_prefix": "letters/email/letter",
        "context": _letter_mail_context(letter),
        "language": letter.language,
        "trigger_key": f"letter:{letter.pk}:send:{send_number}",
        "letter": letter,
        "by_id": letter.created_by_id,
    }


def _letter_mail_row(letter: Letter, *, send_number: int) -> OutgoingMail:
    """The unsaved mail of a letter just rendered: its claim makes the trigger new."""
    return _mail_row(**_letter_mail_fields(letter, send_number=send_number))


def _letter_mail(letter: Letter, *, send_number: int, by=None) -> OutgoingMail:
    return mail_queue(**_letter_mail_fields(letter, send_number=send_number), by=by)


def letter_resend(*, letter: Letter, by=None) -> Letter:
    """Staff's resend: a failed letter is tried again; a sent one is sent once more (a new,
    deliberate trigger). A letter that failed to render is rendered again first."""
    with transaction.atomic():
        letter = Letter.objects.select_for_update().get(pk=letter.pk)
        if letter.status in (LetterStatus.QUEUED,):
            raise LetterActionError("The letter is still queued.")
        if letter.revoked_at:
            raise LetterActionError("A revoked letter cannot be sent.")
        if not letter.sha256:
            Letter.objects.filter(pk=letter.pk).update(
                status=LetterStatus.QUEUED, render_claim=None, last_error="", enqueued_at=timezone.now()
            )
            transaction.on_commit(lambda: _enqueue_renders([letter.pk]))
        else:
            if letter.mails.filter(status__in=[MailStatus.QUEUED, MailStatus.SENDING]).exists():
                raise LetterActionError("The letter is being sent.")
            Letter.objects.filter(pk=letter.pk).update(status=LetterStatus.RENDERED, last_error="")
            _letter_mail(letter, send_number=letter.mails.count() + 1, by=by)
    letter.refresh_from_db()
    return letter


def letter_revoke(*, letter: Letter, by=None) -> Letter:
    """The verification page shows the letter as revoked from now on; who did it is recorded."""
    Letter.objects.filter(pk=letter.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now(), revoked_by=by
    )
    letter.refresh_from_db()
    return letter


def letter_template_save(*, template: LetterTemplate, by=None) -> LetterTemplate:
    """Save staff's wording as a new version; a body that does not compile is refused."""
    compile_body(template.body)
    template.version = (template.version or 0) + 1 if template.pk else 1
    template.modified_by = by
    template.save()
    return template
