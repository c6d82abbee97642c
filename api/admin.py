from django.contrib import admin

from .models import ApiToken, ApiTokenUse


class ReadOnly(admin.ModelAdmin):
    """Tokens are made and revoked by their owners on /api/tokens/ (through the services); the
    admin only shows them and their log, for an audit."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ApiToken)
class ApiTokenAdmin(ReadOnly):
    list_display = ["name", "owner", "prefix", "scope", "created", "last_used", "revoked_at"]
    list_filter = ["scope"]
    list_select_related = ["owner"]
    search_fields = ["name", "owner__email", "prefix"]


@admin.register(ApiTokenUse)
class ApiTokenUseAdmin(ReadOnly):
    list_display = ["at", "token", "method", "path", "status", "client"]
    list_filter = ["status", "method"]
    list_select_related = ["token"]
    search_fields = ["path", "token__name", "token__owner__email"]
