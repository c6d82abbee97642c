"""Badges and check-in: issuing a badge moves an accredited participant on (a POST, never the
download of the PDF); scanning it at the desk records the day's attendance."""

import datetime as dt
import io
import re
from dataclasses import dataclass

from django.core import signing
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from ..badge_layout import PHOTO_PIXELS
from ..enums import (
    BADGE_HOLDER_STATUSES,
    INACTIVE_STATUSES,
    REGISTRATION_TRANSITIONS,
    BadgeCategory,
    RegistrationStatus,
)
from ..errors import RegistrationError
from ..models import Attendance, Registration
from .participation import online_refusal
from .transition import locked, transition

S = RegistrationStatus
BADGE_SALT = "participants.badge"


def badge_token(registration) -> str:
    """The QR code's content: the registration and its meeting, signed with the SECRET_KEY."""
    return signing.dumps({"r": registration.pk, "m": registration.meeting_id}, salt=BADGE_SALT, compress=True)


@transaction.atomic
def registration_issue_badge(*, registration, by) -> Registration:
    """Issuing moves an accredited participant on; issuing again (a reprint) changes nothing."""
    current = locked(registration)
    if current.status in BADGE_HOLDER_STATUSES:
        return current
    if current.is_online:
        raise RegistrationError(online_refusal(current, _("badge")))
    return transition(registration, "issue_badge", by=by, changes={"status_note": ""})


@dataclass(frozen=True)
class BadgesIssued:
    issued: int
    # Registrations no longer accredited when their turn came (withdrawn, declined meanwhile).
    skipped: int
    # Accredited participants taking part online: no badge.
    online: int = 0


@transaction.atomic
def registration_issue_badges(*, meeting, by) -> BadgesIssued:
    """Issue the badges of every accredited participant of `meeting` (a POST from the desk);
    the PDF is rendered afterwards, by another request, outside this transaction.

    The accredited rows are locked first, all at once and in a fixed order (a row withdrawn
    meanwhile no longer matches and is left out); one that cannot move when its turn comes is
    counted as skipped rather than failing the whole batch."""
    due = list(
        Registration.objects.select_for_update(of=("self",))
        .filter(meeting=meeting, status__in=REGISTRATION_TRANSITIONS.sources_of("issue_badge"))
        .order_by("pk")
    )
    online = [r for r in due if r.is_online]
    due = [r for r in due if not r.is_online]
    issued = skipped = 0
    for registration in due:
        try:
            transition(registration, "issue_badge", by=by, changes={"status_note": ""})
        except RegistrationError:
            skipped += 1
        else:
            issued += 1
    return BadgesIssued(issued=issued, skipped=skipped, online=len(online))


@transaction.atomic
def registration_check_in(
    *, meeting, token: str, by, day: dt.date | None = None
) -> tuple[Registration, bool]:
    """Record that the badge holder is present today. Returns (registration, first time today)."""
    token = (token or "").strip()
    try:
        payload = signing.loads(token, salt=BADGE_SALT)
    except signing.BadSignature as exc:
        raise RegistrationError({"token": _("This badge code is not valid.")}) from exc
    if payload.get("m") != meeting.pk:
        raise RegistrationError({"token": _("This badge is for another meeting.")})
    registration = Registration.objects.filter(pk=payload.get("r"), meeting=meeting).first()
    if registration is None:
        raise RegistrationError({"token": _("This badge code is not valid.")})
    current = locked(registration)
    if current.can_check_in:
        current = transition(current, "check_in", by=by, changes={"status_note": ""})
    elif current.status != S.CHECKED_IN:
        raise RegistrationError(
            {"token": _("%(name)s is “%(status)s”: no check-in.")
             % {"name": current.full_name, "status": current.get_status_display()}}
        )  # fmt: skip
    day = day or timezone.localdate(timezone=meeting.tz)
    _attendance, created = Attendance.objects.get_or_create(
        registration=current, day=day, defaults={"checked_in_by": by}
    )
    return current, created


# --- Colours and photos ----------------------------------------------------------------------

HEX_COLOUR = re.compile(r"#[0-9a-fA-F]{6}")


def badge_colours_check(colours) -> dict[str, str]:
    """Staff's badge colours for a meeting, {category: "#rrggbb"}, checked and written in lower
    case; a category left out keeps its default colour."""
    if not isinstance(colours, dict):
        raise ValidationError({"badge_colours": _('Give the colours as {"category": "#rrggbb"}.')})
    errors = []
    for category, colour in colours.items():
        if category not in BadgeCategory.values:
            errors.append(
                _("“%(category)s” is not a badge category (%(categories)s).")
                % {"category": category, "categories": ", ".join(BadgeCategory.values)}
            )
        elif not isinstance(colour, str) or not HEX_COLOUR.fullmatch(colour):
            errors.append(
                _("%(category)s: “%(colour)s” is not a colour written #rrggbb.")
                % {"category": BadgeCategory(category).label, "colour": colour}
            )
    if errors:
        raise ValidationError({"badge_colours": errors})
    return {category: colour.lower() for category, colour in colours.items()}


