import datetime as dt
import io
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from accounts import roles
from documents import services
from documents.enums import Distribution, ProcessingStatus, Series
from documents.models import LanguageVersionFile
from tests.factories import AgendaItemFactory, MeetingFactory, StaffFactory, UserFactory

from .factories import docx_upload, pdf_bytes, publish, register, version

pytestmark = pytest.mark.django_db
S = ProcessingStatus


@pytest.fixture
def cop4():
    return MeetingFactory(
        code="cop-4", number=4, start_date=dt.date(2021, 11, 1), end_date=dt.date(2021, 11, 5)
    )


@pytest.fixture
def officer():
    return StaffFactory(roles=[roles.DOCUMENTS_OFFICER])


@pytest.fixture
def bureau_member(monkeypatch):
    member = UserFactory(roles=[roles.BUREAU_MEMBER])
    # The Bureau app decides who sits on the Bureau; documents only ask it.
    monkeypatch.setattr(
        "bureau.selectors.user_is_current_bureau_member", lambda user, on=None: user.pk == member.pk
    )
    return member


@pytest.fixture
def published_cop4(cop4):
    item4f = AgendaItemFactory(version__meeting=cop4, position=4, title_en="Matters for consideration")
    item5 = AgendaItemFactory(
        version=item4f.version, position=5, title_en="International cooperation and coordination"
    )
    docs = {
        "23": register(cop4, title_en="International cooperation and coordination", agenda_items=[item5]),
        "INF/17": register(
            cop4, Series.INFORMATION, title_en="Joint report on cooperation", agenda_items=[item5],
            not_formally_edited=True,
        ),
        "unlinked": register(cop4, title_en="Rapport de la réunion", title_fr="Rapport de la réunion"),
        "bureau": register(cop4, title_en="Bureau note on credentials", distribution=Distribution.BUREAU),
        "limited": register(cop4, Series.LIMITED, title_en="Draft decision on cooperation", distribution=Distribution.LIMITED),
        "unpublished": register(cop4, title_en="Still in translation"),
    }  # fmt: skip
    for key, document in docs.items():
        if key != "unpublished":
            publish(document, languages=["en", "ar"] if key == "23" else ["en"])
    return docs, item4f, item5


def test_public_list_groups_published_documents_by_agenda_item(client, cop4, published_cop4):
    docs, *_items = published_cop4
    response = client.get(reverse("documents:meeting", args=[cop4.code]))
    assert response.status_code == 200
    groups = [(g.heading, [d.symbol for d in g.documents]) for g in response.context["groups"]]
    assert groups == [
        ("Item 5: International cooperation and coordination", ["UNEP/MC/COP.4/1", "UNEP/MC/COP.4/INF/1"]),
        ("Other documents", ["UNEP/MC/COP.4/2"]),
    ]
    html = response.content.decode()
    assert 'lang="ar" dir="rtl" hreflang="ar">العربية</a>' in html
    assert reverse("documents:download", args=[docs["23"].pk, "ar"]) in html
    assert "Still in translation" not in html and "Bureau note" not in html and "Draft decision" not in html
    assert "Not formally edited" in html


def test_public_list_by_series_and_filters(client, cop4, published_cop4):
    _docs, _item4f, item5 = published_cop4
    url = reverse("documents:meeting", args=[cop4.code])

    def symbols(**params):
        response = client.get(url, params)
        return [d.symbol for g in response.context["groups"] for d in g.documents]

    assert [g.heading for g in client.get(url, {"group": "series"}).context["groups"]] == [
        "Working document", "Information document",
    ]  # fmt: skip
    assert symbols(language="ar") == ["UNEP/MC/COP.4/1"]
    assert symbols(series="INF") == ["UNEP/MC/COP.4/INF/1"]
    assert symbols(item=item5.pk) == ["UNEP/MC/COP.4/1", "UNEP/MC/COP.4/INF/1"]
    assert symbols(language="") == ["UNEP/MC/COP.4/1", "UNEP/MC/COP.4/INF/1", "UNEP/MC/COP.4/2"]
    refused = client.get(url, {"language": "xx"})
    assert refused.status_code == 400 and "“language” must be one of" in refused.content.decode()


