"""Statuses of the expert groups' records and the one table that moves each."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from minamata_portal.transitions import TransitionTable, move


class NominationStatus(models.TextChoices):
    NOMINATED = "nominated", _("Nominated")
    APPOINTED = "appointed", _("Appointed")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class MemberRole(models.TextChoices):
    MEMBER = "member", _("Member")
    CO_CHAIR = "co_chair", _("Co-chair")


NS = NominationStatus
# A Party (through its focal point) or an observer organisation nominates; the secretariat appoints
# or declines with a reason; the nominator may take a nomination back until it is decided.
NOMINATION_TRANSITIONS = TransitionTable(
    NominationStatus,
    [
        move("appoint", {NS.NOMINATED}, NS.APPOINTED, label=_("Appoint"), rule="expertgroups.decide_nominations"),
        move("decline", {NS.NOMINATED}, NS.DECLINED, label=_("Decline"), rule="expertgroups.decide_nominations"),
        move("withdraw", {NS.NOMINATED}, NS.WITHDRAWN, label=_("Withdraw")),
    ],
)  # fmt: skip
