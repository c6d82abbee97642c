"""What an uploaded file really is, for every app that takes uploads (documents, Bureau reports,
nomination letters). The name and the browser's content type are the uploader's
claims; the bytes decide. A PDF must also open in pypdf, because a truncated or hand-made file with
a PDF header would otherwise be published and fail for every reader."""

import uuid

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from pypdf import PdfReader
from pypdf.errors import PdfReadError


class FileKind(models.TextChoices):
    PDF = "pdf", "PDF"
    DOCX = "docx", gettext_lazy("Word (docx)")
    DOC = "doc", gettext_lazy("Word 97–2003 (doc)")


_MIME_KINDS = {
    "application/pdf": FileKind.PDF,
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": FileKind.DOCX,
    "application/msword": FileKind.DOC,
}


# The content type a stored file is served with, from its checked kind (never from a name).
CONTENT_TYPES = {kind: mime for mime, kind in _MIME_KINDS.items()}


def stored_name(directory: str, kind: str) -> str:
    """The name a checked upload is stored under: a random name in `directory`, with the extension
    of the kind `check_upload` found (`bin` for anything else). The uploader's name never reaches
    the disk, a URL or a Content-Type."""
    extension = kind if kind in FileKind.values else "bin"
    return f"{directory.strip('/')}/{uuid.uuid4().hex}.{extension}"


def _refuse(field: str, message: str, code: str):
    # The code goes on the field's own error: a dict given to ValidationError drops `code=`.
    raise ValidationError({field: ValidationError(message, code=code)})


def kind_of_head(head: bytes) -> str | None:
    """The FileKind the first bytes of a file show (None for anything else): the content decides."""
    guess = filetype.guess(head)
    return _MIME_KINDS.get(guess.mime) if guess else None


def check_upload(uploaded, *, field: str = "file") -> str:
    """Return the FileKind of `uploaded` or raise ValidationError on `field`."""
    limit = settings.UPLOAD_MAX_BYTES
    if uploaded.size > limit:
        _refuse(
            field, _("The file is larger than %(limit)s.") % {"limit": filesizeformat(limit)}, "too_large"
        )
    uploaded.seek(0)
    head = uploaded.read(8192)
    uploaded.seek(0)
    kind = kind_of_head(head)
    if kind is None:
        _refuse(
            field,
            _("The file is not a PDF or Word document (its content was checked, not its name)."),
            "wrong_type",
        )
    if kind == FileKind.PDF:
        try:
            reader = PdfReader(uploaded)
            # pypdf recovers a file whose trailer names no catalogue (/Root) by searching for one;
            # such a file is broken for other readers, so it is refused, as are unreadable pages.
            if "/Root" not in reader.trailer:
                raise PdfReadError("no /Root in the trailer")
            if len(reader.pages) < 1:
                raise PdfReadError("no pages")
            for page in reader.pages:
                page.mediabox  # noqa: B018 (reads the page's dictionary and its inherited box)
        except Exception:  # pypdf raises many kinds of errors on broken files
            _refuse(field, _("The file starts like a PDF but cannot be read as one."), "broken_pdf")
        finally:
            uploaded.seek(0)
    return kind
