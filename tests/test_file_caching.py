"""Stored files that carry personal data are never cached (issue 14): a visa letter prints a passport
number, every letter is addressed to a person, a nomination letter names a State's delegates. They
go out with `Cache-Control: no-store`; other stored files may stay five minutes in the browser."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts import roles
from bureau.services import bureau_meeting_report_save
from documents import services as document_services
from letters.enums import LetterKind
from letters.models import Letter
from meetings.enums import MeetingKind
from participants.enums import RegistrationStatus
from participants.services.focal_points import nomination_letter_upload
from participants.services.visas import visa_request_approve, visa_request_create
from tests.documents.factories import pdf_bytes, publish, register, version
from tests.factories import FocalPointFactory, MeetingFactory, StaffFactory, country
from tests.participants.factories import RegistrationFactory, open_meeting

pytestmark = pytest.mark.django_db
CACHED_BRIEFLY = "private, max-age=300"


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _never_stored(response) -> bool:
    directives = {d.strip() for d in response["Cache-Control"].split(",")}
    return {"no-store", "private"} <= directives and not any(d.startswith("max-age=3") for d in directives)


def _visa_letter(django_capture_on_commit_callbacks):
    registration = RegistrationFactory(meeting=open_meeting(), status=RegistrationStatus.ACCREDITED)
    visa = visa_request_create(
        registration=registration, by=registration.user, passport_number="ZN7654321",
        passport_country=country("ZMB"), passport_issued=dt.date(2016, 1, 1),
        passport_expires=dt.date(2035, 1, 1), embassy="Embassy of Switzerland",
    )  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        visa_request_approve(visa=visa, by=StaffFactory(roles=[roles.REGISTRATION_OFFICER]))
    letter = Letter.objects.get(kind=LetterKind.VISA, registration=registration)
    assert letter.pdf
    return letter


def test_a_visa_letter_is_never_stored_by_the_browser_of_the_delegate_or_of_staff(
    client, django_capture_on_commit_callbacks
):
    letter = _visa_letter(django_capture_on_commit_callbacks)
    url = reverse("letters:download", args=[letter.pk])
    for who in (letter.recipient_user, StaffFactory(roles=[roles.REGISTRATION_OFFICER])):
        client.force_login(who)
        response = client.get(url)
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert _never_stored(response), response["Cache-Control"]
        assert response["Expires"]  # in the past: an HTTP/1.0 cache keeps nothing either


def test_a_nomination_letter_is_never_stored(client):
    zambia = FocalPointFactory(country=country("ZMB")).user
    letter = nomination_letter_upload(
        meeting=open_meeting(), country=country("ZMB"), by=zambia,
        uploaded=SimpleUploadedFile("letter.pdf", pdf_bytes(), content_type="application/pdf"),
    )  # fmt: skip
    client.force_login(zambia)
    response = client.get(reverse("participants:nomination_letter", args=[letter.pk]))
    assert response.status_code == 200
    assert _never_stored(response), response["Cache-Control"]


def test_files_without_personal_data_may_stay_five_minutes_in_the_browser_only(client):
    admin = StaffFactory(roles=[roles.SECRETARIAT_ADMIN])
    today = dt.date.today()
    bureau = MeetingFactory(
        kind=MeetingKind.BUREAU, code="bureau-cache", number=None, start_date=today, end_date=today
    )
    bureau_meeting_report_save(meeting=bureau, report_file=SimpleUploadedFile("r.pdf", pdf_bytes()), by=admin)
    meeting = MeetingFactory(code="cop-cache", number=5)
    document = publish(register(meeting, title_en="A note"))
    stored = version(document, "en").files.latest("number")
    call = document_services.call_for_submissions_save(
        meeting=meeting, title="Capacity-building", letter_date=dt.date(2019, 12, 13),
        addressees="Parties", deadline=dt.date(2021, 6, 30),
    )  # fmt: skip
    submission = document_services.submission_record(
        call=call, received_on=dt.date(2021, 6, 1), country=country("ZMB"),
        files=[SimpleUploadedFile("s.pdf", pdf_bytes())],
    )  # fmt: skip
    client.force_login(admin)
    for url in (
        reverse("bureau:meeting_report_file", args=[bureau.code]),
        reverse("documents:download", args=[document.pk, "en"]),
        reverse("documents:file", args=[stored.pk]),
        reverse("documents:submission_file", args=[submission.files.get().pk]),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Cache-Control"] == CACHED_BRIEFLY, url
