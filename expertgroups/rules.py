"""Who may do what with expert groups: every check of the app is one of the named rules below.

Focal points nominate for their own State only, an observer organisation's contact for their
organisation only; the secretariat (the administrator, who holds the app's model permissions)
appoints, declines, records mandates and puts drafts out; a group's serving members read its
drafts and comment on them, and nobody else outside the secretariat sees them."""

import rules

from accounts.rules import focal_point_country_ids, holds, is_focal_point_for, is_secretariat
from participants.selectors import organisations_represented_by

from .selectors import membership_of, memberships_of

is_expert_groups_staff = is_secretariat & holds("expertgroups.change_nomination")


@rules.predicate
def speaks_for_organisation(user, organisation):
    return organisation is not None and organisations_represented_by(user).filter(pk=organisation.pk).exists()


@rules.predicate
def may_nominate_somewhere(user):
    return bool(focal_point_country_ids(user)) or organisations_represented_by(user).exists()


@rules.predicate
def is_member_of_group(user, group):
    return group is not None and membership_of(user=user, group_id=group.pk) is not None


@rules.predicate
def is_serving_expert(user):
    return memberships_of(user=user).exists()


@rules.predicate
def is_member_of_draft_group(user, draft):
    return draft is not None and membership_of(user=user, group_id=draft.group_id) is not None


@rules.predicate
def is_own_nomination(user, nomination):
    if nomination is None:
        return False
    if nomination.country_id:
        return nomination.country_id in focal_point_country_ids(user)
    return speaks_for_organisation(user, nomination.organisation)


# Nominating: the page, and the nominator for whom the nomination is made.
rules.add_perm("expertgroups.nominate", may_nominate_somewhere)
rules.add_perm("expertgroups.nominate_for_country", is_focal_point_for)
rules.add_perm("expertgroups.nominate_for_organisation", speaks_for_organisation)
rules.add_perm("expertgroups.withdraw_nomination", is_own_nomination)

# The secretariat: appointments, mandates, drafts and the record of who commented.
rules.add_perm("expertgroups.decide_nominations", is_expert_groups_staff)
rules.add_perm("expertgroups.manage", is_expert_groups_staff)

# A group's drafts: its serving members and the secretariat read them; members comment while open.
rules.add_perm("expertgroups.act_as_expert", is_serving_expert)
rules.add_perm("expertgroups.view_group_drafts", is_member_of_group | is_expert_groups_staff)
rules.add_perm("expertgroups.view_draft", is_member_of_draft_group | is_expert_groups_staff)
rules.add_perm("expertgroups.comment_on_draft", is_member_of_draft_group)
