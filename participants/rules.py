"""Who may see and do what with registrations. Focal points act only for their own State."""

import rules

from accounts.rules import focal_point_country_ids, is_secretariat


@rules.predicate
def is_registration_staff(user):
    return bool(is_secretariat(user) and user.has_perm("participants.change_registration"))


@rules.predicate
def is_own_registration(user, registration):
    return registration is not None and registration.user_id == getattr(user, "pk", None)


@rules.predicate
def is_focal_point_of_registration(user, registration):
    return registration is not None and registration.country_id in focal_point_country_ids(user)


@rules.predicate
def is_focal_point_of_letter(user, letter):
    return letter is not None and letter.country_id in focal_point_country_ids(user)


rules.add_perm("participants.view_own_registration", is_own_registration | is_registration_staff)
rules.add_perm("participants.act_as_focal_point", is_focal_point_of_registration)
rules.add_perm("participants.view_nomination_letter", is_focal_point_of_letter | is_registration_staff)
# Passport data: the delegate and registration staff only (not the focal point).
rules.add_perm("participants.view_passport", is_own_registration | is_registration_staff)


@rules.predicate
def is_bureau_member(user):
    # Membership of the current term, not the group: a former member keeps the group but has no
    # business with this meeting's credentials.
    from bureau.selectors import user_is_current_bureau_member

    return user_is_current_bureau_member(user)


# The Bureau examines the credentials and reports to the Conference.
rules.add_perm("participants.view_credentials_report", is_registration_staff | is_bureau_member)
