"""The Bureau of the COP and the Implementation and Compliance Committee: who sits on them and when,
the Bureau's review of draft agendas, and the decisions (COP and Bureau) with the mandates they give
the secretariat."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from meetings.enums import Language
from minamata_portal.i18n import in_current_language
from minamata_portal.uploads import FileKind, stored_name
from reference.enums import RegionalGroup

from .enums import (
    DECISION_TRANSITIONS,
    MANDATE_TRANSITIONS,
    REPORT_TRANSITIONS,
    REVIEW_RESPONSE_TRANSITIONS,
    BodyKind,
    DecisionKind,
    DecisionStatus,
    MandateStatus,
    Office,
    ReportStatus,
    ReviewDecision,
)


class Body(models.Model):
    """A body whose members are elected by region: the COP Bureau, the Compliance Committee.

    The balance is data, not code, because the two bodies differ: the Bureau has a President and
    nine Vice-Presidents (one the rapporteur), two per region; the Committee fifteen members,
    three per region, on staggered terms."""

    kind = models.CharField(_("kind"), max_length=20, choices=BodyKind, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=200)
    name_fr = models.CharField(_("name (French)"), max_length=200, blank=True)
    name_es = models.CharField(_("name (Spanish)"), max_length=200, blank=True)
    seats = models.PositiveSmallIntegerField(_("seats"))
    seats_per_region = models.PositiveSmallIntegerField(_("seats per region"))
    offices = models.JSONField(
        _("offices"),
        default=dict,
        blank=True,
        help_text=_('How many holders each office needs, e.g. {"president": 1, "rapporteur": 1}.'),
    )
    staggered_terms = models.BooleanField(
        _("staggered terms"), default=False, help_text=_("Terms of different members overlap.")
    )

    class Meta:
        verbose_name = _("body")
        verbose_name_plural = _("bodies")
        ordering = ["kind"]
        constraints = [
            models.CheckConstraint(
                condition=Q(seats__gte=F("seats_per_region")),
                name="bureau_body_seats_cover_region",
                violation_error_message=_("A body cannot have fewer seats than seats per region."),
            )
        ]

    def __str__(self):
        return self.name

    @property
    def name(self):
        return in_current_language(self, "name")


class Term(models.Model):
    """A term of office: from the closure of the electing COP to the closure of the next ordinary
    one. The end is exclusive: on the closing day the next term's members take over."""

    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="terms", verbose_name=_("body"))
    elected_at = models.ForeignKey(
        "meetings.Meeting",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("elected at"),
        null=True,
        blank=True,
    )
    ends_at = models.ForeignKey(
        "meetings.Meeting",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("ends at the closure of"),
        null=True,
        blank=True,
    )
    start_date = models.DateField(_("start"))
    end_date = models.DateField(_("end"), null=True, blank=True, help_text=_("Empty while the term runs."))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("term")
        verbose_name_plural = _("terms")
        ordering = ["body", "-start_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gt=F("start_date")),
                name="bureau_term_ends_after_start",
                violation_error_message=_("A term must end after it starts."),
            )
        ]

    def __str__(self):
        if self.elected_at_id:
            ends = self.ends_at.code.upper() if self.ends_at_id else "…"
            return f"{self.body}: {self.elected_at.code.upper()} – {ends}"
        return f"{self.body}: {self.start_date:%Y-%m-%d} – {self.end_date or '…'}"

    def get_absolute_url(self):
        return reverse("bureau:term", kwargs={"pk": self.pk})


class Membership(models.Model):
    """One person holding one office for one State, for a span of dates within a term.

    A replacement during the term is a new membership pointing at the one it replaces; the
    replaced one keeps its dates and ends the day the replacement starts."""

    term = models.ForeignKey(
        Term, on_delete=models.PROTECT, related_name="memberships", verbose_name=_("term")
    )
    user = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="bureau_memberships", verbose_name=_("person")
    )
    country = models.ForeignKey(
        "reference.Country", on_delete=models.PROTECT, related_name="+", verbose_name=_("State")
    )
    region = models.CharField(
        _("region"),
        max_length=30,
        choices=RegionalGroup,
        help_text=_("The State's UN regional group when the member was elected."),
    )
    office = models.CharField(_("office"), max_length=20, choices=Office)
    start_date = models.DateField(_("from"))
    end_date = models.DateField(
        _("until"), null=True, blank=True, help_text=_("Exclusive; empty = end of term.")
    )
    replaces = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="replaced_by",
        verbose_name=_("replaces"),
    )
    note = models.CharField(_("note"), max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["term", "office", "region", "start_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gt=F("start_date")),
                name="bureau_membership_ends_after_start",
                violation_error_message=_("A membership must end after it starts."),
            ),
            models.CheckConstraint(
                condition=~Q(region=RegionalGroup.NONE),
                name="bureau_membership_has_region",
                violation_error_message=_("A member's State must belong to a UN regional group."),
            ),
        ]
        # Overlap of a single-holder office (or of one person's seats) within a term is refused by
        # exclusion constraints that migration 0001 creates on PostgreSQL only (SQLite has none);
        # `membership_add` checks the same rule on every database.

    def __str__(self):
        return f"{self.user} ({self.country}) – {self.get_office_display()}"

    def clean(self):
        if self.end_date and self.start_date and self.end_date <= self.start_date:
            raise ValidationError({"end_date": _("A membership must end after it starts.")})


