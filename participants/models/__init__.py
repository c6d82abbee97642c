from .attendance import Attendance
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
    "VisaRequest",
]
