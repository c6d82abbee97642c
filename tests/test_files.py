"""Every stored file is served safely (issue 14): typed by the kind its bytes were checked as, as an
attachment unless it is a PDF the page means to show, never sniffed, under a name the portal
chooses; every upload is checked (a PDF with no root is refused); oversized requests are refused
before their body is read."""

import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory
from django.urls import reverse
from pypdf import PdfWriter
from pypdf.generic import DecodedStreamObject, NameObject

from accounts import roles
from bureau.models import ReportFile
from bureau.services import bureau_meeting_report_save
from documents import services as document_services
from meetings.enums import MeetingKind
from minamata_portal.middleware import FORM_FIELDS_MARGIN, RequestSizeLimitMiddleware
from minamata_portal.uploads import FileKind, check_upload
from participants.errors import RegistrationError
from participants.services.focal_points import nomination_letter_check
from tests.documents.factories import docx_upload, pdf_bytes, register, version
from tests.factories import MeetingFactory, StaffFactory

pytestmark = pytest.mark.django_db

HOSTILE_SCRIPT = b"<html><script>document.title='pwned';alert(1)</script></html>"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def hostile_pdf() -> bytes:
    """A valid PDF (it passes the content check) whose page content stream carries a page with a
    script: read as HTML, the script runs."""
    writer = PdfWriter()
    page = writer.add_blank_page(width=200, height=200)
    stream = DecodedStreamObject()
    stream.set_data(b"% " + HOSTILE_SCRIPT + b"\n")
    page[NameObject("/Contents")] = writer._add_object(stream)
    buffer = io.BytesIO()
    writer.write(buffer)
    data = buffer.getvalue()
    assert HOSTILE_SCRIPT in data
    return data


