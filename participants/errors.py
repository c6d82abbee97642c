"""The participants app's refusals, one per domain, each with a message fit to show to the person
who asked (a ValidationError: forms put it on the field it names)."""

from django.core.exceptions import ValidationError


class RegistrationError(ValidationError):
    """A registration, nomination, accreditation, badge or check-in refused."""


class FocalPointError(ValidationError):
    """A focal point invitation refused."""


class ObserverError(ValidationError):
    """A request for admission as an observer refused."""


class CredentialsError(ValidationError):
    """Credentials that cannot be recorded or decided as asked."""


class VisaError(ValidationError):
    """A visa support request refused."""


class FundingError(ValidationError):
    """A funded participation step refused."""


class AttendanceError(ValidationError):
    """An attendance record or a platform's attendance report refused."""
