import datetime as dt

from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from import_export import resources
from import_export.admin import ImportExportModelAdmin
from simple_history.admin import SimpleHistoryAdmin

from .enums import PartyStanding
from .models import ConventionParty, Country, CountryClassification, ReferenceDataset
from .services import convention_party_save, country_save


class CaveatsMixin:
    """Puts the caveats of the reference data above every reference list and change page, so
    staff read them before relying on a classification for a funding decision or on a Party's
    date for credentials."""

    change_list_template = "admin/reference/change_list_with_caveats.html"
    change_form_template = "admin/reference/change_form_with_caveats.html"

    def changelist_view(self, request, extra_context=None):
        extra_context = extra_context or {}
        extra_context["reference_datasets"] = ReferenceDataset.objects.all()
        return super().changelist_view(request, extra_context=extra_context)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        extra_context = extra_context or {}
        extra_context["reference_datasets"] = ReferenceDataset.objects.all()
        return super().changeform_view(request, object_id, form_url, extra_context=extra_context)


def _today() -> dt.date:
    return timezone.localdate()


class PartyDateKnownFilter(admin.SimpleListFilter):
    title = _("date of becoming a Party")
    parameter_name = "party_date"

    def lookups(self, request, model_admin):
        return [("known", _("known")), ("unknown", _("unknown"))]

    def queryset(self, request, queryset):
        if self.value() == "known":
            return queryset.filter(entry_into_force__isnull=False)
        if self.value() == "unknown":
            return queryset.filter(entry_into_force__isnull=True)
        return queryset


class CountryResource(resources.ModelResource):
    class Meta:
        model = Country
        import_id_fields = ["iso3"]
        fields = [
            "iso2", "iso3", "m49", "name_en", "name_fr", "name_es",
            "regional_group", "member_status", "kind", "notes", "source",
        ]  # fmt: skip
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True
        use_transactions = True


class CountryClassificationResource(resources.ModelResource):
    country = resources.Field(
        attribute="country",
        column_name="country",
        widget=resources.widgets.ForeignKeyWidget(Country, field="iso3"),
    )

    class Meta:
        model = CountryClassification
        fields = ["id", "country", "kind", "start", "end", "scheduled_end", "notes", "source"]
        clean_model_instances = True
        use_transactions = True


class ConventionPartyResource(resources.ModelResource):
    country = resources.Field(
        attribute="country",
        column_name="country",
        widget=resources.widgets.ForeignKeyWidget(Country, field="iso3"),
    )

    class Meta:
        model = ConventionParty
        import_id_fields = ["code"]
        fields = [
            "code", "country", "name_en", "deposit_date", "instrument_type",
            "entry_into_force", "notes", "source",
        ]  # fmt: skip
        clean_model_instances = True
        use_transactions = True


class ClassificationInline(admin.TabularInline):
    model = CountryClassification
    extra = 0
    fields = ["kind", "start", "end", "scheduled_end", "notes"]


@admin.register(Country)
class CountryAdmin(CaveatsMixin, ImportExportModelAdmin, SimpleHistoryAdmin):
    resource_classes = [CountryResource]
    list_display = [
        "name_en",
        "iso3",
        "kind",
        "regional_group",
        "member_status",
        "party_today",
        "name_fr",
        "name_es",
    ]
    list_filter = ["kind", "regional_group", "member_status", "classifications__kind"]
    search_fields = ["name_en", "name_fr", "name_es", "iso3", "iso2"]
    readonly_fields = ["party_today"]
    inlines = [ClassificationInline]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("party_records")

    @admin.display(description=_("Party to the Convention today"))
    def party_today(self, obj):
        if obj is None or obj.pk is None:
            return "–"
        standing = obj.party_standing_on(_today())
        return PartyStanding(standing).label

    def save_model(self, request, obj, form, change):
        country_save(country=obj, by=request.user)


@admin.register(CountryClassification)
class CountryClassificationAdmin(CaveatsMixin, ImportExportModelAdmin, SimpleHistoryAdmin):
    resource_classes = [CountryClassificationResource]
    list_display = ["country", "kind", "start", "end", "scheduled_end"]
    list_filter = ["kind", "country__regional_group"]
    search_fields = ["country__name_en", "country__iso3", "notes"]
    list_select_related = ["country"]
    autocomplete_fields = ["country"]


@admin.register(ConventionParty)
class ConventionPartyAdmin(CaveatsMixin, ImportExportModelAdmin, SimpleHistoryAdmin):
    resource_classes = [ConventionPartyResource]
    list_display = ["name_en", "code", "deposit_date", "entry_into_force", "date_known", "instrument_type"]
    search_fields = ["name_en", "code"]
    list_filter = [PartyDateKnownFilter, "country__regional_group"]
    date_hierarchy = "entry_into_force"
    autocomplete_fields = ["country"]
    list_select_related = ["country"]

    @admin.display(description=_("date known"), boolean=True)
    def date_known(self, obj):
        # A Party with no date (Cameroon in the 2026 table) shows a red cross: its date is
        # unknown, not missing by mistake, and is never guessed.
        return not obj.date_unknown

    def save_model(self, request, obj, form, change):
        convention_party_save(party=obj, by=request.user)


@admin.register(ReferenceDataset)
class ReferenceDatasetAdmin(admin.ModelAdmin):
    list_display = ["title", "file_name", "rows", "valid_on", "loaded"]
    readonly_fields = ["key", "file_name", "rows", "loaded"]
    fieldsets = [(None, {"fields": ["title", "key", "file_name", "rows", "valid_on", "loaded"]}),
                 (_("Caveats"), {"fields": ["caveats"]})]  # fmt: skip
