from django.db import models
from django.utils.translation import gettext_lazy as _


class MeetingKind(models.TextChoices):
    COP = "cop", _("Conference of the Parties")
    BUREAU = "bureau", _("Bureau of the Conference of the Parties")
    REGIONAL_CONSULTATION = "regional", _("Regional consultation")
    EXPERT_GROUP = "expert", _("Expert group meeting")
    COMPLIANCE_COMMITTEE = "icc", _("Implementation and Compliance Committee")
    SIP_BOARD = "sip", _("Governing Board of the Specific International Programme")
    WORKSHOP = "workshop", _("Workshop")
    WEBINAR = "webinar", _("Webinar or online session")
    INFORMATION_SESSION = "info", _("Information session")
    NEGOTIATING_COMMITTEE = "inc", _("Intergovernmental negotiating committee")


class MeetingMode(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    ONLINE = "online", _("Online")
    HYBRID = "hybrid", _("Hybrid")


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    REGISTRATION_OPEN = "registration_open", _("Registration open")
    REGISTRATION_CLOSED = "registration_closed", _("Registration closed")
    IN_SESSION = "in_session", _("In session")
    HELD = "held", _("Held")
    CANCELLED = "cancelled", _("Cancelled")
    POSTPONED = "postponed", _("Postponed")


class AgendaStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_REVIEW = "in_review", _("Sent to the Bureau for review")
    ISSUED = "issued", _("Issued as provisional agenda")
    ADOPTED = "adopted", _("Adopted")
    SUPERSEDED = "superseded", _("Superseded")


class Language(models.TextChoices):
    """The six official UN languages a meeting may be interpreted and documented in."""

    ARABIC = "ar", _("Arabic")
    CHINESE = "zh", _("Chinese")
    ENGLISH = "en", _("English")
    FRENCH = "fr", _("French")
    RUSSIAN = "ru", _("Russian")
    SPANISH = "es", _("Spanish")


class SessionKind(models.TextChoices):
    PLENARY = "plenary", _("Plenary")
    CONTACT_GROUP = "contact_group", _("Contact group")
    REGIONAL_GROUP = "regional_group", _("Regional group meeting")
    SIDE_EVENT = "side_event", _("Side event")
    INFORMATION_SESSION = "information_session", _("Information session")


class SideEventStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    APPROVED = "approved", _("Approved")
    DECLINED = "declined", _("Declined")
    SCHEDULED = "scheduled", _("Scheduled")
