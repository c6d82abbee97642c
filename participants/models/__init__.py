from ..enums import (
    CREDENTIALS_TRANSITIONS,
    FUNDING_TRANSITIONS,
    OBSERVER_TRANSITIONS,
    REGISTRATION_REQUEST_TRANSITIONS,
    REGISTRATION_TRANSITIONS,
    VISA_TRANSITIONS,
)
from .attendance import Attendance
from .consent import RegistrationRequest
from .credentials import Credentials
from .funding import DsaRate, FundingRequest
from .observers import ObserverApplication, Organisation
from .registration import FocalPointInvitation, MeetingParticipationSettings, NominationLetter, Registration
from .visa import VisaRequest

__all__ = [
    "Attendance",
    "Credentials",
    "DsaRate",
    "FocalPointInvitation",
    "FundingRequest",
    "MeetingParticipationSettings",
    "NominationLetter",
    "ObserverApplication",
    "Organisation",
    "Registration",
    "RegistrationRequest",
    "VisaRequest",
]

# `record.can_<action>` for views and templates, from the tables in enums.py.
REGISTRATION_TRANSITIONS.install(Registration)
REGISTRATION_REQUEST_TRANSITIONS.install(RegistrationRequest)
OBSERVER_TRANSITIONS.install(ObserverApplication)
CREDENTIALS_TRANSITIONS.install(Credentials)
VISA_TRANSITIONS.install(VisaRequest)
FUNDING_TRANSITIONS.install(FundingRequest)
