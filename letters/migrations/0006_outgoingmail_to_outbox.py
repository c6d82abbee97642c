"""The outbox leaves letters: OutgoingMail is dropped from letters' state only. Its table and
rows stay; `outbox.0001_initial` takes them over (and renames the table), and
`letters.0007_letter_delivery_from_mail` then links each letter to its latest mail."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("letters", "0005_letter_template_signatory"),
    ]
    # outbox may not depend on letters (it is the layer below), so the order is declared here.
    run_before = [
        ("outbox", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="OutgoingMail")],
            database_operations=[],
        ),
    ]
