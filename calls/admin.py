"""The secretariat's desk lists the calls; creating, sending and deciding happen on the calls'
own pages (through the services), so the admin only reads and links there."""

from django.contrib import admin
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .models import Call


@admin.register(Call)
class CallAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "audience", "meeting", "deadline", "status", "open_page"]
    list_filter = ["kind", "audience", "status"]
    search_fields = ["title", "mandate"]
    list_select_related = ["meeting"]

    @admin.display(description=_("page"))
    def open_page(self, call):
        return format_html('<a href="{}">{}</a>', reverse("calls:staff_detail", args=[call.pk]), _("Open"))

    def add_view(self, request, form_url="", extra_context=None):
        return redirect("calls:staff_create")

    def change_view(self, request, object_id, form_url="", extra_context=None):
        return redirect("calls:staff_detail", pk=object_id)

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
