"""Who may do what with letters. The role table (`accounts/roles.py`) decides who holds the
letters' model permissions: secretariat administrators and registration officers; a documents
officer has no business with a delegate's visa letter (passport details)."""

import rules

from accounts.rules import holds, is_secretariat


@rules.predicate
def is_letter_recipient(user, letter):
    return bool(user and user.is_authenticated and letter is not None and letter.recipient_user_id == user.pk)


# Download: the staff who run letters, and the person it is addressed to.
rules.add_perm(
    "letters.download_letter", (is_secretariat & holds("letters.view_letter")) | is_letter_recipient
)
# "My letters": anyone signed in sees the letters addressed to them.
rules.add_perm("letters.view_own_letters", rules.is_authenticated)
# Bulk sends (invitations, confirmations) create letters.
rules.add_perm("letters.send_letters", is_secretariat & holds("letters.add_letter"))
# Resend and revoke change a letter: staff who may only look at letters do not get them.
rules.add_perm("letters.send_letter", is_secretariat & holds("letters.change_letter"))
# The PDF preview of staff's wording, addressed to a sample recipient.
rules.add_perm("letters.preview_template", is_secretariat & holds("letters.view_lettertemplate"))
