from django.db import migrations, models


def correspondence_in_preferred_language(apps, schema_editor):
    """Each existing registration writes in its person's preferred language (English if not en/fr/es)."""
    Registration = apps.get_model("participants", "Registration")
    for language in ("fr", "es"):
        Registration.objects.filter(user__preferred_language=language).update(
            correspondence_language=language
        )


class Migration(migrations.Migration):
    dependencies = [
        ("participants", "0005_participation_mode_attendance"),
    ]

    operations = [
        migrations.AddField(
            model_name="registration",
            name="correspondence_language",
            field=models.CharField(
                choices=[("en", "English"), ("fr", "French"), ("es", "Spanish")],
                default="en",
                help_text="Letters and e-mails about this registration are written in this language.",
                max_length=2,
                verbose_name="language of correspondence",
            ),
        ),
        migrations.AddField(
            model_name="historicalregistration",
            name="correspondence_language",
            field=models.CharField(
                choices=[("en", "English"), ("fr", "French"), ("es", "Spanish")],
                default="en",
                help_text="Letters and e-mails about this registration are written in this language.",
                max_length=2,
                verbose_name="language of correspondence",
            ),
        ),
        migrations.AddField(
            model_name="focalpointinvitation",
            name="language",
            field=models.CharField(
                choices=[("en", "English"), ("fr", "French"), ("es", "Spanish")],
                default="en",
                help_text="The invitation e-mail is written in it.",
                max_length=2,
                verbose_name="language of correspondence",
            ),
        ),
        migrations.RunPython(correspondence_in_preferred_language, migrations.RunPython.noop),
    ]
