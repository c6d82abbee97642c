"""Expert groups' members and how they came to be (nominations by Parties and observer
organisations), the decisions that set and extend a group's mandate, and the drafts the secretariat
puts out to a group's members for comment between meetings.

The groups themselves are `meetings.ExpertGroup` (their meetings point to them); this app stands
above `participants` because organisations nominate experts (`participants.Organisation`)."""

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from minamata_portal.uploads import FileKind, stored_name
from reference.enums import RegionalGroup

from .enums import NOMINATION_TRANSITIONS, MemberRole, NominationStatus


class Nomination(models.Model):
    """An expert put forward for a group by a Party (its focal point, for their own State) or by an
    observer organisation (its contact), until the secretariat appoints or declines them."""

    group = models.ForeignKey(
        "meetings.ExpertGroup", on_delete=models.PROTECT, related_name="nominations", verbose_name=_("group")
    )
    country = models.ForeignKey(
        "reference.Country",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("nominated by the Party"),
    )
    organisation = models.ForeignKey(
        "participants.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="expert_nominations",
        verbose_name=_("nominated by the organisation"),
    )
    name = models.CharField(_("name of the expert"), max_length=200)
    email = models.EmailField(_("e-mail of the expert"))
    expertise = models.TextField(_("expertise"))
    role = models.CharField(_("role proposed"), max_length=10, choices=MemberRole, default=MemberRole.MEMBER)
    publish_consent = models.BooleanField(
        _("the expert agrees to be listed on the public pages"), default=False
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=NominationStatus,
        default=NominationStatus.NOMINATED,
        db_index=True,
    )
    decline_reason = models.TextField(_("reason for declining"), blank=True)
    nominated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("nominated by"),
    )
    nominated_at = models.DateTimeField(_("nominated"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("nomination of an expert")
        verbose_name_plural = _("nominations of experts")
        ordering = ["group", "-nominated_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(country__isnull=False) & Q(organisation__isnull=True))
                | (Q(country__isnull=True) & Q(organisation__isnull=False)),
                name="expertgroups_nomination_by_party_or_organisation",
                violation_error_message=_("A nomination comes from a Party or from an organisation."),
            ),
            models.CheckConstraint(
                condition=~Q(status=NominationStatus.DECLINED) | ~Q(decline_reason=""),
                name="expertgroups_declined_nomination_has_reason",
                violation_error_message=_("A declined nomination gives the reason."),
            ),
        ]

    def __str__(self):
        return f"{self.name} – {self.group}"

    @property
    def nominator(self):
        """The Party or the organisation that put the expert forward."""
        return self.country or self.organisation


class Member(models.Model):
    """An expert appointed to a group, from the nomination the secretariat accepted. The term's
    end date is included: a member whose term ends on 31 December is a member that whole day."""

    nomination = models.OneToOneField(
        Nomination, on_delete=models.PROTECT, related_name="member", verbose_name=_("nomination")
    )
    group = models.ForeignKey(
        "meetings.ExpertGroup", on_delete=models.PROTECT, related_name="members", verbose_name=_("group")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="expert_memberships",
        verbose_name=_("account"),
    )
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("e-mail"))
    country = models.ForeignKey(
        "reference.Country",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Party"),
    )
    organisation = models.ForeignKey(
        "participants.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organisation"),
    )
    # The UN regional group of the nominating State when appointed; "none" for an organisation's expert.
    region = models.CharField(_("region"), max_length=30, choices=RegionalGroup)
    expertise = models.TextField(_("expertise"))
    role = models.CharField(_("role"), max_length=10, choices=MemberRole, default=MemberRole.MEMBER)
    term_from = models.DateField(_("term from"))
    term_to = models.DateField(_("term to (included)"))
    publish_consent = models.BooleanField(_("listed on the public pages"), default=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("member of an expert group")
        verbose_name_plural = _("members of expert groups")
        ordering = ["group", "role", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(term_to__gte=F("term_from")),
                name="expertgroups_member_term_ordered",
                violation_error_message=_("The term cannot end before it starts."),
            ),
        ]

    def __str__(self):
        return f"{self.name} – {self.group}"

    def serves_on(self, day: dt.date) -> bool:
        return self.term_from <= day <= self.term_to


