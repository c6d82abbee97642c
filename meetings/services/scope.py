"""Checks of a meeting's scope, for the services that register, nominate, invite and fund
States (the participants app calls `scope_check`; observers and organisations are not limited)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ..models import Meeting, StateGroup
from ..selectors import meeting_scope_refused


def scope_check(meeting: Meeting, country, *, field: str = "country") -> None:
    """Refuse `country` (a reference.Country, or None for no State) where `meeting` is limited
    to regions, groups of States or named States that do not include it:
    ValidationError({"country": "Germany is not within the scope of …: African States"})."""
    if country is None:
        return
    reason = meeting_scope_refused(meeting, country)
    if reason:
        raise ValidationError({field: ValidationError(reason, code="out_of_scope")})


@transaction.atomic
def state_group_save(*, group: StateGroup, members=None, by=None) -> StateGroup:
    """Validate and save a saved group of States; `members`, when given, replaces its States."""
    group.full_clean()
    group._history_user = by
    group.save()
    if members is not None:
        group.members.set(members)
    return group


def state_group_delete_check(group: StateGroup) -> None:
    """A group that limits a meeting's scope stays: deleting the only group of a meeting's scope
    would silently open the meeting to every State. Refused naming the meetings; take the group
    out of their scope first."""
    codes = list(group.meetings.order_by("start_date", "code").values_list("code", flat=True))
    if codes:
        raise ValidationError(
            _("%(group)s limits the scope of %(meetings)s: take it out of their scope before deleting it.")
            % {"group": group.name_en, "meetings": ", ".join(codes)},
            code="in_use",
        )


@transaction.atomic
def state_group_delete(*, group: StateGroup, by=None) -> None:
    """Delete a group of States that no meeting's scope uses (`state_group_delete_check`)."""
    state_group_delete_check(StateGroup.objects.select_for_update().get(pk=group.pk))
    group._history_user = by
    group.delete()
