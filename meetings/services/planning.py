"""Meetings themselves: their records, status, contributions and partners, and the next COP."""

import datetime as dt

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..enums import MEETING_TRANSITIONS, AgendaStatus, MeetingKind, MeetingMode, MeetingStatus
from ..models import AgendaVersion, Contribution, ExpertGroup, Meeting, PartnerOrganisation
from .agendas import copy_agenda_items
from .transition import transition


@transaction.atomic
def meeting_save(
    *, meeting: Meeting, by=None, back_to_back_with=None, scope_states=None, scope_groups=None
) -> Meeting:
    """Validate and save a meeting's details (a new one starts as planned). Its status is not
    set here: it moves only by `meeting_move`. `back_to_back_with`, `scope_states` and
    `scope_groups`, when given, replace the meetings it is held back-to-back with and the named
    States and groups of States it is limited to (with `meeting.regions`)."""
    if meeting.pk is None:
        meeting.status = MeetingStatus.PLANNED
    else:
        meeting.status = Meeting.objects.values_list("status", flat=True).get(pk=meeting.pk)
    meeting.full_clean()
    meeting._history_user = by
    meeting.save()
    if back_to_back_with is not None:
        meeting.back_to_back_with.set(back_to_back_with)
    if scope_states is not None:
        meeting.scope_states.set(scope_states)
    if scope_groups is not None:
        meeting.scope_groups.set(scope_groups)
    return meeting


@transaction.atomic
def meeting_delete(*, meeting: Meeting, by=None) -> None:
    """Delete a meeting with what hangs on it (segments, agendas, programme, side events)."""
    meeting._history_user = by
    meeting.delete()


def meeting_move(*, meeting: Meeting, action: str, by=None) -> Meeting:
    """Move a meeting along planned → registration open → registration closed → in session →
    held (or cancelled / postponed) by one of `MEETING_TRANSITIONS`' actions."""
    return transition(record=meeting, table=MEETING_TRANSITIONS, action=action, by=by)


@transaction.atomic
def expert_group_save(*, group: ExpertGroup, by=None) -> ExpertGroup:
    group.full_clean()
    group.save()
    return group


@transaction.atomic
def expert_group_delete(*, group: ExpertGroup, by=None) -> None:
    group.delete()


@transaction.atomic
def contribution_save(*, contribution: Contribution, by=None) -> Contribution:
    contribution.full_clean()
    contribution._history_user = by
    contribution.save()
    return contribution


@transaction.atomic
def contribution_delete(*, contribution: Contribution, by=None) -> None:
    contribution._history_user = by
    contribution.delete()


@transaction.atomic
def partner_save(*, partner: PartnerOrganisation, by=None) -> PartnerOrganisation:
    partner.full_clean()
    partner.save()
    return partner


@transaction.atomic
def partner_delete(*, partner: PartnerOrganisation, by=None) -> None:
    partner.delete()


# ---------------------------------------------------------------------------------------------
# The next COP

ORDINALS = {
    "en": ["First", "Second", "Third", "Fourth", "Fifth", "Sixth", "Seventh", "Eighth", "Ninth", "Tenth",
           "Eleventh", "Twelfth", "Thirteenth", "Fourteenth", "Fifteenth", "Sixteenth", "Seventeenth",
           "Eighteenth", "Nineteenth", "Twentieth"],
    "fr": ["Première", "Deuxième", "Troisième", "Quatrième", "Cinquième", "Sixième", "Septième",
           "Huitième", "Neuvième", "Dixième", "Onzième", "Douzième", "Treizième", "Quatorzième",
           "Quinzième", "Seizième", "Dix-septième", "Dix-huitième", "Dix-neuvième", "Vingtième"],
    "es": ["Primera", "Segunda", "Tercera", "Cuarta", "Quinta", "Sexta", "Séptima", "Octava", "Novena",
           "Décima", "Undécima", "Duodécima", "Decimotercera", "Decimocuarta", "Decimoquinta",
           "Decimosexta", "Decimoséptima", "Decimoctava", "Decimonovena", "Vigésima"],
}  # fmt: skip
COP_TITLES = {
    "en": "{ordinal} meeting of the Conference of the Parties to the Minamata Convention on Mercury",
    "fr": "{ordinal} réunion de la Conférence des Parties à la Convention de Minamata sur le mercure",
    "es": "{ordinal} reunión de la Conferencia de las Partes en el Convenio de Minamata sobre el Mercurio",
}


def _cop_title(number: int, language: str) -> str:
    ordinals = ORDINALS[language]
    if number > len(ordinals):
        return ""
    return COP_TITLES[language].format(ordinal=ordinals[number - 1])


