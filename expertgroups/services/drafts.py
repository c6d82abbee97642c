"""Work between meetings: drafts put out to a group's members for comment, and their comments."""

import datetime as dt
import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from meetings.models import ExpertGroup
from minamata_portal.uploads import check_upload

from ..models import Draft, DraftComment, DraftParagraph, Member
from ..selectors import draft_is_open


def paragraphs_from_text(text: str) -> list[str]:
    """The paragraphs of `text`: blocks separated by a blank line."""
    return [" ".join(block.split()) for block in re.split(r"\n\s*\n", text or "") if block.strip()]


def draft_check(
    *, group: ExpertGroup | None, title: str, file, paragraphs: list[str], comments_until: dt.date | None,
    revises: Draft | None,
) -> str:  # fmt: skip
    """The kind of the draft's file, or a ValidationError naming the field at fault."""
    errors = {}
    if group is None:
        errors["group"] = _("Choose the expert group.")
    if not (title or "").strip():
        errors["title"] = _("Give the draft a title.")
    if not paragraphs:
        errors["paragraphs"] = _("Give the draft's paragraphs, separated by a blank line.")
    if comments_until is None:
        errors["comments_until"] = _("Give the last day for comments.")
    elif comments_until < timezone.localdate():
        errors["comments_until"] = _("The last day for comments cannot be in the past.")
    if revises is not None and group is not None and revises.group_id != group.pk:
        errors["revises"] = _("A revised draft revises a draft of the same group.")
    elif revises is not None and Draft.objects.filter(revises=revises).exists():
        errors["revises"] = _("This draft has been revised already: revise the latest version.")
    if file is None:
        errors["file"] = _("Choose the draft's file.")
    if errors:
        raise ValidationError(errors)
    return check_upload(file, field="file")


@transaction.atomic
def draft_put_out(
    *, group: ExpertGroup, title: str, file, paragraphs: list[str], comments_until: dt.date,
    revises: Draft | None = None, by,
) -> Draft:  # fmt: skip
    """Put a draft (or a revised draft) out to the group's members for comment until a date."""
    kind = draft_check(
        group=group,
        title=title,
        file=file,
        paragraphs=paragraphs,
        comments_until=comments_until,
        revises=revises,
    )
    draft = Draft(
        group=group,
        title=title.strip(),
        kind=kind,
        comments_until=comments_until,
        revises=revises,
        created_by=by,
    )
    draft.file = file
    draft._history_user = by
    draft.save()
    DraftParagraph.objects.bulk_create(
        DraftParagraph(draft=draft, number=number, text=text)
        for number, text in enumerate(paragraphs, start=1)
    )
    return draft


def draft_comment(
    *, draft: Draft, paragraph: int | None, member: Member | None, text: str, by
) -> DraftComment:
    """A member's comment on one paragraph, while the draft is open (until the end of its date)."""
    if member is None or member.group_id != draft.group_id:
        raise ValidationError(_("Only the group's members comment on its drafts."), code="not_member")
    if not draft_is_open(draft=draft):
        raise ValidationError(
            {
                "text": _("Comments on this draft closed on %(day)s.")
                % {"day": draft.comments_until.isoformat()}
            },
            code="closed",
        )
    found = DraftParagraph.objects.filter(draft=draft, number=paragraph).first() if paragraph else None
    if found is None:
        raise ValidationError({"paragraph": _("Choose a paragraph of this draft.")})
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Write the comment.")})
    comment = DraftComment(paragraph=found, member=member, text=text)
    comment._history_user = by
    comment.save()
    return comment