PHOTO_MAX_BYTES = 5 * 1024 * 1024
# Pillow decodes what it opens into memory: a small file can claim a huge picture (a
# "decompression bomb"); the size it claims is checked before any pixel is read.
PHOTO_MAX_PIXELS = 40_000_000
PHOTO_MIN_SIDE = 200


def _refuse_photo(message: str, code: str):
    raise ValidationError({"photo": ValidationError(message, code=code)})


def badge_photo_prepare(uploaded) -> ContentFile:
    """The photo a badge prints, from an upload checked by its content: a JPEG or PNG that Pillow
    decodes, at most PHOTO_MAX_BYTES. It is turned upright (the camera's orientation tag), cropped
    to the badge's frame around the upper middle (where a portrait has the face), scaled to
    PHOTO_PIXELS and stored as a new JPEG: nothing of the uploaded file is kept, neither its
    metadata (EXIF: place, camera, date) nor anything hidden after the picture."""
    if uploaded.size > PHOTO_MAX_BYTES:
        _refuse_photo(
            _("The photo is larger than %(limit)s.") % {"limit": filesizeformat(PHOTO_MAX_BYTES)}, "too_large"
        )
    uploaded.seek(0)
    data = uploaded.read()
    uploaded.seek(0)
    try:
        image = Image.open(io.BytesIO(data))
        if image.format not in ("JPEG", "PNG"):
            raise UnidentifiedImageError(image.format)
        if image.width * image.height > PHOTO_MAX_PIXELS:
            _refuse_photo(_("The photo has too many pixels; send a smaller one."), "too_many_pixels")
        # A cut file is refused, not printed half grey: WeasyPrint makes Pillow load truncated
        # images (ImageFile.LOAD_TRUNCATED_IMAGES) for the whole process. verify() reads every
        # PNG chunk; a JPEG must end its picture (EOI after the last start of scan).
        image.verify()
        if image.format == "JPEG" and data.rfind(b"\xff\xd9") < data.rfind(b"\xff\xda"):
            raise OSError("JPEG cut short")
        image = Image.open(io.BytesIO(data))
        image.load()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        _refuse_photo(
            _("The file is not a JPEG or PNG photo (its content was checked, not its name)."), "wrong_type"
        )
    if min(image.size) < PHOTO_MIN_SIDE:
        _refuse_photo(
            _("The photo is too small: at least %(side)s pixels on each side.") % {"side": PHOTO_MIN_SIDE},
            "too_small",
        )
    image = ImageOps.exif_transpose(image)
    if image.mode in ("RGBA", "LA", "P"):
        image = image.convert("RGBA")
        flat = Image.new("RGB", image.size, "white")
        flat.paste(image, mask=image.getchannel("A"))
        image = flat
    image = ImageOps.fit(image.convert("RGB"), PHOTO_PIXELS, Image.Resampling.LANCZOS, centering=(0.5, 0.35))
    output = io.BytesIO()
    image.save(output, "JPEG", quality=85, optimize=True)
    return ContentFile(output.getvalue(), name="photo.jpg")


@transaction.atomic
def registration_set_badge_photo(*, registration, uploaded, by) -> Registration:
    """Store the badge photo of a registration (its delegate's upload or the secretariat's),
    replacing the previous one, whose file is deleted once the change is committed."""
    current = locked(registration)
    if current.status in INACTIVE_STATUSES:
        raise RegistrationError(
            {
                "photo": _("This registration is “%(status)s”: no badge.")
                % {"status": current.get_status_display()}
            }
        )
    content = badge_photo_prepare(uploaded)
    previous = current.photo.name if current.photo else ""
    storage = current.photo.storage
    current.photo.save("photo.jpg", content, save=False)
    current._history_user = by  # the history names who changed the photo
    current.save(update_fields=["photo", "modified"])
    if previous:
        transaction.on_commit(lambda: storage.delete(previous))
    registration.photo = current.photo
    return current


def registration_remove_badge_photo(*, registration, by) -> Registration:
    """Remove the badge photo of a registration (its delegate's choice or the secretariat's): the
    badge prints without one, and the file is deleted once the change is committed."""
    current = locked(registration)
    if not current.photo:
        raise RegistrationError({"photo": _("There is no badge photo to remove.")})
    previous, storage = current.photo.name, current.photo.storage
    current.photo = ""
    current._history_user = by
    current.save(update_fields=["photo", "modified"])
    transaction.on_commit(lambda: storage.delete(previous))
    registration.photo = current.photo
    return current
