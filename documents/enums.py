from django.db import models
from django.utils.translation import gettext_lazy as _


class Language(models.TextChoices):
    """The six official UN languages, in the UN's order (alphabetical in English)."""

    ARABIC = "ar", _("Arabic")
    CHINESE = "zh", _("Chinese")
    ENGLISH = "en", _("English")
    FRENCH = "fr", _("French")
    RUSSIAN = "ru", _("Russian")
    SPANISH = "es", _("Spanish")


# How each language names itself, for download links read by speakers of that language.
LANGUAGE_AUTONYMS = {
    "ar": "العربية",
    "zh": "中文",
    "en": "English",
    "fr": "Français",
    "ru": "Русский",
    "es": "Español",
}
RIGHT_TO_LEFT = {"ar"}


class Series(models.TextChoices):
    WORKING = "working", _("Working document")
    INFORMATION = "INF", _("Information document")
    CONFERENCE_ROOM_PAPER = "CRP", _("Conference room paper")
    LIMITED = "L", _("Limited (in-session draft)")


class SupplementKind(models.TextChoices):
    ADDENDUM = "Add", _("Addendum")
    REVISION = "Rev", _("Revision")
    CORRIGENDUM = "Corr", _("Corrigendum")


class Distribution(models.TextChoices):
    GENERAL = "general", _("General")
    LIMITED = "limited", _("Limited")
    BUREAU = "bureau", _("Restricted to the Bureau")


class ProcessingStatus(models.TextChoices):
    AWAITING_ORIGINAL = "awaiting_original", _("Awaiting original")
    SUBMITTED = "submitted", _("Submitted to conference services")
    IN_PROCESSING = "in_processing", _("In editing/translation")
    READY = "ready", _("Ready")
    PUBLISHED = "published", _("Published")
    NOT_REQUIRED = "not_required", _("Not required")


class Timeliness(models.TextChoices):
    ON_TRACK = "on_track", _("On track")
    AT_RISK = "at_risk", _("At risk")
    LATE = "late", _("Late")
    DONE = "done", _("Done")


class FileKind(models.TextChoices):
    PDF = "pdf", "PDF"
    DOCX = "docx", _("Word (docx)")
    DOC = "doc", _("Word 97–2003 (doc)")
