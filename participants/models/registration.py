import uuid
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from letters.enums import LetterLanguage
from minamata_portal.uploads import FileKind, stored_name

from ..enums import (
    ACCREDITED_STATUSES,
    BADGE_HOLDER_STATUSES,
    DELEGATE_EDITABLE_STATUSES,
    INACTIVE_STATUSES,
    STATE_CAPACITIES,
    Capacity,
    DelegationRole,
    FundingPolicy,
    Gender,
    ParticipationMode,
    RegistrationStatus,
)


class MeetingParticipationSettings(models.Model):
    """What the secretariat configures per meeting for participation: the observer deadline, the
    funding rules (COP-1: one participant per eligible Party, LDCs first), the credentials deadline
    and the quorum. Kept here rather than on Meeting so the participants app owns its rules."""

    meeting = models.OneToOneField(
        "meetings.Meeting",
        on_delete=models.CASCADE,
        related_name="participation_settings",
        verbose_name=_("meeting"),
    )
    observer_deadline = models.DateTimeField(_("observer admission requests close"), null=True, blank=True)
    funded_per_party = models.PositiveSmallIntegerField(
        _("funded participants per eligible Party"), default=1
    )
    funded_places = models.PositiveIntegerField(
        _("funded places (budget)"),
        null=True,
        blank=True,
        help_text=_("Total funded participants the budget allows; empty for no overall limit."),
    )
    funding_policy = models.CharField(
        _("who may be funded"),
        max_length=40,
        choices=FundingPolicy,
        default=FundingPolicy.PARTIES_ONLY,
        help_text=_(
            "Parties only at a COP; eligible States not yet Parties too at workshops, regional "
            "consultations or a negotiating committee before entry into force."
        ),
    )
    eligible_classifications = models.JSONField(
        _("eligible classifications"),
        default=list,
        blank=True,
        help_text=_("Classification codes that make a Party eligible, e.g. developing, ldc, sids, eit."),
    )
    ldc_priority = models.BooleanField(_("priority to least developed countries"), default=True)
    credentials_deadline_hours = models.PositiveSmallIntegerField(
        _("credentials due (hours after the opening)"), default=24
    )
    badge_colours = models.JSONField(
        _("badge colours"),
        default=dict,
        blank=True,
        help_text=_(
            "Colour of each category's band on the badge, as #rrggbb; a category left out keeps "
            "the default colour."
        ),
    )
    badge_both_sides = models.BooleanField(
        _("print badges on both sides"),
        default=False,
        help_text=_("Repeat the name and category on the back of the card, for lanyards that turn."),
    )
    quorum_fraction = models.DecimalField(
        _("quorum (fraction of the Parties)"),
        max_digits=4,
        decimal_places=3,
        default=Decimal("0.333"),
        help_text=_("The share of the Parties that must be present, e.g. 0.333 for one third."),
    )

    class Meta:
        verbose_name = _("participation settings")
        verbose_name_plural = _("participation settings")

    def __str__(self):
        return str(self.meeting)


def nomination_letter_path(instance, filename):
    # A random name: the delegate's or State's name never reaches the disk path or a URL.
    # Only PDFs are accepted as letters (nomination_letter_check).
    return stored_name(f"participants/nominations/{instance.meeting_id}", FileKind.PDF)


def badge_photo_path(instance, filename):
    # A random name, like nomination letters: the person's name never reaches a path or URL.
    # Photos are stored re-encoded as JPEG whatever was uploaded (the badge service checks them).
    return f"participants/photos/{instance.meeting_id}/{uuid.uuid4().hex}.jpg"


