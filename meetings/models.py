import datetime as dt
import zoneinfo

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from minamata_portal.i18n import in_current_language
from minamata_portal.uploads import FileKind, MaterialFileKind, stored_name
from reference.enums import RegionalGroup

from .enums import (
    AGENDA_TRANSITIONS,
    MATERIAL_TRANSITIONS,
    MEETING_TRANSITIONS,
    PUBLIC_SIDE_EVENT_STATUSES,
    SIDE_EVENT_REQUESTS_OPEN,
    SIDE_EVENT_TRANSITIONS,
    AgendaStatus,
    InformationLanguage,
    InformationSection,
    Language,
    MaterialKind,
    MaterialStatus,
    MeetingKind,
    MeetingMode,
    MeetingStatus,
    SeriesKind,
    SessionKind,
    SideEventStatus,
)


def validate_time_zone(value):
    if value not in zoneinfo.available_timezones():
        raise ValidationError(
            _("“%(value)s” is not a known time zone (use an IANA name such as Europe/Zurich)."),
            params={"value": value},
            code="unknown_time_zone",
        )


class ExpertGroup(models.Model):
    """A standing or ad hoc body that meets more than once: an expert group (effectiveness
    evaluation, mercury waste thresholds, interim storage, contaminated sites, review of annexes A
    and B), so its meetings can be found together."""

    name_en = models.CharField(_("name (English)"), max_length=300, unique=True)
    name_fr = models.CharField(_("name (French)"), max_length=300, blank=True)
    name_es = models.CharField(_("name (Spanish)"), max_length=300, blank=True)
    established_by = models.CharField(
        _("established by"), max_length=100, blank=True, help_text=_("The decision, for example MC-1/9.")
    )
    description = models.TextField(_("mandate"), blank=True)

    class Meta:
        verbose_name = _("expert group")
        verbose_name_plural = _("expert groups")
        ordering = ["name_en"]

    def __str__(self):
        return self.name

    @property
    def name(self):
        return in_current_language(self, "name")


class StateGroup(models.Model):
    """A saved set of States a meeting may be limited to, defined by staff: for example
    "Central and Eastern Europe and Central Asia", which no UN regional group expresses."""

    name_en = models.CharField(_("name (English)"), max_length=200, unique=True)
    name_fr = models.CharField(_("name (French)"), max_length=200, blank=True)
    name_es = models.CharField(_("name (Spanish)"), max_length=200, blank=True)
    members = models.ManyToManyField(
        "reference.Country", blank=True, related_name="state_groups", verbose_name=_("States")
    )
    notes = models.TextField(_("notes"), blank=True, help_text=_("Where the list comes from."))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("group of States")
        verbose_name_plural = _("groups of States")
        ordering = ["name_en"]

    def __str__(self):
        return self.name

    @property
    def name(self):
        return in_current_language(self, "name")


