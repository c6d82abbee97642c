"""The public, read-only part of /api/v1/: meetings, documents, decisions, Parties; the schema;
conditional GET; paging; the harvest of COP-4's documents."""

import datetime as dt
import io
import time

import pytest
from django.urls import reverse
from django.utils.http import http_date
from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.validation import validate_schema
from pypdf import PdfReader

from bureau.enums import DecisionKind, DecisionStatus, MandateStatus
from bureau.models import Decision, DecisionParagraph, Mandate
from documents import demo as documents_demo
from documents.enums import Distribution, Language
from documents.models import Document
from documents.selectors import documents_published
from meetings.enums import AgendaStatus, MeetingKind, MeetingStatus
from meetings.models import Meeting
from reference.models import ConventionParty
from tests.documents.factories import publish, register
from tests.factories import AgendaItemFactory, AgendaVersionFactory, MeetingFactory, country

pytestmark = pytest.mark.django_db


def test_the_schema_is_generated_without_a_warning_and_is_valid_openapi_3():
    GENERATOR_STATS.reset()
    GENERATOR_STATS.enable_trace_lineno()
    schema = SchemaGenerator().get_schema(request=None, public=True)
    assert GENERATOR_STATS._warn_cache == {} and GENERATOR_STATS._error_cache == {}
    validate_schema(schema)
    operations = [(path, method) for path, ops in schema["paths"].items() for method in ops]
    assert len(operations) == 13
    assert ("/api/v1/registrations/{id}/accredit/", "post") in operations
    assert schema["openapi"].startswith("3.")


