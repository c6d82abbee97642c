from django.db import models
from django.utils.translation import gettext_lazy as _

from minamata_portal.transitions import TransitionTable, move


class LetterKind(models.TextChoices):
    INVITATION = "invitation", _("Invitation")
    CONFIRMATION = "confirmation", _("Confirmation of registration")
    VISA = "visa", _("Visa support")
    FUNDING = "funding", _("Funding offer")
    CALL = "call", _("Call for submissions")


# The kind's part of the reference number: MC/COP.2/2018/INV/0042.
REFERENCE_CODES = {
    LetterKind.INVITATION: "INV",
    LetterKind.CONFIRMATION: "CONF",
    LetterKind.VISA: "VISA",
    LetterKind.FUNDING: "FUND",
    LetterKind.CALL: "CALL",
}


class LetterStatus(models.TextChoices):
    """The letter's own life. Whether its e-mail went out is its mail's status (outbox), read
    through `Letter.mail`, never copied here."""

    QUEUED = "queued", _("Queued")
    RENDERED = "rendered", _("Rendered")
    FAILED = "failed", _("Could not be rendered")
    REVOKED = "revoked", _("Revoked")


S = LetterStatus

LETTER_TRANSITIONS = TransitionTable(
    LetterStatus,
    [
        move("render", {S.QUEUED}, S.RENDERED, label=_("Render")),
        move("fail_rendering", {S.QUEUED}, S.FAILED, label=_("Fail rendering")),
        # Staff's resend: a letter that did not render is rendered again…
        move("render_again", {S.FAILED}, S.QUEUED, label=_("Render again"), rule="letters.send_letter"),
        # …and a rendered one gets a new e-mail (the status stays).
        move("resend", {S.RENDERED}, S.RENDERED, label=_("Send again"), rule="letters.send_letter"),
        move(
            "revoke",
            {S.QUEUED, S.RENDERED, S.FAILED},
            S.REVOKED,
            label=_("Revoke"),
            rule="letters.send_letter",
        ),
    ],
)


class LetterLanguage(models.TextChoices):
    ENGLISH = "en", _("English")
    FRENCH = "fr", _("French")
    SPANISH = "es", _("Spanish")
