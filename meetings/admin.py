from django.contrib import admin
from import_export.admin import ImportExportModelAdmin
from simple_history.admin import SimpleHistoryAdmin

from .models import AgendaItem, AgendaVersion, Meeting


@admin.register(Meeting)
class MeetingAdmin(ImportExportModelAdmin, SimpleHistoryAdmin):
    list_display = ["title_en", "code", "kind", "mode", "status", "start_date", "end_date", "city"]
    list_filter = ["kind", "mode", "status", "start_date"]
    search_fields = ["title_en", "title_fr", "title_es", "code", "city", "venue", "symbol_prefix"]
    date_hierarchy = "start_date"
    list_select_related = ["country", "parent"]
    autocomplete_fields = ["country", "parent"]
    filter_horizontal = ["back_to_back_with"]


class AgendaItemInline(admin.TabularInline):
    model = AgendaItem
    extra = 0
    fields = ["parent", "position", "title_en", "title_fr", "title_es", "annotation"]


@admin.register(AgendaVersion)
class AgendaVersionAdmin(SimpleHistoryAdmin):
    list_display = ["meeting", "number", "status", "created"]
    list_filter = ["status", "meeting__kind"]
    search_fields = ["meeting__title_en", "meeting__code"]
    list_select_related = ["meeting"]
    inlines = [AgendaItemInline]
