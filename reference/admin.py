from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from import_export import resources
from import_export.admin import ImportExportModelAdmin
from simple_history.admin import SimpleHistoryAdmin

from .models import ConventionParty, Country, CountryClassification, ReferenceDataset


class CaveatsMixin:
    """Puts the caveats of the reference data above every reference list, so staff read
    them before relying on a classification for a funding decision."""

    change_list_template = "admin/reference/change_list_with_caveats.html"

    def changelist_view(self, request, extra_context=None):
        extra_context = extra_context or {}
        extra_context["reference_datasets"] = ReferenceDataset.objects.all()
        return super().changelist_view(request, extra_context=extra_context)


class CountryResource(resources.ModelResource):
    class Meta:
        model = Country
        import_id_fields = ["iso3"]
        fields = [
            "iso2", "iso3", "m49", "name_en", "name_fr", "name_es",
            "regional_group", "member_status", "notes", "source",
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
    list_display = ["name_en", "iso3", "regional_group", "member_status", "name_fr", "name_es"]
    list_filter = ["regional_group", "member_status", "classifications__kind"]
    search_fields = ["name_en", "name_fr", "name_es", "iso3", "iso2"]
    inlines = [ClassificationInline]


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
    list_display = ["name_en", "code", "deposit_date", "entry_into_force", "instrument_type"]
    search_fields = ["name_en", "code"]
    list_filter = ["country__regional_group"]
    date_hierarchy = "entry_into_force"
    autocomplete_fields = ["country"]


@admin.register(ReferenceDataset)
class ReferenceDatasetAdmin(admin.ModelAdmin):
    list_display = ["title", "file_name", "rows", "valid_on", "loaded"]
    readonly_fields = ["key", "file_name", "rows", "loaded"]
    fieldsets = [(None, {"fields": ["title", "key", "file_name", "rows", "valid_on", "loaded"]}),
                 (_("Caveats"), {"fields": ["caveats"]})]  # fmt: skip
