"""Who may see and handle documents, as named rules (`documents.<rule>`).

General documents are public once a language version is published; limited documents (in-session
drafts, conference room papers) are for signed-in participants; Bureau documents for the
secretariat and the members of the Bureau in office today. Handling documents is for the
secretariat members whose role (`accounts/roles.py`) gives them the documents permissions."""

import rules

from accounts.rules import holds, is_secretariat
from bureau.rules import is_current_bureau_member

from .enums import Distribution


def allowed_distributions(user) -> list[str]:
    """The distributions `user` may read; lists and pages filter on this, so they cost no query
    per row and a restricted document is simply not found."""
    if is_secretariat(user) or is_current_bureau_member(user):
        return list(Distribution.values)
    if user is not None and user.is_authenticated:
        return [Distribution.GENERAL, Distribution.LIMITED]
    return [Distribution.GENERAL]


@rules.predicate
def may_read_document(user, document):
    """The document's distribution is one `user` may read (the pages then show what is published)."""
    return document is not None and document.distribution in allowed_distributions(user)


# One document and its files, for visitors too: a restricted one answers 404, as if it did not exist.
rules.add_perm("documents.read_document", may_read_document)
# The processing dashboard, the version pages and their files, and every move of a language version
# (the moves in `enums.LANGUAGE_VERSION_TRANSITIONS` name this rule).
rules.add_perm("documents.manage_processing", is_secretariat & holds("documents.change_languageversion"))
# Issuing an addendum, revision or corrigendum under the next symbol.
rules.add_perm("documents.register_document", is_secretariat & holds("documents.add_document"))
# The compilation of a call's submissions and the submitted files, which are not public.
rules.add_perm("documents.view_submissions", is_secretariat & holds("documents.view_submission"))