class EventSeries(models.Model):
    """A series of online events ("Minamata Online" in 2020, a webinar series, the online events
    week before a COP). Its events are meetings (`Meeting.series`), so registration, the join
    link and attendance work as for any online meeting; registering for one takes a seat and is
    confirmed at once, with no nomination or accreditation (participants.services.seats)."""

    code = models.SlugField(
        _("short code"), max_length=40, unique=True, help_text=_("Used in addresses: minamata-online.")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=SeriesKind, default=SeriesKind.ONLINE_SESSIONS)
    title_en = models.CharField(_("title (English)"), max_length=300)
    title_fr = models.CharField(_("title (French)"), max_length=300, blank=True)
    title_es = models.CharField(_("title (Spanish)"), max_length=300, blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    description_fr = models.TextField(_("description (French)"), blank=True)
    description_es = models.TextField(_("description (Spanish)"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("series of online events")
        verbose_name_plural = _("series of online events")
        ordering = ["title_en"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=SeriesKind.values), name="event_series_known_kind"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("meetings:series", kwargs={"code": self.code})

    @property
    def title(self):
        return in_current_language(self, "title")

    @property
    def description(self):
        return in_current_language(self, "description")


class Meeting(models.Model):
    """A meeting the secretariat services: a COP (or one segment of it), a Bureau meeting,
    a regional consultation, an expert group meeting, a committee session, a webinar."""

    kind = models.CharField(_("kind"), max_length=20, choices=MeetingKind, db_index=True)
    number = models.PositiveIntegerField(
        _("number"), null=True, blank=True, help_text=_("The 2 of COP-2, where meetings are numbered.")
    )
    code = models.SlugField(
        _("short code"), max_length=40, unique=True, help_text=_("Used in addresses: cop-2, bureau-2018-09.")
    )
    title_en = models.CharField(_("title (English)"), max_length=300)
    title_fr = models.CharField(_("title (French)"), max_length=300, blank=True)
    title_es = models.CharField(_("title (Spanish)"), max_length=300, blank=True)
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="segments",
        verbose_name=_("segment of"),
        help_text=_("For a segment, such as the resumed in-person segment of COP-4."),
    )
    mode = models.CharField(_("mode"), max_length=20, choices=MeetingMode, default=MeetingMode.IN_PERSON)
    status = models.CharField(
        _("status"), max_length=30, choices=MeetingStatus, default=MeetingStatus.PLANNED, db_index=True
    )
    start_date = models.DateField(_("opening date"))
    end_date = models.DateField(_("closing date"))
    time_zone = models.CharField(
        _("time zone"), max_length=64, default="Europe/Zurich", validators=[validate_time_zone]
    )
    venue = models.CharField(_("venue"), max_length=200, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    country = models.ForeignKey(
        "reference.Country",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meetings_hosted",
        verbose_name=_("country"),
    )
    host = models.CharField(_("host"), max_length=200, blank=True)
    registration_opens = models.DateTimeField(_("registration opens"), null=True, blank=True)
    registration_closes = models.DateTimeField(_("registration closes"), null=True, blank=True)
    regions = models.JSONField(
        _("regions served"),
        default=list,
        blank=True,
        help_text=_("For regional consultations: the UN regional groups the meeting serves."),
    )
    scope_states = models.ManyToManyField(
        "reference.Country",
        blank=True,
        related_name="meetings_in_scope",
        verbose_name=_("States in scope"),
        help_text=_("Limit the meeting to these States (with the regions and groups of States, if any)."),
    )
    scope_groups = models.ManyToManyField(
        StateGroup,
        blank=True,
        related_name="meetings",
        verbose_name=_("groups of States in scope"),
        help_text=_("Limit the meeting to these saved groups of States."),
    )
    online_join_url = models.URLField(
        _("online join link"),
        max_length=500,
        blank=True,
        help_text=_("Sent to accredited online participants only; never shown on public pages."),
    )
    online_join_details = models.TextField(
        _("online connection details"),
        blank=True,
        help_text=_("Meeting ID, passcode, dial-in numbers: sent to accredited online participants only."),
    )
    venue_confirmed = models.BooleanField(
        _("venue confirmed"),
        default=True,
        help_text=_("Unticked while the venue and host are still to be confirmed (a newly planned COP)."),
    )
    symbol_prefix = models.CharField(
        _("document symbol prefix"), max_length=60, blank=True, help_text=_("For example UNEP/MC/COP.2")
    )
    back_to_back_with = models.ManyToManyField(
        "self", blank=True, symmetrical=True, verbose_name=_("held back-to-back with")
    )
    expert_group = models.ForeignKey(
        ExpertGroup,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meetings",
        verbose_name=_("meeting of the expert group"),
    )
    series = models.ForeignKey(
        EventSeries,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("event of the series"),
        help_text=_(
            "An event of a series of online events: registering takes a seat, confirmed at once "
            "(no nomination or accreditation)."
        ),
    )
    seats = models.PositiveIntegerField(
        _("seats"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("For an event of a series: how many may register. Empty: no limit."),
    )
    recording_url = models.URLField(
        _("recording"),
        max_length=500,
        blank=True,
        help_text=_("The recording's address, shown on the event's page."),
    )
    summary_en = models.TextField(_("summary (English)"), blank=True)
    summary_fr = models.TextField(_("summary (French)"), blank=True)
    summary_es = models.TextField(_("summary (Spanish)"), blank=True)
    languages = models.JSONField(
        _("languages"),
        default=list,
        blank=True,
        help_text=_("Languages of interpretation and documents, as codes: ar, zh, en, fr, ru, es."),
    )
    created = models.DateTimeField(_("created"), auto_now_add=True)
    modified = models.DateTimeField(_("modified"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["modified"])

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-start_date", "code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")),
                name="meeting_ends_after_it_starts",
                violation_error_message=_("The closing date cannot be before the opening date."),
            ),
            models.CheckConstraint(
                condition=Q(seats__isnull=True) | Q(seats__gte=1),
                name="meeting_seats_positive",
                violation_error_message=_("An event needs at least one seat (leave it empty for no limit)."),
            ),
            models.CheckConstraint(
                condition=Q(registration_opens__isnull=True)
                | Q(registration_closes__isnull=True)
                | Q(registration_closes__gt=F("registration_opens")),
                name="meeting_registration_window_ordered",
                violation_error_message=_("Registration must close after it opens."),
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("meetings:detail", kwargs={"code": self.code})

    @property
    def title(self):
        return in_current_language(self, "title")

    @property
    def summary(self):
        """The summary in the reader's language, else in English (each language is optional)."""
        return in_current_language(self, "summary")

    @property
    def takes_seats(self) -> bool:
        """Registering takes a seat, confirmed at once: an event of a series of online events."""
        return self.series_id is not None

    def clean(self):
        super().clean()
        if self.seats is not None and self.series_id is None:
            raise ValidationError({"seats": _("Seats are for the events of a series of online events.")})
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("The closing date cannot be before the opening date.")})
        unknown = [r for r in self.regions or [] if r not in RegionalGroup.values]
        if unknown:
            raise ValidationError({"regions": _("Unknown regional group: %s") % ", ".join(unknown)})
        if not isinstance(self.languages, list):
            raise ValidationError({"languages": _("Give the languages as a list of codes.")})
        unknown = [str(code) for code in self.languages if code not in Language.values]
        if unknown:
            raise ValidationError(
                {"languages": _("Unknown language: %s (use ar, zh, en, fr, ru, es)") % ", ".join(unknown)}
            )

    def get_languages_display(self):
        labels = dict(Language.choices)
        return [labels[code] for code in self.languages or [] if code in labels]

    @property
    def is_open_for_registration(self):
        """Open by its status (the participants app also reads the registration window)."""
        return self.status == MeetingStatus.REGISTRATION_OPEN

    @property
    def accepts_side_event_requests(self):
        return self.status in SIDE_EVENT_REQUESTS_OPEN

    @property
    def is_cop_root(self):
        return self.kind == MeetingKind.COP and self.parent_id is None

    @property
    def tz(self):
        return zoneinfo.ZoneInfo(self.time_zone)


class AgendaVersion(models.Model):
    """One version of a meeting's provisional agenda. Versions are kept: a new one is a copy
    of the last, and the older one becomes superseded when the new one moves on."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="agenda_versions", verbose_name=_("meeting")
    )
    number = models.PositiveIntegerField(_("version"))
    status = models.CharField(_("status"), max_length=20, choices=AgendaStatus, default=AgendaStatus.DRAFT)
    note = models.TextField(_("note"), blank=True)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("agenda version")
        verbose_name_plural = _("agenda versions")
        ordering = ["meeting", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "number"], name="agenda_version_number_unique")
        ]

    def __str__(self):
        return _("%(meeting)s – agenda version %(number)s") % {"meeting": self.meeting, "number": self.number}


class AgendaItem(models.Model):
    """An item ("Item 4") or a lettered sub-item ("4 (f)") of an agenda version."""

    version = models.ForeignKey(
        AgendaVersion, on_delete=models.CASCADE, related_name="items", verbose_name=_("agenda version")
    )
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="sub_items"
    )
    position = models.PositiveIntegerField(
        _("position"), help_text=_("The item number, or for a sub-item its place: 1 = (a), 6 = (f).")
    )
    title_en = models.CharField(_("title (English)"), max_length=500)
    title_fr = models.CharField(_("title (French)"), max_length=500, blank=True)
    title_es = models.CharField(_("title (Spanish)"), max_length=500, blank=True)
    annotation = models.TextField(_("annotation"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["version", "parent__position", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "position"],
                condition=Q(parent__isnull=True),
                name="agenda_item_position_unique",
            ),
            models.UniqueConstraint(
                fields=["parent", "position"],
                condition=Q(parent__isnull=False),
                name="agenda_sub_item_position_unique",
            ),
        ]

    def __str__(self):
        return f"{self.label}. {self.title}"

    @property
    def title(self):
        return in_current_language(self, "title")

    @property
    def letter(self):
        """The letter of a sub-item: "f" for the sixth."""
        return chr(ord("a") + self.position - 1) if self.parent_id else ""

    @property
    def label(self):
        """The UN way: "4" for an item, "4 (f)" for its sixth sub-item."""
        if self.parent_id is None:
            return str(self.position)
        return f"{self.parent.position} ({chr(ord('a') + self.position - 1)})"


currency_code = RegexValidator(
    r"^[A-Z]{3}$", _("Use a three-letter ISO 4217 currency code such as USD or CHF.")
)


class Contribution(models.Model):
    """A voluntary contribution that funds a meeting: the 2018 regional consultations were funded
    by Austria, Japan, Sweden and Switzerland. The donor is a State where it is one, otherwise a
    named organisation (the European Union, a foundation)."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="contributions", verbose_name=_("meeting")
    )
    donor_country = models.ForeignKey(
        "reference.Country",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meeting_contributions",
        verbose_name=_("donor State"),
    )
    donor_name = models.CharField(
        _("donor organisation"), max_length=200, blank=True, help_text=_("When the donor is not a State.")
    )
    amount = models.DecimalField(
        _("amount"), max_digits=14, decimal_places=2, validators=[MinValueValidator(0)]
    )
    currency = models.CharField(_("currency"), max_length=3, default="USD", validators=[currency_code])
    note = models.CharField(_("note"), max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("voluntary contribution")
        verbose_name_plural = _("voluntary contributions")
        ordering = ["meeting", "donor_country__name_en", "donor_name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0),
                name="contribution_amount_positive",
                violation_error_message=_("A contribution must be more than zero."),
            ),
            # Exactly one kind of donor: a State, or a named organisation.
            models.CheckConstraint(
                condition=(Q(donor_country__isnull=False) & Q(donor_name=""))
                | (Q(donor_country__isnull=True) & ~Q(donor_name="")),
                name="contribution_has_one_donor",
                violation_error_message=_("Name either a donor State or a donor organisation, not both."),
            ),
        ]

    def __str__(self):
        return f"{self.donor} – {self.amount} {self.currency}"

    @property
    def donor(self):
        return self.donor_country.name if self.donor_country_id else self.donor_name


class PartnerOrganisation(models.Model):
    """An organisation that helps run a meeting, such as a Basel and Stockholm conventions
    regional centre organising the logistics of a regional consultation."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="partners", verbose_name=_("meeting")
    )
    name = models.CharField(_("organisation"), max_length=200)
    role = models.CharField(_("role"), max_length=200, blank=True, help_text=_("For example: logistics"))
    url = models.URLField(_("web site"), blank=True)

    class Meta:
        verbose_name = _("partner organisation")
        verbose_name_plural = _("partner organisations")
        ordering = ["meeting", "name"]
        constraints = [models.UniqueConstraint(fields=["meeting", "name"], name="partner_once_per_meeting")]

    def __str__(self):
        return self.name


class Session(models.Model):
    """One block of the programme: a plenary, a contact group, a regional group meeting, a side
    event or an information session, in a room, at times stored in UTC and shown in the venue's
    time zone.

    A room holds one session at a time: on PostgreSQL an exclusion constraint (migration 0003)
    refuses overlapping sessions in the same room of a meeting, whatever writes them."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="sessions", verbose_name=_("meeting")
    )
    kind = models.CharField(_("kind"), max_length=30, choices=SessionKind, default=SessionKind.PLENARY)
    title_en = models.CharField(_("title (English)"), max_length=300)
    title_fr = models.CharField(_("title (French)"), max_length=300, blank=True)
    title_es = models.CharField(_("title (Spanish)"), max_length=300, blank=True)
    room = models.CharField(_("room"), max_length=100, blank=True)
    starts = models.DateTimeField(_("starts"))
    ends = models.DateTimeField(_("ends"))
    description = models.TextField(_("description"), blank=True)
    modified = models.DateTimeField(_("modified"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["modified"])

    class Meta:
        verbose_name = _("programme session")
        verbose_name_plural = _("programme sessions")
        ordering = ["meeting", "starts", "room"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends__gt=F("starts")),
                name="session_ends_after_it_starts",
                violation_error_message=_("A session must end after it starts."),
            )
        ]

    def __str__(self):
        return self.title

    @property
    def title(self):
        return in_current_language(self, "title")

    def clean(self):
        super().clean()
        if self.starts and self.ends and self.ends <= self.starts:
            raise ValidationError({"ends": _("A session must end after it starts.")})
        if self.starts and self.ends and self.meeting_id:
            problem = session_outside_meeting(self.meeting, self.starts, self.ends)
            if problem:
                raise ValidationError({"starts": problem})
            clash = session_room_clash(self)
            if clash is not None:
                raise ValidationError({"room": room_taken_message(clash)})

    @property
    def local_starts(self):
        return self.starts.astimezone(self.meeting.tz)

    @property
    def local_ends(self):
        return self.ends.astimezone(self.meeting.tz)