def test_restricted_documents_only_for_those_allowed(client, cop4, published_cop4, bureau_member, officer):
    docs, *_ = published_cop4
    url = reverse("documents:meeting", args=[cop4.code])

    def listed(user):
        client.logout()
        if user:
            client.force_login(user)
        return {d.symbol for g in client.get(url).context["groups"] for d in g.documents}

    public = {"UNEP/MC/COP.4/1", "UNEP/MC/COP.4/INF/1", "UNEP/MC/COP.4/2"}
    assert listed(None) == public
    assert listed(UserFactory(roles=[roles.DELEGATE])) == public | {"UNEP/MC/COP.4/L.1"}
    assert listed(bureau_member) == public | {"UNEP/MC/COP.4/L.1", "UNEP/MC/COP.4/3"}
    assert listed(officer) == public | {"UNEP/MC/COP.4/L.1", "UNEP/MC/COP.4/3"}
    # The file and the page of a Bureau document are not found for others.
    client.logout()
    bureau_doc = docs["bureau"]
    assert client.get(reverse("documents:download", args=[bureau_doc.pk, "en"])).status_code == 404
    assert client.get(bureau_doc.get_absolute_url()).status_code == 404
    client.force_login(bureau_member)
    assert client.get(reverse("documents:download", args=[bureau_doc.pk, "en"])).status_code == 200


def test_download_serves_the_published_file_and_nothing_unpublished(client, cop4, published_cop4):
    docs, *_ = published_cop4
    response = client.get(reverse("documents:download", args=[docs["23"].pk, "en"]))
    assert response.status_code == 200
    body = b"".join(response.streaming_content)
    assert body.startswith(b"%PDF") and body == pdf_bytes()
    assert 'filename="unep-mc-cop4-1-en.pdf"' in response["Content-Disposition"]
    assert client.get(reverse("documents:download", args=[docs["23"].pk, "fr"])).status_code == 404
    assert client.get(reverse("documents:download", args=[docs["unpublished"].pk, "en"])).status_code == 404
    assert client.get(docs["unpublished"].get_absolute_url()).status_code == 404


def test_document_page_shows_arabic_right_to_left(client, cop4):
    document = register(cop4, title_en="Gender roadmap", title_ar="خارطة طريق للمساواة بين الجنسين")
    publish(document, languages=["en", "ar"])
    html = client.get(document.get_absolute_url()).content.decode()
    assert '<dd lang="ar" dir="rtl">خارطة طريق للمساواة بين الجنسين</dd>' in html
    assert '<dd lang="en">Gender roadmap</dd>' in html


def test_json_list_of_a_meetings_documents_is_the_apis_list_for_the_meeting(client, cop4, published_cop4):
    """/documents/meetings/<code>/documents.json answers as /api/v1/documents/?meeting=<code>
    (api/legacy.py)."""
    docs, *_ = published_cop4
    data = client.get(reverse("legacy:meeting_documents_json", args=[cop4.code])).json()
    assert (data["count"], data["next"], data["previous"]) == (3, None, None)
    assert [d["symbol"] for d in data["results"]] == [
        "UNEP/MC/COP.4/1",
        "UNEP/MC/COP.4/2",
        "UNEP/MC/COP.4/INF/1",
    ]
    assert {d["meeting"] for d in data["results"]} == {"cop-4"}
    first = data["results"][0]
    assert first["id"] == docs["23"].pk
    assert first["titles"] == {"en": "International cooperation and coordination"}
    assert [item["label"] for item in first["agenda_items"]] == ["5"]
    assert [lang["language"] for lang in first["languages"]] == ["ar", "en"]
    assert first["languages"][0]["file_url"] == "http://testserver" + reverse(
        "documents:download", args=[docs["23"].pk, "ar"]
    )
    assert data["results"][2]["not_formally_edited"] is True
    assert client.get(reverse("legacy:meeting_documents_json", args=["no-such-meeting"])).status_code == 404


