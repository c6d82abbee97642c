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
# Information for participants (venue, visas, travel and DSA...): the registration officers, who
# answer participants on those matters, and the administrators write it (accounts/roles.py).
rules.add_perm(
    "meetings.edit_participant_information",
    is_secretariat & holds("meetings.change_participantinformation"),
)


@rules.predicate
def is_published_material(user, material):
    return material is not None and material.is_published


# Meeting materials (presentations, statements, photos): staff upload them and publish them; a
# material not published is the secretariat's alone, and answers 404 to everyone else.
rules.add_perm("meetings.manage_materials", is_secretariat & holds("meetings.change_meetingmaterial"))
rules.add_perm("meetings.publish_materials", is_secretariat & holds("meetings.change_meetingmaterial"))
rules.add_perm(
    "meetings.view_material",
    is_published_material | (is_secretariat & holds("meetings.view_meetingmaterial")),
)