def session_outside_meeting(meeting, starts, ends):
    """Why `starts`–`ends` does not fit in the meeting's dates (read in the venue's time zone),
    or None when it fits."""
    first = dt.datetime.combine(meeting.start_date, dt.time.min, tzinfo=meeting.tz)
    after_last = dt.datetime.combine(meeting.end_date + dt.timedelta(days=1), dt.time.min, tzinfo=meeting.tz)
    if starts < first or ends > after_last:
        return _("Sessions must fall within the meeting's dates (%(start)s to %(end)s, %(tz)s).") % {
            "start": meeting.start_date.isoformat(),
            "end": meeting.end_date.isoformat(),
            "tz": meeting.time_zone,
        }
    return None


def session_room_clash(session):
    """Another session in the same room of the same meeting whose times overlap, or None.
    Online sessions with no room never clash."""
    if not session.room:
        return None
    return (
        Session.objects.filter(
            meeting_id=session.meeting_id, room=session.room, starts__lt=session.ends, ends__gt=session.starts
        )
        .exclude(pk=session.pk)
        .order_by("starts")
        .first()
    )


def room_taken_message(clash):
    local = clash.starts.astimezone(clash.meeting.tz)
    end = clash.ends.astimezone(clash.meeting.tz)
    return _("%(room)s is already booked from %(start)s to %(end)s for “%(title)s”.") % {
        "room": clash.room,
        "start": date_format(local, "j M H:i"),
        "end": date_format(end, "H:i"),
        "title": clash.title,
    }


