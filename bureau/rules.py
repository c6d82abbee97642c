"""Who reaches the Bureau's pages: staff, and the members of the COP Bureau of the current term."""

import rules

from accounts.rules import is_secretariat

from .selectors import user_is_current_bureau_member


@rules.predicate
def is_current_bureau_member(user):
    return user_is_current_bureau_member(user)


@rules.predicate
def is_reviewer_of(user, review):
    if review is None:
        return False
    return review.responses.filter(reviewer=user).exists()


can_view_bureau = is_secretariat | is_current_bureau_member

rules.add_perm("bureau.view_bureau_pages", can_view_bureau)
rules.add_perm("bureau.review_agenda", is_current_bureau_member & is_reviewer_of)
rules.add_perm("bureau.manage", is_secretariat)
