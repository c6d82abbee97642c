"""Personal data that really goes (issue 14): the passport purge removes every copy of the
number, the visa letter's stored PDF and the mails' attachments included, and the number never
enters a mail body, a log line or the admin beyond what the visa letter prints."""

import datetime as dt
import io
import logging
from pathlib import Path

import pytest
from django.core import mail as django_mail
from django.core.files.base import ContentFile
from django.urls import reverse
from pypdf import PdfReader

from letters.enums import LetterKind, LetterStatus
from letters.models import Letter
from letters.services.issuing import LetterActionError, letter_resend
from letters.storage import letter_storage
from outbox.enums import MailStatus
from outbox.models import OutgoingMail
from participants import tasks
from participants.enums import RegistrationStatus
from participants.models import VisaRequest
from participants.services.visas import visa_request_approve, visa_request_create
from tests.factories import StaffFactory, country

from .factories import RegistrationFactory

pytestmark = pytest.mark.django_db
PASSPORT = "ZN4455667"


def _approved_visa_letter(django_capture_on_commit_callbacks, caplog=None):
    """An accredited delegate's visa request, approved: the letter is rendered for real
    (WeasyPrint) and its e-mail sent (eager Celery, in-memory mail backend)."""
    registration = RegistrationFactory(status=RegistrationStatus.ACCREDITED)
    visa = visa_request_create(
        registration=registration, by=registration.user, passport_number=PASSPORT, passport_country=country("ZMB"),
        passport_issued=dt.date(2016, 1, 1), passport_expires=dt.date(2030, 1, 1), embassy="Embassy of Switzerland",
    )  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        visa_request_approve(visa=visa, by=StaffFactory(roles=["Registration officer"]))
    letter = Letter.objects.get(kind=LetterKind.VISA, registration=registration)
    assert letter.status == LetterStatus.RENDERED and letter.pdf
    return registration, visa, letter


def _pdf_text(data: bytes) -> str:
    return "".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)


def _stored_files(settings) -> dict[Path, bytes]:
    root = Path(settings.MEDIA_ROOT)
    return {path: path.read_bytes() for path in root.rglob("*") if path.is_file()} if root.exists() else {}


def _carries_number(data: bytes) -> bool:
    if PASSPORT.encode() in data or PASSPORT.encode("utf-16-be") in data:
        return True
    if data.startswith(b"%PDF"):
        return PASSPORT in _pdf_text(data)
    return False


def test_purge_deletes_the_visa_letter_pdf_its_attachments_and_every_copy_of_the_number(
    client, settings, django_capture_on_commit_callbacks
):
    settings.PASSPORT_PURGE_DAYS = 30
    registration, visa, letter = _approved_visa_letter(django_capture_on_commit_callbacks)
    # Before: the number is printed in the stored PDF (found by its text: WeasyPrint compresses
    # its streams), and the sent mail names that file as its attachment.
    files = _stored_files(settings)
    assert [path.name for path in files] == [Path(letter.pdf.name).name]
    assert any(_carries_number(data) for data in files.values())
    letter_mail = OutgoingMail.objects.get(pk=letter.mail_id)
    assert letter_mail.status == MailStatus.SENT and letter_mail.attachment.name == letter.pdf.name
    # An older mail to the delegate that carried the number in its body, and one still waiting.
    carried = OutgoingMail.objects.create(
        to=registration.email, subject=f"Passport {PASSPORT}", body_text=f"Your passport {PASSPORT}.",
        body_html=f"<p>Your passport {PASSPORT}.</p>", status=MailStatus.QUEUED,
        attachment=letter.pdf.name, attachment_name="visa.pdf",
    )  # fmt: skip
    client.force_login(registration.user)
    download = reverse("letters:download", args=[letter.pk])
    response = client.get(download)
    served = b"".join(response.streaming_content) if response.streaming else response.content
    assert PASSPORT in _pdf_text(served)

    assert tasks.passport_data_purge.delay().get() == 1  # today is long after the 2018 meeting

    # After: no stored file carries the number (bytes, and text pypdf extracts), none is left.
    assert not any(_carries_number(data) for data in _stored_files(settings).values())
    assert not letter_storage.exists(letter.pdf.name)
    letter.refresh_from_db()
    assert not letter.pdf and letter.pdf_purged_at is not None and letter.sha256
    assert letter.status == LetterStatus.RENDERED  # still the secretariat's letter, on record
    for row in OutgoingMail.objects.values():
        assert PASSPORT not in str(row) and not row["attachment"]
    carried.refresh_from_db()
    assert carried.status == MailStatus.FAILED  # withdrawn: never sent without its attachment
    assert (carried.subject, carried.body_text) == ("Passport [removed]", "Your passport [removed].")
    assert PASSPORT not in str(list(Letter.objects.values()))
    assert set(letter.details) == {"participant_name", "delegation", "embassy"}  # passport facts gone
    visa.refresh_from_db()
    assert visa.passport_number is None and visa.purged_at is not None
    # Downloading no longer yields it; "My letters" says why; verification still answers.
    assert client.get(download).status_code == 404
    page = client.get(reverse("letters:mine")).content.decode()
    assert "PDF deleted with your personal data" in page and download not in page
    verify = client.get(reverse("letters:verify", args=[letter.verification_code]))
    assert verify.status_code == 200 and "genuine and valid" in verify.content.decode()
    # Staff cannot mail it again (it would go without its PDF).
    with pytest.raises(LetterActionError, match="deleted"):
        letter_resend(letter=letter)


