"""Calls for submissions and the submissions received under them, with their files checked like
every upload. The admin records and changes them through these services."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from minamata_portal.uploads import check_upload
from reference.models import Country

from ..models import CallForSubmissions, Document, Submission, SubmissionFile

CALL_FIELDS = [
    "meeting",
    "title",
    "mandate",
    "letter_date",
    "addressees",
    "deadline",
    "reminder_date",
    "compilation",
]


def call_for_submissions_check(*, letter_date: dt.date, deadline: dt.date) -> None:
    """The deadline may fall on the day of the letter (included), not before it."""
    if deadline < letter_date:
        raise ValidationError({"deadline": _("The deadline cannot be before the letter.")})


@transaction.atomic
def call_for_submissions_save(
    *, call: CallForSubmissions | None = None, compilation: Document | None = None, by=None, **fields
) -> CallForSubmissions:
    """Create a call (`call` None) or change one, from the fields of `CALL_FIELDS`."""
    unknown = set(fields) - set(CALL_FIELDS)
    if unknown:
        raise TypeError(f"unknown call fields: {sorted(unknown)}")
    if call is None:
        call = CallForSubmissions()
    else:
        call = CallForSubmissions.objects.select_for_update().get(pk=call.pk)
    for name, value in fields.items():
        setattr(call, name, value)
    call.compilation = compilation
    call_for_submissions_check(letter_date=call.letter_date, deadline=call.deadline)
    call.save()
    return call


@transaction.atomic
def call_for_submissions_delete(*, call: CallForSubmissions, by=None) -> None:
    """A call recorded by mistake goes, with the submissions recorded under it."""
    CallForSubmissions.objects.filter(pk=call.pk).delete()


def submission_check(
    *, call: CallForSubmissions, received_on: dt.date, country: Country | None, organization: str
) -> None:
    """What a submission must say, wherever it is recorded (these services, the admin): who made
    it, and a day of receipt on or after the day of the call's letter (that day included)."""
    if country is None and not (organization or "").strip():
        raise ValidationError({"country": _("Say who made the submission: a State or an organization.")})
    if received_on < call.letter_date:
        raise ValidationError({"received_on": _("A submission cannot arrive before the call was sent.")})


def _store_file(*, submission: Submission, uploaded, kind: str) -> SubmissionFile:
    stored = SubmissionFile(
        submission=submission, kind=kind, original_name=(uploaded.name or "")[:255], size=uploaded.size
    )
    stored.file.save(f"x.{kind}", uploaded, save=False)
    stored.save()
    return stored


@transaction.atomic
def submission_record(
    *,
    call: CallForSubmissions,
    received_on: dt.date,
    country: Country | None = None,
    organization: str = "",
    files=(),
    note: str = "",
    by=None,
) -> Submission:
    """Record a submission received under a call, with its files checked like any upload."""
    submission_check(call=call, received_on=received_on, country=country, organization=organization)
    kinds = [check_upload(f, field="files") for f in files]
    submission = Submission.objects.create(
        call=call, country=country, organization=organization.strip(), received_on=received_on, note=note
    )
    for uploaded, kind in zip(files, kinds, strict=True):
        _store_file(submission=submission, uploaded=uploaded, kind=kind)
    return submission


@transaction.atomic
def submission_update(
    *,
    submission: Submission,
    received_on: dt.date,
    country: Country | None,
    organization: str = "",
    note: str = "",
    by=None,
) -> Submission:
    """Correct who made a submission, when it arrived, or its note; it stays under its call."""
    submission = Submission.objects.select_for_update().select_related("call").get(pk=submission.pk)
    submission_check(
        call=submission.call, received_on=received_on, country=country, organization=organization
    )
    submission.country = country
    submission.organization = organization.strip()
    submission.received_on = received_on
    submission.note = note
    submission.save()
    return submission


@transaction.atomic
def submission_delete(*, submission: Submission, by=None) -> None:
    """A submission recorded by mistake goes, with its files."""
    Submission.objects.filter(pk=submission.pk).delete()


@transaction.atomic
def submission_file_add(*, submission: Submission, uploaded, by=None) -> SubmissionFile:
    kind = check_upload(uploaded)
    return _store_file(submission=submission, uploaded=uploaded, kind=kind)


@transaction.atomic
def submission_file_delete(*, file: SubmissionFile, by=None) -> None:
    SubmissionFile.objects.filter(pk=file.pk).delete()