def test_json_list_gives_languages_in_un_order_like_the_pages(client, cop4):
    # By code this would be en, es, fr, ru; the UN's order puts Spanish last.
    document = publish(register(cop4), languages=["es", "ru", "en", "fr"])
    data = client.get(reverse("legacy:meeting_documents_json", args=[cop4.code])).json()
    assert [lang["language"] for lang in data["results"][0]["languages"]] == ["en", "fr", "ru", "es"]
    page = client.get(document.get_absolute_url()).content.decode()
    assert [code for code in ("en", "fr", "ru", "es") if f'hreflang="{code}"' in page] == [
        "en",
        "fr",
        "ru",
        "es",
    ]
    assert page.index('hreflang="ru"') < page.index('hreflang="es"')


def _add_published(meeting, n, item):
    for i in range(n):
        publish(register(meeting, title_en=f"Note {i}", agenda_items=[item]), languages=["en", "fr"])


JSON_QUERIES = 8  # no Last-Modified query since the API answers with an ETag only


def test_public_list_query_count_does_not_grow(client, cop4, django_assert_num_queries):
    item = AgendaItemFactory(version__meeting=cop4, position=1)
    url = reverse("documents:meeting", args=[cop4.code])
    json_url = reverse("legacy:meeting_documents_json", args=[cop4.code])
    _add_published(cop4, 2, item)
    # Meeting, documents, languages, agenda items, item filter (a public page: no transaction).
    with django_assert_num_queries(5):
        assert client.get(url).context["count"] == 2
    # The API's list (api/legacy.py): savepoints, meeting, count, documents, their published
    # versions, their files, agenda items, the latest change (Last-Modified).
    with django_assert_num_queries(JSON_QUERIES):
        assert len(client.get(json_url).json()["results"]) == 2
    _add_published(cop4, 8, item)
    with django_assert_num_queries(5):
        assert client.get(url).context["count"] == 10
    with django_assert_num_queries(JSON_QUERIES):
        assert len(client.get(json_url).json()["results"]) == 10


def test_search_across_meetings_is_accent_insensitive(client, cop4):
    cop2 = MeetingFactory(code="cop-2", number=2)
    publish(register(cop2, title_en="Report of the Implementation and Compliance Committee"))
    publish(register(cop4, title_en="Meeting report", title_fr="Rapport de la réunion du Comité"))
    publish(register(cop4, title_en="Compliance committee: hidden", distribution=Distribution.BUREAU))
    register(cop4, title_en="Compliance committee, not yet published")
    url = reverse("documents:search")

    def found(q):
        return [d.symbol for d in client.get(url, {"q": q}).context["results"]]

    assert found("compliance committee") == ["UNEP/MC/COP.2/1"]
    assert found("reunion comite") == ["UNEP/MC/COP.4/1"]
    assert found("UNEP/MC/COP.4") == ["UNEP/MC/COP.4/1"]
    assert found("nothing-like-this") == []
    assert client.get(url).context["results"] == []


def test_search_query_count_does_not_grow(client, cop4, django_assert_num_queries):
    for n in (2, 7):
        while cop4.documents.count() < n:
            publish(register(cop4, title_en="Cooperation note"))
        with django_assert_num_queries(2):  # documents, their published languages (no transaction)
            assert len(client.get(reverse("documents:search"), {"q": "cooperation"}).context["results"]) == n


# --- Processing dashboard -----------------------------------------------------------------------


