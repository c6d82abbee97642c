"""Who may use what of the API. The API adds no rights of its own: each rule below is built from
the rules of the pages (participants, letters), so a token sees exactly what its owner's pages show."""

import rules

from accounts.rules import holds, is_secretariat
from participants.rules import is_a_focal_point, is_focal_point_of_registration, is_registration_staff


@rules.predicate
def is_token_owner(user, token):
    return token is not None and token.owner_id == getattr(user, "pk", None)


# Personal tokens are for the staff tools and for focal points' own tools.
rules.add_perm("api.manage_tokens", is_secretariat | is_a_focal_point)
rules.add_perm("api.revoke_token", is_token_owner)
# A meeting's registrations: the registration desk sees all of them, a focal point their State's
# (the page `participants:fp_state`); one registration likewise.
rules.add_perm("api.read_registrations", is_registration_staff | is_a_focal_point)
rules.add_perm("api.read_registration", is_registration_staff | is_focal_point_of_registration)
# Every letter with its delivery (the letters admin); anyone else reads their own ("My letters").
rules.add_perm("api.read_all_letters", is_secretariat & holds("letters.view_letter"))
