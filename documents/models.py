from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from meetings.enums import MeetingKind
from minamata_portal.i18n import in_current_language
from minamata_portal.uploads import FileKind, stored_name

from .enums import (
    LANGUAGE_VERSION_TRANSITIONS,
    SETTLED_STATUSES,
    Distribution,
    Language,
    ProcessingStatus,
    Series,
    SupplementKind,
)


class SymbolCounter(models.Model):
    """The last number issued in one series under one symbol prefix. New documents take the next
    number while holding this row locked, so two officers registering at once never get the same
    number, and a number is never issued again even if its document is deleted. Keyed by prefix
    rather than meeting because the segments of a meeting (COP-4 online and resumed) share it."""

    prefix = models.CharField(_("symbol prefix"), max_length=60)
    series = models.CharField(_("series"), max_length=10, choices=Series)
    last_number = models.PositiveIntegerField(_("last number issued"), default=0)

    class Meta:
        verbose_name = _("symbol counter")
        verbose_name_plural = _("symbol counters")
        constraints = [models.UniqueConstraint(fields=["prefix", "series"], name="symbol_counter_unique")]

    def __str__(self):
        return f"{self.prefix} {self.series}: {self.last_number}"


class Document(models.Model):
    """One document under one symbol; all its language versions carry that symbol (UN practice).
    An addendum, revision or corrigendum is its own document pointing at the one it amends."""

    meeting = models.ForeignKey(
        "meetings.Meeting",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="documents",
        verbose_name=_("meeting"),
        help_text=_("Empty for legacy documents or other conventions' documents recorded for reference."),
    )
    symbol = models.CharField(_("symbol"), max_length=120, unique=True)
    prefix = models.CharField(_("symbol prefix"), max_length=60, editable=False)
    series = models.CharField(_("series"), max_length=10, choices=Series, editable=False)
    number = models.PositiveIntegerField(_("number"), editable=False)
    suffix = models.CharField(
        _("addendum, revision or corrigendum"), max_length=60, blank=True, editable=False
    )
    amends = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="supplements",
        verbose_name=_("amends"),
        editable=False,
    )
    supplement_kind = models.CharField(
        _("kind of supplement"), max_length=10, choices=SupplementKind, blank=True, editable=False
    )
    recorded_as_is = models.BooleanField(
        _("symbol recorded as issued"),
        default=False,
        editable=False,
        help_text=_("Legacy and other conventions' symbols, not issued by the portal."),
    )
    title_ar = models.CharField(_("title (Arabic)"), max_length=500, blank=True)
    title_zh = models.CharField(_("title (Chinese)"), max_length=500, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=500)
    title_fr = models.CharField(_("title (French)"), max_length=500, blank=True)
    title_ru = models.CharField(_("title (Russian)"), max_length=500, blank=True)
    title_es = models.CharField(_("title (Spanish)"), max_length=500, blank=True)
    agenda_items = models.ManyToManyField(
        "meetings.AgendaItem", blank=True, related_name="documents", verbose_name=_("agenda items")
    )
    author = models.CharField(
        _("author or submitting body"), max_length=300, default="Secretariat", blank=True
    )
    distribution = models.CharField(
        _("distribution"), max_length=20, choices=Distribution, default=Distribution.GENERAL
    )
    officer = models.ForeignKey(
        "accounts.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        limit_choices_to={"is_staff": True},
        related_name="+",
        verbose_name=_("responsible officer"),
        help_text=_("The secretariat member who answers for the document's milestones."),
    )
    not_formally_edited = models.BooleanField(_("not formally edited"), default=False)
    advance_unedited = models.BooleanField(_("advance unedited version"), default=False)
    issue_date = models.DateField(_("date of issue"), null=True, blank=True)
    original_language = models.CharField(
        _("original language"), max_length=2, choices=Language, default=Language.ENGLISH
    )
    created = models.DateTimeField(_("created"), auto_now_add=True)

    # Who changed a title, the distribution or the flags, and when (the processing of each
    # language has its own steps in ProcessingStep).
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["prefix", "series", "number", "suffix"]
        constraints = [
            # The number of an original document is unique within its series; the portal's counter
            # issues it, and this is what holds if anything bypasses the counter.
            models.UniqueConstraint(
                fields=["prefix", "series", "number"],
                condition=Q(suffix=""),
                name="document_number_unique_in_series",
                violation_error_message=_("This number is already used in this series."),
            ),
            models.CheckConstraint(
                condition=Q(suffix="", amends__isnull=True) | ~Q(suffix=""),
                name="document_original_amends_nothing",
            ),
        ]
        indexes = [models.Index(fields=["meeting", "series", "number"])]

    def __str__(self):
        return self.symbol

    def get_absolute_url(self):
        return reverse("documents:detail", kwargs={"pk": self.pk})

    @property
    def title(self):
        return in_current_language(self, "title")

    @property
    def restricted(self) -> bool:
        """Not for everyone: limited to participants or to the Bureau (lists mark it)."""
        return self.distribution != Distribution.GENERAL

    def titles(self):
        """(language, label, title) for every language with a title, in UN order."""
        return [
            (code, label, getattr(self, f"title_{code}"))
            for code, label in Language.choices
            if getattr(self, f"title_{code}")
        ]


