"""Personal data leaving letters: a letter's stored PDF is deleted, with every reference to it
in the outbox, when the data it printed must go (a visa letter's passport number,
PASSPORT_PURGE_DAYS after its meeting: `participants.services.visas.passport_data_purge`).

The letter itself stays, marked `pdf_purged_at`: its reference, recipient and dates are the
secretariat's record, the verification page still answers that the secretariat issued it
(revoked or not), and its SHA-256 still checks a copy the recipient or an embassy holds. The PDF
is deleted rather than re-rendered without the number: a second, different PDF under the same
reference would no longer match the hash of the letter actually sent.
"""

import logging

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext

from letters.models import Letter
from letters.storage import letter_storage
from outbox.services import REDACTED, mails_redact

logger = logging.getLogger(__name__)


def _redacted(value, redact):
    """`value` (a letter's details: text, lists, dicts) with each string of `redact` replaced."""
    if isinstance(value, str):
        for text in redact:
            value = value.replace(text, REDACTED)
        return value
    if isinstance(value, dict):
        return {key: _redacted(item, redact) for key, item in value.items()}
    if isinstance(value, list):
        return [_redacted(item, redact) for item in value]
    return value


def letters_pdf_purge(*, letter_ids, redact=(), forget=()) -> int:
    """Delete the stored PDF of each letter among `letter_ids` and the attachment references of
    its e-mails (a mail not sent yet is withdrawn, never sent without it), and replace each
    string of `redact` wherever the letter or its e-mails still carry it, and drop the `forget`
    keys of its details (facts printed that go with the same data). Idempotent: run again
    (the next day's purge) it finishes what a crash left half done. Returns how many letters
    lost a PDF."""
    redact = [text for text in redact if text]
    purged = 0
    reason = gettext("withdrawn: the letter's PDF was deleted with the personal data it printed")
    for letter in Letter.objects.filter(pk__in=list(letter_ids)).order_by("pk"):
        name = letter.pdf.name
        # The file first: if what follows fails, the letter still names it and the next run
        # deletes nothing and clears the references (deleting a missing file is a no-op).
        if name:
            letter_storage.delete(name)
        mails = Q(trigger_key__startswith=f"letter:{letter.pk}:send:")
        if name:
            mails |= Q(attachment=name)
        with transaction.atomic():
            mails_redact(where=mails, redact=redact, drop_attachment=True, reason=reason)
            changes = {}
            if name:
                changes.update(pdf="", pdf_purged_at=letter.pdf_purged_at or timezone.now())
            details = _redacted(letter.details, redact)
            if isinstance(details, dict):
                details = {key: value for key, value in details.items() if key not in forget}
            last_error = _redacted(letter.last_error, redact)
            if details != letter.details or last_error != letter.last_error:
                changes.update(details=details, last_error=last_error)
            if changes:
                Letter.objects.filter(pk=letter.pk).update(**changes)
        if name:
            purged += 1
    if purged:
        logger.info("Deleted the PDFs of %d letters with their personal data.", purged)
    return purged
