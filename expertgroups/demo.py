"""The demo's expert group: the group of technical experts on mercury waste thresholds, its mandate
set at COP-2 until COP-3 and extended by decision MC-3/5 until COP-4 (the joint report of the
secretariats, UNEP/MC/COP.4/INF/17, says MC-3/5 "extends the mandate ... until the fourth meeting";
that COP-2's decision MC-2/2 set it is not in the notes of ../shared/reference: staff should check
it before relying on the demo),
and members nominated by the demo's focal points and appointed by the secretariat. The experts are
labelled DEMO: they are not the group's real members."""

import datetime as dt

from accounts.models import User
from bureau.enums import DecisionKind
from bureau.models import Decision
from bureau.services import decision_create
from meetings.models import ExpertGroup, Meeting
from reference.models import Country

from .enums import MemberRole
from .models import GroupMandate, Member
from .services import mandate_record, nomination_appoint, nomination_create

GROUP = "Group of technical experts on mercury waste thresholds"
# (session, number, meeting, title): the decision that set the mandate, and the one extending it.
DECISIONS = [(2, 2, "cop-2", "Mercury waste thresholds"), (3, 5, "cop-3", "Mercury waste thresholds")]
# e-mail, name, State, role, listed on the public page (co-chairs sort first: "co_chair" < "member")
EXPERTS = [
    ("expert.zambia@demo.mercury.test", "DEMO Expert (Zambia)", "ZMB", MemberRole.CO_CHAIR, True),
    ("expert.peru@demo.mercury.test", "DEMO Expert (Peru)", "PER", MemberRole.MEMBER, True),
    ("expert.private@demo.mercury.test", "DEMO Expert (not listed)", "ZMB", MemberRole.MEMBER, False),
]


def _decision(session, number, meeting, title, by):
    found = Decision.objects.filter(kind=DecisionKind.COP, session=session, number=number).first()
    return found or decision_create(meeting=meeting, symbol=f"MC-{session}/{number}", title_en=title, by=by)


def load():
    group = ExpertGroup.objects.filter(name_en=GROUP).first()
    meetings = {m.code: m for m in Meeting.objects.filter(code__in=["cop-2", "cop-3", "cop-4"])}
    admin = User.objects.filter(email="admin@demo.mercury.test").first()
    if (
        group is None
        or len(meetings) < 3
        or admin is None
        or GroupMandate.objects.filter(group=group).exists()
    ):
        return {}
    decisions = [_decision(s, n, meetings[code], title, admin) for s, n, code, title in DECISIONS]
    mandate_record(group=group, decision=decisions[0], ends_with_meeting=meetings["cop-3"], by=admin)
    mandate_record(group=group, decision=decisions[1], ends_with_meeting=meetings["cop-4"], by=admin)
    for email, name, iso3, role, listed in EXPERTS:
        focal_point = User.objects.filter(
            focal_points__country__iso3=iso3, email__endswith="@demo.mercury.test"
        )
        nominator = focal_point.order_by("pk").first()
        if nominator is None:
            continue
        nomination = nomination_create(
            group=group, country=Country.objects.get(iso3=iso3), name=name, email=email,
            expertise="Hazardous waste management and thresholds", role=role, publish_consent=listed,
            by=nominator,
        )  # fmt: skip
        # Appointed after COP-3 (it closed on 29 November 2019) until the end of COP-4.
        nomination_appoint(
            nomination=nomination,
            term_from=dt.date(2019, 12, 2),
            term_to=meetings["cop-4"].end_date,
            by=admin,
        )
    return {"expert group members": Member.objects.filter(group=group).count(), "expert group mandates": 2}
