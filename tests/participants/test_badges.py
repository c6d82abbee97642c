import datetime as dt
import io
import subprocess

import pytest
import zxingcpp
from django.core import signing
from django.urls import reverse
from PIL import Image
from pypdf import PdfReader

from participants.enums import Capacity, RegistrationStatus
from participants.errors import RegistrationError
from participants.models import Attendance
from participants.services import badges as badge_services
from participants.services.badges import badge_token, registration_check_in
from participants.services.registration import registration_withdraw
from tests.factories import MeetingFactory, StaffFactory, UserFactory, country

from .factories import OrganisationFactory, RegistrationFactory

pytestmark = pytest.mark.django_db
S = RegistrationStatus


@pytest.fixture
def officer():
    return StaffFactory(roles=["Registration officer"])


def _text(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def test_issuing_a_badge_is_a_post_and_the_pdf_shows_name_state_capacity(client, officer):
    registration = RegistrationFactory(
        status=S.ACCREDITED, title="H.E.", first_name="Mwila", last_name="Banda", country=country("ZMB")
    )
    client.force_login(officer)
    response = client.post(reverse("participants:badge_issue", args=[registration.pk]), follow=True)
    assert response["Content-Type"] == "application/pdf"
    [page] = _text(response.content)
    assert "H.E. Mwila BANDA" in page and "Zambia" in page and "Party" in page
    assert registration.meeting.title in page
    registration.refresh_from_db()
    assert registration.status == S.BADGE_ISSUED


def test_opening_a_badge_changes_nothing(client, officer):
    """GET never changes state: an accredited participant's badge is not issued by opening it."""
    registration = RegistrationFactory(status=S.ACCREDITED)
    client.force_login(officer)
    response = client.get(reverse("participants:badge", args=[registration.pk]))
    assert response.status_code == 302
    registration.refresh_from_db()
    assert registration.status == S.ACCREDITED
    assert registration.history.count() == 1
    assert client.get(reverse("participants:badge_issue", args=[registration.pk])).status_code == 405


def test_reprinting_an_issued_badge_changes_nothing(client, officer):
    registration = RegistrationFactory(status=S.BADGE_ISSUED, last_name="Banda")
    client.force_login(officer)
    for _attempt in range(2):
        response = client.get(reverse("participants:badge", args=[registration.pk]))
        assert "BANDA" in _text(response.content)[0]
    registration.refresh_from_db()
    assert registration.status == S.BADGE_ISSUED and registration.history.count() == 1


def test_opening_the_badges_pdf_changes_nothing(client, officer):
    meeting = MeetingFactory()
    accredited = RegistrationFactory(meeting=meeting, status=S.ACCREDITED, last_name="Alpha")
    RegistrationFactory(meeting=meeting, status=S.BADGE_ISSUED, last_name="Beta")
    client.force_login(officer)
    pages = _text(client.get(reverse("participants:badges", args=[meeting.code])).content)
    assert len(pages) == 1 and "BETA" in pages[0]
    accredited.refresh_from_db()
    assert accredited.status == S.ACCREDITED
    assert client.get(reverse("participants:badges_issue", args=[meeting.code])).status_code == 405


def test_badges_pdf_is_rendered_outside_the_request_transaction(client, officer, monkeypatch):
    """ATOMIC_REQUESTS would hold the request's transaction (and any row locks) open while
    WeasyPrint renders; the download views opt out of it."""
    from django.db import connection

    from participants import views

    depth_here = len(connection.atomic_blocks)
    seen = []

    def record(**kwargs):
        seen.append(len(connection.atomic_blocks))
        return b"%PDF-1.4"

    monkeypatch.setattr(views, "badges_pdf", record)
    registration = RegistrationFactory(status=S.BADGE_ISSUED)
    client.force_login(officer)
    client.get(reverse("participants:badge", args=[registration.pk]))
    client.get(reverse("participants:badges", args=[registration.meeting.code]))
    assert seen == [depth_here, depth_here]


def test_batch_badges_for_meeting_only_accredited(client, officer):
    meeting = MeetingFactory()
    RegistrationFactory(meeting=meeting, status=S.ACCREDITED, last_name="Alpha")
    RegistrationFactory(
        meeting=meeting, status=S.BADGE_ISSUED, last_name="Beta", capacity=Capacity.NGO, country=None,
        organisation=OrganisationFactory(name="Zero Mercury Working Group"),
    )  # fmt: skip
    gamma = RegistrationFactory(meeting=meeting, status=S.NOMINATED, last_name="Gamma")
    client.force_login(officer)
    response = client.post(reverse("participants:badges_issue", args=[meeting.code]), follow=True)
    pages = _text(response.content)
    assert len(pages) == 2
    assert "ALPHA" in pages[0] and "BETA" in pages[1] and "Zero Mercury Working Group" in pages[1]
    assert "Non-governmental organisation" in pages[1]
    assert sorted(meeting.registrations.values_list("last_name", "status")) == [
        ("Alpha", S.BADGE_ISSUED), ("Beta", S.BADGE_ISSUED), ("Gamma", S.NOMINATED),
    ]  # fmt: skip
    gamma.refresh_from_db()
    assert gamma.status == S.NOMINATED


def test_batch_skips_a_registration_withdrawn_before_its_turn(client, officer, monkeypatch):
    """One registration withdrawn while the batch runs is skipped and counted: the others get their
    badge and the desk sees a message, not a server error."""
    meeting = MeetingFactory()
    alpha = RegistrationFactory(meeting=meeting, status=S.ACCREDITED, last_name="Alpha")
    beta = RegistrationFactory(meeting=meeting, status=S.ACCREDITED, last_name="Beta")
    real_transition = badge_services.transition

    def withdraw_beta_first(registration, action, **kwargs):
        if registration.pk == alpha.pk:
            registration_withdraw(registration=beta, by=officer, as_delegate=False)
        return real_transition(registration, action, **kwargs)

    monkeypatch.setattr(badge_services, "transition", withdraw_beta_first)
    client.force_login(officer)
    response = client.post(reverse("participants:badges_issue", args=[meeting.code]))
    assert response.status_code == 302
    shown = [str(m) for m in response.wsgi_request._messages]
    assert shown == ["1 badge(s) issued.", "1 registration(s) were no longer accredited and got no badge."]
    assert dict(meeting.registrations.values_list("last_name", "status")) == {
        "Alpha": S.BADGE_ISSUED, "Beta": S.WITHDRAWN,
    }  # fmt: skip


def test_badge_refused_before_accreditation(client, officer):
    registration = RegistrationFactory(status=S.NOMINATED)
    client.force_login(officer)
    response = client.post(reverse("participants:badge_issue", args=[registration.pk]))
    assert response.status_code == 302
    registration.refresh_from_db()
    assert registration.status == S.NOMINATED


@pytest.mark.parametrize("url_name", ["badge", "badges", "check_in"])
def test_badges_and_check_in_are_staff_only(client, url_name):
    registration = RegistrationFactory(status=S.ACCREDITED)
    client.force_login(registration.user)
    arg = registration.pk if url_name == "badge" else registration.meeting.code
    assert client.get(reverse(f"participants:{url_name}", args=[arg])).status_code == 403
    assert client.post(reverse("participants:badge_issue", args=[registration.pk])).status_code == 403
    assert (
        client.post(reverse("participants:badges_issue", args=[registration.meeting.code])).status_code == 403
    )
    registration.refresh_from_db()
    assert registration.status == S.ACCREDITED


def test_check_in_page_records_attendance_once_per_day(client, officer):
    registration = RegistrationFactory(status=S.BADGE_ISSUED, last_name="Banda")
    client.force_login(officer)
    url = reverse("participants:check_in", args=[registration.meeting.code])
    token = badge_token(registration)
    first = client.post(url, {"token": token})
    assert "checked in." in first.content.decode()
    again = client.post(url, {"token": f"  {token}  "})
    assert "already checked in today" in again.content.decode()
    registration.refresh_from_db()
    assert registration.status == S.CHECKED_IN
    assert Attendance.objects.filter(registration=registration).count() == 1
    assert Attendance.objects.get().checked_in_by == officer


def test_attendance_recorded_per_day():
    registration = RegistrationFactory(status=S.BADGE_ISSUED)
    token = badge_token(registration)
    for day in (dt.date(2018, 11, 19), dt.date(2018, 11, 20), dt.date(2018, 11, 20)):
        registration_check_in(meeting=registration.meeting, token=token, by=None, day=day)
    assert list(Attendance.objects.values_list("day", flat=True)) == [
        dt.date(2018, 11, 19),
        dt.date(2018, 11, 20),
    ]


def test_forged_token_refused(client, officer):
    registration = RegistrationFactory(status=S.BADGE_ISSUED)
    forged = signing.dumps({"r": registration.pk, "m": registration.meeting_id}, salt="x", key="not-our-key")
    client.force_login(officer)
    response = client.post(
        reverse("participants:check_in", args=[registration.meeting.code]), {"token": forged}
    )
    assert response.context["form"].errors["token"] == ["This badge code is not valid."]
    registration.refresh_from_db()
    assert registration.status == S.BADGE_ISSUED and not Attendance.objects.exists()


def test_token_for_another_meeting_refused():
    registration = RegistrationFactory(status=S.BADGE_ISSUED)
    other = MeetingFactory()
    with pytest.raises(RegistrationError, match="another meeting"):
        registration_check_in(meeting=other, token=badge_token(registration), by=None)
    assert not Attendance.objects.exists()


def test_withdrawn_badge_holder_refused():
    registration = RegistrationFactory(status=S.BADGE_ISSUED)
    token = badge_token(registration)
    registration_withdraw(registration=registration, by=None, as_delegate=False)
    with pytest.raises(RegistrationError, match="Withdrawn"):
        registration_check_in(meeting=registration.meeting, token=token, by=None)


def test_badge_qr_code_on_the_printed_badge_reads_as_its_token(tmp_path):
    """The badge page rasterised at 150 dpi (poppler), the QR code read back with zxing-cpp, as
    the check-in desk's scanner reads it; the token it carries checks the delegate in."""
    from participants.badges import badges_pdf

    registration = RegistrationFactory(status=S.BADGE_ISSUED)
    (tmp_path / "badge.pdf").write_bytes(
        badges_pdf(meeting=registration.meeting, registrations=[registration])
    )
    subprocess.run(
        ["pdftoppm", "-r", "150", "-gray", "-png", "-singlefile", tmp_path / "badge.pdf", tmp_path / "page"],
        check=True,
    )
    found = zxingcpp.read_barcodes(Image.open(tmp_path / "page.png"), formats=zxingcpp.BarcodeFormat.QRCode)
    assert len(found) == 1  # the token is signed with a timestamp: what it carries is checked below
    checked_in, first_time = registration_check_in(meeting=registration.meeting, token=found[0].text, by=None)
    assert checked_in == registration and first_time


def test_batch_badges_come_out_in_the_order_of_the_names(client, officer):
    meeting = MeetingFactory()
    for name in ("Alpha", "Beta", "Gamma"):
        RegistrationFactory(meeting=meeting, status=S.ACCREDITED, last_name=name)
    client.force_login(officer)
    response = client.post(reverse("participants:badges_issue", args=[meeting.code]), follow=True)
    pages = _text(response.content)
    assert [next(n for n in ("ALPHA", "BETA", "GAMMA") if n in page) for page in pages] == [
        "ALPHA",
        "BETA",
        "GAMMA",
    ]


def test_registration_desk_page_links_the_staff_tools(client, officer):
    meeting = MeetingFactory()
    RegistrationFactory(meeting=meeting, status=S.ACCREDITED)
    client.force_login(officer)
    page = client.get(reverse("participants:staff_meeting", args=[meeting.code])).content.decode()
    for name in ("check_in", "credentials", "funding", "statistics", "list", "visa_requests"):
        assert reverse(f"participants:{name}", args=[meeting.code]) in page
    client.force_login(UserFactory())
    assert client.get(reverse("participants:staff_meeting", args=[meeting.code])).status_code == 403
