from django.db import models
from django.utils.translation import gettext_lazy as _


class MailStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class LetterKind(models.TextChoices):
    INVITATION = "invitation", _("Invitation")
    CONFIRMATION = "confirmation", _("Confirmation of registration")
    VISA = "visa", _("Visa support")
    FUNDING = "funding", _("Funding offer")


# The kind's part of the reference number: MC/COP.2/2018/INV/0042.
REFERENCE_CODES = {
    LetterKind.INVITATION: "INV",
    LetterKind.CONFIRMATION: "CONF",
    LetterKind.VISA: "VISA",
    LetterKind.FUNDING: "FUND",
}


class LetterStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RENDERED = "rendered", _("Rendered")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class LetterLanguage(models.TextChoices):
    ENGLISH = "en", _("English")
    FRENCH = "fr", _("French")
    SPANISH = "es", _("Spanish")