class LanguageVersion(models.Model):
    """One language of one document, with where it stands in editing and translation."""

    document = models.ForeignKey(
        Document, on_delete=models.CASCADE, related_name="versions", verbose_name=_("document")
    )
    language = models.CharField(_("language"), max_length=2, choices=Language)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=ProcessingStatus,
        default=ProcessingStatus.AWAITING_ORIGINAL,
        db_index=True,
    )
    target_date = models.DateField(_("target date"), null=True, blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    modified = models.DateTimeField(_("modified"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["modified"])

    class Meta:
        verbose_name = _("language version")
        verbose_name_plural = _("language versions")
        ordering = ["document", "language"]
        constraints = [
            models.UniqueConstraint(fields=["document", "language"], name="language_version_unique"),
            models.CheckConstraint(
                condition=~Q(status=ProcessingStatus.PUBLISHED) | Q(published_at__isnull=False),
                name="language_version_published_has_date",
            ),
        ]

    def __str__(self):
        return f"{self.document.symbol} ({self.language})"

    @property
    def takes_files(self) -> bool:
        """Published and not required versions take no new file."""
        return self.status not in SETTLED_STATUSES


class ProcessingStep(models.Model):
    """History of a language version's status: who moved it, from what, to what, when."""

    version = models.ForeignKey(
        LanguageVersion, on_delete=models.CASCADE, related_name="steps", verbose_name=_("language version")
    )
    from_status = models.CharField(_("from"), max_length=20, choices=ProcessingStatus)
    to_status = models.CharField(_("to"), max_length=20, choices=ProcessingStatus)
    at = models.DateTimeField(_("at"), auto_now_add=True)
    by = models.ForeignKey(
        "accounts.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("processing step")
        verbose_name_plural = _("processing steps")
        ordering = ["version", "at", "pk"]

    def __str__(self):
        return f"{self.version}: {self.from_status} → {self.to_status}"


def _language_file_path(instance, filename):
    # The stored name is ours (a random name with the checked kind's extension, under the symbol
    # and language), never the uploader's file name.
    symbol = instance.version.document.symbol.replace("/", "_").replace("(", "").replace(")", "")
    return stored_name(f"documents/{symbol}/{instance.version.language}", instance.kind)


class LanguageVersionFile(models.Model):
    """A file uploaded for a language version. Earlier uploads are kept; the latest is current."""

    version = models.ForeignKey(
        LanguageVersion, on_delete=models.CASCADE, related_name="files", verbose_name=_("language version")
    )
    number = models.PositiveIntegerField(_("upload number"))
    file = models.FileField(_("file"), upload_to=_language_file_path, max_length=300)
    kind = models.CharField(_("file type"), max_length=10, choices=FileKind)
    original_name = models.CharField(_("original file name"), max_length=255)
    size = models.PositiveIntegerField(_("size in bytes"))
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    uploaded_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("language version file")
        verbose_name_plural = _("language version files")
        ordering = ["version", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["version", "number"], name="language_version_file_number_unique")
        ]

    def __str__(self):
        return f"{self.version} #{self.number}"


class CallForSubmissions(models.Model):
    """A letter of the Executive Secretary inviting Parties and stakeholders to submit information
    (for instance, under a decision of the COP), whose submissions are compiled into a document."""

    meeting = models.ForeignKey(
        "meetings.Meeting",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="calls_for_submissions",
        verbose_name=_("for meeting"),
    )
    title = models.CharField(_("subject"), max_length=300)
    mandate = models.CharField(
        _("mandate"), max_length=200, blank=True, help_text=_("For example decision MC-3/8.")
    )
    letter_date = models.DateField(_("date of the letter"))
    addressees = models.TextField(_("addressees"), help_text=_("For example: Parties and stakeholders."))
    deadline = models.DateField(_("deadline for submissions"))
    reminder_date = models.DateField(_("date of the reminder"), null=True, blank=True)
    compilation = models.ForeignKey(
        Document,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="compiled_calls",
        verbose_name=_("compiled in document"),
    )

    class Meta:
        verbose_name = _("call for submissions")
        verbose_name_plural = _("calls for submissions")
        ordering = ["-letter_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(deadline__gte=models.F("letter_date")),
                name="call_deadline_after_letter",
                violation_error_message=_("The deadline cannot be before the letter."),
            )
        ]

    def __str__(self):
        return self.title


class Submission(models.Model):
    call = models.ForeignKey(
        CallForSubmissions, on_delete=models.CASCADE, related_name="submissions", verbose_name=_("call")
    )
    country = models.ForeignKey(
        "reference.Country",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Party or State"),
    )
    organization = models.CharField(
        _("organization"), max_length=300, blank=True, help_text=_("For a stakeholder other than a State.")
    )
    received_on = models.DateField(_("received on"))
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")
        ordering = ["call", "received_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(country__isnull=False) | ~Q(organization=""),
                name="submission_has_a_submitter",
                violation_error_message=_("Say who made the submission: a State or an organization."),
            )
        ]

    def __str__(self):
        return self.submitter

    @property
    def submitter(self):
        return self.country.name if self.country_id else self.organization


