"""Documents for tests, made through the services so symbols are issued the real way, and real
files: a PDF from pypdf, a docx as Word writes its package, and files that only pretend."""

import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfWriter

from documents import services
from documents.enums import Language
from documents.models import LanguageVersion


def pdf_bytes(pages=1):
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def docx_bytes():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.'
            'wordprocessingml.document.main+xml"/></Types>',
        )
        package.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def pdf_upload(name="document.pdf", pages=1):
    return SimpleUploadedFile(name, pdf_bytes(pages), content_type="application/pdf")


def docx_upload(name="document.docx"):
    return SimpleUploadedFile(
        name,
        docx_bytes(),
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )


def register(meeting, series="working", title_en="A note by the secretariat", **kwargs):
    return services.document_register(meeting=meeting, series=series, title_en=title_en, **kwargs)


def version(document, language="en"):
    return LanguageVersion.objects.get(document=document, language=language)


def publish(document, languages=(Language.ENGLISH,), by=None):
    """Take language versions through every step to published, with a PDF each."""
    for code in languages:
        v = version(document, code)
        services.language_version_submit(version=v, by=by)
        services.language_version_start_processing(version=v, by=by)
        services.language_version_upload(version=v, uploaded=pdf_upload(), by=by)
        services.language_version_mark_ready(version=v, by=by)
        services.language_version_publish(version=v, by=by)
    return document
