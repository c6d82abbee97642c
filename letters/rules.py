"""Who may download a letter: the secretariat staff who run letters, and the person it is addressed to."""

import rules

from accounts.rules import is_secretariat


@rules.predicate
def is_letter_recipient(user, letter):
    return bool(user and user.is_authenticated and letter is not None and letter.recipient_user_id == user.pk)


@rules.predicate
def has_letters_role(user):
    # Being staff is not enough: a documents officer has no business with a delegate's visa letter
    # (passport details). The roles that run letters hold the app's model permissions.
    return user.has_perm("letters.view_letter")


rules.add_perm("letters.download_letter", (is_secretariat & has_letters_role) | is_letter_recipient)
