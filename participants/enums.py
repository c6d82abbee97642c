"""The participants app's statuses, and one transition table per status: which action moves a
record from which statuses to which, and the named rule (rules.py) a user needs to make it.
`participants.services.transition.transition()` is the only place that applies them; views and
templates ask `record.can_<action>` (installed on the models from these tables)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from minamata_portal.transitions import TransitionTable, move


class RegistrationStatus(models.TextChoices):
    PRE_REGISTERED = "pre_registered", _("Pre-registered")
    NOMINATED = "nominated", _("Nominated")
    ACCREDITED = "accredited", _("Accredited")
    BADGE_ISSUED = "badge_issued", _("Badge issued")
    CHECKED_IN = "checked_in", _("Checked in")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# Statuses from which the participant counts as accepted by the secretariat (list of participants,
# badges, credentials coverage).
ACCREDITED_STATUSES = (
    RegistrationStatus.ACCREDITED,
    RegistrationStatus.BADGE_ISSUED,
    RegistrationStatus.CHECKED_IN,
)
# Statuses whose badge has been issued: the badge PDFs print these (issuing is a separate POST).
BADGE_HOLDER_STATUSES = (RegistrationStatus.BADGE_ISSUED, RegistrationStatus.CHECKED_IN)
# A registration no longer taking part: no visa letter, no funding.
INACTIVE_STATUSES = (RegistrationStatus.DECLINED, RegistrationStatus.WITHDRAWN)
# Before accreditation the delegate may still change (and withdraw) their registration.
DELEGATE_EDITABLE_STATUSES = (RegistrationStatus.PRE_REGISTERED, RegistrationStatus.NOMINATED)

_R = RegistrationStatus
REGISTRATION_TRANSITIONS = TransitionTable(
    RegistrationStatus,
    [
        move("nominate", {_R.PRE_REGISTERED}, _R.NOMINATED, label=_("Nominate"),
             rule="participants.nominate_registration"),
        # A State's delegate must have been nominated first: the rule `accredit_registration` also
        # refuses a registration that `awaits_nomination`, and so does `registration_accredit`, so
        # `REGISTRATION_TRANSITIONS.can(r, "accredit", user)` answers what the service allows
        # (`record.can_accredit` is the status part alone, as for every move).
        move("accredit", {_R.PRE_REGISTERED, _R.NOMINATED}, _R.ACCREDITED, label=_("Accredit"),
             rule="participants.accredit_registration"),
        # The secretariat's refusal, until accreditation included ...
        move("decline", {_R.PRE_REGISTERED, _R.NOMINATED, _R.ACCREDITED}, _R.DECLINED, label=_("Decline"),
             rule="participants.manage_registrations"),
        # ... and the focal point's, of a delegate of their State not yet accredited.
        move("decline_nomination", DELEGATE_EDITABLE_STATUSES, _R.DECLINED, label=_("Decline"),
             rule="participants.nominate_registration"),
        # The delegate's own withdrawal, before accreditation ...
        move("withdraw", DELEGATE_EDITABLE_STATUSES, _R.WITHDRAWN, label=_("Withdraw"),
             rule="participants.change_own_registration"),
        # ... or, at an event of a series of online events, giving up one's seat, confirmed at once
        # (participants.services.registration.registration_withdraw: never at a meeting) ...
        move("give_up_seat", {_R.ACCREDITED}, _R.WITHDRAWN, label=_("Give up the seat"),
             rule="participants.change_own_registration"),
        # ... and the secretariat's, at any time until the participant is checked in.
        move("withdraw_by_secretariat", {_R.PRE_REGISTERED, _R.NOMINATED, _R.ACCREDITED, _R.BADGE_ISSUED},
             _R.WITHDRAWN, label=_("Withdraw"), rule="participants.manage_registrations"),
        move("reset", set(_R) - {_R.PRE_REGISTERED}, _R.PRE_REGISTERED, label=_("Reset to pre-registered"),
             rule="participants.manage_registrations"),
        move("issue_badge", {_R.ACCREDITED}, _R.BADGE_ISSUED, label=_("Issue badge"),
             rule="participants.issue_badge"),
        move("check_in", {_R.BADGE_ISSUED}, _R.CHECKED_IN, label=_("Check in"), rule="participants.check_in"),
    ],
)  # fmt: skip


class RegistrationRequestStatus(models.TextChoices):
    """A focal point's pre-registration of someone who already has an account is a request to that
    person: nothing is registered (and nothing blocks their own registration) until they accept."""

    PENDING = "pending", _("Awaiting the person's answer")
    ACCEPTED = "accepted", _("Accepted")
    REFUSED = "refused", _("Refused")
    WITHDRAWN = "withdrawn", _("Withdrawn")


_Q = RegistrationRequestStatus
REGISTRATION_REQUEST_TRANSITIONS = TransitionTable(
    RegistrationRequestStatus,
    [
        # The person asked, and only they, answer ...
        move("accept", {_Q.PENDING}, _Q.ACCEPTED, label=_("Accept"),
             rule="participants.answer_registration_request"),
        move("refuse", {_Q.PENDING}, _Q.REFUSED, label=_("Refuse"),
             rule="participants.answer_registration_request"),
        # ... while the focal point of the State may take the request back until they do.
        move("withdraw", {_Q.PENDING}, _Q.WITHDRAWN, label=_("Withdraw"),
             rule="participants.withdraw_registration_request"),
    ],
)  # fmt: skip


class Capacity(models.TextChoices):
    PARTY = "party", _("Party")
    NON_PARTY_STATE = "non_party", _("Non-party State")
    UN_BODY = "un_body", _("United Nations body")
    SPECIALISED_AGENCY = "specialised_agency", _("Specialised agency")
    IGO = "igo", _("Intergovernmental organisation")
    NGO = "ngo", _("Non-governmental organisation")
    MEDIA = "media", _("Media")
    SECRETARIAT = "secretariat", _("Secretariat")


STATE_CAPACITIES = (Capacity.PARTY, Capacity.NON_PARTY_STATE)
# Organisations that must be admitted as observers before their representatives are accredited.
OBSERVER_CAPACITIES = (Capacity.IGO, Capacity.NGO)


class BadgeCategory(models.TextChoices):
    """The colour band a badge carries, as UN meetings print them: one band per category."""

    PARTY = "party", _("Party")
    OBSERVER_STATE = "observer_state", _("Observer State")
    UN = "un", _("United Nations and specialised agencies")
    IGO = "igo", _("Intergovernmental organisation")
    NGO = "ngo", _("Non-governmental organisation")
    MEDIA = "media", _("Media")
    SECRETARIAT = "secretariat", _("Secretariat")


BADGE_CATEGORY_OF_CAPACITY = {
    Capacity.PARTY: BadgeCategory.PARTY,
    Capacity.NON_PARTY_STATE: BadgeCategory.OBSERVER_STATE,
    Capacity.UN_BODY: BadgeCategory.UN,
    Capacity.SPECIALISED_AGENCY: BadgeCategory.UN,
    Capacity.IGO: BadgeCategory.IGO,
    Capacity.NGO: BadgeCategory.NGO,
    Capacity.MEDIA: BadgeCategory.MEDIA,
    Capacity.SECRETARIAT: BadgeCategory.SECRETARIAT,
}
# The colours a meeting starts with (staff change them per meeting); each reads on white text.
DEFAULT_BADGE_COLOURS = {
    BadgeCategory.PARTY: "#1f5fa8",
    BadgeCategory.OBSERVER_STATE: "#5b6770",
    BadgeCategory.UN: "#00789e",
    BadgeCategory.IGO: "#7a4b94",
    BadgeCategory.NGO: "#2e7d32",
    BadgeCategory.MEDIA: "#c2410c",
    BadgeCategory.SECRETARIAT: "#b71c1c",
}


class DelegationRole(models.TextChoices):
    HEAD = "head", _("Head of delegation")
    ALTERNATE = "alternate", _("Alternate")
    ADVISER = "adviser", _("Adviser")
    MEMBER = "member", _("Member")


class ParticipationMode(models.TextChoices):
    """How one person takes part in a meeting that is online or hybrid (or has such a segment)."""

    IN_PERSON = "in_person", _("In person")
    ONLINE = "online", _("Online")


class AttendanceSource(models.TextChoices):
    """Where a day's attendance comes from."""

    CHECK_IN = "check_in", _("Check-in desk")
    PLATFORM_REPORT = "platform_report", _("Meeting platform's attendance report")
    STAFF = "staff", _("Recorded by staff")


