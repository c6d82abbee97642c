"""Meetings themselves: their records, status, contributions and partners, and the next COP."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ..enums import MEETING_TRANSITIONS, AgendaStatus, MeetingKind, MeetingStatus
from ..models import AgendaVersion, Contribution, ExpertGroup, Meeting, PartnerOrganisation
from .agendas import copy_agenda_items
from .transition import transition


@transaction.atomic
def meeting_save(*, meeting: Meeting, by=None, back_to_back_with=None) -> Meeting:
    """Validate and save a meeting's details (a new one starts as planned). Its status is not
    set here: it moves only by `meeting_move`. `back_to_back_with`, when given, replaces the
    meetings it is held back-to-back with."""
    if meeting.pk is None:
        meeting.status = MeetingStatus.PLANNED
    else:
        meeting.status = Meeting.objects.values_list("status", flat=True).get(pk=meeting.pk)
    meeting.full_clean()
    meeting._history_user = by
    meeting.save()
    if back_to_back_with is not None:
        meeting.back_to_back_with.set(back_to_back_with)
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


@transaction.atomic
def meeting_create_next_cop(*, meeting: Meeting, by=None) -> Meeting:
    """COP-n+1 from COP-n in one step: the same settings (mode, venue, time zone, languages,
    partners) a year later, a fresh planned status, and a first draft agenda holding the skeleton
    of the last agenda (items and sub-items, without the annotations, which are written anew)."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    next_cop_check(meeting=meeting)
    number = meeting.number + 1
    # 52 weeks later keeps the weekday: COPs open on a Monday.
    shift = dt.timedelta(weeks=52)
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
        venue=meeting.venue,
        city=meeting.city,
        country=meeting.country,
        host=meeting.host,
        languages=list(meeting.languages or []),
        symbol_prefix=f"UNEP/MC/COP.{number}",
    )
    successor._history_user = by
    successor.save()
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
