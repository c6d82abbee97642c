"""Template tags for pages of the apps below participants (a meeting's page) that ask about the
person's own registration: a template names this library, no app below imports participants."""

from django import template

from .. import selectors

register = template.Library()


@register.simple_tag
def is_registered_for(meeting, user) -> bool:
    """Whether `user` already has a registration for `meeting` (one per person and meeting)."""
    return bool(getattr(user, "is_authenticated", False)) and selectors.is_registered(
        meeting=meeting, user=user
    )
