"""Private uploads go out through views that check who asks (they are never under MEDIA_URL)."""

from django.http import FileResponse


def private_file_response(field_file, *, filename: str) -> FileResponse:
    """A stored upload (checked by content when it came in), shown inline, never sniffed into
    another type, and kept only in the reader's own cache."""
    response = FileResponse(field_file.open("rb"), as_attachment=False, filename=filename)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=300"
    return response
