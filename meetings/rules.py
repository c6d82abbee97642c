"""Who may see and do what in meetings.

The role table (`accounts/roles.py`) decides: each rule asks for a member of the secretariat who
holds the model permission that the role gives. Secretariat administrators hold every meetings
permission; documents officers the agenda ones (they prepare the agenda with its documents);
registration officers only the view permissions, so they see agenda drafts but move no status and
do not review side events."""

import rules

from accounts.rules import holds, is_secretariat

# Drafts and versions under review are the secretariat's working material until issued.
rules.add_perm("meetings.view_agenda_drafts", is_secretariat & holds("meetings.view_agendaversion"))
rules.add_perm("meetings.change_agenda_status", is_secretariat & holds("meetings.change_agendaversion"))
rules.add_perm("meetings.change_meeting_status", is_secretariat & holds("meetings.change_meeting"))
rules.add_perm("meetings.create_next_cop", is_secretariat & holds("meetings.add_meeting"))
# Side-event requests carry the organisers' contact details; approving one commits a room.
rules.add_perm("meetings.review_side_events", is_secretariat & holds("meetings.change_sideevent"))
