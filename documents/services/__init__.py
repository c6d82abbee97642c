"""Writes for documents, one module per subdomain:

- `registration`: issuing symbols, recording symbols issued elsewhere, changing a document;
- `processing`: a language version's files, target date and moves (submit … publish), all through
  `language_version_transition`, which follows `enums.LANGUAGE_VERSION_TRANSITIONS`;
- `submissions`: calls for submissions, the submissions received and their files;
- `milestones`: the rules of the forecast, submission and issuance milestones.

Callers use `from documents import services` and the names below.
"""

from .milestones import (
    MILESTONE_RULE_FIELDS,
    milestone_rule_check,
    milestone_rule_delete,
    milestone_rule_save,
    milestone_rule_unique_check,
)
from .processing import (
    language_version_file_check,
    language_version_mark_not_required,
    language_version_mark_ready,
    language_version_publish,
    language_version_reinstate,
    language_version_send_back,
    language_version_set_target,
    language_version_start_processing,
    language_version_submit,
    language_version_transition,
    language_version_upload,
    language_version_upload_check,
)
from .registration import (
    DOCUMENT_FIELDS,
    TITLE_FIELDS,
    default_target_date,
    document_agenda_items_check,
    document_delete,
    document_officer_check,
    document_record_existing,
    document_register,
    document_register_check,
    document_register_supplement,
    document_symbol_check,
    document_title_check,
    document_update,
)
from .submissions import (
    CALL_FIELDS,
    call_for_submissions_check,
    call_for_submissions_delete,
    call_for_submissions_save,
    submission_check,
    submission_delete,
    submission_file_add,
    submission_file_delete,
    submission_record,
    submission_update,
)

__all__ = [
    "CALL_FIELDS",
    "DOCUMENT_FIELDS",
    "MILESTONE_RULE_FIELDS",
    "TITLE_FIELDS",
    "call_for_submissions_check",
    "call_for_submissions_delete",
    "call_for_submissions_save",
    "default_target_date",
    "document_agenda_items_check",
    "document_delete",
    "document_officer_check",
    "document_record_existing",
    "document_register",
    "document_register_check",
    "document_register_supplement",
    "document_symbol_check",
    "document_title_check",
    "document_update",
    "language_version_file_check",
    "language_version_mark_not_required",
    "language_version_mark_ready",
    "language_version_publish",
    "language_version_reinstate",
    "language_version_send_back",
    "language_version_set_target",
    "language_version_start_processing",
    "language_version_submit",
    "language_version_transition",
    "language_version_upload",
    "language_version_upload_check",
    "milestone_rule_check",
    "milestone_rule_delete",
    "milestone_rule_save",
    "milestone_rule_unique_check",
    "submission_check",
    "submission_delete",
    "submission_file_add",
    "submission_file_delete",
    "submission_record",
    "submission_update",
]
