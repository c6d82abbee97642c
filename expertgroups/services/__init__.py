from .drafts import draft_check, draft_comment, draft_put_out, paragraphs_from_text
from .mandates import mandate_end_check, mandate_record, mandate_record_check
from .members import (
    member_term_check,
    member_update,
    nomination_appoint,
    nomination_check,
    nomination_create,
    nomination_decline,
    nomination_withdraw,
)

__all__ = [
    "draft_check",
    "draft_comment",
    "draft_put_out",
    "mandate_end_check",
    "mandate_record",
    "mandate_record_check",
    "member_term_check",
    "member_update",
    "nomination_appoint",
    "nomination_check",
    "nomination_create",
    "nomination_decline",
    "nomination_withdraw",
    "paragraphs_from_text",
]
