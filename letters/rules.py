"""Who may download a letter: the secretariat, and the person it is addressed to."""

import rules

from accounts.rules import is_secretariat


@rules.predicate
def is_letter_recipient(user, letter):
    return bool(user and user.is_authenticated and letter is not None and letter.recipient_user_id == user.pk)


rules.add_perm("letters.download_letter", is_secretariat | is_letter_recipient)