class AgendaReview(models.Model):
    """One agenda version sent to the Bureau (or to the Bureau members of one region, for a
    regional consultation's agenda) for comments and approval."""

    version = models.OneToOneField(
        "meetings.AgendaVersion",
        on_delete=models.CASCADE,
        related_name="bureau_review",
        verbose_name=_("agenda version"),
    )
    region = models.CharField(
        _("region"), max_length=30, choices=RegionalGroup, blank=True, help_text=_("Empty: the whole Bureau.")
    )
    previous = models.OneToOneField(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="next",
        verbose_name=_("revises"),
    )
    message = models.TextField(_("message to the reviewers"), blank=True)
    sent_at = models.DateTimeField(_("sent"), auto_now_add=True)
    sent_by = models.ForeignKey(
        "accounts.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("sent by"),
    )

    class Meta:
        verbose_name = _("agenda review")
        verbose_name_plural = _("agenda reviews")
        ordering = ["-sent_at"]

    def __str__(self):
        return str(self.version)

    def get_absolute_url(self):
        return reverse("bureau:review", kwargs={"pk": self.pk})


class ReviewResponse(models.Model):
    """Where one Bureau member stands on one review: awaiting, approved, or asking for changes."""

    review = models.ForeignKey(
        AgendaReview, on_delete=models.CASCADE, related_name="responses", verbose_name=_("review")
    )
    reviewer = models.ForeignKey(
        "accounts.User",
        on_delete=models.CASCADE,
        related_name="bureau_review_responses",
        verbose_name=_("reviewer"),
    )
    decision = models.CharField(
        _("decision"), max_length=20, choices=ReviewDecision, default=ReviewDecision.PENDING, db_index=True
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("review response")
        verbose_name_plural = _("review responses")
        ordering = ["review", "reviewer__last_name"]
        constraints = [
            models.UniqueConstraint(fields=["review", "reviewer"], name="bureau_review_response_unique")
        ]

    def __str__(self):
        return f"{self.reviewer}: {self.get_decision_display()}"


class ReviewComment(models.Model):
    """A reviewer's comment on one agenda item, or on the agenda as a whole, and the secretariat's answer."""

    review = models.ForeignKey(
        AgendaReview, on_delete=models.CASCADE, related_name="comments", verbose_name=_("review")
    )
    item = models.ForeignKey(
        "meetings.AgendaItem",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="bureau_comments",
        verbose_name=_("agenda item"),
        help_text=_("Empty: a comment on the agenda as a whole."),
    )
    author = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="+", verbose_name=_("author")
    )
    text = models.TextField(_("comment"))
    created = models.DateTimeField(_("written"), auto_now_add=True)
    answer = models.TextField(_("secretariat's answer"), blank=True)
    answered_by = models.ForeignKey(
        "accounts.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("answered by"),
    )
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("review comment")
        verbose_name_plural = _("review comments")
        ordering = ["review", "created"]

    def __str__(self):
        return self.text[:60]


def bureau_report_path(instance, filename):
    # Migration 0003 names this (the report file a Bureau meeting held before MeetingReport).
    return stored_name("bureau/reports", instance.report_file_kind)


