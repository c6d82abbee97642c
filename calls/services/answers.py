"""Focal points answer a call for their State, observer contacts for their organisation; staff
accept an answer or return it with a reason."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from minamata_portal.uploads import check_upload
from outbox.services import mail_queue

from ..enums import AnswerStatus, CallStatus
from ..models import Answer, AnswerFile, Call
from ..selectors import Seat, call_is_addressed_to, call_is_open
from .transition import transition

ANSWER_TEXT_MAX = 20000


def answer_submit_check(*, seat: Seat, text: str, files=(), today=None) -> list[str]:
    """Whether this State or organisation may answer now, with what it sends; returns the kind
    of each file (checked by content and size). Refuses, naming the field and the reason: a call
    not sent, one whose deadline passed (unless staff accept late answers), an answerer outside
    the call's addressees, an empty answer, a file that is not what it says."""
    call = seat.call
    if call.status == CallStatus.DRAFT:
        raise ValidationError(_("This call has not been sent yet."))
    if call.status == CallStatus.COMPILED:
        raise ValidationError(_("The answers to this call have been compiled: it takes no more answers."))
    if seat.country is not None and not call_is_addressed_to(call, country=seat.country):
        raise ValidationError(
            _("%(answerer)s is not among the addressees of this call (%(audience)s).")
            % {"answerer": seat.country.name, "audience": call.get_audience_display()}
        )
    if seat.organisation is not None and not call_is_addressed_to(call, organisation=seat.organisation):
        raise ValidationError(
            _("%(answerer)s is not among the addressees of this call (%(audience)s).")
            % {"answerer": seat.organisation.name, "audience": call.get_audience_display()}
        )
    if not call_is_open(call, today=today):
        raise ValidationError(
            _("The deadline of this call (%(deadline)s) has passed and it takes no late answers.")
            % {"deadline": call.deadline.isoformat()}
        )
    if not (text or "").strip() and not files:
        raise ValidationError({"text": _("Write your answer or attach a file.")})
    if len(text or "") > ANSWER_TEXT_MAX:
        raise ValidationError(
            {"text": _("The text is longer than %(max)d characters.") % {"max": ANSWER_TEXT_MAX}}
        )
    return [check_upload(f, field="files") for f in files]


def _store_files(answer: Answer, files, kinds) -> None:
    for uploaded, kind in zip(files, kinds, strict=True):
        stored = AnswerFile(
            answer=answer, kind=kind, original_name=(uploaded.name or "")[:255], size=uploaded.size
        )
        stored.file.save(f"x.{kind}", uploaded, save=False)
        stored.save()


def _receipt(answer: Answer, *, by, again: bool) -> None:
    if by is None or not by.email:
        return
    mail_queue(
        to=by.email,
        template_prefix="calls/email/receipt",
        context={
            "answer": answer,
            "call": answer.call,
            "answerer": str(answer.answerer),
            "name": by.get_full_name() or by.email,
            "files": [f.original_name for f in answer.files.all()],
            "again": again,
            "link": settings.SITE_URL.rstrip("/") + reverse("calls:mine"),
        },
        language=by.preferred_language,
        trigger_key=f"call-answer:{answer.pk}:receipt:{answer.history.count()}",
        by=by,
    )


@transaction.atomic
def answer_submit(*, seat: Seat, text: str = "", files=(), by) -> Answer:
    """A new answer under the call for the seat's State or organisation, with its files; the
    person who sent it gets a receipt by e-mail."""
    call = Call.objects.select_for_update().get(pk=seat.call.pk)
    seat = Seat(call=call, country=seat.country, organisation=seat.organisation)
    kinds = answer_submit_check(seat=seat, text=text, files=files)
    now = timezone.now()
    answer = Answer(
        call=call,
        country=seat.country,
        organisation=seat.organisation,
        text=(text or "").strip(),
        submitted_at=now,
        submitted_by=by,
        late=timezone.localdate(now) > call.deadline,
    )
    answer._history_user = by
    answer.save()
    _store_files(answer, files, kinds)
    _receipt(answer, by=by, again=False)
    return answer


@transaction.atomic
def answer_resubmit(*, seat: Seat, answer_pk, text: str = "", files=(), by) -> Answer:
    """The answerer sends a returned answer again, corrected: the new text replaces the old, the
    new files join the earlier ones, and the deadline applies as to a new answer. The answer must
    be one of the seat's (its call, its State or organisation): any other is refused."""
    mine = Answer.objects.filter(call=seat.call, country=seat.country, organisation=seat.organisation)
    answer = (
        mine.select_for_update(of=("self",))
        .select_related("call", "country", "organisation")
        .filter(pk=answer_pk)
        .first()
        if str(answer_pk).isdigit()
        else None
    )
    if answer is None:
        raise ValidationError(_("That answer is not one of yours."))
    if answer.status != AnswerStatus.RETURNED:
        raise ValidationError(_("Only an answer the secretariat returned can be sent again."))
    seat = Seat(call=answer.call, country=answer.country, organisation=answer.organisation)
    kinds = answer_submit_check(seat=seat, text=text or answer.text, files=files)
    now = timezone.now()
    answer = transition(
        answer,
        "resubmit",
        by=by,
        changes={
            "text": (text or "").strip() or answer.text,
            "submitted_at": now,
            "submitted_by": by,
            "late": timezone.localdate(now) > answer.call.deadline,
        },
    )
    _store_files(answer, files, kinds)
    _receipt(answer, by=by, again=True)
    return answer


@transaction.atomic
def answer_accept(*, answer: Answer, by) -> Answer:
    return transition(answer, "accept", by=by, changes={"decided_at": timezone.now(), "decided_by": by})


@transaction.atomic
def answer_return(*, answer: Answer, reason: str, by) -> Answer:
    """Return an answer to its sender with the reason, which they are told by e-mail; they may
    send it again corrected."""
    reason = (reason or "").strip()
    # The call's row locked first, as call_compile locks it: no answer returned once compiled.
    if Call.objects.select_for_update().get(pk=answer.call_id).status == CallStatus.COMPILED:
        raise ValidationError(
            _("The answers to this call have been compiled: the answer can no longer be returned.")
        )
    if not reason:
        raise ValidationError({"reason": _("Say why the answer is returned.")})
    answer = transition(
        answer,
        "send_back",
        by=by,
        changes={"reason": reason, "decided_at": timezone.now(), "decided_by": by},
        reason=reason,
    )
    sender = answer.submitted_by
    if sender is not None and sender.email:
        mail_queue(
            to=sender.email,
            template_prefix="calls/email/returned",
            context={
                "answer": answer,
                "call": answer.call,
                "answerer": str(answer.answerer),
                "name": sender.get_full_name() or sender.email,
                "reason": reason,
                "link": settings.SITE_URL.rstrip("/") + reverse("calls:mine"),
            },
            language=sender.preferred_language,
            trigger_key=f"call-answer:{answer.pk}:returned:{answer.history.count()}",
            by=by,
        )
    return answer