def test_dashboard_is_for_the_documents_officer_only(client, cop4):
    url = reverse("documents:processing", args=[cop4.code])
    assert client.get(url).status_code == 302
    client.force_login(UserFactory(roles=[roles.DELEGATE]))
    assert client.get(url).status_code == 403
    client.force_login(StaffFactory(roles=[roles.REGISTRATION_OFFICER]))
    assert client.get(url).status_code == 403
    assert client.get(reverse("documents:processing_xlsx", args=[cop4.code])).status_code == 403
    client.force_login(StaffFactory(roles=[roles.DOCUMENTS_OFFICER]))
    assert client.get(url).status_code == 200
    # Officers find the dashboard from the meeting's pages; nobody else sees the link.
    assert url in client.get(reverse("documents:meeting", args=[cop4.code])).content.decode()
    assert url in client.get(reverse("meetings:detail", args=[cop4.code])).content.decode()
    client.logout()
    assert url not in client.get(reverse("meetings:detail", args=[cop4.code])).content.decode()


@pytest.fixture
def upcoming():
    """A meeting eight weeks away: working documents are due in two weeks."""
    today = timezone.localdate()
    return MeetingFactory(
        code="cop-9",
        number=9,
        start_date=today + dt.timedelta(weeks=8),
        end_date=today + dt.timedelta(weeks=9),
    )


def test_dashboard_shows_what_is_late_and_at_risk(client, officer, upcoming):
    at_risk = register(upcoming, title_en="Due soon", languages=["en", "fr"])
    late = register(upcoming, Series.INFORMATION, title_en="Overdue", target_date=dt.date(2000, 1, 1))
    done = register(upcoming, title_en="Done", languages=["en"])
    publish(done)
    client.force_login(officer)
    url = reverse("documents:processing", args=[upcoming.code])
    response = client.get(url)
    rows = {
        r.document.symbol: [(c.language, c.status, c.timeliness) for c in r.cells]
        for r in response.context["rows"]
    }
    assert rows[at_risk.symbol][2:4] == [
        ("en", S.AWAITING_ORIGINAL, "at_risk"),
        ("fr", S.AWAITING_ORIGINAL, "at_risk"),
    ]
    assert rows[at_risk.symbol][0] == ("ar", S.NOT_REQUIRED, "done")
    assert all(t == "late" for _l, _s, t in rows[late.symbol])
    assert rows[done.symbol][2] == ("en", S.PUBLISHED, "done")
    assert (response.context["late"], response.context["at_risk"]) == (6, 2)
    html = response.content.decode()
    assert 'class="proc proc-awaiting_original timely-late"' in html
    assert "6 language versions late, 2 at risk" in html
    assert html.count(" · late</small>") == 6 and html.count(" · at risk</small>") == 2
    # Filters
    late_only = client.get(url, {"timeliness": "late"}).context["rows"]
    assert [r.document.symbol for r in late_only] == [late.symbol]
    published_fr = client.get(url, {"status": "published", "language": "fr"}).context["rows"]
    assert published_fr == []
    assert [r.document.symbol for r in client.get(url, {"series": "working"}).context["rows"]] == [
        at_risk.symbol, done.symbol,
    ]  # fmt: skip


def test_dashboard_query_count_does_not_grow(client, officer, cop4, django_assert_num_queries):
    client.force_login(officer)
    url = reverse("documents:processing", args=[cop4.code])
    for n in (2, 9):
        while cop4.documents.count() < n:
            register(cop4)
        # Session, user, two-factor check, two permission reads, savepoints, meeting, documents, versions.
        with django_assert_num_queries(10):
            assert len(client.get(url).context["rows"]) == n


