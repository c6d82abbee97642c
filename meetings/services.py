"""Writes for meetings. Every status change of an agenda version goes through one function here."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .enums import AgendaStatus
from .models import AgendaItem, AgendaVersion, Meeting

AGENDA_TRANSITIONS = {
    AgendaStatus.DRAFT: {AgendaStatus.IN_REVIEW, AgendaStatus.ISSUED},
    AgendaStatus.IN_REVIEW: {AgendaStatus.DRAFT, AgendaStatus.ISSUED},
    AgendaStatus.ISSUED: {AgendaStatus.ADOPTED},
    AgendaStatus.ADOPTED: set(),
    AgendaStatus.SUPERSEDED: set(),
}


@transaction.atomic
def agenda_version_transition(*, version: AgendaVersion, to: str, by=None) -> AgendaVersion:
    """Move an agenda version to `to`, refusing what the workflow does not allow.

    Locks the row so two officers cannot move the same version at once."""
    version = AgendaVersion.objects.select_for_update().get(pk=version.pk)
    if to not in AGENDA_TRANSITIONS[version.status]:
        raise ValidationError(
            _("An agenda version that is “%(current)s” cannot become “%(target)s”.")
            % {"current": version.get_status_display(), "target": AgendaStatus(to).label},
            code="illegal_transition",
        )
    version.status = to
    version._history_user = by
    version.save(update_fields=["status"])
    return version


@transaction.atomic
def agenda_version_create_next(*, meeting: Meeting, by=None, note: str = "") -> AgendaVersion:
    """Start a new draft version as a copy of the latest one; the latest becomes superseded
    unless it is already adopted."""
    Meeting.objects.select_for_update().get(pk=meeting.pk)
    latest = meeting.agenda_versions.order_by("-number").first()
    version = AgendaVersion.objects.create(
        meeting=meeting, number=(latest.number + 1) if latest else 1, created_by=by, note=note
    )
    if latest is not None:
        _copy_items(source=latest, target=version)
        if latest.status != AgendaStatus.ADOPTED:
            latest.status = AgendaStatus.SUPERSEDED
            latest._history_user = by
            latest.save(update_fields=["status"])
    return version


def _copy_items(*, source: AgendaVersion, target: AgendaVersion) -> None:
    parents = {}
    items = source.items.select_related("parent").order_by("parent_id", "position")
    for item in sorted(items, key=lambda i: i.parent_id is not None):
        parents[item.pk] = AgendaItem.objects.create(
            version=target,
            parent=parents.get(item.parent_id),
            position=item.position,
            title_en=item.title_en,
            title_fr=item.title_fr,
            title_es=item.title_es,
            annotation=item.annotation,
        )
