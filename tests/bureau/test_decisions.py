import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from bureau.enums import DecisionKind, DecisionStatus, MandateStatus
from bureau.models import Decision, Mandate
from bureau.selectors import mandate_follow_up
from bureau.services import (
    decision_adopt,
    decision_create,
    decision_symbol_parse,
    mandate_create,
    mandate_update,
)
from meetings.enums import MeetingKind
from tests.factories import MeetingFactory, StaffFactory, UserFactory

pytestmark = pytest.mark.django_db

D = dt.date


@pytest.mark.parametrize(
    ("symbol", "session", "number"),
    [("MC-3/11", 3, 11), ("MC-3/8", 3, 8), (" mc-4/[--] ", 4, None), ("MC-12/104", 12, 104)],
)
def test_symbol_parser_reads_session_and_number(symbol, session, number):
    parsed = decision_symbol_parse(symbol)
    assert (parsed.session, parsed.number) == (session, number)


@pytest.mark.parametrize(
    "symbol", ["MC3/11", "MC-3/", "MC-0/1", "MC-3/11/Rev.1", "UNEP/MC/COP.3/11", "MC-3/[-]", ""]
)
def test_symbol_that_does_not_parse_gets_clear_error(symbol):
    with pytest.raises(ValidationError) as err:
        decision_symbol_parse(symbol)
    assert "is not a COP decision symbol: write MC-<session>/<number>" in err.value.message_dict["symbol"][0]


def test_bad_symbol_creates_nothing():
    cop = MeetingFactory(number=3)
    with pytest.raises(ValidationError):
        decision_create(meeting=cop, symbol="MC 3-11", title_en="Cooperation")
    assert Decision.objects.count() == 0


def test_draft_becomes_numbered_when_adopted_through_one_service():
    cop = MeetingFactory(number=4, start_date=D(2021, 11, 1), end_date=D(2022, 3, 25))
    staff = StaffFactory()
    draft = decision_create(
        meeting=cop, symbol="MC-4/[--]", title_en="Capacity-building", paragraphs=["Decides", "Requests"]
    )
    assert (draft.symbol, draft.status, draft.number) == ("MC-4/[--]", DecisionStatus.DRAFT, None)
    adopted = decision_adopt(decision=draft, number=3, on=D(2022, 3, 25), by=staff)
    assert (adopted.symbol, adopted.status, adopted.adopted_on) == (
        "MC-4/3",
        DecisionStatus.ADOPTED,
        D(2022, 3, 25),
    )
    assert adopted.history.order_by("-history_date").first().history_user == staff
    with pytest.raises(ValidationError, match="already adopted"):
        decision_adopt(decision=adopted, number=4, on=D(2022, 3, 25))


def test_number_already_taken_in_session_is_refused():
    cop = MeetingFactory(number=3)
    decision_create(meeting=cop, symbol="MC-3/11", title_en="Cooperation")
    draft = decision_create(meeting=cop, symbol="MC-3/[--]", title_en="Other")
    with pytest.raises(ValidationError) as err:
        decision_adopt(decision=draft, number=11, on=D(2019, 11, 29))
    assert "already taken" in err.value.message_dict["number"][0]
    draft.refresh_from_db()
    assert draft.number is None


@pytest.mark.parametrize(
    "meeting_kwargs", [{"number": 3}, {"kind": MeetingKind.BUREAU, "number": None, "code": "bureau-x"}]
)
def test_cop_decision_is_filed_under_its_own_session(meeting_kwargs):
    """MC-4/3 is a decision of COP-4: filed under COP-3, or under a Bureau meeting, it would be
    published under the wrong meeting."""
    meeting = MeetingFactory(**meeting_kwargs)
    with pytest.raises(ValidationError) as err:
        decision_create(meeting=meeting, symbol="MC-4/3", title_en="Capacity-building")
    assert "is a decision of the meeting COP-4" in err.value.message_dict["symbol"][0]
    assert not Decision.objects.exists()


def test_bureau_decision_belongs_to_bureau_meeting():
    bureau = MeetingFactory(kind=MeetingKind.BUREAU, code="bureau-t", number=None)
    d = decision_create(meeting=bureau, kind=DecisionKind.BUREAU, title_en="Dates of COP-2", number=1)
    assert (d.symbol, d.status) == ("bureau-t/1", DecisionStatus.ADOPTED)
    with pytest.raises(ValidationError) as err:
        decision_create(meeting=MeetingFactory(), kind=DecisionKind.BUREAU, title_en="x")
    assert "meeting" in err.value.message_dict


