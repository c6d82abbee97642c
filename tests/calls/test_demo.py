"""The calls demo (issue 13's "Done when"): the call of 13 December 2019 under decision MC-3/8 with
its reminder of 20 May 2021 and fourteen submissions from thirteen Parties, answered through the
portal and compiled in UNEP/MC/COP.4/INF/23; COP-6's calls for pre-COP online events and Knowledge
Lab sessions with their deadline of 25 July 2025. Loading it twice adds nothing."""

import datetime as dt

import pytest
from django.utils import timezone

from accounts import demo as accounts_demo
from calls import demo
from calls.enums import AnswerStatus, Audience, CallKind, CallStatus
from calls.models import Call
from documents import demo as documents_demo
from meetings import demo as meetings_demo

pytestmark = pytest.mark.django_db


def test_the_demo_holds_the_2019_call_and_cop6_s_calls(django_capture_on_commit_callbacks):
    accounts_demo.load()
    meetings_demo.load()
    documents_demo.load()
    with django_capture_on_commit_callbacks(execute=True):
        counts = demo.load()
    assert counts == {"calls": 3, "answers to the call of 13 December 2019": 14}

    call = Call.objects.get(mandate="decision MC-3/8")
    assert (call.kind, call.audience, call.status) == (
        CallKind.SUBMISSIONS,
        Audience.STATES,
        CallStatus.COMPILED,
    )
    assert timezone.localdate(call.sent_at) == dt.date(2019, 12, 13)
    assert call.compilation.symbol == "UNEP/MC/COP.4/INF/23"
    answers = list(call.answers.select_related("country").order_by("submitted_at"))
    assert len(answers) == 14 and len({a.country.iso3 for a in answers}) == 13
    assert {a.status for a in answers} == {AnswerStatus.ACCEPTED}
    assert all(a.files.exists() for a in answers)
    [reminder] = call.reminders.all()
    assert reminder.send_on == dt.date(2021, 5, 20) and reminder.sent_at is not None
    # The reminder went to those who had not answered by then: not to the thirteen who had.
    assert reminder.recipients > 0

    cop6 = list(Call.objects.filter(meeting__code="cop-6").order_by("title"))
    assert [c.title for c in cop6] == [
        "Proposals for Knowledge Lab sessions at COP-6",
        "Proposals for the pre-COP online events (13–17 October 2025)",
    ]
    assert {(c.kind, c.audience, c.deadline, c.status) for c in cop6} == {
        (CallKind.EVENTS, Audience.BOTH, dt.date(2025, 7, 25), CallStatus.SENT)
    }

    with django_capture_on_commit_callbacks(execute=True):
        assert demo.load() == counts
