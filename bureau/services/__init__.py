"""Writes for the Bureau, by subdomain: `composition` (bodies, terms, seats), `reviews` (agenda
reviews), `decisions` (decisions and mandates), `bureau_meetings` (the Bureau's own meetings),
`reports` (meetings' reports and their publication).
Every status changes through `transition.transition()`. The names are gathered here for callers
outside the app (demo data, tests, other apps)."""

from .bureau_meetings import bureau_meeting_ensure, bureau_meeting_invite, bureau_meeting_report_save
from .composition import (
    BODY_DEFAULTS,
    body_ensure,
    body_update,
    membership_add,
    membership_check,
    membership_region_kept,
    membership_replace,
    membership_update,
    term_close,
    term_create,
)
from .decisions import (
    DecisionSymbol,
    decision_adopt,
    decision_create,
    decision_symbol_parse,
    decision_update_text,
    mandate_check,
    mandate_create,
    mandate_update,
)
from .reports import (
    meeting_report_ensure,
    meeting_report_file_check,
    meeting_report_file_remove,
    meeting_report_file_save,
    meeting_report_publish,
    meeting_report_update,
    meeting_report_withdraw,
)
from .reviews import (
    agenda_review_respond,
    agenda_review_revise,
    agenda_review_send,
    review_answer_check,
    review_comment_add,
    review_comment_answer,
)
from .transition import transition

__all__ = [
    "BODY_DEFAULTS",
    "DecisionSymbol",
    "agenda_review_respond",
    "agenda_review_revise",
    "agenda_review_send",
    "body_ensure",
    "body_update",
    "bureau_meeting_ensure",
    "bureau_meeting_invite",
    "bureau_meeting_report_save",
    "decision_adopt",
    "decision_create",
    "decision_symbol_parse",
    "decision_update_text",
    "mandate_check",
    "mandate_create",
    "mandate_update",
    "meeting_report_ensure",
    "meeting_report_file_check",
    "meeting_report_file_remove",
    "meeting_report_file_save",
    "meeting_report_publish",
    "meeting_report_update",
    "meeting_report_withdraw",
    "membership_add",
    "membership_check",
    "membership_region_kept",
    "membership_replace",
    "membership_update",
    "review_answer_check",
    "review_comment_add",
    "review_comment_answer",
    "term_close",
    "term_create",
    "transition",
]
