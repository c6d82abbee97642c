"""Meeting materials: presentations, statements and photos that carry no symbol, uploaded by staff
for a meeting or one of its sessions (checked by content and size) and shown on the meeting's page
once published. Publishing and withdrawing are the material's one status move
(`MATERIAL_TRANSITIONS`), with who and when kept on the row and in its history."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from minamata_portal.uploads import check_material_upload, picture_without_metadata

from ..enums import MATERIAL_TRANSITIONS, MaterialStatus
from ..models import MeetingMaterial
from .transition import transition


@transaction.atomic
def meeting_material_save(*, material: MeetingMaterial, uploaded=None, by=None) -> MeetingMaterial:
    """Save a material: a new one needs `uploaded`; an existing one may change its details or be
    replaced by `uploaded`. The upload is checked by its content and size
    (`check_material_upload`: PDF, Word, PowerPoint, JPEG or PNG within the limit), refused on the
    field `file` otherwise, and stored under a random name; a replaced file is deleted from the
    storage once the change is committed. A published material shows the new file at once."""
    if uploaded is None and material.pk is None:
        raise ValidationError({"file": ValidationError(_("Choose a file to upload."), code="required")})
    replaced = None
    if uploaded is not None:
        kind = check_material_upload(uploaded, field="file")
        uploaded = picture_without_metadata(uploaded, kind)
        if material.pk is not None:
            replaced = MeetingMaterial.objects.values_list("file", flat=True).get(pk=material.pk)
        material.file_kind = kind
        material.size = uploaded.size
        material.file = uploaded
        material.uploaded_at = timezone.now()
        material.uploaded_by = by
    if material.pk is None:
        # A new material is a draft: only `meeting_material_publish` shows it.
        material.status = MaterialStatus.DRAFT
        material.published_at = material.published_by = None
    else:
        # The status moves only through `meeting_material_publish` / `_withdraw`.
        current = MeetingMaterial.objects.values("status", "published_at", "published_by").get(pk=material.pk)
        material.status = current["status"]
        material.published_at = current["published_at"]
        material.published_by_id = current["published_by"]
    material.title = (material.title or "").strip()
    material.full_clean(exclude=["file"] if uploaded is None else None)
    material._history_user = by
    material.save()
    if replaced:
        storage = material.file.storage
        transaction.on_commit(lambda: storage.delete(replaced))
    return material


@transaction.atomic
def meeting_material_delete(*, material: MeetingMaterial, by=None) -> None:
    """Delete a material; its stored file goes once the deletion is committed."""
    name, storage = material.file.name, material.file.storage
    material._history_user = by
    material.delete()
    if name:
        transaction.on_commit(lambda: storage.delete(name))


def meeting_material_publish(*, material: MeetingMaterial, by=None) -> MeetingMaterial:
    """Show the material on the meeting's (and its session's) public page."""
    return transition(
        record=material,
        table=MATERIAL_TRANSITIONS,
        action="publish",
        by=by,
        published_at=timezone.now(),
        published_by=by,
    )


def meeting_material_withdraw(*, material: MeetingMaterial, by=None) -> MeetingMaterial:
    """Take the material off the public pages (it stays with the secretariat)."""
    return transition(
        record=material,
        table=MATERIAL_TRANSITIONS,
        action="withdraw",
        by=by,
        published_at=None,
        published_by=None,
    )
