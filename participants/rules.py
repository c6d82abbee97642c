"""Who may do what with registrations: every check of the participants app is one of the named
rules below, and every page names one (`minamata_portal.access.rule_required`).

The role table in `accounts/roles.py` decides the secretariat's side: the registration officer
and the secretariat administrator hold the app's model permissions (`participants.*`), the
documents officer and the Bureau none, so "registration staff" is "secretariat and holds
`participants.change_registration`". Focal points act only for their own State; delegates only on
their own registration; the Bureau's members of the current term read the credentials report.
"""

import rules

from accounts.rules import focal_point_country_ids, holds, is_focal_point_for, is_secretariat
from bureau.rules import is_current_bureau_member

from .selectors import registration_meeting_is_over

is_registration_staff = is_secretariat & holds("participants.change_registration")


@rules.predicate
def is_own_registration(user, registration):
    return registration is not None and registration.user_id == getattr(user, "pk", None)


@rules.predicate
def is_meeting_not_over(user, registration):
    """The registration's meeting has not ended yet: a past meeting's registrations are a record,
    no longer the delegate's to change or withdraw."""
    return registration is not None and not registration_meeting_is_over(registration)


@rules.predicate
def is_focal_point_of_registration(user, registration):
    return registration is not None and registration.country_id in focal_point_country_ids(user)


@rules.predicate
def is_own_visa_request(user, visa):
    return visa is not None and visa.registration.user_id == getattr(user, "pk", None)


@rules.predicate
def is_focal_point_of_nomination_letter(user, letter):
    return letter is not None and letter.country_id in focal_point_country_ids(user)


@rules.predicate
def is_nominated_if_a_state_delegate(user, registration):
    """A State's delegate must have been nominated by their focal point before accreditation
    (without a registration, as for an admin action over a selection, the service decides)."""
    return registration is None or not registration.awaits_nomination


@rules.predicate
def is_person_asked(user, request):
    """The person a focal point's registration request was sent to."""
    return request is not None and request.user_id == getattr(user, "pk", None)


@rules.predicate
def is_focal_point_of_request(user, request):
    return request is not None and request.country_id in focal_point_country_ids(user)


@rules.predicate
def is_a_focal_point(user):
    return bool(focal_point_country_ids(user))


# Anyone signed in: register for a meeting, see one's registrations, ask for an organisation's
# admission as an observer, accept a focal point invitation (the token decides, in the service).
rules.add_perm("participants.register", rules.is_authenticated)
rules.add_perm("participants.accept_focal_point_invitation", rules.is_authenticated)

# The delegate, on their own registration only (the focal point and staff see a 404: passport
# data and the delegate's choices are theirs).
rules.add_perm("participants.edit_own_registration", is_own_registration)
# Change or withdraw it: their own, while its meeting has not ended (the services refuse it too).
rules.add_perm("participants.change_own_registration", is_own_registration & is_meeting_not_over)
rules.add_perm("participants.request_visa_letter", is_own_registration)
rules.add_perm("participants.request_visa_again", is_own_visa_request)

# Focal points, for their own State only.
rules.add_perm("participants.act_as_focal_point", is_a_focal_point)
rules.add_perm("participants.nominate_for_country", is_focal_point_for)
rules.add_perm("participants.nominate_registration", is_focal_point_of_registration)
# A focal point's request to someone who has an account: they alone answer it; the focal point
# of the State may take it back.
rules.add_perm("participants.answer_registration_request", is_person_asked)
rules.add_perm("participants.withdraw_registration_request", is_focal_point_of_request)
rules.add_perm(
    "participants.view_nomination_letter", is_focal_point_of_nomination_letter | is_registration_staff
)

# The registration desk: lists, statistics, funding, visas, badges, check-in, and the status moves
# the transition tables in enums.py name.
rules.add_perm("participants.manage_registrations", is_registration_staff)
rules.add_perm("participants.accredit_registration", is_registration_staff & is_nominated_if_a_state_delegate)
rules.add_perm("participants.issue_badge", is_registration_staff)
# The badge photo: its delegate and the registration desk upload it and see it; nobody else.
rules.add_perm(
    "participants.change_badge_photo", (is_own_registration & is_meeting_not_over) | is_registration_staff
)
rules.add_perm("participants.view_badge_photo", is_own_registration | is_registration_staff)
rules.add_perm("participants.check_in", is_registration_staff)
# Attendance besides the desk: the platform's report of online participants, and staff entries.
rules.add_perm("participants.record_attendance", is_registration_staff)
rules.add_perm("participants.decide_visa_request", is_registration_staff)

# The Bureau examines the credentials and reports to the Conference.
rules.add_perm("participants.view_credentials_report", is_registration_staff | is_current_bureau_member)
