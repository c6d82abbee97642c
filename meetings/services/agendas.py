"""Agenda versions and their items. A version moves by `AGENDA_TRANSITIONS`; a newer version
supersedes the older ones as it is started, issued or adopted."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ..enums import AGENDA_TRANSITIONS, AgendaStatus
from ..models import AgendaItem, AgendaVersion, Meeting
from .transition import transition


def agenda_version_move(*, version: AgendaVersion, action: str, by=None) -> AgendaVersion:
    """Move an agenda version by one of `AGENDA_TRANSITIONS`' actions. Issuing or adopting it
    supersedes the issued version the public had until now."""
    with transaction.atomic():
        version = transition(record=version, table=AGENDA_TRANSITIONS, action=action, by=by)
        if version.status in (AgendaStatus.ISSUED, AgendaStatus.ADOPTED):
            for older in version.meeting.agenda_versions.filter(
                number__lt=version.number, status=AgendaStatus.ISSUED
            ):
                transition(record=older, table=AGENDA_TRANSITIONS, action="supersede", by=by)
    return version


def agenda_version_send_for_review(*, version: AgendaVersion, by=None) -> AgendaVersion:
    return agenda_version_move(version=version, action="send_for_review", by=by)


def agenda_version_issue(*, version: AgendaVersion, by=None) -> AgendaVersion:
    return agenda_version_move(version=version, action="issue", by=by)


def agenda_version_adopt(*, version: AgendaVersion, by=None) -> AgendaVersion:
    return agenda_version_move(version=version, action="adopt", by=by)


@transaction.atomic
def agenda_version_save(*, version: AgendaVersion, by=None) -> AgendaVersion:
    """Save a version's details (its note; a new one's meeting and number). Its status is not set
    here: a new version is a draft, and it moves only by `agenda_version_move`."""
    if version.pk is None:
        version.status = AgendaStatus.DRAFT
        version.created_by = version.created_by or by
    else:
        version.status = AgendaVersion.objects.values_list("status", flat=True).get(pk=version.pk)
    version.full_clean()
    version._history_user = by
    version.save()
    return version


@transaction.atomic
def agenda_version_delete(*, version: AgendaVersion, by=None) -> None:
    version._history_user = by
    version.delete()


@transaction.atomic
def agenda_version_create_next(*, meeting: Meeting, by=None, note: str = "") -> AgendaVersion:
    """Start a new draft version as a copy of the latest one. A latest version still in the
    works (draft, under review) is superseded by it at once; an issued one stays issued, and
    public, until the new version is issued in its turn (see agenda_version_move)."""
    Meeting.objects.select_for_update().get(pk=meeting.pk)
    latest = meeting.agenda_versions.order_by("-number").first()
    version = AgendaVersion.objects.create(
        meeting=meeting, number=(latest.number + 1) if latest else 1, created_by=by, note=note
    )
    if latest is not None:
        copy_agenda_items(source=latest, target=version)
        if latest.status in (AgendaStatus.DRAFT, AgendaStatus.IN_REVIEW):
            transition(record=latest, table=AGENDA_TRANSITIONS, action="supersede", by=by)
    return version


def copy_agenda_items(*, source: AgendaVersion, target: AgendaVersion, annotations: bool = True) -> None:
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
            annotation=item.annotation if annotations else "",
        )


def agenda_item_check(*, version: AgendaVersion, parent: AgendaItem | None) -> None:
    """A sub-item hangs under an item of the same version, never under another sub-item."""
    if parent is None:
        return
    if parent.version_id != version.pk:
        raise ValidationError({"parent": _("Choose an item of the same agenda version.")})
    if parent.parent_id is not None:
        raise ValidationError({"parent": _("A sub-item cannot have sub-items of its own.")})


@transaction.atomic
def agenda_item_save(*, item: AgendaItem, by=None) -> AgendaItem:
    agenda_item_check(version=item.version, parent=item.parent)
    item.full_clean()
    item._history_user = by
    item.save()
    return item


@transaction.atomic
def agenda_item_delete(*, item: AgendaItem, by=None) -> None:
    item._history_user = by
    item.delete()
