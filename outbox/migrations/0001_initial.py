"""OutgoingMail, moved from letters with its rows: the model is created in outbox's state over
the existing table `letters_outgoingmail` (letters.0006 dropped it from letters' state and runs
before this), then the table is renamed and the outbox's new fields are added. The old
`letter_id` column stays in the table, outside any state, until letters.0007 has read it.

The table itself is created by `letters.0001_outbox` (the outbox began inside letters), so on a
fresh database this migration runs after letters' first ones: `letters.0006` declares
`run_before` this one, since the outbox, the layer below, may not depend on letters. The order
is only a migration's: the outbox's code imports no app.

A mail deferred before the move was `queued` with a future `next_attempt_at` (now `queued_at`);
it becomes `awaiting_retry` with that time as its `retry_at`."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from django.db.models import F
from django.utils import timezone

import outbox.models
import outbox.storage


def deferred_mails_await_retry(apps, schema_editor):
    """Before the awaiting-retry state, a deferred mail stayed queued with its next attempt in
    the future: it now awaits its retry at that time."""
    mail = apps.get_model("outbox", "OutgoingMail")
    mail.objects.using(schema_editor.connection.alias).filter(
        status="queued", queued_at__gt=timezone.now()
    ).update(status="awaiting_retry", retry_at=F("queued_at"))


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="OutgoingMail",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("to", models.EmailField(max_length=254, verbose_name="to")),
                        ("reply_to", models.EmailField(blank=True, max_length=254, verbose_name="reply to")),
                        ("subject", models.CharField(max_length=300, verbose_name="subject")),
                        ("body_text", models.TextField(verbose_name="plain-text body")),
                        ("body_html", models.TextField(blank=True, verbose_name="HTML body")),
                        ("language", models.CharField(default="en", max_length=5, verbose_name="language")),
                        ("trigger_key", models.CharField(blank=True, help_text="What caused this mail; the same trigger never sends a second mail.", max_length=200, null=True, unique=True, verbose_name="trigger")),
                        ("message_id", models.CharField(db_index=True, default=outbox.models.new_message_id, max_length=100, verbose_name="Message-ID")),
                        ("status", models.CharField(choices=[("queued", "Queued"), ("sending", "Sending"), ("sent", "Sent"), ("failed", "Failed")], db_index=True, default="queued", max_length=10, verbose_name="status")),
                        ("attempts", models.PositiveIntegerField(default=0, verbose_name="attempts")),
                        ("last_error", models.TextField(blank=True, verbose_name="last error")),
                        ("created", models.DateTimeField(auto_now_add=True, verbose_name="created")),
                        ("claim_token", models.UUIDField(blank=True, editable=False, null=True, verbose_name="claim")),
                        ("claimed_at", models.DateTimeField(blank=True, null=True, verbose_name="claimed at")),
                        ("next_attempt_at", models.DateTimeField(blank=True, null=True, verbose_name="next attempt")),
                        ("sent_at", models.DateTimeField(blank=True, null=True, verbose_name="sent at")),
                        ("created_by", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        "verbose_name": "outgoing e-mail",
                        "verbose_name_plural": "outgoing e-mails",
                        "ordering": ["-created"],
                        "db_table": "letters_outgoingmail",
                    },
                ),
            ],
            database_operations=[],
        ),
        # Renames letters_outgoingmail to outbox_outgoingmail.
        migrations.AlterModelTable(name="outgoingmail", table=None),
        # Queued rows: when they were last handed to a task (the sweeper's clock), as before.
        migrations.RenameField(model_name="outgoingmail", old_name="next_attempt_at", new_name="queued_at"),
        migrations.AlterField(
            model_name="outgoingmail",
            name="queued_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="last queued"),
        ),
        migrations.AddField(
            model_name="outgoingmail",
            name="retry_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="retry at"),
        ),
        migrations.AddField(
            model_name="outgoingmail",
            name="attachment",
            field=models.FileField(blank=True, max_length=200, storage=outbox.storage.attachment_storage_callable, upload_to="", verbose_name="attachment"),
        ),
        migrations.AddField(
            model_name="outgoingmail",
            name="attachment_name",
            field=models.CharField(blank=True, max_length=200, verbose_name="attachment's file name"),
        ),
        migrations.AlterField(
            model_name="outgoingmail",
            name="status",
            field=models.CharField(choices=[("queued", "Queued"), ("sending", "Sending"), ("awaiting_retry", "Awaiting retry"), ("sent", "Sent"), ("failed", "Failed")], db_index=True, default="queued", max_length=20, verbose_name="status"),
        ),
        migrations.RunPython(deferred_mails_await_retry, migrations.RunPython.noop, elidable=False),
        migrations.AddConstraint(
            model_name="outgoingmail",
            constraint=models.CheckConstraint(condition=models.Q(("status", "awaiting_retry"), _negated=True) | models.Q(("retry_at__isnull", False)), name="outbox_awaiting_retry_has_retry_at"),
        ),
        migrations.AddConstraint(
            model_name="outgoingmail",
            constraint=models.CheckConstraint(condition=models.Q(("status", "sent"), _negated=True) | models.Q(("sent_at__isnull", False)), name="outbox_sent_has_sent_at"),
        ),
    ]
