from django.db import models
from django.utils.translation import gettext_lazy as _


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


class DelegationRole(models.TextChoices):
    HEAD = "head", _("Head of delegation")
    ALTERNATE = "alternate", _("Alternate")
    ADVISER = "adviser", _("Adviser")
    MEMBER = "member", _("Member")


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


class CredentialsForm(models.TextChoices):
    ORIGINAL = "original", _("Original")
    COPY = "copy", _("Copy")


class CredentialsIssuer(models.TextChoices):
    HEAD_OF_STATE = "head_of_state", _("Head of State or Government")
    FOREIGN_MINISTER = "foreign_minister", _("Minister for Foreign Affairs")
    OTHER = "other", _("Other")


class CredentialsVerdict(models.TextChoices):
    PENDING = "pending", _("Pending")
    IN_ORDER = "in_order", _("In order")
    NOT_IN_ORDER = "not_in_order", _("Not in order")


class VisaStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")


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


class TravelClass(models.TextChoices):
    ECONOMY = "economy", _("Economy")
    BUSINESS = "business", _("Business")
