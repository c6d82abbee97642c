from django.db import models
from django.utils.translation import gettext_lazy as _

from minamata_portal.transitions import TransitionTable, move


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


# How each language names itself, for download links read by speakers of that language (documents'
# files, meetings' reports).
LANGUAGE_AUTONYMS = {
    "ar": "العربية",
    "zh": "中文",
    "en": "English",
    "fr": "Français",
    "ru": "Русский",
    "es": "Español",
}


class SessionKind(models.TextChoices):
    PLENARY = "plenary", _("Plenary")
    CONTACT_GROUP = "contact_group", _("Contact group")
    REGIONAL_GROUP = "regional_group", _("Regional group meeting")
    SIDE_EVENT = "side_event", _("Side event")
    INFORMATION_SESSION = "information_session", _("Information session")


class InformationSection(models.TextChoices):
    """The sections of a meeting's information for participants, in the order the page shows them."""

    VENUE = "venue", _("Venue and access")
    VISAS = "visas", _("Visas")
    TRAVEL = "travel", _("Travel and daily subsistence allowance (DSA)")
    ACCOMMODATION = "accommodation", _("Accommodation")
    HEALTH = "health", _("Health and security")
    CONTACTS = "contacts", _("Contacts")


class InformationLanguage(models.TextChoices):
    """The languages staff write the information for participants in: the portal's own."""

    ENGLISH = "en", _("English")
    FRENCH = "fr", _("French")
    SPANISH = "es", _("Spanish")


class SideEventStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    APPROVED = "approved", _("Approved")
    DECLINED = "declined", _("Declined")
    SCHEDULED = "scheduled", _("Scheduled")


class SeriesKind(models.TextChoices):
    WEBINARS = "webinars", _("Webinar series")
    ONLINE_SESSIONS = "online_sessions", _("Online sessions (such as Minamata Online)")
    PRE_COP = "pre_cop", _("Online events before a COP")


class MaterialKind(models.TextChoices):
    """A meeting's material that is not a document with a symbol."""

    PRESENTATION = "presentation", _("Presentation")
    STATEMENT = "statement", _("Statement")
    PHOTO = "photo", _("Photo")
    OTHER = "other", _("Other material")


class MaterialStatus(models.TextChoices):
    DRAFT = "draft", _("Not published")
    PUBLISHED = "published", _("Published")


# ---------------------------------------------------------------------------------------------
# Who may move what where. Each status has one table; `meetings.services.transition` moves a
# record by one of its actions, and views, admin and templates ask `record.can_<action>`.

M = MeetingStatus
MEETING_TRANSITIONS = TransitionTable(
    MeetingStatus,
    [
        # From "registration closed" too: registration is reopened for late registrations.
        move("open_registration", {M.PLANNED, M.REGISTRATION_CLOSED}, M.REGISTRATION_OPEN,
             label=_("Open registration"), rule="meetings.change_meeting_status"),
        move("close_registration", {M.REGISTRATION_OPEN}, M.REGISTRATION_CLOSED,
             label=_("Close registration"), rule="meetings.change_meeting_status"),
        move("open_session", {M.REGISTRATION_CLOSED}, M.IN_SESSION,
             label=_("Mark as in session"), rule="meetings.change_meeting_status"),
        move("record_held", {M.IN_SESSION}, M.HELD, label=_("Mark as held"), rule="meetings.change_meeting_status"),
        move("postpone", {M.PLANNED, M.REGISTRATION_OPEN, M.REGISTRATION_CLOSED}, M.POSTPONED,
             label=_("Postpone"), rule="meetings.change_meeting_status"),
        move("cancel", {M.PLANNED, M.REGISTRATION_OPEN, M.REGISTRATION_CLOSED, M.POSTPONED}, M.CANCELLED,
             label=_("Cancel"), rule="meetings.change_meeting_status"),
        # A postponed meeting is planned again once it has new dates.
        move("plan_again", {M.POSTPONED}, M.PLANNED,
             label=_("Plan again (after postponement)"), rule="meetings.change_meeting_status"),
    ],
)  # fmt: skip
# Organisers may ask for a side event until the meeting opens.
SIDE_EVENT_REQUESTS_OPEN = frozenset({M.PLANNED, M.REGISTRATION_OPEN, M.REGISTRATION_CLOSED})

A = AgendaStatus
AGENDA_TRANSITIONS = TransitionTable(
    AgendaStatus,
    [
        move("send_for_review", {A.DRAFT}, A.IN_REVIEW,
             label=_("Send to the Bureau for review"), rule="meetings.change_agenda_status"),
        move("return_to_draft", {A.IN_REVIEW}, A.DRAFT,
             label=_("Return to draft"), rule="meetings.change_agenda_status"),
        move("issue", {A.DRAFT, A.IN_REVIEW}, A.ISSUED,
             label=_("Issue as provisional agenda"), rule="meetings.change_agenda_status"),
        move("adopt", {A.ISSUED}, A.ADOPTED, label=_("Record as adopted"), rule="meetings.change_agenda_status"),
        # Never chosen by hand: a newer version supersedes a draft when it is started and an issued
        # version when it is issued or adopted in its turn (meetings.services.agendas).
        move("supersede", {A.DRAFT, A.IN_REVIEW, A.ISSUED}, A.SUPERSEDED,
             label=_("Supersede"), rule="meetings.change_agenda_status"),
    ],
)  # fmt: skip
# What the public sees of a meeting's agenda.
PUBLIC_AGENDA_STATUSES = (A.ISSUED, A.ADOPTED)

SE = SideEventStatus
SIDE_EVENT_TRANSITIONS = TransitionTable(
    SideEventStatus,
    [
        move("approve", {SE.SUBMITTED}, SE.APPROVED, label=_("Approve"), rule="meetings.review_side_events"),
        move("decline", {SE.SUBMITTED, SE.APPROVED}, SE.DECLINED,
             label=_("Decline"), rule="meetings.review_side_events"),
        move("schedule", {SE.APPROVED}, SE.SCHEDULED, label=_("Schedule"), rule="meetings.review_side_events"),
    ],
)  # fmt: skip
PUBLIC_SIDE_EVENT_STATUSES = (SE.APPROVED, SE.SCHEDULED)

MS = MaterialStatus
# A material stays with the secretariat until staff publish it; a published one can be withdrawn
# (a wrong file, a speaker who asks) and published again.
MATERIAL_TRANSITIONS = TransitionTable(
    MaterialStatus,
    [
        move("publish", {MS.DRAFT}, MS.PUBLISHED, label=_("Publish"), rule="meetings.publish_materials"),
        move("withdraw", {MS.PUBLISHED}, MS.DRAFT, label=_("Withdraw from the public pages"),
             rule="meetings.publish_materials"),
    ],
)  # fmt: skip

del A, M, MS, SE  # short names for the tables above only