def test_mandate_needs_staff_owner_and_due_and_moves_along_with_history():
    cop3 = MeetingFactory(number=3)
    cop4 = MeetingFactory(number=4, start_date=D(2021, 11, 1), end_date=D(2022, 3, 25))
    decision = decision_create(
        meeting=cop3, symbol="MC-3/8", title_en="Capacity-building", paragraphs=["a", "b"]
    )
    owner = StaffFactory()
    with pytest.raises(ValidationError) as err:
        mandate_create(decision=decision, description="Compile", owner=UserFactory(), due_meeting=cop4)
    assert "owner" in err.value.message_dict
    with pytest.raises(ValidationError) as err:
        mandate_create(decision=decision, description="Compile", owner=owner)
    assert "due_date" in err.value.message_dict
    assert Mandate.objects.count() == 0
    mandate = mandate_create(
        decision=decision, description="Compile and report", owner=owner, due_meeting=cop4,
        paragraph=decision.paragraphs.get(number=2),
    )  # fmt: skip
    mandate_update(
        mandate=mandate, by=owner, status=MandateStatus.IN_PROGRESS, note="Letter sent 13 Dec 2019"
    )
    with pytest.raises(ValidationError) as err:
        mandate_update(mandate=mandate, by=owner, status=MandateStatus.REPORTED)
    assert "cannot become “Reported”" in err.value.message_dict["status"][0]
    mandate.refresh_from_db()
    assert mandate.status == MandateStatus.IN_PROGRESS
    assert mandate.notes.endswith(": Letter sent 13 Dec 2019")
    assert [h.status for h in mandate.history.order_by("history_date")] == ["not_started", "in_progress"]


def test_follow_up_lists_due_for_next_cop_and_overdue():
    cop3 = MeetingFactory(number=3, start_date=D(2019, 11, 25), end_date=D(2019, 11, 29))
    cop4 = MeetingFactory(number=4, start_date=D(2021, 11, 1), end_date=D(2022, 3, 25))
    d = decision_create(meeting=cop3, symbol="MC-3/8", title_en="Capacity-building")
    owner = StaffFactory()
    due_cop4 = mandate_create(decision=d, description="Report to COP-4", owner=owner, due_meeting=cop4)
    overdue = mandate_create(decision=d, description="Compile", owner=owner, due_date=D(2021, 6, 30))
    reported = mandate_create(
        decision=d, description="Done", owner=owner, due_meeting=cop4, status=MandateStatus.REPORTED
    )
    board = mandate_follow_up(today=D(2021, 7, 1))
    assert board["next_cop"] == cop4
    assert board["due_next"] == [due_cop4]
    assert board["overdue"] == [overdue]
    assert reported not in board["due_next"] + board["overdue"]
    # Once COP-4 has opened, what was due for it and is not reported is overdue.
    board = mandate_follow_up(today=D(2021, 11, 2))
    assert board["overdue"] == [overdue, due_cop4]


def test_mandate_moves_follow_the_table_step_by_step():
    """MANDATE_TRANSITIONS: forward, one step back for corrections; "reported" reopens only to
    "implemented"."""
    cop3 = MeetingFactory(code="cop-3t", number=3)
    decision = decision_create(meeting=cop3, symbol="MC-3/2", title_en="Table")
    mandate = mandate_create(
        decision=decision, description="Report", owner=StaffFactory(), due_date=D(2030, 1, 1)
    )
    assert (mandate.can_start, mandate.can_implement, mandate.can_report) == (True, True, False)
    for status in (MandateStatus.IMPLEMENTED, MandateStatus.REPORTED, MandateStatus.IMPLEMENTED):
        mandate = mandate_update(mandate=mandate, status=status)
        assert mandate.status == status
    with pytest.raises(ValidationError) as err:
        mandate_update(
            mandate=mandate_update(mandate=mandate, status=MandateStatus.REPORTED),
            status=MandateStatus.NOT_STARTED,
        )
    assert "cannot become “Not started”" in str(err.value.message_dict["status"])
    assert Mandate.objects.get().status == MandateStatus.REPORTED
    assert [h.status for h in Mandate.history.order_by("history_id")] == [
        MandateStatus.NOT_STARTED, MandateStatus.IMPLEMENTED, MandateStatus.REPORTED,
        MandateStatus.IMPLEMENTED, MandateStatus.REPORTED,
    ]  # fmt: skip


def test_adopted_decision_offers_no_second_adoption():
    cop4 = MeetingFactory(code="cop-4t", number=4)
    draft = decision_create(meeting=cop4, symbol="MC-4/[--]", title_en="Draft")
    assert draft.can_adopt
    adopted = decision_adopt(decision=draft, number=3, on=D(2022, 3, 25))
    assert (adopted.status, adopted.number, adopted.can_adopt) == (DecisionStatus.ADOPTED, 3, False)
    with pytest.raises(ValidationError) as err:
        decision_adopt(decision=adopted, number=4, on=D(2022, 3, 25))
    assert err.value.code == "already_adopted"
