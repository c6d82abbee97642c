from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from . import services
from .enums import Series
from .models import CallForSubmissions, Document, LanguageVersion, Submission, SubmissionFile, SymbolCounter
from .symbols import SymbolError, parse_symbol
from .uploads import check_upload


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
            "author",
            "distribution",
            "not_formally_edited",
            "advance_unedited",
            "issue_date",
            "original_language",
        ]

    def clean(self):
        data = super().clean()
        if self.instance.pk:
            return data
        symbol = (data.get("symbol_as_issued") or "").strip()
        if symbol:
            try:
                parse_symbol(symbol)
            except SymbolError as exc:
                self.add_error("symbol_as_issued", str(exc))
        elif not data.get("new_series"):
            self.add_error("new_series", _("Choose the series, or give the symbol as issued."))
        elif not data.get("meeting"):
            self.add_error("meeting", _("Choose the meeting whose symbol prefix the document takes."))
        return data


class LanguageVersionInline(admin.TabularInline):
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
    list_display = ["symbol", "title_en", "meeting", "series", "distribution", "issue_date"]
    list_filter = ["series", "distribution", "meeting", "recorded_as_is"]
    search_fields = ["symbol", "title_en", "title_fr", "title_es"]
    autocomplete_fields = []
    filter_horizontal = ["agenda_items"]
    readonly_fields = ["symbol", "amends"]
    inlines = [LanguageVersionInline]

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        if obj is not None:
            return [f for f in fields if f not in ("new_series", "symbol_as_issued")]
        return [f for f in fields if f not in ("symbol", "amends")]

    def get_inlines(self, request, obj):
        return self.inlines if obj is not None else []

    def save_model(self, request, obj, form, change):
        if change:
            obj.save()
            return
        # A new document gets its symbol from the service, which holds the series counter locked.
        fields = {name: form.cleaned_data[name] for name in services.DOCUMENT_FIELDS if name != "title_en"}
        symbol = (form.cleaned_data.get("symbol_as_issued") or "").strip()
        try:
            if symbol:
                created = services.document_record_existing(
                    symbol=symbol, title_en=obj.title_en, meeting=obj.meeting, by=request.user, **fields
                )
            else:
                created = services.document_register(
                    meeting=obj.meeting,
                    series=form.cleaned_data["new_series"],
                    title_en=obj.title_en,
                    by=request.user,
                    **fields,
                )
        except ValidationError as exc:
            raise ValidationError(exc.messages) from None
        obj.pk, obj.symbol = created.pk, created.symbol
        obj._state.adding = False


@admin.register(SymbolCounter)
class SymbolCounterAdmin(admin.ModelAdmin):
    list_display = ["prefix", "series", "last_number"]
    readonly_fields = ["prefix", "series", "last_number"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        # Deleting a counter would let numbers be issued twice.
        return False


class SubmissionFileForm(forms.ModelForm):
    class Meta:
        model = SubmissionFile
        fields = ["file"]

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        if uploaded and hasattr(uploaded, "content_type"):
            try:
                self.instance.kind = check_upload(uploaded)
            except ValidationError as exc:
                raise ValidationError(exc.message_dict["file"]) from None
            self.instance.size = uploaded.size
            self.instance.original_name = uploaded.name[:255]
        return uploaded


class SubmissionFileInline(admin.TabularInline):
    model = SubmissionFile
    form = SubmissionFileForm
    extra = 1


@admin.register(Submission)
class SubmissionAdmin(admin.ModelAdmin):
    list_display = ["call", "submitter", "received_on"]
    list_filter = ["call"]
    list_select_related = ["call", "country"]
    inlines = [SubmissionFileInline]


class SubmissionInline(admin.TabularInline):
    model = Submission
    extra = 0
    fields = ["country", "organization", "received_on", "note"]


@admin.register(CallForSubmissions)
class CallForSubmissionsAdmin(admin.ModelAdmin):
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