def pdf_without_root() -> bytes:
    """A hand-made PDF 1.4 whose trailer names no catalogue (/Root). pypdf would find the catalogue
    object by searching and read it; other readers do not."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
    ]
    out, offsets = b"%PDF-1.4\n", []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    return out + b"trailer\n<< /Size 4 >>\nstartxref\n%d\n%%%%EOF\n" % xref


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def staff():
    return StaffFactory(roles=[roles.SECRETARIAT_ADMIN])


def _bureau_meeting(code="bureau-files"):
    today = dt.date.today()
    return MeetingFactory(kind=MeetingKind.BUREAU, code=code, number=None, start_date=today, end_date=today)


def _download_headers(response) -> dict:
    return {k: response[k] for k in ("Content-Type", "Content-Disposition", "X-Content-Type-Options")}


# --- Serving ------------------------------------------------------------------------------------


def test_a_pdf_named_html_with_a_script_is_stored_and_served_as_a_pdf_attachment(client, staff):
    _bureau_meeting()
    client.force_login(staff)
    upload = SimpleUploadedFile("x.html", hostile_pdf(), content_type="text/html")
    page = reverse("bureau:meeting", args=["bureau-files"])
    assert client.post(page, {"action": "report", "report": "", "report_file": upload}).status_code == 302
    stored = ReportFile.objects.get(report__meeting__code="bureau-files")
    # Stored under a random name with the checked kind's extension, not the uploader's.
    assert stored.kind == FileKind.PDF
    assert stored.file.name.startswith("bureau/reports/en/") and stored.file.name.endswith(".pdf")
    assert len(stored.file.name.rsplit("/", 1)[-1]) == len("0" * 32 + ".pdf")

    response = client.get(reverse("bureau:meeting_report_file", args=["bureau-files"]))
    assert response.status_code == 200
    assert _download_headers(response) == {
        "Content-Type": "application/pdf",
        "Content-Disposition": 'attachment; filename="bureau-files-report.pdf"',
        "X-Content-Type-Options": "nosniff",
    }
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_a_report_stored_before_kinds_were_kept_goes_out_as_an_opaque_attachment(client, staff):
    meeting = _bureau_meeting("bureau-old")
    record = bureau_meeting_report_save(
        meeting=meeting, report_file=SimpleUploadedFile("r.pdf", pdf_bytes()), by=staff
    )
    ReportFile.objects.filter(report__meeting=record.meeting).update(kind="")
    client.force_login(staff)
    response = client.get(reverse("bureau:meeting_report_file", args=["bureau-old"]))
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"] == 'attachment; filename="bureau-old-report.bin"'


def test_a_docx_is_served_as_an_attachment_with_the_docx_type_whatever_its_name(client):
    meeting = MeetingFactory(code="cop-files", number=4)
    v = version(register(meeting, title_en="In translation"))
    stored = document_services.language_version_upload(version=v, uploaded=docx_upload(name="page.html"))
    assert stored.kind == FileKind.DOCX and stored.file.name.endswith(".docx")
    assert "page" not in stored.file.name.rsplit("/", 1)[-1]
    client.force_login(StaffFactory(roles=[roles.DOCUMENTS_OFFICER]))
    response = client.get(reverse("documents:file", args=[stored.pk]))
    assert response.status_code == 200
    symbol = v.document.symbol.replace("/", "-").lower().replace(".", "")
    assert response["Content-Type"] == DOCX_TYPE
    assert response["Content-Disposition"].startswith("attachment; ")
    assert (
        response["Content-Disposition"].endswith('-en-1.docx"')
        and symbol[:4] in response["Content-Disposition"]
    )
    assert response["X-Content-Type-Options"] == "nosniff"


def test_a_published_pdf_is_shown_inline_on_purpose_and_a_submission_file_downloads(client):
    meeting = MeetingFactory(code="cop-inline", number=4)
    document = register(meeting, title_en="A note")
    v = version(document)
    document_services.language_version_submit(version=v)
    document_services.language_version_start_processing(version=v)
    document_services.language_version_upload(
        version=v, uploaded=SimpleUploadedFile("note.html", pdf_bytes(), content_type="text/html")
    )
    document_services.language_version_mark_ready(version=v)
    document_services.language_version_publish(version=v)
    response = client.get(reverse("documents:download", args=[document.pk, "en"]))
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline; filename=")
    assert response["Content-Disposition"].endswith('-en.pdf"')
    assert response["X-Content-Type-Options"] == "nosniff"


def test_a_nomination_letter_is_stored_under_a_random_name_and_downloads_as_a_pdf(client):
    from participants.services.focal_points import nomination_letter_upload
    from tests.factories import FocalPointFactory, country
    from tests.participants.factories import open_meeting

    zambia = FocalPointFactory(country=country("ZMB")).user
    letter = nomination_letter_upload(
        meeting=open_meeting(), country=country("ZMB"), by=zambia,
        uploaded=SimpleUploadedFile("letter.html", pdf_bytes(), content_type="text/html"),
    )  # fmt: skip
    stored = letter.file.name.rsplit("/", 1)[-1]
    assert stored.endswith(".pdf") and len(stored) == len("0" * 32 + ".pdf")
    client.force_login(zambia)
    response = client.get(reverse("participants:nomination_letter", args=[letter.pk]))
    assert _download_headers(response) == {
        "Content-Type": "application/pdf",
        "Content-Disposition": f'attachment; filename="nomination-{letter.pk}.pdf"',
        "X-Content-Type-Options": "nosniff",
    }


# --- Checking -----------------------------------------------------------------------------------


def test_a_pdf_whose_trailer_has_no_root_is_refused_everywhere():
    with pytest.raises(ValidationError) as caught:
        check_upload(SimpleUploadedFile("a.pdf", pdf_without_root()), field="letter")
    assert [e.code for e in caught.value.error_dict["letter"]] == ["broken_pdf"]
    with pytest.raises(RegistrationError) as caught:
        nomination_letter_check(SimpleUploadedFile("letter.pdf", pdf_without_root()))
    assert "cannot be read" in caught.value.message_dict["letter"][0]
    # The same file with its /Root passes: the refusal is about the root.
    fixed = pdf_without_root().replace(b"<< /Size 4 >>", b"<< /Size 4 /Root 1 0 R >>")
    assert check_upload(SimpleUploadedFile("a.pdf", fixed)) == FileKind.PDF


def test_the_admin_form_of_a_bureau_meeting_checks_the_file(client, staff):
    meeting = _bureau_meeting("bureau-admin")
    record = bureau_meeting_report_save(meeting=meeting, by=staff)
    client.force_login(staff)
    url = reverse("admin:bureau_bureaumeeting_change", args=[record.pk])
    broken = SimpleUploadedFile("r.pdf", pdf_without_root(), content_type="application/pdf")
    response = client.post(url, {"report": "", "report_file": broken})
    assert response.status_code == 200 and response.context["adminform"].form.errors["report_file"]
    good = SimpleUploadedFile("evil.html", hostile_pdf(), content_type="text/html")
    assert client.post(url, {"report": "", "report_file": good}).status_code == 302
    stored = ReportFile.objects.get(report__meeting=meeting)
    assert stored.kind == FileKind.PDF and stored.file.name.endswith(".pdf")


# --- Oversized requests -------------------------------------------------------------------------


class _UnreadableBody:
    """A request body that fails the test if anything reads it."""

    def read(self, *args, **kwargs):
        raise AssertionError("the body was read")

    readline = read


def test_an_oversized_post_is_refused_with_413_before_the_body_is_read(client, staff, settings, monkeypatch):
    import bureau.services

    def never(**kwargs):
        raise AssertionError("the view ran")

    monkeypatch.setattr(bureau.services, "bureau_meeting_report_save", never)
    _bureau_meeting("bureau-big")
    client.force_login(staff)
    settings.UPLOAD_MAX_BYTES = 1000
    response = client.post(
        reverse("bureau:meeting", args=["bureau-big"]),
        {"action": "report"},
        CONTENT_LENGTH=str(1000 + FORM_FIELDS_MARGIN + 1),
        HTTP_ACCEPT_LANGUAGE="fr",
        **{"wsgi.input": _UnreadableBody()},
    )
    assert response.status_code == 413
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response["Content-Language"] == "fr"
    assert "1000" in response.content.decode() or "1,0" in response.content.decode()


def test_the_size_limit_lets_a_request_within_it_through(settings):
    settings.UPLOAD_MAX_BYTES = 1000
    seen = []
    middleware = RequestSizeLimitMiddleware(lambda request: seen.append(request) or "passed")
    factory = RequestFactory()
    within = factory.post("/x/", data=b"a" * 10, content_type="text/plain")
    within.META["CONTENT_LENGTH"] = str(1000 + FORM_FIELDS_MARGIN)
    assert middleware(within) == "passed"
    over = factory.post("/x/", data=b"a", content_type="text/plain")
    over.META["CONTENT_LENGTH"] = str(1000 + FORM_FIELDS_MARGIN + 1)
    assert middleware(over).status_code == 413 and len(seen) == 1
    garbled = factory.get("/x/")
    garbled.META["CONTENT_LENGTH"] = "many"
    assert middleware(garbled) == "passed"
