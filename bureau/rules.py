"""Who may do what with the Bureau's records: every check of the app is one of the named rules below.

Two things decide. The role table in `accounts/roles.py` gives the secretariat administrator the
Bureau's model permissions (`bureau.*`) and the documents and registration officers none of them,
so the secretariat's rules are "is secretariat and holds that model permission". Membership of the
COP Bureau's current term (not the "Bureau member" group, which a former member keeps) opens the
pages and the reviews a member was asked for; it ends the day the term ends.

`is_current_bureau_member` is the one place the portal asks whether someone sits on the Bureau
today: documents and participants import it from here.
"""

import rules

from accounts.rules import holds, is_secretariat

from . import selectors
from .models import ReportFile, ReviewResponse


@rules.predicate
def is_current_bureau_member(user):
    # Through the module, not a name imported from it, so that a test can stand in for the selector.
    return selectors.user_is_current_bureau_member(user)


@rules.predicate
def is_asked_to_review(user, review_or_response):
    """The review was sent to `user` (they have a response row on it). Given a response (as the
    reviewer's transition table does), whether it is the user's own."""
    if review_or_response is None or not getattr(user, "is_authenticated", False):
        return False
    if isinstance(review_or_response, ReviewResponse):
        return review_or_response.reviewer_id == user.pk
    return selectors.review_has_reviewer(review=review_or_response, user=user)


@rules.predicate
def is_public_decision(user, decision):
    return decision is not None and selectors.decision_is_public(decision=decision)


@rules.predicate
def is_published_report(user, report_or_file):
    """A meeting's report (or one of its files) that staff published: open to everyone."""
    report = report_or_file.report if isinstance(report_or_file, ReportFile) else report_or_file
    return report is not None and selectors.report_is_published(report=report)


# The secretariat's side, one rule per kind of work, each on the model permissions of what it writes.
is_bureau_secretariat = is_secretariat & holds("bureau.view_term")
can_change_composition = (
    is_secretariat & holds("bureau.add_term") & holds("bureau.change_term") & holds("bureau.add_membership")
    & holds("bureau.change_membership")
)  # fmt: skip
can_manage_reviews = is_secretariat & holds("bureau.add_agendareview") & holds("bureau.change_reviewcomment")
can_record_decisions = is_secretariat & holds("bureau.add_decision") & holds("bureau.change_decision")
can_manage_mandates = is_secretariat & holds("bureau.add_mandate") & holds("bureau.change_mandate")
can_manage_meetings = is_secretariat & holds("bureau.change_bureaumeeting")
can_manage_reports = (
    is_secretariat & holds("bureau.add_meetingreport") & holds("bureau.add_reportfile")
    & holds("bureau.change_reportfile") & holds("bureau.delete_reportfile")
)  # fmt: skip
can_publish_reports = is_secretariat & holds("bureau.change_meetingreport")

can_view_bureau_pages = is_bureau_secretariat | is_current_bureau_member
# A report not yet published: the Bureau in office and the secretariat's staff who handle reports.
can_view_unpublished_reports = can_view_bureau_pages | can_manage_reports | can_publish_reports

rules.add_perm("bureau.view_bureau_pages", can_view_bureau_pages)
rules.add_perm("bureau.change_composition", can_change_composition)
rules.add_perm("bureau.manage_reviews", can_manage_reviews)
rules.add_perm("bureau.record_decisions", can_record_decisions)
rules.add_perm("bureau.manage_mandates", can_manage_mandates)
rules.add_perm("bureau.manage_meetings", can_manage_meetings)
rules.add_perm("bureau.view_all_reviews", is_bureau_secretariat)
# One review: the secretariat sees every one; a member in office, those sent to them.
rules.add_perm("bureau.view_review", is_bureau_secretariat | (is_current_bureau_member & is_asked_to_review))
# Comment on and approve (or not) one review: a member in office who was asked.
rules.add_perm("bureau.review_agenda", is_current_bureau_member & is_asked_to_review)
# One decision: adopted COP decisions are public; drafts and Bureau decisions are for the Bureau's pages.
rules.add_perm("bureau.read_decision", is_public_decision | can_view_bureau_pages)
# Meetings' reports: upload their files, publish and withdraw them (staff); read one (a published
# report is everyone's; until then the Bureau's and the secretariat's).
rules.add_perm("bureau.manage_reports", can_manage_reports)
rules.add_perm("bureau.publish_reports", can_publish_reports)
rules.add_perm("bureau.view_unpublished_reports", can_view_unpublished_reports)
rules.add_perm("bureau.read_report", is_published_report | can_view_unpublished_reports)
