"""Every stored file goes out through `stored_file_response`: private uploads are never under
MEDIA_URL, and the views that serve them check who asks first.

What the response says comes from the portal, never from the uploader: the content type from the
kind `check_upload` found in the bytes (FileKind), the download name from the caller (a symbol, a
language, a number) with the extension of that kind. Everything is an attachment except a PDF the
page means to show (`inline=True`), and `nosniff` stops a browser from guessing another type. A
valid PDF whose bytes also read as HTML therefore cannot run as a page of the portal's origin.

A file that carries personal data (a letter addressed to a person, a visa letter with a passport
number, a State's nomination letter naming its delegates: `personal=True`) is never stored by a
browser or a proxy (`Cache-Control: no-store`): the passport purge cannot reach a copy left in a
cache on a shared computer. Other files may be kept five minutes by the browser alone."""

from django.http import FileResponse
from django.utils.cache import add_never_cache_headers

from .uploads import CONTENT_TYPES, FileKind

UNKNOWN_TYPE = "application/octet-stream"


def stored_file_response(
    field_file, *, kind: str, name: str, inline: bool = False, personal: bool = False
) -> FileResponse:
    """Serve `field_file`, whose checked kind is `kind`, as `<name>.<kind>`.

    `inline` is honoured for PDFs only; a file of no known kind (stored before kinds were
    recorded) goes out as an opaque attachment. `personal`: the file carries personal data and
    must not be cached anywhere."""
    known = kind in CONTENT_TYPES
    content_type = CONTENT_TYPES[kind] if known else UNKNOWN_TYPE
    filename = f"{name}.{kind if known else 'bin'}"
    response = FileResponse(
        field_file.open("rb"),
        as_attachment=not (inline and kind == FileKind.PDF),
        filename=filename,
        content_type=content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    if personal:
        # "no-store" (with Django's no-cache, must-revalidate, private and an Expires in the past).
        add_never_cache_headers(response)
    else:
        response["Cache-Control"] = "private, max-age=300"
    return response
