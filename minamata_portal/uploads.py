"""What an uploaded file really is, for every app that takes uploads (documents, Bureau reports,
nomination letters). The name and the browser's content type are the uploader's
claims; the bytes decide. A PDF must also open in pypdf, because a truncated or hand-made file with
a PDF header would otherwise be published and fail for every reader."""

import io
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


class MaterialFileKind(models.TextChoices):
    """What a meeting's material may be (meetings.MeetingMaterial): the documents' kinds, plus
    slides and photos, which a document with a symbol never is."""

    PDF = "pdf", "PDF"
    DOCX = "docx", gettext_lazy("Word (docx)")
    DOC = "doc", gettext_lazy("Word 97–2003 (doc)")
    PPTX = "pptx", gettext_lazy("PowerPoint (pptx)")
    JPEG = "jpg", gettext_lazy("JPEG photo")
    PNG = "png", gettext_lazy("PNG image")


_MATERIAL_MIME_KINDS = {
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": MaterialFileKind.PPTX,
    "image/jpeg": MaterialFileKind.JPEG,
    "image/png": MaterialFileKind.PNG,
}

# The content type a stored file is served with, from its checked kind (never from a name).
CONTENT_TYPES = {kind: mime for mime, kind in {**_MIME_KINDS, **_MATERIAL_MIME_KINDS}.items()}


def stored_name(directory: str, kind: str) -> str:
    """The name a checked upload is stored under: a random name in `directory`, with the extension
    of the kind `check_upload` found (`bin` for anything else). The uploader's name never reaches
    the disk, a URL or a Content-Type."""
    extension = kind if kind in CONTENT_TYPES else "bin"
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


# Pillow decodes what it opens into memory: a small file can claim a huge picture; the size it
# claims is checked before any pixel is read.
MATERIAL_IMAGE_MAX_PIXELS = 60_000_000


def check_material_upload(uploaded, *, field: str = "file") -> str:
    """Return the MaterialFileKind of `uploaded` (a meeting's presentation, statement or photo) or
    raise ValidationError on `field`: a PDF or Word document as `check_upload` judges it, a
    PowerPoint presentation, or a JPEG or PNG picture that decodes whole."""
    limit = settings.UPLOAD_MAX_BYTES
    if uploaded.size > limit:
        _refuse(
            field, _("The file is larger than %(limit)s.") % {"limit": filesizeformat(limit)}, "too_large"
        )
    uploaded.seek(0)
    head = uploaded.read(8192)
    uploaded.seek(0)
    if kind_of_head(head) is not None:
        return check_upload(uploaded, field=field)
    guess = filetype.guess(head)
    kind = _MATERIAL_MIME_KINDS.get(guess.mime) if guess else None
    if kind is None:
        _refuse(
            field,
            _(
                "The file is not a PDF, Word or PowerPoint document nor a JPEG or PNG picture "
                "(its content was checked, not its name)."
            ),
            "wrong_type",
        )
    if kind in (MaterialFileKind.JPEG, MaterialFileKind.PNG):
        _check_picture(uploaded, field=field)
    return kind


def _check_picture(uploaded, *, field: str) -> None:
    # A cut or forged picture is refused rather than published half grey (WeasyPrint makes Pillow
    # load truncated images for the whole process, so Pillow alone would accept one).
    from PIL import Image, UnidentifiedImageError

    uploaded.seek(0)
    data = uploaded.read()
    uploaded.seek(0)
    try:
        image = Image.open(io.BytesIO(data))
        if image.width * image.height > MATERIAL_IMAGE_MAX_PIXELS:
            _refuse(field, _("The picture has too many pixels; send a smaller one."), "too_many_pixels")
        image.verify()
        if image.format == "JPEG" and data.rfind(b"\xff\xd9") < data.rfind(b"\xff\xda"):
            raise OSError("JPEG cut short")
        Image.open(io.BytesIO(data)).load()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        _refuse(field, _("The file starts like a picture but cannot be read as one."), "broken_image")


def picture_without_metadata(uploaded, kind: str):
    """A checked JPEG or PNG (`check_material_upload`) drawn again without what the camera or the
    editor wrote into it (EXIF: the place it was taken, the device, the owner; comments, XMP),
    turned upright as its orientation tag said: a photo published from a side event must not tell
    where its author lives. Returns a ContentFile with the new bytes; other kinds are returned as
    they came."""
    from django.core.files.base import ContentFile
    from PIL import Image, ImageOps

    if kind not in (MaterialFileKind.JPEG, MaterialFileKind.PNG):
        return uploaded
    uploaded.seek(0)
    with Image.open(io.BytesIO(uploaded.read())) as image:
        upright = ImageOps.exif_transpose(image)
        # A new image with the pixels only: nothing of the upload's `info` (EXIF, XMP, comments,
        # text chunks) can reach the file written.
        clean = Image.new(upright.mode, upright.size)
        if upright.mode == "P":
            clean.putpalette(upright.getpalette())
        clean.paste(upright)
        buffer = io.BytesIO()
        if kind == MaterialFileKind.JPEG:
            if clean.mode not in ("RGB", "L"):
                clean = clean.convert("RGB")
            clean.save(buffer, "JPEG", quality=90, optimize=True)
        else:
            clean.save(buffer, "PNG", optimize=True)
    uploaded.seek(0)
    return ContentFile(buffer.getvalue(), name=getattr(uploaded, "name", None) or f"picture.{kind}")
