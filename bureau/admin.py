"""Secretariat pages for the Bureau's records. Writes that carry a rule (seats, adoption, review
state) go through the services on the Bureau's own pages; the admin is for looking up and for
plain corrections, which it also saves through the services (with history kept). What no service
writes is shown read-only here."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from meetings.enums import Language
from minamata_portal.forms import form_add_service_errors
from minamata_portal.uploads import check_upload

from . import services
from .models import (
    AgendaReview,
    Body,
    BureauMeeting,
    Decision,
    DecisionParagraph,
    Mandate,
    MeetingReport,
    Membership,
    ReportFile,
    ReviewComment,
    ReviewResponse,
    Term,
)


class ShownNotWritten:
    """An admin that shows records the services write on the Bureau's pages and never writes them
    itself (simple_history's revert posts to `save_model` too, hence the refusal there)."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        raise PermissionDenied


class BodyForm(forms.ModelForm):
    class Meta:
        model = Body
        fields = list(services.composition.BODY_EDITABLE_FIELDS)


@admin.register(Body)
class BodyAdmin(admin.ModelAdmin):
    form = BodyForm
    list_display = ["name_en", "kind", "seats", "seats_per_region", "staggered_terms"]
    readonly_fields = ["kind"]

    def has_add_permission(self, request):
        # The two bodies are created with the Convention's balance by `body_ensure`.
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        services.body_update(
            body=obj, by=request.user, **{name: form.cleaned_data[name] for name in form.changed_data}
        )


class MembershipInline(admin.TabularInline):
    """The term's seats, to look at: seats are added, replaced and corrected through the services
    (the term's page and the membership's own admin page)."""

    model = Membership
    fk_name = "term"
    extra = 0
    can_delete = False
    show_change_link = True
    fields = ["office", "user", "country", "region", "start_date", "end_date", "replaces", "note"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Term)
class TermAdmin(ShownNotWritten, SimpleHistoryAdmin):
    """Terms are recorded and closed on the Bureau's composition pages, through the services."""

    list_display = ["__str__", "start_date", "end_date"]
    list_filter = ["body"]
    list_select_related = ["body", "elected_at", "ends_at"]
    readonly_fields = ["body", "elected_at", "ends_at", "start_date", "end_date"]
    inlines = [MembershipInline]


class MembershipForm(forms.ModelForm):
    """A corrected seat is checked as a new one is (`membership_check`), with its region following
    its State."""

    class Meta:
        model = Membership
        fields = ["user", "country", "office", "start_date", "end_date", "note"]

    def clean(self):
        cleaned = super().clean()
        needed = ("user", "country", "office", "start_date")
        if any(cleaned.get(name) is None for name in needed) or self.errors:
            return cleaned
        try:
            services.membership_check(
                term=self.instance.term,
                user=cleaned["user"],
                country=cleaned["country"],
                office=cleaned["office"],
                start_date=cleaned["start_date"],
                end_date=cleaned.get("end_date"),
                region=services.membership_region_kept(membership=self.instance, country=cleaned["country"]),
                exclude_pk=self.instance.pk,
            )
        except ValidationError as exc:
            form_add_service_errors(self, exc)
        return cleaned


@admin.register(Membership)
class MembershipAdmin(SimpleHistoryAdmin):
    form = MembershipForm
    list_display = ["user", "country", "region", "office", "term", "start_date", "end_date"]
    list_filter = ["term__body", "region", "office"]
    list_select_related = ["user", "country", "term__body", "term__elected_at", "term__ends_at"]
    search_fields = ["user__email", "user__last_name", "country__name_en"]
    autocomplete_fields = ["user", "country"]
    readonly_fields = ["term", "region", "replaces"]

    def has_add_permission(self, request):
        # Seats are added on the term's page, through `membership_add`.
        return False

    def has_delete_permission(self, request, obj=None):
        # A seat that ended keeps its dates; a wrong one is corrected, not deleted.
        return False

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        services.membership_update(
            membership=obj, user=data["user"], country=data["country"], office=data["office"],
            start_date=data["start_date"], end_date=data.get("end_date"), note=data.get("note", ""),
            by=request.user,
        )  # fmt: skip


class ResponseInline(admin.TabularInline):
    model = ReviewResponse
    extra = 0
    readonly_fields = ["reviewer", "decision", "decided_at"]
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(AgendaReview)
class AgendaReviewAdmin(ShownNotWritten, admin.ModelAdmin):
    """Reviews are sent and revised on the Bureau's pages (the message went out with the e-mails)."""

    list_display = ["version", "region", "sent_at", "sent_by"]
    list_select_related = ["version__meeting", "sent_by"]
    readonly_fields = ["version", "region", "previous", "message", "sent_by"]
    inlines = [ResponseInline]


class ReviewCommentForm(forms.ModelForm):
    class Meta:
        model = ReviewComment
        fields = ["answer"]

    def clean_answer(self):
        try:
            return services.review_answer_check(answer=self.cleaned_data["answer"])
        except ValidationError as exc:
            raise forms.ValidationError(exc.message_dict["answer"]) from exc


@admin.register(ReviewComment)
class ReviewCommentAdmin(SimpleHistoryAdmin):
    form = ReviewCommentForm
    list_display = ["review", "item", "author", "created", "answered_at"]
    list_select_related = ["review__version__meeting", "item__parent", "author"]
    # A member's comment is their words: staff answer it, they do not edit it.
    readonly_fields = ["review", "item", "author", "text", "answered_by", "answered_at"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        services.review_comment_answer(comment=obj, by=request.user, answer=form.cleaned_data["answer"])


class BureauMeetingForm(forms.ModelForm):
    # The report's file is a file of the meeting's MeetingReport, in the language chosen.
    report_file = forms.FileField(label=_("report (file)"), required=False)
    report_language = forms.ChoiceField(
        label=_("language of the file"), choices=Language.choices, initial=Language.ENGLISH, required=False
    )

    class Meta:
        model = BureauMeeting
        fields = ["report"]

    def clean(self):
        cleaned = super().clean()
        report_file = cleaned.get("report_file")
        if report_file:
            try:
                # The check `bureau_meeting_report_save` makes, said on the field before it is called.
                check_upload(report_file, field="report_file")
            except ValidationError as exc:
                form_add_service_errors(self, exc)
        return cleaned


@admin.register(BureauMeeting)
class BureauMeetingAdmin(SimpleHistoryAdmin):
    """The report is saved through `bureau_meeting_report_save` (which checks the file); the term and
    invitations are the services' to set."""

    form = BureauMeetingForm
    list_display = ["meeting", "term", "invitations_sent_at"]
    list_select_related = ["meeting", "term__body", "term__elected_at", "term__ends_at"]
    readonly_fields = ["meeting", "term", "invitations_sent_at"]

    def get_fields(self, request, obj=None):
        # A report's file (public once the report is published) is for who may manage reports.
        fields = super().get_fields(request, obj)
        if request.user.has_perm("bureau.manage_reports"):
            return fields
        return [f for f in fields if f not in ("report_file", "report_language")]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        services.bureau_meeting_report_save(
            meeting=obj.meeting,
            report=form.cleaned_data["report"],
            report_file=(
                form.cleaned_data.get("report_file")
                if request.user.has_perm("bureau.manage_reports")
                else None
            ),
            language=form.cleaned_data.get("report_language") or Language.ENGLISH,
            by=request.user,
        )


class ReportFileInline(admin.TabularInline):
    model = ReportFile
    fields = ["language", "kind", "size", "original_name", "uploaded_at", "uploaded_by"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(MeetingReport)
class MeetingReportAdmin(ShownNotWritten, SimpleHistoryAdmin):
    """Reports are uploaded, published and withdrawn on their page (`bureau:report`), through the
    services; here they are listed with their history, and published or withdrawn in bulk."""

    list_display = ["meeting", "symbol", "status", "published_at", "published_by"]
    list_filter = ["status", "meeting__kind"]
    list_select_related = ["meeting", "published_by"]
    search_fields = ["meeting__code", "meeting__title_en", "symbol"]
    readonly_fields = ["meeting", "symbol", "status", "published_at", "published_by"]
    inlines = [ReportFileInline]
    actions = ["publish", "withdraw"]

    def has_change_permission(self, request, obj=None):
        # The change list and its actions; the change page saves nothing (ShownNotWritten.save_model).
        return request.user.has_perm("bureau.publish_reports")

    def _move(self, request, queryset, service, done):
        if not request.user.has_perm("bureau.publish_reports"):
            raise PermissionDenied
        moved = 0
        for report in queryset.select_related("meeting"):
            try:
                service(report=report, by=request.user)
            except ValidationError as exc:
                for message in exc.messages:
                    self.message_user(request, f"{report.meeting}: {message}", level=messages.ERROR)
            else:
                moved += 1
        if moved:
            self.message_user(request, done % {"n": moved})

    @admin.action(description=_("Publish the selected reports"))
    def publish(self, request, queryset):
        self._move(request, queryset, services.meeting_report_publish, _("%(n)s report(s) published."))

    @admin.action(description=_("Withdraw the selected reports from the public pages"))
    def withdraw(self, request, queryset):
        self._move(request, queryset, services.meeting_report_withdraw, _("%(n)s report(s) withdrawn."))


class ParagraphInline(admin.TabularInline):
    """The operative paragraphs as recorded with the decision: shown, not edited."""

    model = DecisionParagraph
    extra = 0
    can_delete = False
    fields = ["number", "text"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


class MandateForm(forms.ModelForm):
    """The rules of services.mandate_create (a secretariat owner, a due meeting or date, a
    paragraph of the same decision), shown on the fields when a mandate is edited here. The notes
    of a mandate already recorded are its dated log (`mandate_update` appends to them): shown, not
    edited, on that mandate's row; a new row takes its first notes."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None and "notes" in self.fields:
            self.fields["notes"].disabled = True

    def clean(self):
        cleaned = super().clean()
        decision = cleaned.get("decision") or getattr(self.instance, "decision", None)
        try:
            services.mandate_check(
                decision=decision,
                paragraph=cleaned.get("paragraph"),
                owner=cleaned.get("owner"),
                due_meeting=cleaned.get("due_meeting"),
                due_date=cleaned.get("due_date"),
            )
        except ValidationError as exc:
            form_add_service_errors(self, exc)
        return cleaned


def _mandate_save(form, *, decision, by) -> Mandate:
    """Save an admin mandate form through the services: a new one by `mandate_create`, a changed
    one by `mandate_update` (the notes are a dated log there, so the admin does not rewrite them)."""
    data = form.cleaned_data
    fields = {name: data.get(name) for name in ("paragraph", "owner", "due_meeting", "due_date")}
    if form.instance.pk is None:
        return services.mandate_create(
            decision=decision, description=data["description"], notes=data.get("notes", ""), by=by, **fields
        )
    return services.mandate_update(mandate=form.instance, description=data["description"], by=by, **fields)


class MandateInline(admin.StackedInline):
    model = Mandate
    form = MandateForm
    extra = 0
    can_delete = False
    fields = ["paragraph", "description", "owner", "due_meeting", "due_date", "status", "notes"]
    # The notes of a recorded mandate are disabled on its own row (MandateForm), not on new rows.
    readonly_fields = ["status"]


class DecisionForm(forms.ModelForm):
    class Meta:
        model = Decision
        fields = list(services.decisions.DECISION_TEXT_FIELDS)


@admin.register(Decision)
class DecisionAdmin(SimpleHistoryAdmin):
    form = DecisionForm
    list_display = ["__str__", "kind", "meeting", "status", "adopted_on"]
    list_filter = ["kind", "status", "session"]
    list_select_related = ["meeting"]
    search_fields = ["title_en", "text"]
    readonly_fields = ["kind", "meeting", "session", "number", "status", "adopted_on"]
    inlines = [ParagraphInline, MandateInline]

    def has_add_permission(self, request):
        # Decisions are recorded and adopted on the Bureau's decision pages, which parse the symbol.
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        if form.changed_data:
            services.decision_update_text(
                decision=obj, by=request.user, **{name: form.cleaned_data[name] for name in form.changed_data}
            )

    def save_formset(self, request, form, formset, change):
        # What the admin's change message reads from a saved formset.
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        if formset.model is not Mandate:
            return  # the paragraphs are read-only here
        for mandate_form in formset.forms:
            if not mandate_form.has_changed():
                continue
            is_new = mandate_form.instance.pk is None
            saved = _mandate_save(mandate_form, decision=form.instance, by=request.user)
            if is_new:
                formset.new_objects.append(saved)
            else:
                formset.changed_objects.append((saved, mandate_form.changed_data))


@admin.register(Mandate)
class MandateAdmin(SimpleHistoryAdmin):
    form = MandateForm
    list_display = ["__str__", "owner", "due_meeting", "due_date", "status"]
    list_filter = ["status"]
    list_select_related = ["decision__meeting", "owner", "due_meeting"]

    def get_readonly_fields(self, request, obj=None):
        # The status moves on the follow-up page; the notes of a recorded mandate are its dated log.
        return ["status"] if obj is None else ["decision", "status", "notes"]

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        saved = _mandate_save(
            form, decision=form.cleaned_data.get("decision") or obj.decision, by=request.user
        )
        # The admin's log entry and redirect read the object's primary key.
        obj.pk = saved.pk
