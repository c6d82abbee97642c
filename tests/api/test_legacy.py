"""The older JSON feeds are the API's lists at their old addresses (api/legacy.py): for the same
query, the same body byte for byte (paging links included), the same ETag (and, like the API, no
Last-Modified), the same refusals; the address fixes the filter it stands for; the schema lists each operation once."""

import datetime as dt

import pytest
from drf_spectacular.generators import SchemaGenerator

from accounts import roles
from bureau.enums import DecisionKind, DecisionStatus
from documents.enums import Distribution, Language
from meetings.enums import MeetingKind
from tests.documents.factories import publish, register
from tests.factories import MeetingFactory, StaffFactory

from .test_public import _decision

pytestmark = pytest.mark.django_db

# legacy address -> the API's address and query it stands for
ALIASES = {
    "/meetings/upcoming.json": ("/api/v1/meetings/", {"upcoming": "true"}),
    "/documents/meetings/cop-4/documents.json": ("/api/v1/documents/", {"meeting": "cop-4"}),
    "/bureau/decisions.json": ("/api/v1/decisions/", {"kind": "cop", "status": "adopted"}),
}


@pytest.fixture
def world():
    """Enough of each list for three pages of one: what the aliases must show and what not."""
    today = dt.date.today()
    cop4 = MeetingFactory(
        code="cop-4", number=4, symbol_prefix="UNEP/MC/COP.4",
        start_date=today + dt.timedelta(days=10), end_date=today + dt.timedelta(days=14),
    )  # fmt: skip
    MeetingFactory(code="cop-4-bali", parent=cop4, start_date=cop4.start_date, end_date=cop4.start_date)
    MeetingFactory(
        code="icc-7",
        kind=MeetingKind.COMPLIANCE_COMMITTEE,
        start_date=today + dt.timedelta(days=40),
        end_date=today + dt.timedelta(days=42),
    )
    past = MeetingFactory(
        code="cop-3", number=3, start_date=dt.date(2019, 11, 25), end_date=dt.date(2019, 11, 29)
    )
    publish(
        register(cop4, title_en="Mercury waste thresholds"), languages=[Language.ENGLISH, Language.FRENCH]
    )
    publish(register(cop4, title_en="Budget"), languages=[Language.ENGLISH])
    publish(register(cop4, title_en="Bureau note", distribution=Distribution.BUREAU))
    publish(register(cop4.segments.get(), title_en="Bali declaration"))
    publish(register(past, title_en="Another meeting's note"))
    for number in (8, 11, 12):
        _decision(past, 3, number)
    _decision(cop4, 4, None, status=DecisionStatus.DRAFT)
    _decision(
        MeetingFactory(code="bureau-z", kind=MeetingKind.BUREAU, number=None),
        None,
        1,
        kind=DecisionKind.BUREAU,
    )
    return cop4


def _staff():
    return StaffFactory(roles=[roles.SECRETARIAT_ADMIN])


@pytest.mark.parametrize("legacy", list(ALIASES))
@pytest.mark.parametrize("who", ["visitor", "staff"])
def test_a_legacy_feed_answers_the_apis_body_for_the_same_query(api, world, legacy, who):
    if who == "staff":
        api.force_authenticate(_staff())
    path, query = ALIASES[legacy]
    for extra in ({}, {"page_size": "1"}, {"page_size": "1", "page": "2"}, {"page_size": "1", "page": "3"}):
        old, new = api.get(legacy, extra), api.get(path, {**query, **extra})
        assert old.status_code == new.status_code == 200, (legacy, extra)
        assert old.content == new.content, (legacy, extra)
        assert old["Content-Type"] == new["Content-Type"] == "application/json"
        assert old["ETag"] == new["ETag"]
        assert "Last-Modified" not in old and "Last-Modified" not in new
    # Three pages of one: `next` leads on at the API's address, to what the old one answers.
    first = api.get(legacy, {"page_size": "1"}).json()
    assert first["count"] >= 3 and first["next"].startswith(f"http://testserver{path}?")
    assert api.get(first["next"]).content == api.get(legacy, {"page_size": "1", "page": "2"}).content


def test_what_each_legacy_feed_holds(api, world):
    """The equality above would hold for two empty lists: here is what they list."""
    api.force_authenticate(_staff())  # who sees drafts, Bureau decisions and Bureau documents
    meetings = api.get("/meetings/upcoming.json").json()["results"]
    assert [m["code"] for m in meetings] == ["cop-4", "cop-4-bali", "icc-7"]
    documents = api.get("/documents/meetings/cop-4/documents.json").json()["results"]
    assert sorted(d["title"] for d in documents) == [
        "Bali declaration",
        "Budget",
        "Bureau note",
        "Mercury waste thresholds",
    ]
    decisions = api.get("/bureau/decisions.json").json()["results"]
    assert [d["symbol"] for d in decisions] == ["MC-3/8", "MC-3/11", "MC-3/12"]
    api.force_authenticate(None)
    documents = api.get("/documents/meetings/cop-4/documents.json").json()["results"]
    assert "Bureau note" not in {d["title"] for d in documents}


def test_the_address_fixes_its_filter_and_the_other_filters_apply(api, world):
    api.force_authenticate(_staff())
    meetings = api.get("/meetings/upcoming.json", {"upcoming": "false", "kind": "cop"}).json()["results"]
    assert [m["code"] for m in meetings] == ["cop-4", "cop-4-bali"]
    decisions = api.get("/bureau/decisions.json", {"status": "draft", "kind": "bureau"}).json()["results"]
    assert [d["symbol"] for d in decisions] == ["MC-3/8", "MC-3/11", "MC-3/12"]
    assert api.get("/bureau/decisions.json", {"symbol": "MC-3/11"}).json()["count"] == 1
    documents = api.get(
        "/documents/meetings/cop-4/documents.json", {"meeting": "cop-3", "language": "fr"}
    ).json()["results"]
    assert [d["title"] for d in documents] == ["Mercury waste thresholds"]


def test_a_harvester_gets_304_at_the_old_address_with_the_apis_etag(api, world):
    etag = api.get("/api/v1/decisions/", {"kind": "cop", "status": "adopted"})["ETag"]
    again = api.get("/bureau/decisions.json", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again.content == b""
    first = api.get("/api/v1/meetings/", {"upcoming": "true"})
    assert api.get("/meetings/upcoming.json", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    world.title_en = "Fourth meeting, renamed"
    world.save()
    changed = api.get("/meetings/upcoming.json", HTTP_IF_NONE_MATCH=first["ETag"])
    assert changed.status_code == 200 and changed.json()["results"][0]["title"] == "Fourth meeting, renamed"


def test_refusals_are_the_apis(api, world):
    assert (
        api.get("/meetings/upcoming.json", {"year": "soon"}).json()
        == api.get("/api/v1/meetings/", {"year": "soon"}).json()
    )
    assert api.get("/meetings/upcoming.json", {"year": "soon"}).status_code == 400
    missing = api.get("/documents/meetings/no-such-meeting/documents.json")
    assert missing.status_code == 404 and missing["Content-Type"] == "application/json"
    assert api.get("/bureau/decisions.json", {"page": "9"}).status_code == 404


def test_the_schema_lists_each_operation_once_at_the_apis_address():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    assert all(path.startswith("/api/v1/") for path in schema["paths"])