class Gender(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    OTHER = "other", _("Other")


class OrganisationKind(models.TextChoices):
    UN_BODY = "un_body", _("United Nations body")
    SPECIALISED_AGENCY = "specialised_agency", _("Specialised agency")
    IGO = "igo", _("Intergovernmental organisation")
    NGO = "ngo", _("Non-governmental organisation")
    MEDIA = "media", _("Media")
    SECRETARIAT = "secretariat", _("Secretariat")


class ObserverStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    ADMITTED = "admitted", _("Admitted")
    DECLINED = "declined", _("Declined")


OBSERVER_TRANSITIONS = TransitionTable(
    ObserverStatus,
    [
        move("admit", {ObserverStatus.REQUESTED}, ObserverStatus.ADMITTED, label=_("Admit"),
             rule="participants.manage_registrations"),
        move("decline", {ObserverStatus.REQUESTED}, ObserverStatus.DECLINED, label=_("Decline"),
             rule="participants.manage_registrations"),
    ],
)  # fmt: skip


class CredentialsForm(models.TextChoices):
    ORIGINAL = "original", _("Original")
    COPY = "copy", _("Copy")


class CredentialsIssuer(models.TextChoices):
    HEAD_OF_STATE = "head_of_state", _("Head of State or Government")
    FOREIGN_MINISTER = "foreign_minister", _("Minister for Foreign Affairs")
    # Rule 18 of the rules of procedure: issued by one of them, or by a person they authorised
    # (the authorisation is recorded with the credentials).
    AUTHORISED = (
        "authorised",
        _("A person authorised by the Head of State or Government or the Minister for Foreign Affairs"),
    )
    # Rule 18 again: for a regional economic integration organisation (the European Union), its
    # competent authority issues them.
    REIO_AUTHORITY = (
        "reio_authority",
        _("The competent authority of the regional economic integration organisation"),
    )
    OTHER = "other", _("Other")


# Who may authorise someone else to issue credentials.
AUTHORISING_ISSUERS = (CredentialsIssuer.HEAD_OF_STATE, CredentialsIssuer.FOREIGN_MINISTER)
# Credentials are in due form only when issued by one of these.
DUE_FORM_ISSUERS = (*AUTHORISING_ISSUERS, CredentialsIssuer.AUTHORISED, CredentialsIssuer.REIO_AUTHORITY)


class CredentialsVerdict(models.TextChoices):
    PENDING = "pending", _("Pending")
    IN_ORDER = "in_order", _("In order")
    # As credentials reports group them: what came as a copy (scan, fax, e-mail) only informs of
    # the appointment; originals from another authority are not in due form.
    COPY = "copy", _("Copy: information on the appointment only")
    NOT_IN_DUE_FORM = "not_in_due_form", _("Not in due form")
    NOT_IN_ORDER = "not_in_order", _("Not in order")


# The Bureau's verdict may be revised either way until the report is adopted; "in order" only for
# credentials in due form (`credentials_decide` says why not; a database constraint holds it).
CREDENTIALS_TRANSITIONS = TransitionTable(
    CredentialsVerdict,
    [
        move("mark_in_order", set(CredentialsVerdict), CredentialsVerdict.IN_ORDER, label=_("In order"),
             rule="participants.manage_registrations"),
        move("mark_copy", set(CredentialsVerdict), CredentialsVerdict.COPY, label=_("Copy only"),
             rule="participants.manage_registrations"),
        move("mark_not_in_due_form", set(CredentialsVerdict), CredentialsVerdict.NOT_IN_DUE_FORM,
             label=_("Not in due form"), rule="participants.manage_registrations"),
        move("mark_not_in_order", set(CredentialsVerdict), CredentialsVerdict.NOT_IN_ORDER,
             label=_("Not in order"), rule="participants.manage_registrations"),
        move("mark_pending", set(CredentialsVerdict), CredentialsVerdict.PENDING, label=_("Pending"),
             rule="participants.manage_registrations"),
    ],
    field="verdict",
)  # fmt: skip


class VisaStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")


VISA_TRANSITIONS = TransitionTable(
    VisaStatus,
    [
        move("approve", {VisaStatus.REQUESTED}, VisaStatus.APPROVED, label=_("Approve"),
             rule="participants.decide_visa_request"),
        move("refuse", {VisaStatus.REQUESTED}, VisaStatus.REFUSED, label=_("Refuse"),
             rule="participants.decide_visa_request"),
        # A refused request may be made again, with a new passport.
        move("request_again", {VisaStatus.REFUSED}, VisaStatus.REQUESTED, label=_("Request again"),
             rule="participants.request_visa_again"),
    ],
)  # fmt: skip


class FundingStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    WAITING = "waiting", _("Waiting list")
    APPROVED = "approved", _("Approved")
    TICKET_ISSUED = "ticket_issued", _("Ticket issued")
    DSA_PAID = "dsa_paid", _("DSA paid")
    CLOSED = "closed", _("Closed")
    DECLINED = "declined", _("Declined")


# Funded places that count against a Party's limit.
FUNDED_STATUSES = (
    FundingStatus.APPROVED,
    FundingStatus.TICKET_ISSUED,
    FundingStatus.DSA_PAID,
    FundingStatus.CLOSED,
)
# Until the ticket is issued the itinerary (and the registration's dates) may change.
ITINERARY_OPEN_STATUSES = (FundingStatus.REQUESTED, FundingStatus.WAITING, FundingStatus.APPROVED)
TICKETED_STATUSES = (FundingStatus.TICKET_ISSUED, FundingStatus.DSA_PAID, FundingStatus.CLOSED)
DSA_COMPUTABLE_STATUSES = (FundingStatus.APPROVED, FundingStatus.TICKET_ISSUED)
DSA_PAID_STATUSES = (FundingStatus.DSA_PAID, FundingStatus.CLOSED)

_F = FundingStatus
FUNDING_TRANSITIONS = TransitionTable(
    FundingStatus,
    [
        move("approve", {_F.REQUESTED, _F.WAITING}, _F.APPROVED, label=_("Approve"),
             rule="participants.manage_registrations"),
        # When the budget is spent an approval puts the request on the waiting list instead.
        move("put_on_waiting_list", {_F.REQUESTED, _F.WAITING}, _F.WAITING, label=_("Waiting list"),
             rule="participants.manage_registrations"),
        move("decline", {_F.REQUESTED, _F.WAITING, _F.APPROVED}, _F.DECLINED, label=_("Decline"),
             rule="participants.manage_registrations"),
        move("issue_ticket", {_F.APPROVED}, _F.TICKET_ISSUED, label=_("Ticket issued"),
             rule="participants.manage_registrations"),
        move("pay_dsa", {_F.TICKET_ISSUED}, _F.DSA_PAID, label=_("DSA paid"),
             rule="participants.manage_registrations"),
        move("close", {_F.DSA_PAID}, _F.CLOSED, label=_("Close"), rule="participants.manage_registrations"),
    ],
)  # fmt: skip


class TravelClass(models.TextChoices):
    ECONOMY = "economy", _("Economy")
    BUSINESS = "business", _("Business")


class FundingPolicy(models.TextChoices):
    """Who may be funded at a meeting: Parties only (the COP's rule), or also the eligible States
    not yet Parties (pre-ratification workshops, regional consultations, the negotiating committee
    before the Convention entered into force)."""

    PARTIES_ONLY = "parties_only", _("Parties only")
    PARTIES_AND_NON_PARTIES = "parties_and_eligible_non_parties", _("Parties and eligible non-Parties")
