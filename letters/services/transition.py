from django.db.models import Q

from letters.enums import LETTER_TRANSITIONS
from letters.models import Letter


def letter_transition(*, action: str, where: Q, **fields) -> int:
    """The one way a letter's status changes: a conditional UPDATE of the letters matching
    `where` that are in a source status of `action`, to its target (LETTER_TRANSITIONS). The
    condition is the guarantee: a render claim or a revocation that lost a race moves nothing.
    Returns how many letters moved."""
    found = LETTER_TRANSITIONS[action]
    return Letter.objects.filter(where, status__in=found.sources).update(status=found.target, **fields)
