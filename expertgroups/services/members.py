"""Nominations of experts and the members appointed from them."""

import datetime as dt

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.rules import is_focal_point_for
from meetings.models import ExpertGroup
from participants.models import Organisation
from participants.selectors import organisations_represented_by
from reference.enums import RegionalGroup
from reference.models import Country

from ..enums import NOMINATION_TRANSITIONS, MemberRole
from ..models import Member, Nomination
from ..selectors import mandate_end
from .transition import nomination_transition


def nomination_check(
    *,
    group: ExpertGroup | None,
    country: Country | None,
    organisation: Organisation | None,
    name: str,
    email: str,
    expertise: str,
    role: str,
    by,
) -> None:
    """Refuse a nomination that names no group, comes from a State the user is not focal point for
    or an organisation they do not speak for, or lacks the expert's name, e-mail or expertise."""
    errors = {}
    if group is None:
        errors["group"] = _("Choose the expert group.")
    if (country is None) == (organisation is None):
        errors["country"] = _("Nominate for one Party or for one organisation.")
    elif country is not None and not is_focal_point_for(by, country):
        errors["country"] = _("You are not the focal point of %(state)s: nominate for your own State.") % {
            "state": country
        }
    elif (
        organisation is not None and not organisations_represented_by(by).filter(pk=organisation.pk).exists()
    ):
        errors["organisation"] = _("You do not speak for %(organisation)s as its observer contact.") % {
            "organisation": organisation
        }
    if not (name or "").strip():
        errors["name"] = _("Give the expert's name.")
    try:
        validate_email((email or "").strip())
    except ValidationError:
        errors["email"] = _("Give the expert's e-mail address.")
    if not (expertise or "").strip():
        errors["expertise"] = _("Say what the expert's expertise is.")
    if role not in MemberRole.values:
        errors["role"] = _("Choose member or co-chair.")
    if errors:
        raise ValidationError(errors)


def nomination_create(
    *,
    group: ExpertGroup,
    country: Country | None = None,
    organisation: Organisation | None = None,
    name: str,
    email: str,
    expertise: str,
    role: str = MemberRole.MEMBER,
    publish_consent: bool = False,
    by,
) -> Nomination:
    nomination_check(
        group=group, country=country, organisation=organisation, name=name, email=email,
        expertise=expertise, role=role, by=by,
    )  # fmt: skip
    nomination = Nomination(
        group=group,
        country=country,
        organisation=organisation,
        name=" ".join(name.split()),
        email=email.strip(),
        expertise=expertise.strip(),
        role=role,
        publish_consent=publish_consent,
        nominated_by=by,
    )
    nomination._history_user = by
    nomination.save()
    return nomination


def nomination_withdraw(*, nomination: Nomination, by) -> Nomination:
    """The nominator takes the nomination back before the secretariat decides."""
    return nomination_transition(
        nomination=nomination, table=NOMINATION_TRANSITIONS, action="withdraw", by=by
    )


def nomination_decline(*, nomination: Nomination, reason: str, by) -> Nomination:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"decline_reason": _("Give the reason for declining the nomination.")})
    return nomination_transition(
        nomination=nomination, table=NOMINATION_TRANSITIONS, action="decline", by=by,
        decline_reason=reason, decided_by=by, decided_at=timezone.now(),
    )  # fmt: skip


def member_term_check(*, term_from: dt.date | None, term_to: dt.date | None) -> None:
    if term_from is None:
        raise ValidationError({"term_from": _("Give the first day of the term.")})
    if term_to is None:
        raise ValidationError(
            {"term_to": _("Give the last day of the term (the group has no mandate end on file).")}
        )
    if term_to < term_from:
        raise ValidationError({"term_to": _("The term cannot end before it starts.")})


@transaction.atomic
def nomination_appoint(
    *,
    nomination: Nomination,
    term_from: dt.date | None = None,
    term_to: dt.date | None = None,
    role: str | None = None,
    by,
) -> Member:
    """Appoint the nominated expert: the member gets the region of the nominating State's UN
    regional group, and a term from `term_from` (today) to `term_to` (the end of the group's
    mandate, both included), unless given."""
    term_from = term_from or timezone.localdate()
    term_to = term_to or mandate_end(group=nomination.group)
    member_term_check(term_from=term_from, term_to=term_to)
    role = role or nomination.role
    if role not in MemberRole.values:
        raise ValidationError({"role": _("Choose member or co-chair.")})
    moved = nomination_transition(
        nomination=nomination, table=NOMINATION_TRANSITIONS, action="appoint", by=by,
        decided_by=by, decided_at=timezone.now(),
    )  # fmt: skip
    account = get_user_model().objects.filter(email__iexact=moved.email, is_active=True).first()
    member = Member(
        nomination=moved,
        group_id=moved.group_id,
        user=account,
        name=moved.name,
        email=moved.email,
        country_id=moved.country_id,
        organisation_id=moved.organisation_id,
        region=moved.country.regional_group if moved.country_id else RegionalGroup.NONE,
        expertise=moved.expertise,
        role=role,
        term_from=term_from,
        term_to=term_to,
        publish_consent=moved.publish_consent,
    )
    member._history_user = by
    member.save()
    return member


def member_update(
    *, member: Member, term_from: dt.date, term_to: dt.date, role: str, publish_consent: bool, by
) -> Member:
    """Change a member's term, role or consent to be listed; the history keeps who and when."""
    member_term_check(term_from=term_from, term_to=term_to)
    if role not in MemberRole.values:
        raise ValidationError({"role": _("Choose member or co-chair.")})
    with transaction.atomic():
        locked = Member.objects.select_for_update().get(pk=member.pk)
        locked.term_from, locked.term_to = term_from, term_to
        locked.role, locked.publish_consent = role, publish_consent
        locked._history_user = by
        locked.save(update_fields=["term_from", "term_to", "role", "publish_consent"])
    return locked
