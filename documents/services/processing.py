"""Processing one language version: its files, its target date, and its moves through editing,
translation and publishing. Every move goes through `language_version_transition`, which follows
`enums.LANGUAGE_VERSION_TRANSITIONS` (`TransitionTable.apply`) and records the step."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from minamata_portal.uploads import check_upload

from ..enums import LANGUAGE_VERSION_TRANSITIONS, NEEDS_FILE, SETTLED_STATUSES, S
from ..models import LanguageVersion, LanguageVersionFile, ProcessingStep


def language_version_file_check(*, target: str, has_file: bool) -> None:
    """Marking ready and publishing need the text itself."""
    if target in NEEDS_FILE and not has_file:
        message = (
            _("There is no file to publish.")
            if target == S.PUBLISHED
            else _("Upload the file of this language version before marking it ready.")
        )
        raise ValidationError({"file": message}, code="no_file")


def language_version_upload_check(*, status: str) -> None:
    if status in SETTLED_STATUSES:
        raise ValidationError(
            {
                "file": _("A %(status)s language version takes no new file.")
                % {"status": S(status).label.lower()}
            },
            code="frozen",
        )


@transaction.atomic
def language_version_transition(
    *, version: LanguageVersion, action: str, by=None, note: str = ""
) -> LanguageVersion:
    """Make the move `action` of the table (`TransitionTable.apply`: checked against the status
    under the row's lock, saved with the version's history), refused where it needs a file the
    version lacks, and recorded as a processing step."""
    # Locked first so that the step records the status the move was made from.
    before = LanguageVersion.objects.select_for_update().get(pk=version.pk)
    publishing = (
        action in LANGUAGE_VERSION_TRANSITIONS and LANGUAGE_VERSION_TRANSITIONS[action].target == S.PUBLISHED
    )
    changes = {"published_at": timezone.now()} if publishing else {}
    moved = LANGUAGE_VERSION_TRANSITIONS.apply(before, action, by=by, **changes)
    # Raised inside the atomic block, the refusal undoes the move.
    language_version_file_check(target=moved.status, has_file=moved.files.exists())
    ProcessingStep.objects.create(
        version=moved, from_status=before.status, to_status=moved.status, by=by, note=note
    )
    return moved


def language_version_submit(*, version: LanguageVersion, by=None, note: str = "") -> LanguageVersion:
    """The original (or the text to translate) goes to the conference services."""
    return language_version_transition(version=version, action="submit", by=by, note=note)


def language_version_start_processing(
    *, version: LanguageVersion, by=None, note: str = ""
) -> LanguageVersion:
    return language_version_transition(version=version, action="start_processing", by=by, note=note)


def language_version_mark_ready(*, version: LanguageVersion, by=None, note: str = "") -> LanguageVersion:
    return language_version_transition(version=version, action="mark_ready", by=by, note=note)


def language_version_send_back(*, version: LanguageVersion, by=None, note: str = "") -> LanguageVersion:
    """A ready version found wanting goes back to editing/translation."""
    return language_version_transition(version=version, action="send_back", by=by, note=note)


def language_version_publish(*, version: LanguageVersion, by=None, note: str = "") -> LanguageVersion:
    """Make a ready language version public, with its latest file."""
    return language_version_transition(version=version, action="publish", by=by, note=note)


def language_version_mark_not_required(
    *, version: LanguageVersion, by=None, note: str = ""
) -> LanguageVersion:
    return language_version_transition(version=version, action="mark_not_required", by=by, note=note)


def language_version_reinstate(*, version: LanguageVersion, by=None, note: str = "") -> LanguageVersion:
    return language_version_transition(version=version, action="reinstate", by=by, note=note)


@transaction.atomic
def language_version_set_target(
    *, version: LanguageVersion, target_date: dt.date | None, by=None
) -> LanguageVersion:
    version = LanguageVersion.objects.select_for_update().get(pk=version.pk)
    version.target_date = target_date
    version._history_user = by
    version.save(update_fields=["target_date", "modified"])
    return version


@transaction.atomic
def language_version_upload(*, version: LanguageVersion, uploaded, by=None) -> LanguageVersionFile:
    """Store a new file for the version; earlier files are kept. A published version is frozen:
    a changed text is issued as a corrigendum or revision, under its own symbol."""
    kind = check_upload(uploaded)
    version = LanguageVersion.objects.select_for_update().select_related("document").get(pk=version.pk)
    language_version_upload_check(status=version.status)
    number = (version.files.aggregate(n=Max("number"))["n"] or 0) + 1
    stored = LanguageVersionFile(
        version=version,
        number=number,
        kind=kind,
        original_name=(getattr(uploaded, "name", "") or "")[:255],
        size=uploaded.size,
        uploaded_by=by,
    )
    stored.file.save(f"{number}.{kind}", uploaded, save=False)
    stored.save()
    return stored