class BureauMeeting(models.Model):
    """What the Bureau adds to a meeting of the Bureau kind: the term it belongs to, the
    invitations, and the members' summary of what was agreed (the report's files, in each language,
    are its MeetingReport, which staff publish)."""

    meeting = models.OneToOneField(
        "meetings.Meeting", on_delete=models.CASCADE, related_name="bureau", verbose_name=_("meeting")
    )
    term = models.ForeignKey(
        Term, on_delete=models.PROTECT, related_name="meetings", verbose_name=_("term"), null=True, blank=True
    )
    report = models.TextField(_("report"), blank=True)
    invitations_sent_at = models.DateTimeField(_("invitations sent"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("Bureau meeting")
        verbose_name_plural = _("Bureau meetings")
        ordering = ["-meeting__start_date"]

    def __str__(self):
        return str(self.meeting)

    def get_absolute_url(self):
        return reverse("bureau:meeting", kwargs={"code": self.meeting.code})


class MeetingReport(models.Model):
    """The report of one meeting: a Bureau meeting's, a committee's (the Implementation and
    Compliance Committee, the Governing Board), a COP's or any other meeting's. Restricted to the
    Bureau and the secretariat until staff publish it; then on the public pages, in every language
    it has a file in. Who published or withdrew it, and when, is in its history."""

    meeting = models.OneToOneField(
        "meetings.Meeting", on_delete=models.PROTECT, related_name="meeting_report", verbose_name=_("meeting")
    )
    symbol = models.CharField(
        _("document symbol"),
        max_length=120,
        blank=True,
        help_text=_("Where the report is issued as a document, e.g. UNEP/MC/COP.2/11."),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=ReportStatus, default=ReportStatus.RESTRICTED, db_index=True
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
    modified = models.DateTimeField(_("modified"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["modified"])

    class Meta:
        verbose_name = _("meeting report")
        verbose_name_plural = _("meeting reports")
        ordering = ["-meeting__start_date"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status=ReportStatus.PUBLISHED) | Q(published_at__isnull=False),
                name="bureau_published_report_has_date",
                violation_error_message=_("A published report has the date it was published."),
            )
        ]

    def __str__(self):
        return _("Report of %(meeting)s") % {"meeting": self.meeting}

    def get_absolute_url(self):
        return reverse("bureau:report", kwargs={"code": self.meeting.code})

    @property
    def is_published(self) -> bool:
        return self.status == ReportStatus.PUBLISHED


def _report_file_path(instance, filename):
    # A random name with the extension of the checked kind: the uploader's name is never used.
    return stored_name(f"bureau/reports/{instance.language}", instance.kind)


class ReportFile(models.Model):
    """The report in one language: one file per language; a new upload replaces it (the history
    keeps who uploaded which, and when)."""

    report = models.ForeignKey(
        MeetingReport, on_delete=models.CASCADE, related_name="files", verbose_name=_("report")
    )
    language = models.CharField(_("language"), max_length=2, choices=Language)
    file = models.FileField(_("file"), upload_to=_report_file_path, max_length=300)
    # What `check_upload` found in the bytes: the type the file is served with.
    kind = models.CharField(_("file type"), max_length=10, choices=FileKind, blank=True)
    original_name = models.CharField(_("original file name"), max_length=255, blank=True)
    size = models.PositiveIntegerField(_("size in bytes"), default=0)
    uploaded_at = models.DateTimeField(_("uploaded"))
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
        verbose_name = _("report file")
        verbose_name_plural = _("report files")
        ordering = ["report", "language"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "language"],
                name="bureau_report_file_one_per_language",
                violation_error_message=_("The report already has a file in this language."),
            )
        ]

    def __str__(self):
        return f"{self.report} ({self.language})"


