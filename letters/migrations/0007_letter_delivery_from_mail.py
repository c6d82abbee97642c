"""A letter's delivery is read from its mail: each letter points at its latest mail (taken from
the old `letter_id` column the outbox table kept), each mail names its letter's PDF as its own
attachment, and the letter's copies of its mail's state (status sent/failed, attempts, sent_at)
go. The letter's status keeps its own life: queued, rendered, could not be rendered, revoked."""

import re

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

# Plain SQL that PostgreSQL (production, tests) and SQLite (the demo) both run.
COPY = [
    # The latest mail of each letter becomes its mail.
    """
    UPDATE letters_letter SET mail_id = (
        SELECT MAX(mail.id) FROM outbox_outgoingmail AS mail WHERE mail.letter_id = letters_letter.id
    )
    """,
    # The mail names the letter's PDF (one copy of the file).
    """
    UPDATE outbox_outgoingmail SET
        attachment = (SELECT letter.pdf FROM letters_letter AS letter WHERE letter.id = outbox_outgoingmail.letter_id),
        attachment_name = (
            SELECT replace(letter.reference, '/', '-') || '.pdf' FROM letters_letter AS letter
            WHERE letter.id = outbox_outgoingmail.letter_id
        )
    WHERE letter_id IN (SELECT id FROM letters_letter WHERE pdf <> '')
    """,
    # Sent and failed were the mail's state: a letter with its PDF is rendered (or revoked).
    """
    UPDATE letters_letter SET status = CASE
        WHEN revoked_at IS NOT NULL THEN 'revoked'
        WHEN sha256 <> '' THEN 'rendered'
        ELSE status END
    """,
]


# A letter's mails always had these trigger keys, one per send (letters' services since 0002).
LETTER_MAIL_KEY = re.compile(r"letter:(\d+):send:(\d+)")


def link_by_trigger_key(apps, schema_editor):
    """What COPY's first two statements do, read from the trigger keys: each letter points at
    its latest mail, and each of its mails names the letter's PDF."""
    alias = schema_editor.connection.alias
    letter_model = apps.get_model("letters", "Letter")
    mail_model = apps.get_model("outbox", "OutgoingMail")
    mails_of = {}
    for mail_id, key in mail_model.objects.using(alias).filter(trigger_key__startswith="letter:").values_list(
        "id", "trigger_key"
    ):
        if match := LETTER_MAIL_KEY.fullmatch(key):
            mails_of.setdefault(int(match[1]), []).append(mail_id)
    for letter_id, pdf, reference in (
        letter_model.objects.using(alias).filter(pk__in=mails_of).values_list("id", "pdf", "reference")
    ):
        mail_ids = mails_of[letter_id]
        letter_model.objects.using(alias).filter(pk=letter_id).update(mail_id=max(mail_ids))
        if pdf:
            mail_model.objects.using(alias).filter(pk__in=mail_ids).update(
                attachment=pdf, attachment_name=reference.replace("/", "-") + ".pdf"
            )


def letter_delivery_from_mail(apps, schema_editor):
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        columns = {c.name for c in connection.introspection.get_table_description(cursor, "outbox_outgoingmail")}
    if "letter_id" not in columns:
        # SQLite (the demo's database) rebuilt the table from outbox's state in outbox.0001, which
        # has no `letter_id`: the link is read from the mails' trigger keys instead.
        link_by_trigger_key(apps, schema_editor)
        schema_editor.execute(COPY[-1])
        return
    postgresql = connection.vendor == "postgresql"
    if postgresql:
        # The new foreign key is checked at commit by default; the column drop below cannot run
        # while such checks are pending, so they run at once in this migration.
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    for sql in COPY:
        schema_editor.execute(sql)
    # The outbox's old link to its letter is in no model's state: it is dropped through a
    # stand-in field.
    mail_model = apps.get_model("outbox", "OutgoingMail")
    letter_link = models.IntegerField(null=True, db_column="letter_id")
    letter_link.set_attributes_from_name("letter_id")
    letter_link.model = mail_model
    schema_editor.remove_field(mail_model, letter_link)
    if postgresql:
        schema_editor.execute("SET CONSTRAINTS ALL DEFERRED")


class Migration(migrations.Migration):
    dependencies = [
        ("letters", "0006_outgoingmail_to_outbox"),
        ("outbox", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="letter", name="letter_sent_has_sent_at"),
        migrations.RemoveConstraint(model_name="letter", name="letter_rendered_has_hash"),
        migrations.AddField(
            model_name="letter",
            name="mail",
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to="outbox.outgoingmail", verbose_name="e-mail"),
        ),
        migrations.RunPython(letter_delivery_from_mail, migrations.RunPython.noop, elidable=False),
        migrations.RemoveField(model_name="letter", name="attempts"),
        migrations.RemoveField(model_name="letter", name="sent_at"),
        migrations.AlterField(
            model_name="letter",
            name="status",
            field=models.CharField(choices=[("queued", "Queued"), ("rendered", "Rendered"), ("failed", "Could not be rendered"), ("revoked", "Revoked")], db_index=True, default="queued", max_length=10, verbose_name="status"),
        ),
        migrations.AlterField(
            model_name="letter",
            name="rendered_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="rendered on"),
        ),
        migrations.AlterField(
            model_name="letter",
            name="revoked_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="revoked on"),
        ),
        migrations.AddConstraint(
            model_name="letter",
            constraint=models.CheckConstraint(condition=models.Q(models.Q(("status", "rendered"), _negated=True), models.Q(("sha256", ""), _negated=True), _connector="OR"), name="letter_rendered_has_hash"),
        ),
        migrations.AddConstraint(
            model_name="letter",
            constraint=models.CheckConstraint(condition=models.Q(models.Q(("status", "revoked"), _negated=True), ("revoked_at__isnull", False), _connector="OR"), name="letter_revoked_has_revoked_at"),
        ),
    ]
