"""Uploads are checked by their bytes; a refusal says which field and why, with a code callers read."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from minamata_portal.uploads import FileKind, check_upload


def _codes(error: ValidationError, field: str):
    return [e.code for e in error.error_dict[field]]


def test_a_page_named_like_a_pdf_is_refused_with_its_code_on_the_field():
    page = SimpleUploadedFile("report.pdf", b"<html><script>alert(1)</script></html>", "application/pdf")
    with pytest.raises(ValidationError) as caught:
        check_upload(page, field="report_file")
    assert _codes(caught.value, "report_file") == ["wrong_type"]
    assert "content was checked" in caught.value.message_dict["report_file"][0]


def test_a_broken_pdf_and_a_large_file_have_their_own_codes(settings):
    with pytest.raises(ValidationError) as caught:
        check_upload(SimpleUploadedFile("a.pdf", b"%PDF-1.7\n garbage", "application/pdf"), field="letter")
    assert _codes(caught.value, "letter") == ["broken_pdf"]
    settings.UPLOAD_MAX_BYTES = 10
    with pytest.raises(ValidationError) as caught:
        check_upload(SimpleUploadedFile("a.pdf", b"%PDF-1.7" + b"x" * 20, "application/pdf"))
    assert _codes(caught.value, "file") == ["too_large"]


def test_a_real_pdf_passes_as_a_pdf():
    from io import BytesIO

    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    buffer = BytesIO()
    writer.write(buffer)
    assert check_upload(SimpleUploadedFile("x.bin", buffer.getvalue())) == FileKind.PDF
