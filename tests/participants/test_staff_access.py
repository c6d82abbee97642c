"""The registration desk's pages, role by role: only registration staff reach them. A documents
officer and a Bureau member are secretariat or meeting officials, yet have no business with the
participants' personal data (lists, funding, visas, badges)."""

import pytest
from django.urls import reverse

from participants.enums import RegistrationStatus, VisaStatus
from participants.models import VisaRequest
from tests.bureau.factories import bureau_member
from tests.factories import FocalPointFactory, StaffFactory, country

from .factories import RegistrationFactory

pytestmark = pytest.mark.django_db

BY_MEETING = ["staff_meeting", "check_in", "statistics", "statistics_xlsx", "list", "list_pdf", "list_xlsx",
              "funding", "funding_xlsx", "visa_requests", "badges"]  # fmt: skip


def _documents_officer():
    return StaffFactory(roles=["Documents officer"])


def _bureau_member():
    return bureau_member().user


def _focal_point():
    return FocalPointFactory(country=country("ZMB")).user


@pytest.mark.parametrize("make_user", [_documents_officer, _bureau_member, _focal_point])
def test_staff_pages_refused_to_other_roles(client, make_user):
    registration = RegistrationFactory(country=country("ZMB"), status=RegistrationStatus.ACCREDITED)
    visa = VisaRequest.objects.create(registration=registration, embassy="Embassy in Geneva")
    client.force_login(make_user())
    code = registration.meeting.code
    for name in BY_MEETING:
        assert client.get(reverse(f"participants:{name}", args=[code])).status_code == 403, name
    assert client.get(reverse("participants:badge", args=[registration.pk])).status_code == 403
    for name in ("visa_approve", "visa_refuse"):
        assert client.post(reverse(f"participants:{name}", args=[code, visa.pk])).status_code == 403, name
    assert client.post(reverse("participants:badge_issue", args=[registration.pk])).status_code == 403
    assert client.post(reverse("participants:badges_issue", args=[code])).status_code == 403
    registration.refresh_from_db()
    visa.refresh_from_db()
    assert (registration.status, visa.status) == (RegistrationStatus.ACCREDITED, VisaStatus.REQUESTED)


def test_staff_pages_open_to_registration_officer(client):
    registration = RegistrationFactory(country=country("ZMB"), status=RegistrationStatus.ACCREDITED)
    client.force_login(StaffFactory(roles=["Registration officer"]))
    code = registration.meeting.code
    for name in ["staff_meeting", "check_in", "statistics", "list", "funding", "visa_requests"]:
        assert client.get(reverse(f"participants:{name}", args=[code])).status_code == 200, name