def next_cop_check(*, meeting: Meeting) -> None:
    """Whether COP-n+1 can be made from `meeting`: a numbered COP (not a segment) whose
    successor does not exist yet."""
    if not meeting.is_cop_root or not meeting.number:
        raise ValidationError(
            _("Only a numbered COP (not a segment) can be copied into the next COP."), code="not_a_cop"
        )
    number = meeting.number + 1
    if Meeting.objects.filter(kind=MeetingKind.COP, number=number, parent__isnull=True).exists() or (
        Meeting.objects.filter(code=f"cop-{number}").exists()
    ):
        raise ValidationError(_("COP-%(number)s already exists.") % {"number": number}, code="exists")


def next_cop_shift(*, start: dt.date, today: dt.date, months: int | None = None) -> dt.timedelta:
    """How far after `start` the next COP opens: `months` (the setting COP_INTERVAL_MONTHS) later,
    on the nearest same weekday (COPs open on a Monday), and again by the interval until it opens
    after `today`: a COP is never planned in the past."""
    months = months or settings.COP_INTERVAL_MONTHS
    if months < 1:
        raise ValidationError(_("The interval between COPs must be at least one month."), code="interval")
    steps = 1
    while True:
        candidate = start + relativedelta(months=months * steps)
        forward = (start.weekday() - candidate.weekday()) % 7
        candidate += dt.timedelta(days=forward - 7 if forward > 3 else forward)
        if candidate > today:
            return candidate - start
        steps += 1


def _segment_code(code: str, number: int, index: int) -> str:
    previous = f"cop-{number - 1}-"
    suffix = code[len(previous) :] if code.startswith(previous) else f"segment-{index}"
    return f"cop-{number}-{suffix}"[:40]


def _renumbered(text: str, number: int) -> str:
    return text.replace(f"COP-{number - 1}", f"COP-{number}") if text else text


@transaction.atomic
def meeting_create_next_cop(*, meeting: Meeting, by=None, today: dt.date | None = None) -> Meeting:
    """COP-n+1 from COP-n in one step: COP_INTERVAL_MONTHS later (never in the past), its
    segments copied at the same offsets from the opening, the same mode, time zone and languages,
    the venue left to be confirmed (flagged), a fresh planned status, and a first draft agenda
    holding the skeleton of the last agenda (items and sub-items, without the annotations, which
    are written anew)."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    next_cop_check(meeting=meeting)
    number = meeting.number + 1
    shift = next_cop_shift(start=meeting.start_date, today=today or timezone.localdate())
    successor = Meeting(
        kind=MeetingKind.COP,
        number=number,
        code=f"cop-{number}",
        title_en=_cop_title(number, "en") or f"COP-{number}",
        title_fr=_cop_title(number, "fr"),
        title_es=_cop_title(number, "es"),
        mode=meeting.mode,
        status=MeetingStatus.PLANNED,
        start_date=meeting.start_date + shift,
        end_date=meeting.end_date + shift,
        time_zone=meeting.time_zone,
        # Where the next COP meets is decided by the Conference and the host: not guessed.
        venue_confirmed=meeting.mode == MeetingMode.ONLINE,
        languages=list(meeting.languages or []),
        symbol_prefix=f"UNEP/MC/COP.{number}",
    )
    successor._history_user = by
    successor.save()
    for index, segment in enumerate(meeting.segments.order_by("start_date", "code"), start=1):
        copy = Meeting(
            kind=MeetingKind.COP,
            number=number,
            code=_segment_code(segment.code, number, index),
            title_en=_renumbered(segment.title_en, number),
            title_fr=_renumbered(segment.title_fr, number),
            title_es=_renumbered(segment.title_es, number),
            parent=successor,
            mode=segment.mode,
            status=MeetingStatus.PLANNED,
            start_date=segment.start_date + shift,
            end_date=segment.end_date + shift,
            time_zone=segment.time_zone,
            venue_confirmed=segment.mode == MeetingMode.ONLINE,
            languages=list(segment.languages or []),
            symbol_prefix=f"UNEP/MC/COP.{number}",
        )
        copy._history_user = by
        copy.full_clean()
        copy.save()
    for partner in meeting.partners.all():
        successor.partners.create(name=partner.name, role=partner.role, url=partner.url)
    source = (
        meeting.agenda_versions.filter(status=AgendaStatus.ADOPTED).order_by("-number").first()
        or meeting.agenda_versions.exclude(status=AgendaStatus.SUPERSEDED).order_by("-number").first()
        or meeting.agenda_versions.order_by("-number").first()
    )
    version = AgendaVersion.objects.create(
        meeting=successor,
        number=1,
        created_by=by,
        note=_("Skeleton copied from %(meeting)s.") % {"meeting": meeting.code.upper()},
    )
    if source is not None:
        copy_agenda_items(source=source, target=version, annotations=False)
    return successor