class Decision(models.Model):
    """A decision of the COP (symbol MC-3/11; a draft reads MC-4/[--]) or of the Bureau (numbered
    within its meeting)."""

    kind = models.CharField(_("kind"), max_length=10, choices=DecisionKind, default=DecisionKind.COP)
    meeting = models.ForeignKey(
        "meetings.Meeting", on_delete=models.PROTECT, related_name="decisions", verbose_name=_("meeting")
    )
    session = models.PositiveSmallIntegerField(
        _("COP session"), null=True, blank=True, help_text=_("The 3 of MC-3/11.")
    )
    number = models.PositiveSmallIntegerField(
        _("number"), null=True, blank=True, help_text=_("The 11 of MC-3/11; empty while a draft.")
    )
    title_en = models.CharField(_("title (English)"), max_length=400)
    title_fr = models.CharField(_("title (French)"), max_length=400, blank=True)
    title_es = models.CharField(_("title (Spanish)"), max_length=400, blank=True)
    text = models.TextField(
        _("text"), blank=True, help_text=_("The preamble, before the numbered paragraphs.")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=DecisionStatus, default=DecisionStatus.DRAFT, db_index=True
    )
    adopted_on = models.DateField(_("adopted on"), null=True, blank=True)
    modified = models.DateTimeField(_("modified"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["modified"])

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["kind", "session", "number", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "session", "number"],
                condition=Q(kind=DecisionKind.COP) & Q(number__isnull=False),
                name="bureau_cop_decision_symbol_unique",
                violation_error_message=_("A decision with this symbol already exists."),
            ),
            models.UniqueConstraint(
                fields=["meeting", "number"],
                condition=Q(kind=DecisionKind.BUREAU) & Q(number__isnull=False),
                name="bureau_bureau_decision_number_unique",
            ),
            models.CheckConstraint(
                condition=Q(kind=DecisionKind.BUREAU) | Q(session__isnull=False),
                name="bureau_cop_decision_has_session",
                violation_error_message=_("A COP decision needs the COP session number."),
            ),
            models.CheckConstraint(
                condition=Q(status=DecisionStatus.DRAFT)
                | (Q(number__isnull=False) & Q(adopted_on__isnull=False)),
                name="bureau_adopted_decision_numbered",
                violation_error_message=_("An adopted decision has a number and an adoption date."),
            ),
        ]

    def __str__(self):
        return f"{self.symbol} {self.title}"

    def get_absolute_url(self):
        return reverse("bureau:decision", kwargs={"pk": self.pk})

    @property
    def title(self):
        return in_current_language(self, "title")

    @property
    def symbol(self):
        if self.kind == DecisionKind.COP:
            return f"MC-{self.session}/{self.number if self.number is not None else '[--]'}"
        return f"{self.meeting.code}/{self.number if self.number is not None else '[--]'}"

    @property
    def is_draft(self) -> bool:
        """Not adopted yet: the lists mark it with its status (`can_adopt` is for the button)."""
        return self.status == DecisionStatus.DRAFT

    @property
    def slug(self):
        """The symbol in an address: MC-3/11 → mc-3-11."""
        return self.symbol.lower().replace("/", "-").replace("[--]", f"draft-{self.pk}")


class DecisionParagraph(models.Model):
    decision = models.ForeignKey(
        Decision, on_delete=models.CASCADE, related_name="paragraphs", verbose_name=_("decision")
    )
    number = models.PositiveSmallIntegerField(_("paragraph"))
    text = models.TextField(_("text"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("paragraph")
        verbose_name_plural = _("paragraphs")
        ordering = ["decision", "number"]
        constraints = [
            models.UniqueConstraint(fields=["decision", "number"], name="bureau_decision_paragraph_unique")
        ]

    def __str__(self):
        return f"{self.decision.symbol}, para. {self.number}"


class Mandate(models.Model):
    """A request a decision makes to the secretariat, tracked until it is reported on."""

    decision = models.ForeignKey(
        Decision, on_delete=models.CASCADE, related_name="mandates", verbose_name=_("decision")
    )
    paragraph = models.ForeignKey(
        DecisionParagraph,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="mandates",
        verbose_name=_("paragraph"),
    )
    description = models.TextField(_("what is requested"))
    owner = models.ForeignKey(
        "accounts.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="bureau_mandates",
        verbose_name=_("owner in the secretariat"),
        limit_choices_to={"is_staff": True},
    )
    due_meeting = models.ForeignKey(
        "meetings.Meeting",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="mandates_due",
        verbose_name=_("due for meeting"),
    )
    due_date = models.DateField(_("due date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=MandateStatus, default=MandateStatus.NOT_STARTED, db_index=True
    )
    notes = models.TextField(_("notes"), blank=True)
    modified = models.DateTimeField(_("modified"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["modified"])

    class Meta:
        verbose_name = _("mandate")
        verbose_name_plural = _("mandates")
        ordering = ["decision", "paragraph__number", "pk"]

    def __str__(self):
        return f"{self.decision.symbol}: {self.description[:60]}"

    @property
    def due_on(self):
        """The date it is due: the stated date, or the opening of the meeting it must report to."""
        if self.due_date:
            return self.due_date
        return self.due_meeting.start_date if self.due_meeting_id else None


REVIEW_RESPONSE_TRANSITIONS.install(ReviewResponse)
DECISION_TRANSITIONS.install(Decision)
MANDATE_TRANSITIONS.install(Mandate)
REPORT_TRANSITIONS.install(MeetingReport)
