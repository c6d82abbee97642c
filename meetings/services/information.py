"""Information for participants: each section of a meeting's information in each language, and
the files attached to it. Staff write them in the admin, which calls these services."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from minamata_portal.uploads import check_upload

from ..models import ParticipantInformation, ParticipantInformationFile


def information_body_clean(body: str) -> str:
    """The text as it is kept: line ends made plain, spaces ending a line and blank lines around
    the text removed, so a section with nothing but spaces counts as empty (and is not shown)."""
    lines = body.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "\n".join(line.rstrip() for line in lines).strip("\n")


@transaction.atomic
def participant_information_save(*, information: ParticipantInformation, by=None) -> ParticipantInformation:
    """Validate and save one section in one language (new or changed), recording who wrote it."""
    information.body = information_body_clean(information.body or "")
    information.full_clean()
    information.modified_by = by
    information._history_user = by
    information.save()
    return information


@transaction.atomic
def participant_information_delete(*, information: ParticipantInformation, by=None) -> None:
    """Delete a section in one language with its files (their stored copies once committed)."""
    for record in list(information.files.all()):
        participant_information_file_delete(file=record, by=by)
    information._history_user = by
    information.delete()


@transaction.atomic
def participant_information_file_save(
    *, file: ParticipantInformationFile, uploaded=None, by=None
) -> ParticipantInformationFile:
    """Save a file of a section: a new one needs `uploaded`; an existing one may change its title
    or be replaced by `uploaded`. The upload is checked by its content and size
    (`minamata_portal.uploads.check_upload`: a PDF or Word document within the limit), refused on
    the field `file` otherwise, and stored under a random name; a replaced file is deleted from
    the storage once the change is committed."""
    if uploaded is None and file.pk is None:
        raise ValidationError({"file": ValidationError(_("Choose a file to upload."), code="required")})
    replaced = None
    if uploaded is not None:
        kind = check_upload(uploaded, field="file")
        if file.pk is not None:
            replaced = ParticipantInformationFile.objects.values_list("file", flat=True).get(pk=file.pk)
        file.kind = kind
        file.size = uploaded.size
        file.file = uploaded
        file.uploaded_at = timezone.now()
        file.uploaded_by = by
    file.full_clean(exclude=["file"] if uploaded is None else None)
    file._history_user = by
    file.save()
    if replaced:
        storage = file.file.storage
        transaction.on_commit(lambda: storage.delete(replaced))
    return file


@transaction.atomic
def participant_information_file_delete(*, file: ParticipantInformationFile, by=None) -> None:
    """Delete a file of a section; its stored copy goes once the deletion is committed (a deletion
    rolled back keeps the file its row still names)."""
    name, storage = file.file.name, file.file.storage
    file._history_user = by
    file.delete()
    if name:
        transaction.on_commit(lambda: storage.delete(name))