def test_the_schema_and_its_documentation_are_served_from_the_portals_own_files(api):
    assert api.get("/api/v1/schema/").status_code == 200
    page = api.get("/api/v1/docs/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html
    assert "http://" not in html.replace("http://testserver", "") and "https://" not in html
    assert "<script>" not in html and "<style>" not in html  # the CSP allows neither
    script = api.get("/api/v1/docs/?script=")
    assert script.status_code == 200 and "/api/v1/schema/" in script.content.decode()


def test_meetings_filter_by_kind_year_status_and_region_with_dates_in_the_venues_zone(api):
    cop = MeetingFactory(code="cop-4", kind=MeetingKind.COP, start_date=dt.date(2021, 11, 1), end_date=dt.date(2021, 11, 5), status=MeetingStatus.HELD)  # fmt: skip
    MeetingFactory(code="reg-africa", kind=MeetingKind.REGIONAL_CONSULTATION, regions=["african"], country=country("ZMB"), city="Lusaka", start_date=dt.date(2018, 10, 9), end_date=dt.date(2018, 10, 10), time_zone="Africa/Lusaka")  # fmt: skip
    codes = lambda **q: [m["code"] for m in api.get("/api/v1/meetings/", q).json()["results"]]  # noqa: E731
    assert codes() == ["cop-4", "reg-africa"]
    assert codes(kind="regional") == ["reg-africa"]
    assert codes(year=2021) == ["cop-4"]
    assert codes(status="held") == ["cop-4"]
    assert codes(region="african") == ["reg-africa"]
    body = api.get(f"/api/v1/meetings/{cop.code}/").json()
    assert body["starts"] == "2021-11-01T00:00:00+01:00"
    assert body["ends"] == "2021-11-05T23:59:59+01:00"
    assert body["country"] == "CHE" and body["treaty"] == "minamata" and body["titles"]["en"] == cop.title_en
    lusaka = api.get("/api/v1/meetings/reg-africa/").json()
    assert lusaka["starts"] == "2018-10-09T00:00:00+02:00"
    assert api.get("/api/v1/meetings/", {"year": "twenty"}).json() == {
        "year": ["“year” must be a whole number."]
    }


def test_a_meeting_carries_its_segments_and_its_public_agenda_with_un_labels_and_documents_per_item(api):
    cop = MeetingFactory(code="cop-4", number=4, symbol_prefix="UNEP/MC/COP.4")
    MeetingFactory(code="cop-4-1", parent=cop, number=None, start_date=dt.date(2021, 11, 1), end_date=dt.date(2021, 11, 5))  # fmt: skip
    draft = AgendaVersionFactory(meeting=cop, number=2, status=AgendaStatus.DRAFT)
    AgendaItemFactory(version=draft, position=1, title_en="Not public yet")
    issued = AgendaVersionFactory(meeting=cop, number=1, status=AgendaStatus.ISSUED)
    item = AgendaItemFactory(version=issued, position=4, title_en="Matters for action")
    sub = AgendaItemFactory(version=issued, parent=item, position=6, title_en="Capacity-building")
    document = publish(register(cop, title_en="Capacity-building note"))
    document.agenda_items.add(sub)
    body = api.get("/api/v1/meetings/cop-4/").json()
    assert [s["code"] for s in body["segments"]] == ["cop-4-1"]
    assert body["agenda"]["version"] == 1 and body["agenda"]["status"] == "issued"
    assert [(i["label"], i["title"]) for i in body["agenda"]["items"]] == [
        ("4", "Matters for action"),
        ("4 (f)", "Capacity-building"),
    ]
    assert body["agenda"]["items"][1]["documents"] == [
        {"id": document.pk, "symbol": "UNEP/MC/COP.4/1", "title": "Capacity-building note"}
    ]


def test_documents_carry_titles_and_a_file_per_published_language_and_hide_restricted_ones(api):
    cop = MeetingFactory(code="cop-4", number=4, symbol_prefix="UNEP/MC/COP.4")
    document = publish(
        register(cop, title_en="Report", title_fr="Rapport"), languages=(Language.ENGLISH, Language.FRENCH)
    )
    register(cop, title_en="Not published")
    publish(register(cop, title_en="For the Bureau", distribution=Distribution.BUREAU))
    results = api.get("/api/v1/documents/", {"meeting": "cop-4"}).json()["results"]
    assert [d["symbol"] for d in results] == [document.symbol]
    found = results[0]
    assert found["titles"] == {"en": "Report", "fr": "Rapport"}
    assert [v["language"] for v in found["languages"]] == ["en", "fr"]
    assert found["languages"][0]["file"]["kind"] == "pdf"
    assert found["languages"][0]["file_url"].endswith(f"/documents/d/{document.pk}/en/")
    restricted = Document.objects.get(title_en="For the Bureau")
    assert api.get(f"/api/v1/documents/{restricted.pk}/").status_code == 404
    assert api.get("/api/v1/documents/", {"language": "fr"}).json()["count"] == 1
    assert api.get("/api/v1/documents/", {"language": "ar"}).json()["count"] == 0
    assert api.get("/api/v1/documents/", {"symbol": "UNEP/MC/COP.4/"}).json()["count"] == 1
    assert api.get("/api/v1/documents/", {"q": "rapport"}).json()["count"] == 1
    assert api.get("/api/v1/documents/", {"q": "nothing like it"}).json()["count"] == 0


def _decision(meeting, session, number, status=DecisionStatus.ADOPTED, kind=DecisionKind.COP):
    decision = Decision.objects.create(
        meeting=meeting, kind=kind, session=session, number=number, status=status, title_en=f"Decision {number}",
        adopted_on=dt.date(2019, 11, 29) if status == DecisionStatus.ADOPTED else None,
    )  # fmt: skip
    paragraph = DecisionParagraph.objects.create(decision=decision, number=1, text="Requests the Secretariat")
    Mandate.objects.create(decision=decision, paragraph=paragraph, description="Report to COP-4")
    return decision


def test_decisions_are_the_adopted_cop_ones_with_their_mandates_filtered_by_symbol_and_meeting(api):
    cop3 = MeetingFactory(code="cop-3", number=3)
    _decision(cop3, 3, 11)
    _decision(cop3, 3, 8)
    _decision(cop3, 3, None, status=DecisionStatus.DRAFT)
    results = api.get("/api/v1/decisions/").json()["results"]
    assert [d["symbol"] for d in results] == ["MC-3/8", "MC-3/11"]
    assert results[0]["mandates"][0] == {
        "id": results[0]["mandates"][0]["id"], "paragraph": 1, "description": "Report to COP-4",
        "status": "not_started", "due_date": None,
    }  # fmt: skip
    assert [d["symbol"] for d in api.get("/api/v1/decisions/", {"symbol": "MC-3/11"}).json()["results"]] == [
        "MC-3/11"
    ]
    assert api.get("/api/v1/decisions/", {"meeting": "cop-2"}).json()["count"] == 0


def test_a_party_with_an_unknown_date_reads_null(api):
    """Cameroon is a Party whose date of deposit the sources do not give: null, never a guess."""
    results = api.get("/api/v1/parties/", {"page_size": 500}).json()["results"]
    assert len(results) == ConventionParty.objects.count() == 140
    assert {"code", "name", "country", "deposit_date", "entry_into_force"} <= set(results[0])
    cameroon = next(p for p in results if p["code"] == "CMR")
    assert cameroon["deposit_date"] is None and cameroon["entry_into_force"] is None
    zambia = next(p for p in results if p["code"] == "ZMB")
    assert zambia["deposit_date"] and zambia["entry_into_force"]


def test_a_harvester_gets_304_for_what_did_not_change_and_200_once_it_did(api):
    meeting = MeetingFactory(code="cop-4")
    first = api.get("/api/v1/meetings/")
    assert first.status_code == 200 and first["ETag"]
    again = api.get("/api/v1/meetings/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304 and again.content == b""
    meeting.title_en = "Fourth meeting"
    meeting.save()
    assert api.get("/api/v1/meetings/", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 200


def _rename_agenda_item(cop):
    item = cop.agenda_versions.get().items.get()
    item.title_en = "Matters for action (revised)"
    item.save()


def _mandate_in_progress(cop):
    mandate = Mandate.objects.get(decision__meeting=cop)
    mandate.status = MandateStatus.IN_PROGRESS
    mandate.save()


def _restrict_a_document(cop):
    # Out of the public list; no remaining row (nor language version) changes.
    Document.objects.filter(meeting=cop, title_en="Second").update(distribution=Distribution.BUREAU)


def _delete_a_segment(cop):
    Meeting.objects.filter(parent=cop).delete()


@pytest.mark.parametrize(
    ("url", "change"),
    [
        ("/api/v1/meetings/cop-4/", _rename_agenda_item),
        ("/api/v1/meetings/cop-4/", _delete_a_segment),
        ("/api/v1/decisions/", _mandate_in_progress),
        ("DECISION", _mandate_in_progress),
        ("/api/v1/documents/", _restrict_a_document),
        ("/api/v1/meetings/", _delete_a_segment),
    ],
)
def test_if_modified_since_alone_never_hides_a_change_to_a_related_or_removed_row(api, url, change):
    """No single date covers a list's or a composite answer's body: its agenda items, mandates,
    rows removed from it. So no Last-Modified: If-Modified-Since alone always gets the body; the
    body's ETag (If-None-Match) is what saves a harvester the download."""
    cop = MeetingFactory(code="cop-4", number=4, symbol_prefix="UNEP/MC/COP.4")
    MeetingFactory(code="cop-4-1", parent=cop, number=None)
    issued = AgendaVersionFactory(meeting=cop, number=1, status=AgendaStatus.ISSUED)
    AgendaItemFactory(version=issued, position=4, title_en="Matters for action")
    publish(register(cop, title_en="First"))
    publish(register(cop, title_en="Second"))
    decision = _decision(cop, 4, 1)
    if url == "DECISION":
        url = f"/api/v1/decisions/{decision.pk}/"
    first = api.get(url)
    assert first.status_code == 200
    # What a client sends back: the Last-Modified it was given, or the time it fetched.
    since = first.get("Last-Modified") or http_date(time.time())
    assert api.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    change(cop)
    changed = api.get(url, HTTP_IF_MODIFIED_SINCE=since)
    assert changed.status_code == 200 and changed.content != first.content
    assert api.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 200
    assert "Last-Modified" not in first and "Last-Modified" not in changed


def test_lists_are_paged(api):
    for n in range(3):
        MeetingFactory(code=f"m-{n}")
    page = api.get("/api/v1/meetings/", {"page_size": 2}).json()
    assert page["count"] == 3 and len(page["results"]) == 2 and page["next"].endswith("page=2&page_size=2")
    assert len(api.get(page["next"]).json()["results"]) == 1
    assert api.get("/api/v1/meetings/", {"page": 9}).status_code == 404


def test_visitors_are_held_to_the_pages_rate_limit(api, settings):
    settings.API_REQUESTS_PER_MINUTE = 3
    assert [api.get("/api/v1/parties/").status_code for _ in range(4)] == [200, 200, 200, 429]
    assert int(api.get("/api/v1/parties/")["Retry-After"]) <= 60


def _build_lists(n):
    cop = MeetingFactory(code=f"cop-{n}", number=n, symbol_prefix=f"UNEP/MC/COP.{n}")
    version = AgendaVersionFactory(meeting=cop, number=1, status=AgendaStatus.ISSUED)
    for i in range(n):
        item = AgendaItemFactory(version=version, position=i + 1)
        document = publish(register(cop, title_en=f"Note {i}"), languages=(Language.ENGLISH, Language.FRENCH))
        document.agenda_items.add(item)
        _decision(cop, n, i + 1)
        MeetingFactory(code=f"seg-{n}-{i}", parent=cop)
    return cop


@pytest.mark.parametrize(
    "url", ["/api/v1/meetings/", "/api/v1/documents/", "/api/v1/decisions/", "/api/v1/parties/", "MEETING"]
)
def test_lists_cost_the_same_queries_at_two_sizes(api, django_assert_num_queries, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = []
    for n in (2, 6):
        cop = _build_lists(n)
        target = f"/api/v1/meetings/{cop.code}/" if url == "MEETING" else url
        with CaptureQueriesContext(connection) as queries:
            assert api.get(target, {"page_size": 500}).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


def test_a_harvest_of_all_cop4_documents_with_their_language_files(api):
    cop4 = MeetingFactory(code="cop-4", number=4, symbol_prefix="UNEP/MC/COP.4", start_date=dt.date(2021, 11, 1), end_date=dt.date(2021, 11, 5))  # fmt: skip
    MeetingFactory(code="cop-2", number=2, symbol_prefix="UNEP/MC/COP.2")
    documents_demo.load()
    expected = set(documents_published(None).filter(meeting=cop4).values_list("symbol", flat=True))
    assert len(expected) >= 15
    harvested, files, url = {}, 0, reverse("api:documents") + "?meeting=cop-4&page_size=5"
    while url:
        page = api.get(url).json()
        for document in page["results"]:
            harvested[document["symbol"]] = document
        url = page["next"]
    assert set(harvested) == expected
    for document in harvested.values():
        assert document["languages"], document["symbol"]
        for version in document["languages"]:
            response = api.get(version["file_url"])
            assert response.status_code == 200, version["file_url"]
            body = b"".join(response.streaming_content) if response.streaming else response.content
            assert len(PdfReader(io.BytesIO(body)).pages) >= 1
            assert version["file"]["size"] == len(body)
            files += 1
    print(f"\nCOP-4 harvest: {len(harvested)} documents, {files} language files")
    assert files >= len(harvested)
