from django.contrib import admin

from .models import OutgoingMail


@admin.register(OutgoingMail)
class OutgoingMailAdmin(admin.ModelAdmin):
    list_display = ["subject", "to", "status", "attempts", "created", "sent_at"]
    list_filter = ["status", "language", "created"]
    search_fields = ["to", "subject", "trigger_key"]
    readonly_fields = [f.name for f in OutgoingMail._meta.fields]
