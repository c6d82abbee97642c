from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import OutgoingMail
from .services import mail_is_secret

BODY_FIELDS = ("body_text", "body_html")


@admin.register(OutgoingMail)
class OutgoingMailAdmin(admin.ModelAdmin):
    """A record, read only: mails change only through the outbox's services. The body of a mail
    that carries a working password or confirmation link (outbox.services.mail_is_secret) is not
    shown: whoever may read the outbox must not be able to use it."""

    list_display = ["subject", "to", "status", "attempts", "created", "retry_at", "sent_at"]
    list_filter = ["status", "language", "created"]
    search_fields = ["to", "subject", "trigger_key", "message_id"]
    readonly_fields = [f.name for f in OutgoingMail._meta.fields] + ["body_withheld"]

    def get_fields(self, request, obj=None):
        fields = [f.name for f in OutgoingMail._meta.fields]
        if obj is not None and mail_is_secret(obj.trigger_key):
            at = fields.index("body_text")
            return [*fields[:at], "body_withheld", *(f for f in fields[at:] if f not in BODY_FIELDS)]
        return fields

    @admin.display(description=_("body"))
    def body_withheld(self, obj):
        return _("Not shown: this e-mail carries a link that sets a password or confirms an address.")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        # A mail is the record of a send and its trigger key what keeps the send exactly once:
        # deleting it would free the key, and the same trigger would send again.
        return False
