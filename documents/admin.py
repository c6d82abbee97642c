"""The secretariat's admin for documents. Every save, inline and deletion goes through the services;
the forms explain the same `*_check()` functions the services apply, so a mistake is shown on its
field rather than raised from a save. What no service changes (a document's symbol and meeting, a
language version's status) is shown read-only."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from minamata_portal.forms import form_add_service_errors
from minamata_portal.uploads import check_upload

from . import services
from .enums import Series
from .models import (
    CallForSubmissions,
    Document,
    LanguageVersion,
    MilestoneRule,
    Submission,
    SubmissionFile,
    SymbolCounter,
)


def _record_inline(formset, *, new=(), changed=(), deleted=()) -> None:
    """What the services did for an inline, for the admin's change message (which reads the
    lists `formset.save()` would have left)."""
    formset.new_objects, formset.changed_objects, formset.deleted_objects = (
        list(new),
        list(changed),
        list(deleted),
    )


class DocumentAdminForm(forms.ModelForm):
    new_series = forms.ChoiceField(
        label=_("series"),
        choices=[("", "---------"), *Series.choices],
        required=False,
        help_text=_("For a new document of the meeting: the portal issues the next number of this series."),
    )
    symbol_as_issued = forms.CharField(
        label=_("symbol as issued"),
        required=False,
        help_text=_("Only for legacy or other conventions' documents, e.g. UNEP(DTIE)/Hg/INC.6/INF/7."),
    )

    class Meta:
        model = Document
        fields = [
            "meeting",
            *services.TITLE_FIELDS,
            "agenda_items",
            *(f for f in services.DOCUMENT_FIELDS if f not in services.TITLE_FIELDS),
        ]

    def clean(self):
        data = super().clean()
        meeting = self.instance.meeting if self.instance.pk else data.get("meeting")
        try:
            if "agenda_items" in data:
                services.document_agenda_items_check(meeting=meeting, agenda_items=data["agenda_items"])
            if "officer" in data:
                services.document_officer_check(officer=data["officer"])
            if not self.instance.pk:
                symbol = (data.get("symbol_as_issued") or "").strip()
                if symbol:
                    services.document_symbol_check(symbol=symbol)
                elif not data.get("new_series"):
                    raise ValidationError(
                        {"new_series": _("Choose the series, or give the symbol as issued.")}
                    )
                else:
                    services.document_register_check(meeting=meeting, series=data["new_series"])
        except ValidationError as error:
            # The symbol check names "symbol"; on this form it is typed into "symbol_as_issued".
            if hasattr(error, "error_dict") and "symbol" in error.error_dict:
                error.error_dict["symbol_as_issued"] = error.error_dict.pop("symbol")
            form_add_service_errors(self, error)
        return data


class LanguageVersionInline(admin.TabularInline):
    """The six languages of a document; statuses move on the version's own page (`manage`)."""

    model = LanguageVersion
    extra = 0
    can_delete = False
    fields = ["language", "status", "target_date", "published_at", "manage"]
    readonly_fields = ["language", "status", "published_at", "manage"]

    def has_add_permission(self, request, obj=None):
        return False

    @admin.display(description=_("processing"))
    def manage(self, obj):
        return format_html(
            '<a href="{}">{}</a>', reverse("documents:version", args=[obj.pk]), _("files and status")
        )


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    form = DocumentAdminForm
    list_display = ["symbol", "title_en", "meeting", "series", "distribution", "issue_date", "officer"]
    list_filter = ["series", "distribution", "meeting", "recorded_as_is", "officer"]
    list_select_related = ["meeting", "officer"]
    search_fields = ["symbol", "title_en", "title_fr", "title_es"]
    filter_horizontal = ["agenda_items"]
    inlines = [LanguageVersionInline]

    def get_readonly_fields(self, request, obj=None):
        # The symbol is issued once, under the meeting's prefix: neither changes afterwards.
        return ["symbol", "meeting", "amends"] if obj is not None else []

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        if obj is not None:
            return [f for f in fields if f not in ("new_series", "symbol_as_issued")]
        return fields

    def get_inlines(self, request, obj):
        return self.inlines if obj is not None else []

    def save_model(self, request, obj, form, change):
        fields = {
            name: form.cleaned_data[name] for name in services.DOCUMENT_FIELDS if name in form.cleaned_data
        }
        agenda_items = list(form.cleaned_data.get("agenda_items", []))
        if change:
            services.document_update(document=obj, agenda_items=agenda_items, by=request.user, **fields)
            return
        # A new document gets its symbol from the service, which holds the series counter locked.
        title_en = fields.pop("title_en")
        symbol = (form.cleaned_data.get("symbol_as_issued") or "").strip()
        if symbol:
            created = services.document_record_existing(
                symbol=symbol,
                title_en=title_en,
                meeting=form.cleaned_data.get("meeting"),
                agenda_items=agenda_items,
                by=request.user,
                **fields,
            )
        else:
            created = services.document_register(
                meeting=form.cleaned_data["meeting"],
                series=form.cleaned_data["new_series"],
                title_en=title_en,
                agenda_items=agenda_items,
                by=request.user,
                **fields,
            )
        obj.pk, obj.symbol = created.pk, created.symbol
        obj._state.adding = False

    def save_related(self, request, form, formsets, change):
        # The agenda items went through the service in save_model; only the inlines remain.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def save_formset(self, request, form, formset, change):
        changed = []
        for version_form in formset.forms:
            if "target_date" in version_form.changed_data:
                services.language_version_set_target(
                    version=version_form.instance,
                    target_date=version_form.cleaned_data["target_date"],
                    by=request.user,
                )
                changed.append((version_form.instance, ["target_date"]))
        _record_inline(formset, changed=changed)

    def delete_model(self, request, obj):
        services.document_delete(document=obj, by=request.user)

    def delete_queryset(self, request, queryset):
        for document in queryset:
            services.document_delete(document=document, by=request.user)