def _submission_file_path(instance, filename):
    return stored_name(f"submissions/{instance.submission.call_id}/{instance.submission_id}", instance.kind)


class SubmissionFile(models.Model):
    submission = models.ForeignKey(
        Submission, on_delete=models.CASCADE, related_name="files", verbose_name=_("submission")
    )
    file = models.FileField(_("file"), upload_to=_submission_file_path, max_length=300)
    kind = models.CharField(_("file type"), max_length=10, choices=FileKind)
    original_name = models.CharField(_("original file name"), max_length=255)
    size = models.PositiveIntegerField(_("size in bytes"))

    class Meta:
        verbose_name = _("submission file")
        verbose_name_plural = _("submission files")

    def __str__(self):
        return self.original_name


class MilestoneRule(models.Model):
    """How many weeks before a meeting's opening the documents of one series are due at each
    milestone, for one kind of meeting. An empty series or kind is the fallback for every other
    series or kind (`selectors.milestone_rule_for` says which row wins); an empty number of weeks
    means the documents have no such milestone."""

    series = models.CharField(
        _("series"), max_length=10, choices=Series, blank=True, help_text=_("Empty: every other series.")
    )
    meeting_kind = models.CharField(
        _("kind of meeting"),
        max_length=20,
        choices=MeetingKind,
        blank=True,
        help_text=_("Empty: every other kind of meeting."),
    )
    forecast_weeks = models.PositiveSmallIntegerField(
        _("forecast (weeks before the opening)"), null=True, blank=True
    )
    submission_weeks = models.PositiveSmallIntegerField(
        _("submission to conference services (weeks before the opening)"), null=True, blank=True
    )
    issuance_weeks = models.PositiveSmallIntegerField(
        _("issuance (weeks before the opening)"), null=True, blank=True
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("milestone rule")
        verbose_name_plural = _("milestone rules")
        ordering = ["series", "meeting_kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["series", "meeting_kind"],
                name="milestone_rule_unique",
                violation_error_message=_("There is already a rule for this series and kind of meeting."),
            ),
            # The forecast comes before the submission, and the submission before issuance.
            models.CheckConstraint(
                condition=Q(forecast_weeks__isnull=True)
                | Q(submission_weeks__isnull=True)
                | Q(forecast_weeks__gte=F("submission_weeks")),
                name="milestone_rule_forecast_before_submission",
            ),
            models.CheckConstraint(
                condition=Q(submission_weeks__isnull=True)
                | Q(issuance_weeks__isnull=True)
                | Q(submission_weeks__gte=F("issuance_weeks")),
                name="milestone_rule_submission_before_issuance",
            ),
            models.CheckConstraint(
                condition=Q(forecast_weeks__isnull=True)
                | Q(issuance_weeks__isnull=True)
                | Q(forecast_weeks__gte=F("issuance_weeks")),
                name="milestone_rule_forecast_before_issuance",
            ),
        ]

    def __str__(self):
        series = self.get_series_display() if self.series else _("every series")
        kind = self.get_meeting_kind_display() if self.meeting_kind else _("every kind of meeting")
        return f"{series} · {kind}"

    def weeks(self, milestone: str) -> int | None:
        return getattr(self, f"{milestone}_weeks")


# `version.can_submit`, `version.can_publish`, … for templates and views.
LANGUAGE_VERSION_TRANSITIONS.install(LanguageVersion)