def test_dashboard_exports_the_grid_to_xlsx(client, officer, upcoming):
    due = register(upcoming, title_en="Due soon", languages=["en", "fr"])
    publish(register(upcoming, title_en="Done", languages=["en"]))
    client.force_login(officer)
    response = client.get(reverse("documents:processing_xlsx", args=[upcoming.code]))
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:6] == ("Symbol", "Title", "Series", "Distribution", "Arabic", "Arabic target")
    assert rows[0][-2:] == ("Late", "At risk")
    assert rows[1][:4] == (due.symbol, "Due soon", "Working document", "General")
    assert rows[1][4] == "Not required"
    assert rows[1][8] == "Awaiting original (at risk)"
    assert rows[1][9].date() == upcoming.start_date - dt.timedelta(weeks=6)
    assert rows[1][-2:] == (0, 2)
    assert rows[2][8] == "Published"
    assert len(rows) == 3
    filtered = client.get(reverse("documents:processing_xlsx", args=[upcoming.code]), {"status": "published"})
    assert len(list(load_workbook(io.BytesIO(filtered.content)).active.iter_rows())) == 2


def test_officer_moves_a_version_through_the_views(client, officer, cop4):
    v = version(register(cop4))
    client.force_login(officer)
    transition = reverse("documents:version_transition", args=[v.pk])
    response = client.post(transition, {"action": "publish"}, follow=True)
    assert "cannot become “Published”" in response.content.decode()
    v.refresh_from_db()
    assert v.status == S.AWAITING_ORIGINAL
    client.post(transition, {"action": "submit", "note": "Sent to DCS"})
    client.post(transition, {"action": "start_processing"})
    bad = client.post(
        reverse("documents:version", args=[v.pk]),
        {"file": io.BytesIO(b"not a pdf at all")},
        follow=True,
    )
    assert "File: The file is not a PDF or Word document" in bad.content.decode()
    assert not LanguageVersionFile.objects.exists()
    client.post(reverse("documents:version", args=[v.pk]), {"file": docx_upload()})
    client.post(transition, {"action": "mark_ready"})
    client.post(transition, {"action": "publish"})
    v.refresh_from_db()
    assert v.status == S.PUBLISHED
    assert list(v.steps.values_list("to_status", "by", "note")) == [
        (S.SUBMITTED, officer.pk, "Sent to DCS"),
        (S.IN_PROCESSING, officer.pk, ""),
        (S.READY, officer.pk, ""),
        (S.PUBLISHED, officer.pk, ""),
    ]
    page = client.get(reverse("documents:version", args=[v.pk])).content.decode()
    assert "Awaiting original → Submitted to conference services" in page
    stored = v.files.get()
    assert client.get(reverse("documents:file", args=[stored.pk])).status_code == 200


def test_version_page_offers_the_moves_of_the_table_from_its_status(client, officer, cop4):
    v = version(register(cop4))
    services.language_version_submit(version=v)
    services.language_version_start_processing(version=v)
    services.language_version_upload(version=v, uploaded=docx_upload())
    services.language_version_mark_ready(version=v)
    client.force_login(officer)
    url = reverse("documents:version", args=[v.pk])
    buttons = re.findall(
        r'<button type="submit" name="action" value="(\w+)">([^<]+)</button>',
        client.get(url).content.decode(),
    )
    # A ready version may also be dropped: the old button list left "Not required" out.
    assert buttons == [
        ("publish", "Publish"),
        ("send_back", "Send back to editing"),
        ("mark_not_required", "Not required"),
    ]
    services.language_version_publish(version=v)
    page = client.get(url).content.decode()
    assert 'name="action"' not in page and 'type="file"' not in page


def test_only_officers_touch_versions_and_private_files(client, cop4):
    v = version(register(cop4))
    stored = services.language_version_upload(version=v, uploaded=docx_upload())
    client.force_login(UserFactory())
    assert (
        client.post(reverse("documents:version_transition", args=[v.pk]), {"action": "submit"}).status_code
        == 403
    )
    assert client.get(reverse("documents:file", args=[stored.pk])).status_code == 403
    v.refresh_from_db()
    assert v.status == S.AWAITING_ORIGINAL


