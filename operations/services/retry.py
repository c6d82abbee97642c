"""Staff's retry of a failed item from the status page, through the services that own it: a
letter (or the e-mail that carries one) is resent by letters, any other e-mail is queued again by
the outbox."""

from django.utils.translation import gettext as _

from letters.selectors import letter_by_pk
from letters.services.issuing import LetterActionError, letter_resend
from operations import selectors
from outbox.services import MailRetryRefused, mail_retry


class RetryRefused(Exception):
    pass


def failed_mail_retry(*, mail_id: int, by) -> str:
    """A failed e-mail sent again. One that carried a letter (any of its sends, found by its
    trigger key) is the letter's: letters resends it, and refuses a revoked letter or one whose
    PDF was purged, so nothing goes out without its attachment or for a letter no longer valid."""
    letter = selectors.letter_for_mail(mail_id=mail_id)
    if letter is not None:
        return failed_letter_retry(letter_id=letter.pk, by=by)
    try:
        if not mail_retry(mail_id=mail_id):
            raise RetryRefused(_("This e-mail is not failed any more: it was not queued again."))
    except MailRetryRefused as exc:
        raise RetryRefused(str(exc)) from exc
    return _("The e-mail is queued again.")


def failed_letter_retry(*, letter_id: int, by) -> str:
    letter = letter_by_pk(letter_id)
    if letter is None:
        raise RetryRefused(_("No such letter."))
    try:
        letter_resend(letter=letter, by=by)
    except LetterActionError as exc:
        raise RetryRefused(str(exc)) from exc
    return _("Letter %(reference)s is sent again.") % {"reference": letter.reference}
