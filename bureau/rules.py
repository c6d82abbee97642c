"""Who reaches the Bureau's pages: staff, and the members of the COP Bureau of the current term.
Whether a member may act on one review (they were asked) is checked in the review services."""

import rules

from accounts.rules import is_secretariat

from .selectors import user_is_current_bureau_member


@rules.predicate
def is_current_bureau_member(user):
    return user_is_current_bureau_member(user)


can_view_bureau = is_secretariat | is_current_bureau_member

rules.add_perm("bureau.view_bureau_pages", can_view_bureau)
