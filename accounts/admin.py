from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _
from import_export import resources
from import_export.admin import ImportExportModelAdmin
from simple_history.admin import SimpleHistoryAdmin

from reference.models import Country

from .models import FocalPoint, User
from .services import focal_point_save


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "is_staff", "is_active", "last_login"]
    list_filter = ["is_staff", "is_active", "groups"]
    search_fields = ["email", "first_name", "last_name"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Person"), {"fields": ["title", "first_name", "last_name", "preferred_language"]}),
        (_("Roles"), {"fields": ["is_active", "is_staff", "is_superuser", "groups"]}),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]})]
    filter_horizontal = ["groups"]


class FocalPointResource(resources.ModelResource):
    """Focal points from a sheet, each row saved by `focal_point_save` (which gives the role)."""

    user = resources.Field(
        attribute="user", column_name="email", widget=resources.widgets.ForeignKeyWidget(User, "email")
    )
    country = resources.Field(
        attribute="country",
        column_name="country",
        # A model, not "reference.Country": the widget does not resolve a name (every row failed).
        widget=resources.widgets.ForeignKeyWidget(Country, "iso3"),
    )

    class Meta:
        model = FocalPoint
        fields = ["id", "user", "country", "kind", "active"]
        clean_model_instances = True
        use_transactions = True

    def __init__(self, *, by=None, **kwargs):
        super().__init__(**kwargs)
        self.by = by

    def do_instance_save(self, instance, is_create):
        focal_point_save(focal_point=instance, by=self.by, force_insert=is_create)


@admin.register(FocalPoint)
class FocalPointAdmin(ImportExportModelAdmin, SimpleHistoryAdmin):
    resource_classes = [FocalPointResource]
    list_display = ["user", "country", "kind", "active"]
    list_filter = ["kind", "active", "country__regional_group"]
    search_fields = ["user__email", "user__last_name", "country__name_en", "country__iso3"]
    list_select_related = ["user", "country"]
    autocomplete_fields = ["user", "country"]

    def get_import_resource_kwargs(self, request, **kwargs):
        return {**super().get_import_resource_kwargs(request, **kwargs), "by": request.user}

    def save_model(self, request, obj, form, change):
        focal_point_save(focal_point=obj, by=request.user)
