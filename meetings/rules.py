"""Who may see and do what in meetings. Agenda drafts and side-event requests are the
secretariat's working material until issued or approved."""

import rules

from accounts.rules import is_secretariat

rules.add_perm("meetings.view_agenda_drafts", is_secretariat)
rules.add_perm("meetings.review_side_events", is_secretariat)
