from django.contrib import admin

from .models import OutgoingMail


@admin.register(OutgoingMail)
class OutgoingMailAdmin(admin.ModelAdmin):
    """A record, read only: mails change only through the outbox's services."""

    list_display = ["subject", "to", "status", "attempts", "created", "retry_at", "sent_at"]
    list_filter = ["status", "language", "created"]
    search_fields = ["to", "subject", "trigger_key", "message_id"]
    readonly_fields = [f.name for f in OutgoingMail._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        # A mail is the record of a send and its trigger key what keeps the send exactly once:
        # deleting it would free the key, and the same trigger would send again.
        return False
