"""Meetings' reports published (issue 13): a Bureau meeting's, a committee's and a COP's report is
restricted to the Bureau and the secretariat until staff publish it, then on the public pages in
every language it has a file in, the visitor's first; publishing and withdrawing keep who and when."""

import datetime as dt
import re
import subprocess

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from accounts import demo as accounts_demo
from accounts import roles
from bureau import demo as bureau_demo
from bureau.enums import ReportStatus
from bureau.models import MeetingReport, ReportFile
from bureau.services import (
    bureau_meeting_report_save,
    meeting_report_file_remove,
    meeting_report_file_save,
    meeting_report_publish,
    meeting_report_update,
    meeting_report_withdraw,
)
from meetings import demo as meetings_demo
from meetings.enums import MeetingKind
from minamata_portal import publiccache
from tests.documents.factories import docx_bytes, pdf_bytes
from tests.factories import MeetingFactory, StaffFactory, UserFactory

pytestmark = pytest.mark.django_db

ENGLISH_PDF = pdf_bytes(1)
FRENCH_PDF = pdf_bytes(2)
SPANISH_DOCX = docx_bytes()


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _pdf(name="report.pdf", content=ENGLISH_PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def _bureau_meeting(today, code="bureau-rep"):
    return MeetingFactory(
        kind=MeetingKind.BUREAU, code=code, number=None, start_date=today, end_date=today,
        title_en="Meeting of the Bureau", title_fr="Réunion du Bureau",
    )  # fmt: skip


@pytest.fixture
def bureau_meeting(today):
    return _bureau_meeting(today)


@pytest.fixture
def report(bureau_meeting, staff):
    """A Bureau meeting's report in English and French, not published."""
    meeting_report_file_save(meeting=bureau_meeting, language="en", file=_pdf(), by=staff)
    meeting_report_file_save(
        meeting=bureau_meeting, language="fr", file=_pdf("rapport.pdf", FRENCH_PDF), by=staff
    )
    return MeetingReport.objects.get(meeting=bureau_meeting)


@pytest.fixture
def member(current_bureau):
    _term, members = current_bureau
    return members[0].user


def _read(response) -> bytes:
    return b"".join(response.streaming_content)


def _state(meeting):
    """What a refused action must leave as it was: the report, its files, its history."""
    report = MeetingReport.objects.filter(meeting=meeting).first()
    if report is None:
        return None
    return (
        report.status,
        report.published_at,
        report.published_by_id,
        sorted(report.files.values_list("language", "file", "kind")),
        report.history.count(),
    )


# --- Publishing and withdrawing -----------------------------------------------------------------


def test_staff_publish_a_report_and_its_history_says_who_and_when(report, staff):
    published = meeting_report_publish(report=report, by=staff)
    assert (published.status, published.published_by) == (ReportStatus.PUBLISHED, staff)
    assert published.published_at is not None
    latest = published.history.first()
    assert (latest.status, latest.history_user, latest.published_at) == (
        ReportStatus.PUBLISHED, staff, published.published_at,
    )  # fmt: skip


def test_a_withdrawn_report_is_restricted_again_and_the_history_keeps_its_publication(report, staff):
    other = StaffFactory(roles=[roles.SECRETARIAT_ADMIN])
    published = meeting_report_publish(report=report, by=staff)
    withdrawn = meeting_report_withdraw(report=published, by=other)
    assert (withdrawn.status, withdrawn.published_at, withdrawn.published_by) == (
        ReportStatus.RESTRICTED, None, None,
    )  # fmt: skip
    rows = list(withdrawn.history.order_by("history_date", "history_id"))
    assert [(r.status, r.history_user) for r in rows[-2:]] == [
        (ReportStatus.PUBLISHED, staff),
        (ReportStatus.RESTRICTED, other),
    ]
    assert rows[-2].published_at == published.published_at and rows[-2].published_by_id == staff.pk


def test_a_report_without_a_file_is_not_published(bureau_meeting, staff):
    bureau_meeting_report_save(meeting=bureau_meeting, report="Summary only.", by=staff)
    meeting_report_file_save(meeting=bureau_meeting, language="en", file=_pdf(), by=staff)
    report = MeetingReport.objects.get(meeting=bureau_meeting)
    meeting_report_file_remove(report=report, language="en", by=staff)
    before = _state(bureau_meeting)
    with pytest.raises(ValidationError) as caught:
        meeting_report_publish(report=report, by=staff)
    assert caught.value.messages == ["Upload the report in one language at least before publishing it."]
    assert _state(bureau_meeting) == before


def test_a_published_report_cannot_be_published_again_nor_a_restricted_one_withdrawn(report, staff):
    with pytest.raises(ValidationError) as caught:
        meeting_report_withdraw(report=report, by=staff)
    assert caught.value.messages == [
        "This is “Restricted (Bureau and secretariat)” and cannot become “Restricted (Bureau and secretariat)”."
    ]
    published = meeting_report_publish(report=report, by=staff)
    with pytest.raises(ValidationError) as caught:
        meeting_report_publish(report=published, by=staff)
    assert caught.value.messages == ["This is “Published” and cannot become “Published”."]


def test_a_published_report_keeps_one_language(report, staff):
    published = meeting_report_publish(report=report, by=staff)
    meeting_report_file_remove(report=published, language="fr", by=staff)
    with pytest.raises(ValidationError) as caught:
        meeting_report_file_remove(report=published, language="en", by=staff)
    assert caught.value.message_dict == {
        "language": ["A published report keeps one language at least: withdraw it first."]
    }
    assert list(published.files.values_list("language", flat=True)) == ["en"]


# --- Files: one per language, checked by content and size ----------------------------------------


def test_a_new_file_replaces_the_one_in_its_language_and_the_history_keeps_both(report, staff):
    other = StaffFactory(roles=[roles.SECRETARIAT_ADMIN])
    first = report.files.get(language="en")
    replaced = meeting_report_file_save(
        meeting=report.meeting, language="en", file=_pdf("v2.pdf", pdf_bytes(3)), by=other
    )
    assert replaced.pk == first.pk and replaced.file.name != first.file.name
    assert report.files.count() == 2
    assert (replaced.original_name, replaced.size, replaced.uploaded_by) == (
        "v2.pdf",
        len(pdf_bytes(3)),
        other,
    )
    uploads = ReportFile.history.filter(id=first.pk).order_by("history_date", "history_id")
    assert [(h.file, h.history_user) for h in uploads] == [
        (first.file.name, staff),
        (replaced.file.name, other),
    ]


def test_a_file_that_is_not_what_it_says_is_refused_and_nothing_is_stored(bureau_meeting, staff):
    fake = SimpleUploadedFile(
        "report.pdf", b"<html><script>alert(1)</script></html>", content_type="application/pdf"
    )
    with pytest.raises(ValidationError) as caught:
        meeting_report_file_save(meeting=bureau_meeting, language="en", file=fake, by=staff)
    assert caught.value.message_dict == {
        "file": ["The file is not a PDF or Word document (its content was checked, not its name)."]
    }
    assert not MeetingReport.objects.exists() and not ReportFile.objects.exists()


def test_a_file_larger_than_the_limit_is_refused(bureau_meeting, staff, settings):
    settings.UPLOAD_MAX_BYTES = 100
    with pytest.raises(ValidationError) as caught:
        meeting_report_file_save(meeting=bureau_meeting, language="en", file=_pdf(), by=staff)
    assert caught.value.message_dict == {"file": ["The file is larger than 100\xa0bytes."]}
    assert not ReportFile.objects.exists()


def test_a_language_that_is_not_one_of_the_six_is_refused(bureau_meeting, staff):
    with pytest.raises(ValidationError) as caught:
        meeting_report_file_save(meeting=bureau_meeting, language="de", file=_pdf(), by=staff)
    assert caught.value.message_dict == {"language": ["Choose one of the six official languages."]}
    assert not ReportFile.objects.exists()


def test_a_symbol_longer_than_its_field_is_refused(bureau_meeting, staff):
    with pytest.raises(ValidationError) as caught:
        meeting_report_update(meeting=bureau_meeting, symbol="UNEP/MC/COP.2/" + "1" * 120, by=staff)
    assert caught.value.message_dict == {"symbol": ["The symbol is longer than 120 characters."]}
    assert not MeetingReport.objects.filter(meeting=bureau_meeting).exists()


def test_a_word_file_is_kept_with_its_kind(bureau_meeting, staff):
    stored = meeting_report_file_save(
        meeting=bureau_meeting, language="es", file=SimpleUploadedFile("informe.docx", SPANISH_DOCX), by=staff
    )
    assert (stored.kind, stored.file.name.endswith(".docx")) == ("docx", True)


# --- Who sees what: restricted until published ----------------------------------------------------


def _urls(meeting):
    return {
        "page": reverse("bureau:report", args=[meeting.code]),
        "file": reverse("bureau:report_file", args=[meeting.code, "en"]),
        "list": reverse("bureau:reports"),
        "meeting": reverse("meetings:detail", args=[meeting.code]),
    }


def _client(user):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.mark.parametrize("who", ["anonymous", "delegate", "documents officer"])
def test_the_public_delegates_and_other_staff_do_not_see_a_report_until_published(report, who, staff):
    user = {
        "anonymous": None,
        "delegate": UserFactory(roles=[roles.DELEGATE]),
        "documents officer": StaffFactory(roles=[roles.DOCUMENTS_OFFICER]),
    }[who]
    client, urls = _client(user), _urls(report.meeting)
    assert client.get(urls["page"]).status_code == 404
    assert client.get(urls["file"]).status_code == 404
    assert client.get(reverse("bureau:report_file", args=[report.meeting.code, "fr"])).status_code == 404
    assert report.meeting.code not in client.get(urls["list"]).content.decode()
    assert 'id="report-heading"' not in client.get(urls["meeting"]).content.decode()

    meeting_report_publish(report=report, by=staff)
    page = client.get(urls["page"])
    assert page.status_code == 200
    response = client.get(urls["file"])
    assert (response.status_code, _read(response)) == (200, ENGLISH_PDF)
    assert response["Content-Disposition"] == f'inline; filename="{report.meeting.code}-report-en.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert f'id="report-{report.meeting.code}"' in client.get(urls["list"]).content.decode()
    assert 'id="report-heading"' in client.get(urls["meeting"]).content.decode()


@pytest.mark.parametrize("who", ["Bureau member", "staff"])
def test_bureau_members_and_staff_see_a_report_before_it_is_published(report, who, member, staff):
    client, urls = _client(member if who == "Bureau member" else staff), _urls(report.meeting)
    page = client.get(urls["page"]).content.decode()
    assert "Restricted (Bureau and secretariat)" in page
    response = client.get(urls["file"])
    assert (response.status_code, _read(response)) == (200, ENGLISH_PDF)
    listing = client.get(urls["list"]).content.decode()
    assert (
        f'id="report-{report.meeting.code}"' in listing and "Restricted (Bureau and secretariat)" in listing
    )
    assert 'id="report-heading"' in client.get(urls["meeting"]).content.decode()


def test_a_former_bureau_member_no_longer_sees_a_restricted_report(report):
    former = UserFactory(roles=[roles.BUREAU_MEMBER])
    assert _client(former).get(_urls(report.meeting)["page"]).status_code == 404


# --- Only staff publish ---------------------------------------------------------------------------


def test_staff_publish_and_withdraw_from_the_report_page(report, staff):
    client, url = _client(staff), _urls(report.meeting)["page"]
    assert client.post(url, {"action": "publish"}).status_code == 302
    report.refresh_from_db()
    assert (report.status, report.published_by) == (ReportStatus.PUBLISHED, staff)
    page = client.get(url).content.decode()
    assert "Withdraw the report from the public pages" in page and str(staff) in page
    assert client.post(url, {"action": "withdraw"}).status_code == 302
    report.refresh_from_db()
    assert (report.status, report.published_at) == (ReportStatus.RESTRICTED, None)


@pytest.mark.parametrize(
    ("who", "restricted_answer", "published_answer"),
    [
        ("anonymous", 404, 403),  # hidden while restricted; refused once readable
        ("delegate", 404, 403),
        ("Bureau member", 403, 403),
        ("documents officer", 404, 403),
    ],
)
def test_only_staff_publish_or_withdraw(report, staff, member, who, restricted_answer, published_answer):
    user = {
        "anonymous": None,
        "delegate": UserFactory(roles=[roles.DELEGATE]),
        "Bureau member": member,
        "documents officer": StaffFactory(roles=[roles.DOCUMENTS_OFFICER]),
    }[who]
    client, url = _client(user), _urls(report.meeting)["page"]
    before = _state(report.meeting)
    assert client.post(url, {"action": "publish"}).status_code == restricted_answer
    upload = {"action": "upload", "language": "ru", "file": _pdf()}
    assert client.post(url, upload).status_code == restricted_answer
    assert _state(report.meeting) == before
    meeting_report_publish(report=report, by=staff)
    before = _state(report.meeting)
    response = client.post(url, {"action": "withdraw"})
    assert response.status_code == published_answer
    assert client.post(url, {"action": "remove", "language": "fr"}).status_code == published_answer
    assert _state(report.meeting) == before


def test_staff_upload_a_report_for_a_meeting_that_had_none(staff, today):
    cop = MeetingFactory(code="cop-rep", number=9, kind=MeetingKind.COP, start_date=today, end_date=today)
    client, url = _client(staff), _urls(cop)["page"]
    assert "No file yet." in client.get(url).content.decode()
    refused = {"action": "upload", "language": "en", "file": SimpleUploadedFile("r.pdf", b"MZ\x90\x00")}
    response = client.post(url, refused)
    assert response.status_code == 400
    assert response.context["upload_form"].errors == {
        "file": ["The file is not a PDF or Word document (its content was checked, not its name)."]
    }
    assert not MeetingReport.objects.filter(meeting=cop).exists()
    assert client.post(url, {"action": "upload", "language": "en", "file": _pdf()}).status_code == 302
    assert client.post(url, {"action": "symbol", "symbol": "UNEP/MC/COP.9/30"}).status_code == 302
    report = MeetingReport.objects.get(meeting=cop)
    assert (report.symbol, report.status, list(report.files.values_list("language", flat=True))) == (
        "UNEP/MC/COP.9/30", ReportStatus.RESTRICTED, ["en"],
    )  # fmt: skip
    assert report.history.first().history_user == staff


def test_publishing_an_empty_report_from_the_page_says_why(staff, today):
    cop = MeetingFactory(code="cop-empty", number=9, kind=MeetingKind.COP, start_date=today, end_date=today)
    response = _client(staff).post(_urls(cop)["page"], {"action": "publish"}, follow=True)
    assert "Upload the report in one language at least before publishing it." in response.content.decode()
    assert not MeetingReport.objects.filter(meeting=cop, status=ReportStatus.PUBLISHED).exists()


def test_a_get_changes_nothing(report, staff):
    before = _state(report.meeting)
    _client(staff).get(_urls(report.meeting)["page"] + "?action=publish")
    assert _state(report.meeting) == before


# --- In the languages available, the visitor's first --------------------------------------------


def _languages(html: str) -> list[str]:
    return re.findall(r'<a href="/[^"]*/reports/[^"]+/(\w\w)/" lang=', html)


def test_the_visitors_language_comes_first_and_the_others_follow_in_un_order(report, staff):
    meeting_report_file_save(
        meeting=report.meeting, language="es", file=SimpleUploadedFile("i.docx", SPANISH_DOCX), by=staff
    )
    meeting_report_file_save(meeting=report.meeting, language="ar", file=_pdf(), by=staff)
    meeting_report_publish(report=report, by=staff)
    urls = _urls(report.meeting)
    for accept, expected in (("fr", ["fr", "ar", "en", "es"]), ("es", ["es", "ar", "en", "fr"])):
        client = Client(HTTP_ACCEPT_LANGUAGE=accept)
        assert _languages(client.get(urls["list"]).content.decode()) == expected
        assert _languages(client.get(urls["meeting"]).content.decode()) == expected
        assert _languages(client.get(urls["page"]).content.decode()) == expected
    english = Client(HTTP_ACCEPT_LANGUAGE="en").get(urls["list"]).content.decode()
    assert _languages(english) == ["en", "ar", "fr", "es"]
    assert 'lang="ar" hreflang="ar" dir="rtl">العربية</a>' in english


def test_the_bureau_meetings_own_address_serves_the_visitors_language(report, staff):
    meeting_report_publish(report=report, by=staff)
    url = reverse("bureau:meeting_report_file", args=[report.meeting.code])
    assert _read(Client(HTTP_ACCEPT_LANGUAGE="fr").get(url)) == FRENCH_PDF
    assert _read(Client(HTTP_ACCEPT_LANGUAGE="en").get(url)) == ENGLISH_PDF
    # A language the report lacks: the first the report has in the UN's order.
    assert _read(Client(HTTP_ACCEPT_LANGUAGE="es").get(url)) == ENGLISH_PDF


def test_the_list_groups_the_bureaus_the_committees_and_the_meetings_reports(staff, today):
    kinds = {
        "bureau-g": MeetingKind.BUREAU,
        "icc-g": MeetingKind.COMPLIANCE_COMMITTEE,
        "sip-g": MeetingKind.SIP_BOARD,
        "cop-g": MeetingKind.COP,
        "expert-g": MeetingKind.EXPERT_GROUP,
    }
    for days, (code, kind) in enumerate(kinds.items()):
        meeting = MeetingFactory(
            code=code, kind=kind, number=9 if kind == MeetingKind.COP else None,
            start_date=today - dt.timedelta(days=days), end_date=today,
        )  # fmt: skip
        meeting_report_file_save(meeting=meeting, language="en", file=_pdf(), by=staff)
        if code != "expert-g":
            meeting_report_publish(report=meeting.meeting_report, by=staff)
    html = Client().get(reverse("bureau:reports")).content.decode()
    sections = re.findall(r'<h2 id="reports-(\w+)">|id="report-([\w-]+)"', html)
    assert [a or b for a, b in sections] == [
        "bureau",
        "bureau-g",
        "committees",
        "icc-g",
        "sip-g",
        "meetings",
        "cop-g",
    ]


def test_the_list_uses_a_fixed_number_of_queries(staff, today, django_assert_num_queries):
    def add(n):
        for i in range(n):
            meeting = MeetingFactory(
                code=f"q-{n}-{i}", kind=MeetingKind.BUREAU, number=None, start_date=today, end_date=today
            )
            meeting_report_file_save(meeting=meeting, language="en", file=_pdf(), by=staff)
            meeting_report_file_save(meeting=meeting, language="fr", file=_pdf(), by=staff)
            meeting_report_publish(report=meeting.meeting_report, by=staff)

    for n in (1, 4):
        add(n)
        with django_assert_num_queries(2):  # reports with their meetings, then their files
            assert Client().get(reverse("bureau:reports")).status_code == 200


# --- The public pages' cache ---------------------------------------------------------------------


def test_publishing_and_withdrawing_replace_the_cached_public_pages(report, staff, settings):
    settings.PUBLIC_CACHE_SECONDS = 600
    urls = _urls(report.meeting)
    for url in (urls["list"], urls["meeting"]):
        assert f"/reports/{report.meeting.code}/en/" not in Client().get(url).content.decode()
    generation = publiccache.generation()
    meeting_report_publish(report=report, by=staff)
    assert publiccache.generation() > generation
    for url in (urls["list"], urls["meeting"]):
        assert f"/reports/{report.meeting.code}/en/" in Client().get(url).content.decode()
    meeting_report_withdraw(report=MeetingReport.objects.get(pk=report.pk), by=staff)
    for url in (urls["list"], urls["meeting"]):
        assert f"/reports/{report.meeting.code}/en/" not in Client().get(url).content.decode()


# --- The admin ------------------------------------------------------------------------------------


def test_the_admin_publishes_and_withdraws_through_the_services(report, staff, bureau_meeting, today):
    empty = _bureau_meeting(today, code="bureau-empty")
    meeting_report_file_save(meeting=empty, language="en", file=_pdf(), by=staff)
    empty_report = empty.meeting_report
    meeting_report_file_remove(report=empty_report, language="en", by=staff)
    client = _client(staff)
    url = reverse("admin:bureau_meetingreport_changelist")
    data = {"action": "publish", "_selected_action": [report.pk, empty_report.pk]}
    response = client.post(url, data, follow=True)
    page = response.content.decode()
    assert "1 report(s) published." in page
    assert "Upload the report in one language at least before publishing it." in page
    report.refresh_from_db()
    empty_report.refresh_from_db()
    assert (report.status, report.history.first().history_user) == (ReportStatus.PUBLISHED, staff)
    assert empty_report.status == ReportStatus.RESTRICTED
    client.post(url, {"action": "withdraw", "_selected_action": [report.pk]})
    report.refresh_from_db()
    assert report.status == ReportStatus.RESTRICTED


def test_staff_without_the_bureaus_permissions_cannot_publish_through_the_admin(report):
    officer = StaffFactory(roles=[roles.DOCUMENTS_OFFICER])
    url = reverse("admin:bureau_meetingreport_changelist")
    response = _client(officer).post(url, {"action": "publish", "_selected_action": [report.pk]})
    assert response.status_code == 403
    report.refresh_from_db()
    assert report.status == ReportStatus.RESTRICTED


# --- The demo -------------------------------------------------------------------------------------


def _pdftotext(data: bytes, tmp_path) -> str:
    path = tmp_path / "report.pdf"
    path.write_bytes(data)
    return subprocess.run(["pdftotext", str(path), "-"], check=True, capture_output=True, text=True).stdout


def test_the_demo_publishes_the_bureaus_reports_of_2018_and_the_committees(tmp_path):
    accounts_demo.load()
    meetings_demo.load()
    counts = bureau_demo.load()
    reports = {r.meeting.code: r for r in MeetingReport.objects.select_related("meeting")}
    assert {code: (r.status, r.symbol) for code, r in reports.items()} == {
        "bureau-2017-12": (ReportStatus.RESTRICTED, ""),
        "bureau-2018-04": (ReportStatus.PUBLISHED, ""),
        "bureau-2018-09": (ReportStatus.PUBLISHED, ""),
        "icc-1": (ReportStatus.PUBLISHED, "UNEP/MC/COP.2/11"),
        "icc-online-2021": (ReportStatus.PUBLISHED, "UNEP/MC/COP.4/15"),
    }
    assert counts["meeting reports published"] == 4
    assert sorted(reports["icc-1"].files.values_list("language", flat=True)) == ["en", "es", "fr"]
    stored = reports["bureau-2018-09"].files.get()
    assert (stored.language, stored.kind) == ("en", "pdf")
    with stored.file.open("rb") as handle:
        text = " ".join(_pdftotext(handle.read(), tmp_path).split())
    assert "Meeting face to face in Geneva, the Bureau discussed strategic and policy matters" in text
    # Loading again keeps what exists: no second file, no second publication.
    bureau_demo.load()
    assert ReportFile.objects.count() == 7
    assert reports["bureau-2018-09"].history.filter(status=ReportStatus.PUBLISHED).count() == 1