def test_admin_registers_a_document_with_an_issued_symbol(client, cop4):
    admin = StaffFactory(is_superuser=True)
    client.force_login(admin)
    response = client.post(
        reverse("admin:documents_document_add"),
        {
            "meeting": cop4.pk, "new_series": "INF", "symbol_as_issued": "", "title_en": "Joint report",
            "author": "Secretariat", "distribution": "general", "original_language": "en",
        },
    )  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:3000]
    assert cop4.documents.get().symbol == "UNEP/MC/COP.4/INF/1"
    assert cop4.documents.get().versions.count() == 6
    bad = client.post(
        reverse("admin:documents_document_add"),
        {
            "symbol_as_issued": "UNEP/MC/COP.4/23/add.1",
            "title_en": "x",
            "distribution": "general",
            "original_language": "en",
        },
    )
    assert bad.status_code == 200
    assert "does not end with a document number" in bad.content.decode()
    assert cop4.documents.count() == 1


def test_meeting_page_lists_its_published_documents_by_agenda_item(client, cop4, published_cop4):
    docs, *_ = published_cop4
    response = client.get(reverse("meetings:detail", args=[cop4.code]))
    assert response.status_code == 200
    html = response.content.decode()
    section = html[html.index('id="meeting-documents-heading"') :]
    assert section.index("Item 5: International cooperation and coordination") < section.index(
        "UNEP/MC/COP.4/INF/1"
    )
    assert "UNEP/MC/COP.4/INF/1" in section and "Other documents" in section
    assert "Bureau note on credentials" not in section
    assert reverse("documents:download", args=[docs["23"].pk, "ar"]) in section


def test_officer_issues_a_corrigendum_and_sets_a_target(client, officer, cop4):
    document = register(cop4, title_en="International cooperation and coordination")
    client.force_login(officer)
    response = client.post(reverse("documents:supplement", args=[document.pk]), {"kind": "Corr"}, follow=True)
    assert "UNEP/MC/COP.4/1/Corr.1 issued." in response.content.decode()
    corrigendum = document.supplements.get()
    assert (corrigendum.symbol, corrigendum.supplement_kind) == ("UNEP/MC/COP.4/1/Corr.1", "Corr")
    bad = client.post(reverse("documents:supplement", args=[document.pk]), {"kind": "Erratum"}, follow=True)
    assert "kind: Choose addendum, revision or corrigendum." in bad.content.decode()
    assert document.supplements.count() == 1
    v = version(document, "fr")
    client.post(reverse("documents:version_target", args=[v.pk]), {"target_date": "2021-09-01"})
    v.refresh_from_db()
    assert v.target_date == dt.date(2021, 9, 1)
    wrong = client.post(
        reverse("documents:version_target", args=[v.pk]), {"target_date": "1 Sept"}, follow=True
    )
    assert "Target date: enter a date as YYYY-MM-DD." in wrong.content.decode()
    v.refresh_from_db()
    assert v.target_date == dt.date(2021, 9, 1)
    client.force_login(UserFactory())
    assert (
        client.post(reverse("documents:supplement", args=[document.pk]), {"kind": "Add"}).status_code == 403
    )


def test_admin_pages_render_for_the_secretariat(client, cop4):
    document = register(cop4)
    client.force_login(StaffFactory(is_superuser=True))
    for url in (
        reverse("admin:documents_document_changelist"),
        reverse("admin:documents_document_change", args=[document.pk]),
        reverse("admin:documents_document_add") + f"?meeting={cop4.pk}",
        reverse("admin:documents_callforsubmissions_add"),
        reverse("admin:documents_submission_add"),
        reverse("admin:documents_symbolcounter_changelist"),
    ):
        assert client.get(url).status_code == 200, url
    # The dashboard's "Register a document" link opens the form with its meeting filled in, and the
    # change page is the document's own.
    add = client.get(reverse("admin:documents_document_add") + f"?meeting={cop4.pk}")
    assert str(add.context["adminform"].form.initial["meeting"]) == str(cop4.pk)
    change = client.get(reverse("admin:documents_document_change", args=[document.pk]))
    assert change.context["adminform"].form.instance == document
    assert document.symbol in change.content.decode()
