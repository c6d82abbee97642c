from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from outbox.models import OutgoingMail

from .enums import LETTER_TRANSITIONS, LetterKind, LetterLanguage, LetterStatus
from .storage import letter_storage_callable


class LetterSequence(models.Model):
    """The last number given per meeting and kind (the 0042 of MC/COP.2/2018/INV/0042).
    Numbers are drawn with the row locked, so two staff sending at once never share one."""

    meeting = models.ForeignKey("meetings.Meeting", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20, choices=LetterKind)
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["meeting", "kind"], name="letter_sequence_meeting_kind_unique")
        ]

    def __str__(self):
        return f"{self.meeting_id}/{self.kind}: {self.last_number}"


class LetterBatch(models.Model):
    """One bulk send by staff ("invitations to all Parties for COP-2"): the admin follows its
    progress while the worker renders and sends."""

    meeting = models.ForeignKey(
        "meetings.Meeting", on_delete=models.CASCADE, related_name="letter_batches", verbose_name=_("meeting")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=LetterKind)
    description = models.CharField(_("description"), max_length=200, blank=True)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("letter batch")
        verbose_name_plural = _("letter batches")
        ordering = ["-created"]

    def __str__(self):
        return self.description or f"{self.get_kind_display()} – {self.meeting}"


class LetterTemplate(models.Model):
    """Staff's wording of one kind of letter, in one language, for one meeting. Replaces the
    body of the default template in the repository; the letterhead, reference, address and
    signature stay. Each save is a new version (and a history record)."""

    meeting = models.ForeignKey(
        "meetings.Meeting",
        on_delete=models.CASCADE,
        related_name="letter_templates",
        verbose_name=_("meeting"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=LetterKind)
    language = models.CharField(_("language"), max_length=2, choices=LetterLanguage)
    subject = models.CharField(_("subject"), max_length=200, blank=True)
    body = models.TextField(
        # Not the "body" of the Bureau (an organ): the text of the letter.
        pgettext_lazy("text of a letter", "body"),
        help_text=_(
            "HTML paragraphs with placeholders such as {{ recipient_name }}, {{ meeting_title }}, "
            "{{ meeting_dates }}, {{ meeting_venue }}."
        ),
    )
    signatory_name = models.CharField(
        _("signatory's name"),
        max_length=150,
        blank=True,
        help_text=_("Empty: the name set for all letters (LETTERS_SIGNATORY_NAME), if any."),
    )
    signatory_title = models.CharField(
        _("signatory's title"),
        max_length=150,
        blank=True,
        help_text=_(
            "As it should read in this language, e.g. “Secrétaire exécutive”. Empty: the title set for all letters (LETTERS_SIGNATORY_TITLES), else Executive Secretary."
        ),
    )
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    modified = models.DateTimeField(_("modified"), auto_now=True)
    modified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("letter template")
        verbose_name_plural = _("letter templates")
        ordering = ["meeting", "kind", "language"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "kind", "language"], name="letter_template_meeting_kind_language_unique"
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.language}) – {self.meeting} v{self.version}"


class Letter(models.Model):
    """One letter to one recipient: its facts, its PDF and how far it got."""

    kind = models.CharField(_("kind"), max_length=20, choices=LetterKind, db_index=True)
    meeting = models.ForeignKey(
        "meetings.Meeting", on_delete=models.PROTECT, related_name="letters", verbose_name=_("meeting")
    )
    batch = models.ForeignKey(
        LetterBatch,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="letters",
        verbose_name=_("batch"),
    )
    focal_point = models.ForeignKey(
        "accounts.FocalPoint",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="letters",
        verbose_name=_("focal point"),
    )
    registration = models.ForeignKey(
        "participants.Registration",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="letters",
        verbose_name=_("registration"),
    )
    recipient_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="letters",
        verbose_name=_("recipient's account"),
        help_text=_("Who may download the letter besides the secretariat."),
    )
    recipient_name = models.CharField(_("recipient"), max_length=200)
    recipient_email = models.EmailField(_("recipient's e-mail"))
    recipient_address = models.TextField(_("address"), blank=True, help_text=_("One line per line."))
    language = models.CharField(_("language"), max_length=2, choices=LetterLanguage, default="en")
    details = models.JSONField(
        _("details"), default=dict, blank=True, help_text=_("Facts printed in the letter, as issued.")
    )
    reference = models.CharField(_("reference"), max_length=60, unique=True)
    trigger_key = models.CharField(_("trigger"), max_length=200, unique=True)
    verification_code = models.CharField(_("verification code"), max_length=64, unique=True)
    template_version = models.PositiveIntegerField(_("template version"), null=True, blank=True)
    pdf = models.FileField(_("PDF"), storage=letter_storage_callable, blank=True, max_length=200)
    sha256 = models.CharField(_("SHA-256 of the PDF"), max_length=64, blank=True)
    # The PDF was deleted with the personal data it printed (a visa letter's passport number,
    # PASSPORT_PURGE_DAYS after its meeting), and its e-mails lost it as an attachment. The
    # letter stays on record: the verification page still answers for it, and its SHA-256 still
    # checks a copy the recipient or an embassy holds.
    pdf_purged_at = models.DateTimeField(_("PDF deleted on"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=LetterStatus, default=LetterStatus.QUEUED, db_index=True
    )
    # Why the letter could not be rendered; its e-mail's errors are on its mail.
    last_error = models.TextField(_("last error"), blank=True)
    # The e-mail that carries the letter now (the latest send); earlier sends stay in the
    # outbox under the letter's trigger keys (see `mails`).
    mail = models.ForeignKey(
        OutgoingMail,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("e-mail"),
    )
    render_claim = models.UUIDField(null=True, blank=True, editable=False)
    render_claimed_at = models.DateTimeField(null=True, blank=True, editable=False)
    # When the letter was queued (issued, or sent again by staff): the backlog's age counts from here.
    enqueued_at = models.DateTimeField(_("last queued"), null=True, blank=True)
    # When the sweeper last queued its render task again (the broker lost it): the sweeper waits
    # from here before the next try, and the backlog's age is not reset by it.
    swept_at = models.DateTimeField(_("last swept"), null=True, blank=True, editable=False)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    rendered_at = models.DateTimeField(_("rendered on"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked on"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("revoked by"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("letter")
        verbose_name_plural = _("letters")
        ordering = ["-created"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status=LetterStatus.RENDERED) | ~Q(sha256=""),
                name="letter_rendered_has_hash",
            ),
            models.CheckConstraint(
                condition=~Q(status=LetterStatus.REVOKED) | Q(revoked_at__isnull=False),
                name="letter_revoked_has_revoked_at",
            ),
        ]

    def __str__(self):
        return f"{self.reference} – {self.recipient_name}"

    @property
    def is_valid(self):
        # Issued (rendered) and not revoked. A letter whose e-mail failed for good is still the
        # secretariat's letter: the delegate may hold it from "My registrations".
        return self.status == LetterStatus.RENDERED

    def mail_trigger_key(self, send_number: int) -> str:
        """What caused the letter's `send_number`th e-mail: one trigger per send."""
        return f"letter:{self.pk}:send:{send_number}"

    @property
    def mails(self):
        """Every e-mail of the letter, first send first (a failed attempt stays on record)."""
        return OutgoingMail.objects.filter(trigger_key__startswith=f"letter:{self.pk}:send:").order_by("pk")

    @property
    def delivery_status(self) -> str | None:
        """Its latest e-mail's status (outbox.MailStatus); None before it has one. Select or
        join `mail` when reading it for many letters."""
        return self.mail.status if self.mail_id else None


LETTER_TRANSITIONS.install(Letter)