class SideEventSlot(models.Model):
    """A time the secretariat offers for side events (the lunch and evening breaks of a COP).
    Organisers name their preferred slots; staff schedule each approved event into one."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="side_event_slots", verbose_name=_("meeting")
    )
    starts = models.DateTimeField(_("starts"))
    ends = models.DateTimeField(_("ends"))

    class Meta:
        verbose_name = _("side-event slot")
        verbose_name_plural = _("side-event slots")
        ordering = ["meeting", "starts"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends__gt=F("starts")),
                name="side_event_slot_ends_after_it_starts",
                violation_error_message=_("A slot must end after it starts."),
            ),
            models.UniqueConstraint(fields=["meeting", "starts"], name="side_event_slot_unique_start"),
        ]

    def __str__(self):
        tz = self.meeting.tz
        return f"{date_format(self.starts.astimezone(tz), 'D j M H:i')}–{date_format(self.ends.astimezone(tz), 'H:i')}"

    def clean(self):
        super().clean()
        if self.starts and self.ends and self.ends <= self.starts:
            raise ValidationError({"ends": _("A slot must end after it starts.")})
        if self.starts and self.ends and self.meeting_id:
            problem = session_outside_meeting(self.meeting, self.starts, self.ends)
            if problem:
                raise ValidationError({"starts": problem})


class SideEvent(models.Model):
    """A side event an organisation asks to hold during a meeting: submitted → approved or
    declined (with a reason) → scheduled into a slot and room (which books a programme session)."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="side_events", verbose_name=_("meeting")
    )
    status = models.CharField(
        _("status"), max_length=20, choices=SideEventStatus, default=SideEventStatus.SUBMITTED, db_index=True
    )
    organisation = models.CharField(_("organising organisation"), max_length=200)
    co_organisers = models.TextField(_("co-organisers"), blank=True, help_text=_("One per line."))
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"))
    preferred_slots = models.ManyToManyField(
        SideEventSlot, blank=True, related_name="+", verbose_name=_("preferred slots")
    )
    expected_attendance = models.PositiveIntegerField(
        _("expected attendance"), validators=[MinValueValidator(1)]
    )
    technical_needs = models.TextField(
        _("technical needs"), blank=True, help_text=_("Projector, microphones, interpretation, online link…")
    )
    contact_name = models.CharField(_("contact person"), max_length=200)
    contact_email = models.EmailField(_("contact e-mail"))
    language = models.CharField(_("language for replies"), max_length=5, default="en")
    decline_reason = models.TextField(_("reason for declining"), blank=True)
    session = models.OneToOneField(
        Session,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="side_event",
        verbose_name=_("programme session"),
    )
    submitted_by = models.ForeignKey(
        "accounts.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="side_events_requested",
    )
    created = models.DateTimeField(_("submitted"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("side event")
        verbose_name_plural = _("side events")
        ordering = ["meeting", "created"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status=SideEventStatus.DECLINED) | ~Q(decline_reason=""),
                name="side_event_declined_with_reason",
                violation_error_message=_("A declined side event needs a reason."),
            ),
            models.CheckConstraint(
                condition=~Q(status=SideEventStatus.SCHEDULED) | Q(session__isnull=False),
                name="side_event_scheduled_has_session",
                violation_error_message=_("A scheduled side event needs a slot and a room."),
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def is_public(self):
        return self.status in PUBLIC_SIDE_EVENT_STATUSES


class ParticipantInformation(models.Model):
    """One section of a meeting's information for participants (venue and access, visas, travel
    and DSA, accommodation, health and security, contacts) in one of the portal's languages, as
    staff write it: plain text, shown with its paragraphs and line breaks and its web and e-mail
    addresses as links; whatever HTML staff type is printed as text, never run."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="participant_information", verbose_name=_("meeting")
    )
    section = models.CharField(_("section"), max_length=20, choices=InformationSection)
    language = models.CharField(_("language"), max_length=2, choices=InformationLanguage)
    body = models.TextField(
        _("text"),
        blank=True,
        help_text=_(
            "Plain text: leave a blank line between paragraphs; web and e-mail addresses become links. "
            "HTML is shown as typed, not interpreted. A section with no text and no file is not shown."
        ),
    )
    modified = models.DateTimeField(_("modified"), auto_now=True)
    modified_by = models.ForeignKey(
        "accounts.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("modified by"),
    )

    history = HistoricalRecords(excluded_fields=["modified"])

    class Meta:
        verbose_name = _("information for participants (section)")
        verbose_name_plural = _("information for participants")
        ordering = ["meeting", "section", "language"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "section", "language"],
                name="participant_information_once_per_language",
                violation_error_message=_("This meeting already has this section in this language."),
            ),
            models.CheckConstraint(
                condition=Q(section__in=InformationSection.values),
                name="participant_information_known_section",
            ),
            models.CheckConstraint(
                condition=Q(language__in=InformationLanguage.values),
                name="participant_information_known_language",
            ),
        ]

    def __str__(self):
        return f"{self.meeting.code} – {self.get_section_display()} ({self.language})"


def participant_information_file_path(instance, filename):
    # A random name with the extension of the checked kind: the uploader's name is never used.
    return stored_name(f"meetings/information/{instance.information.meeting_id}", instance.kind)


class ParticipantInformationFile(models.Model):
    """A file attached to a section of the information for participants (a map of the venue, a
    hotel list, a visa form): checked by its content and size when uploaded, served by the portal
    (meetings.views.participant_information_file) typed by that check."""

    information = models.ForeignKey(
        ParticipantInformation, on_delete=models.CASCADE, related_name="files", verbose_name=_("section")
    )
    title = models.CharField(_("title"), max_length=200, help_text=_("What the link to the file says."))
    file = models.FileField(_("file"), upload_to=participant_information_file_path, max_length=300)
    kind = models.CharField(_("file type"), max_length=10, choices=FileKind)
    size = models.PositiveIntegerField(_("size in bytes"))
    uploaded_at = models.DateTimeField(_("uploaded"), default=timezone.now)
    uploaded_by = models.ForeignKey(
        "accounts.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("file for participants")
        verbose_name_plural = _("files for participants")
        ordering = ["information", "title", "pk"]

    def __str__(self):
        return self.title


def meeting_material_file_path(instance, filename):
    # A random name with the extension of the checked kind: the uploader's name is never used.
    return stored_name(f"meetings/materials/{instance.meeting_id}", instance.file_kind)


class MeetingMaterial(models.Model):
    """What a meeting leaves besides its documents, which carry a symbol: a speaker's presentation,
    a statement, a photo of a side event. Staff upload it (checked by its content and size) for the
    meeting or one of its sessions; it shows on the meeting's page once they publish it."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="materials", verbose_name=_("meeting")
    )
    session = models.ForeignKey(
        Session,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="materials",
        verbose_name=_("session"),
        help_text=_("The programme session it belongs to, if any (a session of the same meeting)."),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=MaterialKind, default=MaterialKind.PRESENTATION)
    title = models.CharField(_("title"), max_length=300)
    presented_by = models.CharField(
        _("by"), max_length=300, blank=True, help_text=_("The speaker, delegation or organisation.")
    )
    language = models.CharField(_("language"), max_length=2, choices=Language, default=Language.ENGLISH)
    file = models.FileField(_("file"), upload_to=meeting_material_file_path, max_length=300)
    file_kind = models.CharField(_("file type"), max_length=10, choices=MaterialFileKind)
    size = models.PositiveIntegerField(_("size in bytes"))
    status = models.CharField(
        _("status"), max_length=20, choices=MaterialStatus, default=MaterialStatus.DRAFT, db_index=True
    )
    uploaded_at = models.DateTimeField(_("uploaded"), default=timezone.now)
    uploaded_by = models.ForeignKey(
        "accounts.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    published_by = models.ForeignKey(
        "accounts.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("published by"),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("meeting material")
        verbose_name_plural = _("meeting materials")
        ordering = ["meeting", "session__starts", "kind", "title", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status=MaterialStatus.PUBLISHED) | Q(published_at__isnull=False),
                name="meeting_material_published_has_date",
                violation_error_message=_("A published material has the date it was published."),
            ),
            models.CheckConstraint(
                condition=Q(kind__in=MaterialKind.values), name="meeting_material_known_kind"
            ),
        ]

    def __str__(self):
        return self.title

    def clean(self):
        super().clean()
        if self.session_id and self.meeting_id and self.session.meeting_id != self.meeting_id:
            raise ValidationError({"session": _("Choose a session of this meeting.")})

    @property
    def is_published(self) -> bool:
        return self.status == MaterialStatus.PUBLISHED


MEETING_TRANSITIONS.install(Meeting)
AGENDA_TRANSITIONS.install(AgendaVersion)
SIDE_EVENT_TRANSITIONS.install(SideEvent)
MATERIAL_TRANSITIONS.install(MeetingMaterial)
