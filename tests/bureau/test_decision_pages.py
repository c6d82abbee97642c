import datetime as dt

import pytest

from bureau.enums import DecisionStatus, MandateStatus
from bureau.models import Decision, Mandate
from bureau.services import decision_create
from meetings.enums import MeetingKind
from tests.factories import MeetingFactory, StaffFactory

pytestmark = pytest.mark.django_db

D = dt.date


def test_staff_records_cop_decision_with_paragraphs(client, staff):
    cop3 = MeetingFactory(code="c3", number=3, start_date=D(2019, 11, 25), end_date=D(2019, 11, 29))
    client.force_login(staff)
    r = client.post("/bureau/decisions/new/", {
        "kind": "cop", "meeting": cop3.pk, "symbol": "MC-3/8", "title_en": "Capacity-building",
        "paragraphs": "Emphasizes the relevance of regional centres;\r\n\r\nRequests the secretariat to compile;\r\n\r\n"
                      "Also requests the secretariat to report to COP-4.",
    })  # fmt: skip
    decision = Decision.objects.get()
    assert r["Location"] == decision.get_absolute_url()
    assert (decision.symbol, decision.status, decision.adopted_on) == (
        "MC-3/8",
        DecisionStatus.ADOPTED,
        D(2019, 11, 29),
    )
    assert list(decision.paragraphs.values_list("number", "text")) == [
        (1, "Emphasizes the relevance of regional centres;"),
        (2, "Requests the secretariat to compile;"),
        (3, "Also requests the secretariat to report to COP-4."),
    ]


def test_bad_symbol_on_the_page_names_the_field_and_records_nothing(client, staff):
    cop3 = MeetingFactory(code="c3", number=3)
    client.force_login(staff)
    r = client.post(
        "/bureau/decisions/new/", {"kind": "cop", "meeting": cop3.pk, "symbol": "MC3-8", "title_en": "X"}
    )
    assert r.status_code == 400
    assert "“MC3-8” is not a COP decision symbol" in r.content.decode()
    assert Decision.objects.count() == 0


def test_staff_adopts_draft_and_adds_a_mandate(client, staff):
    cop4 = MeetingFactory(code="c4", number=4, start_date=D(2021, 11, 1), end_date=D(2022, 3, 25))
    draft = decision_create(meeting=cop4, symbol="MC-4/[--]", title_en="Draft", paragraphs=["Requests"])
    client.force_login(staff)
    url = draft.get_absolute_url()
    r = client.post(url, {"action": "adopt", "number": "7", "adopted_on": "2022-03-25"})
    assert r.status_code == 302
    draft.refresh_from_db()
    assert draft.symbol == "MC-4/7"
    r = client.post(
        url, {"action": "mandate", "description": "Report", "paragraph": draft.paragraphs.get().pk}
    )
    assert r.status_code == 400
    assert "Say when it is due: a meeting or a date." in r.content.decode()
    r = client.post(
        url,
        {"action": "mandate", "description": "Report to COP-5", "owner": staff.pk, "due_date": "2023-10-30"},
    )
    mandate = Mandate.objects.get()
    assert (mandate.owner, mandate.due_date, mandate.status) == (
        staff,
        D(2023, 10, 30),
        MandateStatus.NOT_STARTED,
    )


def test_bureau_decision_from_page_numbered_within_its_meeting(client, staff):
    bureau = MeetingFactory(kind=MeetingKind.BUREAU, code="bureau-z", number=None)
    client.force_login(staff)
    client.post(
        "/bureau/decisions/new/", {"kind": "bureau", "meeting": bureau.pk, "number": "1", "title_en": "Dates"}
    )
    assert Decision.objects.get().symbol == "bureau-z/1"


def test_member_cannot_record_or_adopt(client, current_bureau):
    _term, members = current_bureau
    draft = decision_create(meeting=MeetingFactory(number=4), symbol="MC-4/[--]", title_en="Draft")
    client.force_login(members[0].user)
    assert client.get("/bureau/decisions/new/").status_code == 403
    assert (
        client.post(
            draft.get_absolute_url(), {"action": "adopt", "number": "1", "adopted_on": "2022-03-25"}
        ).status_code
        == 403
    )
    draft.refresh_from_db()
    assert draft.number is None
    client.force_login(StaffFactory(is_staff=False))
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_staff_see_who_moved_each_request_and_when(client, staff):
    from bureau.services import mandate_create, mandate_update

    cop3 = MeetingFactory(code="c3", number=3)
    decision = decision_create(meeting=cop3, symbol="MC-3/8", title_en="Capacity-building")
    owner = StaffFactory(first_name="Olga", last_name="Owner")
    mandate = mandate_create(
        decision=decision, description="Compile submissions", owner=owner, due_date=D(2021, 6, 1), by=staff
    )
    mandate_update(mandate=mandate, status=MandateStatus.IN_PROGRESS, by=owner)
    client.force_login(staff)
    page = client.get(decision.get_absolute_url()).content.decode()
    assert "<td>Olga Owner</td><td>Compile submissions</td><td>In progress</td>" in page
    assert f"<td>{staff}</td><td>Compile submissions</td><td>Not started</td>" in page