class GroupMandate(models.Model):
    """The decision that set a group's mandate and its end ("until COP-4": a meeting, or a date),
    or the later decision that extended it: each extension points to the record it extends, so a
    group's mandate is a chain whose last link says when it ends now."""

    group = models.ForeignKey(
        "meetings.ExpertGroup",
        on_delete=models.PROTECT,
        related_name="group_mandates",
        verbose_name=_("group"),
    )
    decision = models.ForeignKey(
        "bureau.Decision", on_delete=models.PROTECT, related_name="+", verbose_name=_("decision")
    )
    ends_with_meeting = models.ForeignKey(
        "meetings.Meeting",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("until the meeting"),
    )
    ends_on = models.DateField(_("until the date"), null=True, blank=True)
    extends = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="extension",
        verbose_name=_("extends"),
    )
    created = models.DateTimeField(_("recorded"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("mandate of an expert group")
        verbose_name_plural = _("mandates of expert groups")
        ordering = ["group", "created", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_with_meeting__isnull=False) | Q(ends_on__isnull=False),
                name="expertgroups_mandate_has_end",
                violation_error_message=_("A mandate ends with a meeting or on a date."),
            ),
            models.UniqueConstraint(
                fields=["group"],
                condition=Q(extends__isnull=True),
                name="expertgroups_one_mandate_per_group",
                violation_error_message=_("This group's mandate is recorded already: extend it."),
            ),
        ]

    def __str__(self):
        return f"{self.group}: {self.decision.symbol}"

    @property
    def end_date(self) -> dt.date:
        """The last day of the mandate: the closing day of the meeting it ends with, or its date."""
        if self.ends_with_meeting_id:
            return self.ends_with_meeting.end_date
        return self.ends_on


def _draft_file_path(instance, filename):
    # A random name with the extension of the checked kind: the uploader's name is never used.
    return stored_name(f"expertgroups/drafts/{instance.group_id}", instance.kind)


class Draft(models.Model):
    """A text the secretariat puts out to a group's members for comment until a date, as a file and
    as numbered paragraphs the members comment on. A revised draft points to the one it revises."""

    group = models.ForeignKey(
        "meetings.ExpertGroup", on_delete=models.PROTECT, related_name="drafts", verbose_name=_("group")
    )
    title = models.CharField(_("title"), max_length=300)
    file = models.FileField(_("file"), upload_to=_draft_file_path, max_length=300)
    kind = models.CharField(_("file type"), max_length=10, choices=FileKind)
    comments_until = models.DateField(
        _("comments until"), help_text=_("Members comment until the end of this day.")
    )
    revises = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="revision",
        verbose_name=_("revises"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created = models.DateTimeField(_("put out"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("draft for comment")
        verbose_name_plural = _("drafts for comment")
        ordering = ["group", "-created", "-pk"]

    def __str__(self):
        return self.title


class DraftParagraph(models.Model):
    draft = models.ForeignKey(Draft, on_delete=models.CASCADE, related_name="paragraphs")
    number = models.PositiveSmallIntegerField(_("paragraph"))
    text = models.TextField(_("text"))

    class Meta:
        verbose_name = _("paragraph")
        verbose_name_plural = _("paragraphs")
        ordering = ["draft", "number"]
        constraints = [
            models.UniqueConstraint(fields=["draft", "number"], name="expertgroups_draft_paragraph_unique")
        ]

    def __str__(self):
        return f"{self.draft}, para. {self.number}"


class DraftComment(models.Model):
    """A member's comment on one paragraph of a draft; the staff's record of who commented."""

    paragraph = models.ForeignKey(
        DraftParagraph, on_delete=models.CASCADE, related_name="comments", verbose_name=_("paragraph")
    )
    member = models.ForeignKey(
        Member, on_delete=models.PROTECT, related_name="comments", verbose_name=_("member")
    )
    text = models.TextField(_("comment"))
    created = models.DateTimeField(_("sent"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("comment on a draft")
        verbose_name_plural = _("comments on drafts")
        ordering = ["paragraph", "created", "pk"]

    def __str__(self):
        return f"{self.member.name} on {self.paragraph}"


NOMINATION_TRANSITIONS.install(Nomination)