class NominationLetter(models.Model):
    """The official nomination letter or note verbale of a State for a meeting. One letter may
    cover several delegates. Stored under MEDIA_ROOT (private) and served by a checked view."""

    meeting = models.ForeignKey(
        "meetings.Meeting", on_delete=models.CASCADE, related_name="nomination_letters"
    )
    country = models.ForeignKey(
        "reference.Country", on_delete=models.PROTECT, related_name="nomination_letters"
    )
    file = models.FileField(_("file"), upload_to=nomination_letter_path)
    original_name = models.CharField(_("original file name"), max_length=200)
    size = models.PositiveIntegerField(_("size (bytes)"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        verbose_name = _("nomination letter")
        verbose_name_plural = _("nomination letters")
        ordering = ["-uploaded"]

    def __str__(self):
        return f"{self.country} – {self.original_name}"


class Registration(models.Model):
    """One person at one meeting, in one capacity. Status changes only through
    `participants.services`."""

    meeting = models.ForeignKey(
        "meetings.Meeting", on_delete=models.PROTECT, related_name="registrations", verbose_name=_("meeting")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="registrations",
        verbose_name=_("person"),
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=RegistrationStatus,
        default=RegistrationStatus.PRE_REGISTERED,
        db_index=True,
    )
    capacity = models.CharField(_("capacity"), max_length=20, choices=Capacity)
    country = models.ForeignKey(
        "reference.Country",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="registrations",
        verbose_name=_("State represented"),
    )
    organisation = models.ForeignKey(
        "participants.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="registrations",
        verbose_name=_("organisation represented"),
    )
    participation_mode = models.CharField(
        _("participation"),
        max_length=10,
        choices=ParticipationMode,
        default=ParticipationMode.IN_PERSON,
        # Blank in a form (the admin's): the meeting's only mode, or in person (the service decides).
        blank=True,
        help_text=_("In person or online, where the meeting or one of its segments is online or hybrid."),
    )
    delegation_role = models.CharField(
        _("role in the delegation"), max_length=20, choices=DelegationRole, blank=True
    )
    title = models.CharField(_("title"), max_length=30, blank=True, help_text=_("Mr, Ms, Dr, H.E."))
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("family name"), max_length=100)
    function = models.CharField(_("function"), max_length=200, blank=True)
    department = models.CharField(_("ministry, department or unit"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail"))
    phone = models.CharField(_("telephone"), max_length=40, blank=True)
    address = models.TextField(_("postal address"), blank=True)
    gender = models.CharField(_("gender"), max_length=10, choices=Gender, blank=True)
    arrival = models.DateField(_("arrival"), null=True, blank=True)
    departure = models.DateField(_("departure"), null=True, blank=True)
    funding_requested = models.BooleanField(_("funding requested"), default=False)
    visa_letter_requested = models.BooleanField(_("visa support letter requested"), default=False)
    publish_contact = models.BooleanField(
        _("publish my postal address in the list of participants"), default=False
    )
    publish_email = models.BooleanField(_("publish my e-mail in the list of participants"), default=False)
    publish_phone = models.BooleanField(_("publish my telephone in the list of participants"), default=False)
    photo = models.ImageField(
        _("photo for the badge"),
        upload_to=badge_photo_path,
        null=True,
        blank=True,
        help_text=_("Optional. A JPEG or PNG portrait; it is cropped to the badge's frame."),
    )
    # Every letter and mail about this registration is written in it (letters, outbox), whatever
    # language the delegate's browser or the staff member's screen uses at the time.
    correspondence_language = models.CharField(
        _("language of correspondence"),
        max_length=2,
        choices=LetterLanguage,
        default=LetterLanguage.ENGLISH,
        help_text=_("Letters and e-mails about this registration are written in this language."),
    )
    nomination_letter = models.ForeignKey(
        NominationLetter,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="registrations",
        verbose_name=_("nomination letter"),
    )
    status_note = models.CharField(_("note on the last change"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created = models.DateTimeField(_("created"), auto_now_add=True)
    modified = models.DateTimeField(_("modified"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["modified"])

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["meeting", "last_name", "first_name"]
        constraints = [
            # One person, one registration per meeting, whatever the category (UN practice:
            # not both a Party delegate and an NGO observer).
            models.UniqueConstraint(
                fields=["meeting", "user"],
                name="registration_one_per_person_per_meeting",
                violation_error_message=_("This person is already registered for this meeting."),
            ),
            models.CheckConstraint(
                condition=~Q(capacity__in=list(STATE_CAPACITIES)) | Q(country__isnull=False),
                name="registration_state_capacity_has_state",
                violation_error_message=_("A State delegate must name the State represented."),
            ),
            # A delegation has one head: among the State's registrations still taking part.
            models.UniqueConstraint(
                fields=["meeting", "country"],
                condition=Q(delegation_role=DelegationRole.HEAD) & ~Q(status__in=list(INACTIVE_STATUSES)),
                name="registration_one_head_per_delegation",
                violation_error_message=_("This delegation already has a head of delegation."),
            ),
            models.CheckConstraint(
                condition=Q(arrival__isnull=True)
                | Q(departure__isnull=True)
                | Q(departure__gte=models.F("arrival")),
                name="registration_departure_after_arrival",
                violation_error_message=_("Departure cannot be before arrival."),
            ),
        ]
        indexes = [models.Index(fields=["meeting", "status"]), models.Index(fields=["meeting", "country"])]

    def __str__(self):
        return f"{self.full_name} – {self.meeting}"

    @property
    def full_name(self):
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def represents(self):
        if self.country_id:
            return self.country.name
        if self.organisation_id:
            return self.organisation.name
        return ""

    # The list of participants prints a contact detail only where the person agreed to it, each
    # on its own: the postal address (publish_contact), the e-mail, the telephone.
    @property
    def published_address(self) -> str:
        return self.address if self.publish_contact else ""

    @property
    def published_email(self) -> str:
        return self.email if self.publish_email else ""

    @property
    def published_phone(self) -> str:
        return self.phone if self.publish_phone else ""

    @property
    def awaits_nomination(self):
        """A State's delegate is accredited only once their focal point has nominated them."""
        return self.capacity in STATE_CAPACITIES and self.status == RegistrationStatus.PRE_REGISTERED

    @property
    def is_locked_for_delegate(self):
        return self.status in ACCREDITED_STATUSES

    @property
    def has_badge(self):
        return self.status in BADGE_HOLDER_STATUSES

    @property
    def is_editable_by_delegate(self):
        return self.status in DELEGATE_EDITABLE_STATUSES

    @property
    def is_active(self):
        return self.status not in INACTIVE_STATUSES

    @property
    def is_online(self):
        return self.participation_mode == ParticipationMode.ONLINE


class FocalPointInvitation(models.Model):
    """A personal invitation to act as a State's focal point. The link carries a signed,
    expiring token; opening it signed in with the invited address attaches the FocalPoint role."""

    country = models.ForeignKey("reference.Country", on_delete=models.PROTECT, related_name="+")
    email = models.EmailField(_("e-mail"))
    kind = models.CharField(_("kind"), max_length=10, default="nfp")
    language = models.CharField(
        _("language of correspondence"),
        max_length=2,
        choices=LetterLanguage,
        default=LetterLanguage.ENGLISH,
        help_text=_("The invitation e-mail is written in it."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created = models.DateTimeField(_("created"), auto_now_add=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)

    class Meta:
        verbose_name = _("focal point invitation")
        verbose_name_plural = _("focal point invitations")
        ordering = ["-created"]

    def __str__(self):
        return f"{self.email} – {self.country}"
