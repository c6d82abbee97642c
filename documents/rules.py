"""Who may see and handle documents.

General documents are public once a language version is published; limited documents (in-session
drafts, conference room papers) are for signed-in participants; Bureau documents for the
secretariat and the members of the Bureau in office today."""

import rules

from accounts.rules import is_secretariat

from .enums import Distribution


@rules.predicate
def is_documents_officer(user):
    return bool(is_secretariat(user) and user.has_perm("documents.change_languageversion"))


@rules.predicate
def is_current_bureau_member(user):
    # Imported here: the Bureau app builds on documents' neighbours and may load after us.
    try:
        from bureau.selectors import user_is_current_bureau_member
    except ImportError:  # pragma: no cover - the Bureau app not installed
        return False
    return user_is_current_bureau_member(user)


def allowed_distributions(user) -> list[str]:
    """The distributions `user` may read; lists filter on this so they cost no query per row."""
    if is_secretariat(user) or is_current_bureau_member(user):
        return list(Distribution.values)
    if user is not None and user.is_authenticated:
        return [Distribution.GENERAL, Distribution.LIMITED]
    return [Distribution.GENERAL]


@rules.predicate
def can_read_document(user, document):
    if document is None:
        return False
    return document.distribution in allowed_distributions(user)


rules.add_perm("documents.read_document", can_read_document)
rules.add_perm("documents.manage_processing", is_documents_officer)
