"""Writes of the accounts app: who acts for a State.

A focal point's record and its role go together: whoever records an active focal point (the
invitation's acceptance in participants, the admin, the admin's import) goes through
`focal_point_save`, which also puts the user in the focal-point group (`roles.FOCAL_POINT`)."""

from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from . import roles
from .models import FocalPoint, User
from .rules import FOCAL_POINT_CACHE


def focal_point_role_grant(*, user) -> None:
    """Put `user` in the focal-point group (created with the roles by `roles.sync_role_permissions`; made here if a
    fresh database has not run it yet)."""
    user.groups.add(Group.objects.get_or_create(name=roles.FOCAL_POINT)[0])


@transaction.atomic
def focal_point_save(*, focal_point: FocalPoint, by=None, force_insert: bool = False) -> FocalPoint:
    """Save a new or changed focal point (its history names `by`); an active one gives its user
    the focal-point role. A deactivated one leaves the group alone: the user may act for another
    State."""
    focal_point._history_user = by
    focal_point.save(force_insert=force_insert)
    # The rules' per-request cache of the States this user acts for (accounts.rules) must not
    # outlive a change made during the same request.
    focal_point.user.__dict__.pop(FOCAL_POINT_CACHE, None)
    if focal_point.active:
        focal_point_role_grant(user=focal_point.user)
    return focal_point


def user_correspondence_language_set(*, user, language: str):
    """The person's own language of correspondence (`preferred_language`): the letters and
    e-mails not tied to one registration (a focal point's invitations, account e-mails) are
    written in it. Refuses a language the portal does not write letters in."""
    if language not in User.Language.values:
        raise ValidationError({"language": _("Choose English, French or Spanish.")})
    user.preferred_language = language
    user.save(update_fields=["preferred_language"])
    return user


def email_verified_by_password_key(*, user) -> bool:
    """A person who never signed in (an account a focal point opened for them) and has just chosen
    their password through the key mailed to their only address has shown that the address is
    theirs: it counts as verified, so their first sign-in does not send them a second link.
    Returns whether it was marked."""
    if user.last_login is not None or EmailAddress.objects.filter(user=user, verified=True).exists():
        return False
    try:
        address = EmailAddress.objects.get_for_user(user, user.email)
    except EmailAddress.DoesNotExist:
        address = EmailAddress(user=user, email=user.email.lower())
    # allauth's own steps, as its verify_email takes them: verified unless another account holds
    # the address verified; primary only if the user has no primary address yet (forcing it
    # would break allauth's one-primary-per-user constraint).
    if not address.set_verified(commit=False):
        return False
    address.save()
    address.set_as_primary(conditional=True)
    return True


def password_reset_received(sender, request, user, **kwargs):
    """allauth's `password_reset` signal: the key mailed to the person was used."""
    email_verified_by_password_key(user=user)
