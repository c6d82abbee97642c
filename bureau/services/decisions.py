"""Decisions of the COP and of the Bureau, their adoption, and the mandates they give the secretariat."""

import datetime as dt
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from meetings.enums import MeetingKind
from meetings.models import Meeting

from ..enums import DECISION_TRANSITIONS, MANDATE_TRANSITIONS, DecisionKind, MandateStatus
from ..models import Decision, DecisionParagraph, Mandate
from .transition import transition

SYMBOL_RE = re.compile(r"^\s*MC-(?P<session>[1-9]\d*)/(?:(?P<number>[1-9]\d*)|\[--\])\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class DecisionSymbol:
    session: int
    number: int | None

    def __str__(self):
        return f"MC-{self.session}/{self.number if self.number is not None else '[--]'}"


def decision_symbol_parse(symbol: str) -> DecisionSymbol:
    """MC-3/11 → session 3, number 11; MC-4/[--] → session 4, a draft without a number."""
    match = SYMBOL_RE.match(symbol or "")
    if not match:
        raise ValidationError(
            {"symbol": _("“%(symbol)s” is not a COP decision symbol: write MC-<session>/<number>, e.g. MC-3/11, "
                         "or MC-4/[--] for a draft.") % {"symbol": symbol}},
            code="bad_symbol",
        )  # fmt: skip
    number = match.group("number")
    return DecisionSymbol(session=int(match.group("session")), number=int(number) if number else None)


@transaction.atomic
def decision_create(
    *,
    meeting: Meeting,
    title_en: str,
    symbol: str = "",
    kind: str = DecisionKind.COP,
    text: str = "",
    paragraphs: list[str] = (),
    adopted_on: dt.date | None = None,
    number: int | None = None,
    by=None,
) -> Decision:
    """Record a decision with its paragraphs. A COP decision gets its session from the symbol; if the
    symbol carries a number it is recorded as adopted (on `adopted_on`, by default the meeting's
    closing day), otherwise as a draft."""
    if not (title_en or "").strip():
        raise ValidationError({"title_en": _("A decision needs a title.")})
    session = None
    if kind == DecisionKind.COP:
        parsed = decision_symbol_parse(symbol)
        session, number = parsed.session, parsed.number
        if meeting.kind != MeetingKind.COP or (meeting.number and meeting.number != session):
            raise ValidationError(
                {"symbol": _("%(symbol)s is a decision of the meeting COP-%(session)s, not of %(meeting)s.")
                 % {"symbol": symbol.strip(), "session": session, "meeting": meeting}}
            )  # fmt: skip
    elif meeting.kind != MeetingKind.BUREAU:
        raise ValidationError({"meeting": _("A Bureau decision belongs to a meeting of the Bureau.")})
    decision = Decision(
        kind=kind, meeting=meeting, session=session, number=None, title_en=title_en.strip(), text=text,
    )  # fmt: skip
    decision._history_user = by
    decision.save()
    for i, paragraph in enumerate(paragraphs, start=1):
        DecisionParagraph.objects.create(decision=decision, number=i, text=paragraph)
    if number is not None:
        decision = decision_adopt(decision=decision, number=number, on=adopted_on or meeting.end_date, by=by)
    return decision


DECISION_TEXT_FIELDS = ("title_en", "title_fr", "title_es", "text")


@transaction.atomic
def decision_update_text(*, decision: Decision, by=None, **changes) -> Decision:
    """Correct a decision's titles or preamble (the admin's form). Symbol, status and adoption stay
    with `decision_create` and `decision_adopt`."""
    unknown = set(changes) - set(DECISION_TEXT_FIELDS)
    if unknown:
        raise ValueError(f"Decision fields not editable here: {sorted(unknown)}")
    if "title_en" in changes and not (changes["title_en"] or "").strip():
        raise ValidationError({"title_en": _("A decision needs a title.")})
    decision = Decision.objects.select_for_update().get(pk=decision.pk)
    for name, value in changes.items():
        setattr(decision, name, value)
    decision._history_user = by
    decision.save(update_fields=[*changes, "modified"])
    return decision


@transaction.atomic
def decision_adopt(*, decision: Decision, number: int, on: dt.date, by=None) -> Decision:
    """The one way a draft (MC-4/[--]) becomes a numbered, adopted decision (MC-4/3)."""
    decision = Decision.objects.select_for_update().get(pk=decision.pk)
    if not decision.can_adopt:
        raise ValidationError(
            _("%(symbol)s is already adopted.") % {"symbol": decision.symbol}, code="already_adopted"
        )
    if not number or number < 1:
        raise ValidationError({"number": _("The decision number must be a positive whole number.")})
    same = Decision.objects.filter(kind=decision.kind, number=number).exclude(pk=decision.pk)
    same = (
        same.filter(session=decision.session)
        if decision.kind == DecisionKind.COP
        else same.filter(meeting=decision.meeting)
    )
    if same.exists():
        raise ValidationError(
            {"number": _("Number %(number)s is already taken by another decision of that meeting.")
             % {"number": number}},
            code="number_taken",
        )  # fmt: skip
    return transition(
        record=decision, table=DECISION_TRANSITIONS, action="adopt", by=by, number=number, adopted_on=on
    )


def mandate_check(*, decision=None, paragraph=None, owner, due_meeting, due_date):
    """What a mandate must satisfy wherever it is written (these services, the admin forms)."""
    if paragraph is not None and decision is not None and paragraph.decision_id != decision.pk:
        raise ValidationError({"paragraph": _("This paragraph belongs to another decision.")})
    # Being on the secretariat's staff, not a permission: an owner who has since left stays valid.
    if owner is not None and not owner.is_staff:
        raise ValidationError({"owner": _("The owner of a mandate must be a member of the secretariat.")})
    if due_meeting is None and due_date is None:
        raise ValidationError({"due_date": _("Say when it is due: a meeting or a date.")})


@transaction.atomic
def mandate_create(
    *,
    decision: Decision,
    description: str,
    paragraph: DecisionParagraph | None = None,
    owner=None,
    due_meeting: Meeting | None = None,
    due_date: dt.date | None = None,
    status: str = MandateStatus.NOT_STARTED,
    notes: str = "",
    by=None,
) -> Mandate:
    if not (description or "").strip():
        raise ValidationError({"description": _("Say what the decision requests.")})
    if status not in MandateStatus.values:
        raise ValidationError({"status": _("Unknown status.")})
    mandate_check(
        decision=decision, paragraph=paragraph, owner=owner, due_meeting=due_meeting, due_date=due_date
    )
    mandate = Mandate(
        decision=decision, paragraph=paragraph, description=description.strip(), owner=owner,
        due_meeting=due_meeting, due_date=due_date, status=status, notes=notes,
    )  # fmt: skip
    mandate._history_user = by
    mandate.save()
    return mandate


def _mandate_action_to(mandate: Mandate, status: str) -> str:
    """The move of MANDATE_TRANSITIONS that takes `mandate` to `status`, or the refusal."""
    for found in MANDATE_TRANSITIONS.actions_from(mandate.status):
        if found.target == status:
            return found.action
    raise ValidationError(
        {"status": _("A mandate that is “%(current)s” cannot become “%(target)s”.")
         % {"current": mandate.get_status_display(),
            "target": MandateStatus(status).label if status in MandateStatus.values else status}},
        code="illegal_transition",
    )  # fmt: skip


@transaction.atomic
def mandate_update(
    *,
    mandate: Mandate,
    by=None,
    status: str | None = None,
    note: str = "",
    description=...,
    paragraph=...,
    owner=...,
    due_meeting=...,
    due_date=...,
) -> Mandate:
    """Follow-up on a mandate: move its status along, add a dated note, change what is requested,
    its paragraph, owner or due date (a field left out stays as it is)."""
    mandate = Mandate.objects.select_for_update().get(pk=mandate.pk)
    action = None
    if status is not None and status != mandate.status:
        action = _mandate_action_to(mandate, status)
    changes = {}
    if description is not ...:
        if not (description or "").strip():
            raise ValidationError({"description": _("Say what the decision requests.")})
        changes["description"] = description.strip()
    for name, value in (("paragraph", paragraph), ("owner", owner), ("due_meeting", due_meeting),
                        ("due_date", due_date)):  # fmt: skip
        if value is not ...:
            changes[name] = value
    merged = {
        name: changes.get(name, getattr(mandate, name))
        for name in ("paragraph", "owner", "due_meeting", "due_date")
    }
    mandate_check(decision=mandate.decision, **merged)
    note = (note or "").strip()
    if note:
        stamp = timezone.localdate().isoformat()
        changes["notes"] = f"{mandate.notes}\n{stamp}: {note}".strip()
    if action is not None:
        return transition(record=mandate, table=MANDATE_TRANSITIONS, action=action, by=by, **changes)
    if not changes:
        raise ValidationError(_("Nothing to change."), code="no_change")
    for name, value in changes.items():
        setattr(mandate, name, value)
    mandate._history_user = by
    mandate.save(update_fields=[*changes, "modified"])
    return mandate
