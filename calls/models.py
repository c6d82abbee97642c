"""Calls the secretariat sends from the portal (for submissions on a decision, nominations of
experts, proposals of events or booths), the answers of the States and organisations they are
addressed to, with their files, and the reminders.

The app stands above `participants` because observers answer for their organisation
(`participants.Organisation`), and above `documents` because the answers are compiled into an
information document. `documents.CallForSubmissions` keeps the calls recorded after the fact,
before the portal sent them (free-text addressees, submissions typed in by staff)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from minamata_portal.uploads import FileKind, stored_name

from .enums import ANSWER_TRANSITIONS, CALL_TRANSITIONS, AnswerStatus, Audience, CallKind, CallStatus


class Call(models.Model):
    meeting = models.ForeignKey(
        "meetings.Meeting",
        on_delete=models.PROTECT,
        related_name="calls",
        verbose_name=_("for meeting"),
        help_text=_("The meeting the answers are compiled for; its symbol prefix names the compilation."),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=CallKind, default=CallKind.SUBMISSIONS)
    title = models.CharField(_("subject"), max_length=300)
    mandate = models.CharField(
        _("mandate"), max_length=200, blank=True, help_text=_("For example decision MC-3/8.")
    )
    body = models.TextField(_("what the call asks"))
    audience = models.CharField(_("addressed to"), max_length=10, choices=Audience, default=Audience.PARTIES)
    deadline = models.DateField(_("deadline"), help_text=_("Answers are taken until the end of this day."))
    accepts_late = models.BooleanField(
        _("accept late answers"),
        default=False,
        help_text=_("Answers after the deadline are refused unless ticked."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=CallStatus, default=CallStatus.DRAFT, db_index=True
    )
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    compilation = models.ForeignKey(
        "documents.Document",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("compiled in document"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created = models.DateTimeField(_("created"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("call")
        verbose_name_plural = _("calls")
        ordering = ["-deadline", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status=CallStatus.DRAFT) | Q(sent_at__isnull=False), name="call_sent_has_sent_at"
            ),
            models.CheckConstraint(
                condition=~Q(status=CallStatus.COMPILED) | Q(compilation__isnull=False),
                name="call_compiled_has_document",
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def to_parties(self) -> bool:
        return self.audience in (Audience.PARTIES, Audience.BOTH, Audience.STATES)

    @property
    def to_observers(self) -> bool:
        return self.audience in (Audience.OBSERVERS, Audience.BOTH)


class Answer(models.Model):
    """One submission under a call, by a State (its focal point) or an organisation (its observer
    contact). A State may answer more than once (fourteen submissions from thirteen Parties)."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="answers", verbose_name=_("call"))
    country = models.ForeignKey(
        "reference.Country",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("State"),
    )
    organisation = models.ForeignKey(
        "participants.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organisation"),
    )
    text = models.TextField(_("text"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=AnswerStatus, default=AnswerStatus.SUBMITTED, db_index=True
    )
    submitted_at = models.DateTimeField(_("submitted"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("by")
    )
    late = models.BooleanField(_("after the deadline"), default=False)
    reason = models.TextField(_("reason for returning it"), blank=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        ordering = ["call", "submitted_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(country__isnull=False, organisation__isnull=True)
                | Q(country__isnull=True, organisation__isnull=False),
                name="answer_by_a_state_or_an_organisation",
            ),
            models.CheckConstraint(
                condition=~Q(status=AnswerStatus.RETURNED) | ~Q(reason=""), name="answer_returned_has_reason"
            ),
        ]

    def __str__(self):
        return f"{self.answerer} – {self.call}"

    @property
    def answerer(self):
        return self.country if self.country_id else self.organisation


def _answer_file_path(instance, filename):
    return stored_name(f"calls/{instance.answer.call_id}/{instance.answer_id}", instance.kind)


class AnswerFile(models.Model):
    answer = models.ForeignKey(
        Answer, on_delete=models.CASCADE, related_name="files", verbose_name=_("answer")
    )
    file = models.FileField(_("file"), upload_to=_answer_file_path, max_length=300)
    kind = models.CharField(_("file type"), max_length=10, choices=FileKind)
    original_name = models.CharField(_("original file name"), max_length=255)
    size = models.PositiveIntegerField(_("size in bytes"))
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        verbose_name = _("answer file")
        verbose_name_plural = _("answer files")
        ordering = ["pk"]

    def __str__(self):
        return self.original_name


class Reminder(models.Model):
    """A reminder to the addressees who have not answered yet, on a day staff set. Sent once:
    `sent_at` is claimed by a conditional update."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="reminders", verbose_name=_("call"))
    send_on = models.DateField(_("send on"))
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    recipients = models.PositiveIntegerField(_("sent to"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        ordering = ["call", "send_on", "pk"]

    def __str__(self):
        return f"{self.call} – {self.send_on}"


CALL_TRANSITIONS.install(Call)
ANSWER_TRANSITIONS.install(Answer)
