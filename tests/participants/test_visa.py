import datetime as dt
import logging

import pytest
from django.db import connection
from django.urls import reverse

from letters.enums import LetterKind
from letters.models import Letter
from participants import tasks
from participants.enums import RegistrationStatus, VisaStatus
from participants.errors import VisaError
from participants.models import VisaRequest
from participants.services.visas import passport_data_purge, visa_request_approve, visa_request_create
from tests.factories import FocalPointFactory, StaffFactory, UserFactory, country

from .factories import RegistrationFactory

pytestmark = pytest.mark.django_db
S = RegistrationStatus
PASSPORT = "ZN4455667"


def _request(registration, expires=dt.date(2020, 1, 1)):
    return visa_request_create(
        registration=registration, by=registration.user, passport_number=PASSPORT, passport_country=country("ZMB"),
        passport_issued=dt.date(2016, 1, 1), passport_expires=expires, embassy="Embassy of Switzerland, Lusaka",
    )  # fmt: skip


def test_passport_number_is_encrypted_at_rest():
    visa = _request(RegistrationFactory())
    with connection.cursor() as cursor:
        cursor.execute("SELECT passport_number FROM participants_visarequest WHERE id = %s", [visa.pk])
        stored = cursor.fetchone()[0]
    assert PASSPORT not in stored and len(stored) > 40
    assert VisaRequest.objects.get().passport_number == PASSPORT
    assert VisaRequest.objects.get().passport_number_masked == "••••••667"


def test_passport_valid_less_than_six_months_after_meeting_refused():
    # The factory meeting ends on 23 November 2018: the passport must be valid until 23 May 2019.
    registration = RegistrationFactory()
    with pytest.raises(VisaError) as caught:
        _request(registration, expires=dt.date(2019, 5, 22))
    assert caught.value.message_dict["passport_expires"] == [
        "The passport must be valid until at least 23 May 2019, six months after the meeting ends."
    ]
    assert not VisaRequest.objects.exists()
    assert _request(registration, expires=dt.date(2019, 5, 23)).status == VisaStatus.REQUESTED


def test_delegate_requests_through_the_page_and_number_not_in_url_or_logs(client, caplog):
    registration = RegistrationFactory()
    client.force_login(registration.user)
    with caplog.at_level(logging.DEBUG):
        response = client.post(
            reverse("participants:visa", args=[registration.pk]),
            {"passport_number": PASSPORT, "passport_country": country("ZMB").pk, "passport_issued": "2016-01-01",
             "passport_expires": "2025-01-01", "embassy": "Embassy of Switzerland"},
        )  # fmt: skip
    assert response.status_code == 302 and PASSPORT not in response["Location"]
    assert PASSPORT not in caplog.text
    visa = VisaRequest.objects.get()
    assert visa.registration == registration
    registration.refresh_from_db()
    assert registration.visa_letter_requested
    assert PASSPORT in client.get(reverse("participants:visa", args=[registration.pk])).content.decode()


def test_visa_page_of_someone_else_is_404(client):
    registration = RegistrationFactory()
    _request(registration)
    for user in (UserFactory(), FocalPointFactory(country=country("ZMB")).user):
        client.force_login(user)
        response = client.get(reverse("participants:visa", args=[registration.pk]))
        assert response.status_code == 404


def test_staff_list_masks_numbers_and_approves(client, django_capture_on_commit_callbacks):
    registration = RegistrationFactory(status=S.ACCREDITED)
    visa = _request(registration)
    officer = StaffFactory(roles=["Registration officer"])
    client.force_login(officer)
    url = reverse("participants:visa_requests", args=[registration.meeting.code])
    page = client.get(url).content.decode()
    assert "••••••667" in page and PASSPORT not in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("participants:visa_approve", args=[registration.meeting.code, visa.pk]))
    visa.refresh_from_db()
    assert (visa.status, visa.decided_by) == (VisaStatus.APPROVED, officer)
    # The approval's on-commit callback asked letters for the visa letter, for real.
    assert list(Letter.objects.values_list("kind", "registration")) == [(LetterKind.VISA, registration.pk)]


@pytest.mark.parametrize("decision", ["approved", "Approve", "", "refuse"])
def test_a_post_to_the_list_decides_nothing(client, decision):
    """Approve and refuse are explicit actions of their own: a POST to the list with any
    `decision` (a typo, an empty one, even "refuse") changes nothing."""
    visa = _request(RegistrationFactory(status=S.ACCREDITED))
    client.force_login(StaffFactory(roles=["Registration officer"]))
    url = reverse("participants:visa_requests", args=[visa.registration.meeting.code])
    response = client.post(url, {"visa": visa.pk, "decision": decision, "reason": "Typo"})
    assert response.status_code == 405
    visa.refresh_from_db()
    assert (visa.status, visa.refusal_reason, visa.decided_by) == (VisaStatus.REQUESTED, "", None)


def test_staff_refuse_with_reason(client):
    visa = _request(RegistrationFactory(status=S.ACCREDITED))
    officer = StaffFactory(roles=["Registration officer"])
    client.force_login(officer)
    code = visa.registration.meeting.code
    page = client.get(reverse("participants:visa_requests", args=[code])).content.decode()
    assert reverse("participants:visa_refuse", args=[code, visa.pk]) in page
    assert client.get(reverse("participants:visa_refuse", args=[code, visa.pk])).status_code == 405
    client.post(reverse("participants:visa_refuse", args=[code, visa.pk]), {"reason": "Incomplete file"})
    visa.refresh_from_db()
    assert (visa.status, visa.refusal_reason, visa.decided_by) == (
        VisaStatus.REFUSED,
        "Incomplete file",
        officer,
    )


def test_visa_decision_of_another_meeting_is_404(client):
    visa = _request(RegistrationFactory(status=S.ACCREDITED))
    other = RegistrationFactory(status=S.ACCREDITED).meeting
    client.force_login(StaffFactory(roles=["Registration officer"]))
    assert client.post(reverse("participants:visa_approve", args=[other.code, visa.pk])).status_code == 404
    visa.refresh_from_db()
    assert visa.status == VisaStatus.REQUESTED


def test_visa_refused_before_nomination_cannot_be_approved():
    visa = _request(RegistrationFactory(status=S.PRE_REGISTERED))
    with pytest.raises(VisaError, match="nominated or accredited"):
        visa_request_approve(visa=visa, by=None)
    visa.refresh_from_db()
    assert visa.status == VisaStatus.REQUESTED


def test_staff_list_is_staff_only(client):
    registration = RegistrationFactory()
    client.force_login(registration.user)
    assert (
        client.get(reverse("participants:visa_requests", args=[registration.meeting.code])).status_code == 403
    )


def test_purge_task_erases_passport_data_after_configured_days(settings):
    settings.PASSPORT_PURGE_DAYS = 30
    old = _request(RegistrationFactory())  # meeting ended 23 November 2018
    passport_data_purge(today=dt.date(2018, 12, 23))  # 30 days later: not yet
    old.refresh_from_db()
    assert old.passport_number == PASSPORT and old.purged_at is None
    assert tasks.passport_data_purge.delay().get() == 1  # today is long after 2018
    old.refresh_from_db()
    assert (old.passport_number, old.passport_issued, old.passport_expires, old.passport_country) == (
        None,
        None,
        None,
        None,
    )
    assert old.purged_at is not None
    assert not any(PASSPORT in str(h.__dict__) for h in old.history.all())


def test_purge_task_is_scheduled_daily(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["participants-passport-purge"]
    assert entry["task"] == tasks.passport_data_purge.name
