from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("letters", "0007_letter_delivery_from_mail"),
    ]

    operations = [
        migrations.AddField(
            model_name="letter",
            name="pdf_purged_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="PDF deleted on"),
        ),
    ]