@admin.register(SymbolCounter)
class SymbolCounterAdmin(admin.ModelAdmin):
    list_display = ["prefix", "series", "last_number"]
    readonly_fields = ["prefix", "series", "last_number"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        # Numbers move on only as the services issue or record them.
        return False

    def has_delete_permission(self, request, obj=None):
        # Deleting a counter would let numbers be issued twice.
        return False


class SubmissionFileForm(forms.ModelForm):
    """A new file, checked by content like every upload; a stored file is not replaced in place."""

    class Meta:
        model = SubmissionFile
        fields = ["file"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["file"].disabled = True

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        if uploaded and not self.instance.pk:
            try:
                check_upload(uploaded)
            except ValidationError as exc:
                raise ValidationError(exc.message_dict["file"]) from None
        return uploaded


class SubmissionFileInline(admin.TabularInline):
    model = SubmissionFile
    form = SubmissionFileForm
    extra = 1
    fields = ["file", "original_name", "kind", "size"]
    readonly_fields = ["original_name", "kind", "size"]


class SubmissionAdminForm(forms.ModelForm):
    class Meta:
        model = Submission
        fields = ["call", "country", "organization", "received_on", "note"]

    def clean(self):
        data = super().clean()
        call = self.instance.call if self.instance.pk else data.get("call")
        if call is not None and data.get("received_on"):
            try:
                services.submission_check(
                    call=call,
                    received_on=data["received_on"],
                    country=data.get("country"),
                    organization=data.get("organization") or "",
                )
            except ValidationError as error:
                form_add_service_errors(self, error)
        return data


def _save_submission_files(request, submission, formset) -> None:
    new, deleted = [], []
    for file_form in formset.forms:
        data = file_form.cleaned_data
        if data.get("DELETE"):
            if file_form.instance.pk:
                services.submission_file_delete(file=file_form.instance, by=request.user)
                deleted.append(file_form.instance)
        elif not file_form.instance.pk and data.get("file"):
            new.append(
                services.submission_file_add(submission=submission, uploaded=data["file"], by=request.user)
            )
    _record_inline(formset, new=new, deleted=deleted)


@admin.register(Submission)
class SubmissionAdmin(admin.ModelAdmin):
    form = SubmissionAdminForm
    list_display = ["call", "submitter", "received_on"]
    list_filter = ["call"]
    list_select_related = ["call", "country"]
    inlines = [SubmissionFileInline]

    def get_readonly_fields(self, request, obj=None):
        # A submission stays under the call it answered.
        return ["call"] if obj is not None else []

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        if change:
            services.submission_update(
                submission=obj,
                received_on=data["received_on"],
                country=data.get("country"),
                organization=data.get("organization") or "",
                note=data.get("note") or "",
                by=request.user,
            )
            return
        created = services.submission_record(
            call=data["call"],
            received_on=data["received_on"],
            country=data.get("country"),
            organization=data.get("organization") or "",
            note=data.get("note") or "",
            by=request.user,
        )
        obj.pk = created.pk
        obj._state.adding = False

    def save_related(self, request, form, formsets, change):
        for formset in formsets:
            _save_submission_files(request, form.instance, formset)

    def delete_model(self, request, obj):
        services.submission_delete(submission=obj, by=request.user)

    def delete_queryset(self, request, queryset):
        for submission in queryset:
            services.submission_delete(submission=submission, by=request.user)


class SubmissionInlineFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        call = self.instance
        if call.letter_date is None:
            return  # the call's own form says what is missing
        for form in self.forms:
            data = getattr(form, "cleaned_data", None)
            if not data or self._should_delete_form(form) or not data.get("received_on"):
                continue
            try:
                services.submission_check(
                    call=call,
                    received_on=data["received_on"],
                    country=data.get("country"),
                    organization=data.get("organization") or "",
                )
            except ValidationError as error:
                form_add_service_errors(form, error)


class SubmissionInline(admin.TabularInline):
    model = Submission
    formset = SubmissionInlineFormSet
    extra = 0
    fields = ["country", "organization", "received_on", "note"]


class CallForSubmissionsAdminForm(forms.ModelForm):
    class Meta:
        model = CallForSubmissions
        fields = services.CALL_FIELDS

    def clean(self):
        data = super().clean()
        if data.get("letter_date") and data.get("deadline"):
            try:
                services.call_for_submissions_check(
                    letter_date=data["letter_date"], deadline=data["deadline"]
                )
            except ValidationError as error:
                form_add_service_errors(self, error)
        return data


@admin.register(CallForSubmissions)
class CallForSubmissionsAdmin(admin.ModelAdmin):
    form = CallForSubmissionsAdminForm
    list_display = ["title", "letter_date", "deadline", "reminder_date", "compilation_link"]
    inlines = [SubmissionInline]
    raw_id_fields = ["compilation"]

    @admin.display(description=_("compilation"))
    def compilation_link(self, obj):
        return format_html(
            '<a href="{}">{}</a>',
            reverse("documents:call_compilation", args=[obj.pk]),
            _("list of submissions"),
        )

    def save_model(self, request, obj, form, change):
        fields = {name: form.cleaned_data.get(name) for name in services.CALL_FIELDS}
        saved = services.call_for_submissions_save(call=obj if change else None, by=request.user, **fields)
        obj.pk = saved.pk
        obj._state.adding = False

    def save_related(self, request, form, formsets, change):
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def save_formset(self, request, form, formset, change):
        new, changed, deleted = [], [], []
        for submission_form in formset.forms:
            submission = submission_form.instance
            data = submission_form.cleaned_data
            if not data or not (submission.pk or submission_form.has_changed()):
                continue
            if data.get("DELETE"):
                if submission.pk:
                    services.submission_delete(submission=submission, by=request.user)
                    deleted.append(submission)
            elif submission.pk and submission_form.has_changed():
                changed.append((submission, submission_form.changed_data))
                services.submission_update(
                    submission=submission,
                    received_on=data["received_on"],
                    country=data.get("country"),
                    organization=data.get("organization") or "",
                    note=data.get("note") or "",
                    by=request.user,
                )
            elif not submission.pk:
                new.append(
                    services.submission_record(
                        call=form.instance,
                        received_on=data["received_on"],
                        country=data.get("country"),
                        organization=data.get("organization") or "",
                        note=data.get("note") or "",
                        by=request.user,
                    )
                )
        _record_inline(formset, new=new, changed=changed, deleted=deleted)

    def delete_model(self, request, obj):
        services.call_for_submissions_delete(call=obj, by=request.user)

    def delete_queryset(self, request, queryset):
        for call in queryset:
            services.call_for_submissions_delete(call=call, by=request.user)


class MilestoneRuleAdminForm(forms.ModelForm):
    class Meta:
        model = MilestoneRule
        fields = services.MILESTONE_RULE_FIELDS

    def clean(self):
        data = super().clean()
        try:
            services.milestone_rule_check(
                series=data.get("series") or "",
                meeting_kind=data.get("meeting_kind") or "",
                forecast_weeks=data.get("forecast_weeks"),
                submission_weeks=data.get("submission_weeks"),
                issuance_weeks=data.get("issuance_weeks"),
            )
            services.milestone_rule_unique_check(
                series=data.get("series") or "",
                meeting_kind=data.get("meeting_kind") or "",
                rule=self.instance,
            )
        except ValidationError as error:
            form_add_service_errors(self, error)
        return data


@admin.register(MilestoneRule)
class MilestoneRuleAdmin(SimpleHistoryAdmin):
    """Weeks before the opening of each milestone, per series and kind of meeting; an empty series
    or kind is the fallback. The milestones dashboard reads them at once: no document is changed."""

    form = MilestoneRuleAdminForm
    list_display = [
        "__str__",
        "series",
        "meeting_kind",
        "forecast_weeks",
        "submission_weeks",
        "issuance_weeks",
    ]
    list_filter = ["series", "meeting_kind"]

    def save_model(self, request, obj, form, change):
        fields = {name: form.cleaned_data.get(name) for name in services.MILESTONE_RULE_FIELDS}
        saved = services.milestone_rule_save(rule=obj if change else None, by=request.user, **fields)
        obj.pk = saved.pk
        obj._state.adding = False

    def delete_model(self, request, obj):
        services.milestone_rule_delete(rule=obj, by=request.user)

    def delete_queryset(self, request, queryset):
        for rule in queryset:
            services.milestone_rule_delete(rule=rule, by=request.user)