def test_purge_before_its_date_keeps_the_letter(settings, django_capture_on_commit_callbacks):
    from participants.services.visas import passport_data_purge

    settings.PASSPORT_PURGE_DAYS = 30
    _registration, _visa, letter = _approved_visa_letter(django_capture_on_commit_callbacks)
    assert passport_data_purge(today=dt.date(2018, 12, 23)) == 0  # meeting ended 23 November 2018
    letter.refresh_from_db()
    assert letter.pdf and letter_storage.exists(letter.pdf.name) and letter.pdf_purged_at is None


def test_purge_also_removes_visa_letters_whose_request_was_purged_before(
    settings, django_capture_on_commit_callbacks
):
    """A request purged by the former purge (which left the letter alone) and a visa letter
    whose file came back since (here: written again) lose their PDFs on the next run."""
    _registration, visa, letter = _approved_visa_letter(django_capture_on_commit_callbacks)
    VisaRequest.objects.filter(pk=visa.pk).update(
        passport_number=None, purged_at=dt.datetime(2019, 1, 1, tzinfo=dt.UTC)
    )
    assert tasks.passport_data_purge.delay().get() == 0  # no request left to purge…
    letter.refresh_from_db()
    assert not letter.pdf and not _stored_files(settings)  # …but its letter went
    assert not OutgoingMail.objects.exclude(attachment="").exists()


def test_the_number_enters_no_mail_and_no_log_only_the_letter(
    settings, caplog, django_capture_on_commit_callbacks
):
    with caplog.at_level(logging.DEBUG):
        _approved_visa_letter(django_capture_on_commit_callbacks)
        tasks.passport_data_purge.delay().get()
    assert PASSPORT not in caplog.text
    (sent,) = django_mail.outbox
    assert PASSPORT not in sent.subject and PASSPORT not in sent.body
    assert all(PASSPORT not in body for body, _type in sent.alternatives)
    # What the visa letter must print is in its PDF, the mail's attachment, and nowhere else.
    ((_name, attached, _mimetype),) = sent.attachments
    assert PASSPORT in _pdf_text(attached)
    for row in OutgoingMail.objects.values("subject", "body_text", "body_html", "last_error"):
        assert PASSPORT not in str(row)


def test_admin_shows_the_passport_number_masked(client):
    registration = RegistrationFactory()
    visa = visa_request_create(
        registration=registration, by=registration.user, passport_number=PASSPORT, passport_country=country("ZMB"),
        passport_issued=dt.date(2016, 1, 1), passport_expires=dt.date(2030, 1, 1), embassy="Embassy of Switzerland",
    )  # fmt: skip
    client.force_login(StaffFactory(roles=["Registration officer"]))
    for url in (
        reverse("admin:participants_visarequest_changelist"),
        reverse("admin:participants_visarequest_change", args=[visa.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        page = response.content.decode()
        assert "••••••667" in page and PASSPORT not in page, url


def test_purge_deletes_a_file_written_again_under_a_purged_letter(
    settings, django_capture_on_commit_callbacks
):
    """Idempotent: the next run deletes a visa letter's file that a late render wrote back."""
    _registration, _visa, letter = _approved_visa_letter(django_capture_on_commit_callbacks)
    name = letter.pdf.name
    tasks.passport_data_purge.delay().get()
    Letter.objects.filter(pk=letter.pk).update(pdf=letter_storage.save(name, ContentFile(b"%PDF-1.7 late")))
    tasks.passport_data_purge.delay().get()
    letter.refresh_from_db()
    assert not letter.pdf and not letter_storage.exists(name)
