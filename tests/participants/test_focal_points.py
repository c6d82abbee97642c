import io
import re
import zipfile

import pytest
from django.core import signing
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import FocalPoint
from accounts.services import focal_point_save
from outbox.models import OutgoingMail
from participants.enums import Capacity, RegistrationStatus
from participants.errors import RegistrationError
from participants.models import FocalPointInvitation, NominationLetter, Registration
from participants.services.focal_points import (
    focal_point_invitation_token,
    focal_point_invite,
    focal_point_pre_register,
)
from tests.factories import FocalPointFactory, StaffFactory, UserFactory, country

from .factories import NominationLetterFactory, RegistrationFactory, open_meeting, pdf_bytes, pdf_upload

pytestmark = pytest.mark.django_db
S = RegistrationStatus


@pytest.fixture
def zambia():
    return FocalPointFactory(country=country("ZMB")).user


@pytest.fixture
def peru():
    return FocalPointFactory(country=country("PER")).user


def test_focal_point_sees_only_own_state(client, zambia):
    meeting = open_meeting()
    own = RegistrationFactory(meeting=meeting, country=country("ZMB"), first_name="Mwila")
    RegistrationFactory(meeting=meeting, country=country("PER"), first_name="Rosa")
    client.force_login(zambia)
    response = client.get(reverse("participants:fp_state", args=[meeting.code, "ZMB"]))
    assert [r.pk for r in response.context["registrations"]] == [own.pk]
    assert "Rosa" not in response.content.decode()


def test_focal_point_pre_registers_a_delegate(client, zambia):
    meeting = open_meeting()
    client.force_login(zambia)
    response = client.post(
        reverse("participants:fp_pre_register", args=[meeting.code, "ZMB"]),
        {"first_name": "Chanda", "last_name": "Phiri", "email": "Chanda.Phiri@example.zm", "function": "Adviser",
         "delegation_role": "adviser"},
    )  # fmt: skip
    assert response.status_code == 302
    registration = Registration.objects.get(meeting=meeting)
    assert (registration.user.email, registration.capacity, registration.country.iso3, registration.created_by) == (
        "chanda.phiri@example.zm", Capacity.PARTY, "ZMB", zambia,
    )  # fmt: skip


def test_pre_registering_same_email_twice_is_detected(zambia):
    meeting = open_meeting()
    focal_point_pre_register(meeting=meeting, country=country("ZMB"), by=zambia, email="a@example.zm")
    with pytest.raises(RegistrationError, match="already registered"):
        focal_point_pre_register(meeting=meeting, country=country("ZMB"), by=zambia, email="A@Example.ZM")
    assert Registration.objects.filter(meeting=meeting).count() == 1


def test_focal_point_nominates_with_uploaded_letter(client, zambia):
    registration = RegistrationFactory(meeting=open_meeting())
    client.force_login(zambia)
    response = client.post(
        reverse("participants:fp_nominate", args=[registration.pk]), {"role": "head", "letter": pdf_upload()}
    )
    assert response.status_code == 302
    registration.refresh_from_db()
    assert (registration.status, registration.delegation_role) == (S.NOMINATED, "head")
    letter = registration.nomination_letter
    assert letter.original_name == "note-verbale.pdf" and letter.country.iso3 == "ZMB"
    assert "static" not in letter.file.path and letter.file.name.endswith(".pdf")
    # Served back through the checked view, as a download.
    download = client.get(reverse("participants:nomination_letter", args=[letter.pk]))
    assert download["Content-Disposition"].startswith("attachment")
    assert b"".join(download.streaming_content) == pdf_bytes()


def _docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as book:
        book.writestr("[Content_Types].xml", "<Types/>")
        book.writestr("word/document.xml", "<document/>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (
            SimpleUploadedFile("x.pdf", b"MZ\x90\x00 not a pdf at all", content_type="application/pdf"),
            "not a PDF",
        ),
        (
            SimpleUploadedFile("x.pdf", b"%PDF-1.7\n garbage without pages", content_type="application/pdf"),
            "cannot be read",
        ),
        (SimpleUploadedFile("x.pdf", _docx_bytes(), content_type="application/pdf"), "must be a PDF"),
    ],
)
def test_bad_letter_refused_and_nothing_changes(client, zambia, upload, message):
    registration = RegistrationFactory(meeting=open_meeting())
    client.force_login(zambia)
    response = client.post(
        reverse("participants:fp_nominate", args=[registration.pk]), {"role": "head", "letter": upload}
    )
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors["letter"])
    registration.refresh_from_db()
    assert registration.status == S.PRE_REGISTERED
    assert not NominationLetter.objects.exists()


def test_letter_over_size_limit_refused(client, zambia, settings):
    settings.UPLOAD_MAX_BYTES = 100
    registration = RegistrationFactory(meeting=open_meeting())
    client.force_login(zambia)
    response = client.post(
        reverse("participants:fp_nominate", args=[registration.pk]), {"role": "head", "letter": pdf_upload()}
    )
    assert "larger than" in " ".join(response.context["form"].errors["letter"])
    assert not NominationLetter.objects.exists()


def test_focal_point_declines(client, zambia):
    registration = RegistrationFactory(meeting=open_meeting())
    client.force_login(zambia)
    client.post(
        reverse("participants:fp_decline", args=[registration.pk]), {"reason": "Not in the delegation"}
    )
    registration.refresh_from_db()
    assert (registration.status, registration.status_note) == (S.DECLINED, "Not in the delegation")


def test_focal_point_cannot_decline_an_accredited_delegate(client, zambia):
    registration = RegistrationFactory(meeting=open_meeting(), status=S.ACCREDITED)
    client.force_login(zambia)
    response = client.post(
        reverse("participants:fp_decline", args=[registration.pk]), {"reason": "Not in the delegation"}
    )
    assert response.status_code == 302
    registration.refresh_from_db()
    assert (registration.status, registration.status_note) == (S.ACCREDITED, "")
    page = client.get(reverse("participants:fp_state", args=[registration.meeting.code, "ZMB"]))
    assert reverse("participants:fp_decline", args=[registration.pk]) not in page.content.decode()


def _zambian_objects():
    meeting = open_meeting()
    registration = RegistrationFactory(meeting=meeting, country=country("ZMB"))
    letter = NominationLetterFactory(meeting=meeting, country=country("ZMB"))
    return meeting, registration, letter


FOCAL_POINT_URLS = [
    ("get", "participants:fp_state", lambda m, r, letter: [m.code, "ZMB"]),
    ("post", "participants:fp_state", lambda m, r, letter: [m.code, "zmb"]),
    ("get", "participants:fp_pre_register", lambda m, r, letter: [m.code, "ZMB"]),
    ("post", "participants:fp_pre_register", lambda m, r, letter: [m.code, "ZMB"]),
    ("get", "participants:fp_nominate", lambda m, r, letter: [r.pk]),
    ("post", "participants:fp_nominate", lambda m, r, letter: [r.pk]),
    ("get", "participants:fp_decline", lambda m, r, letter: [r.pk]),
    ("post", "participants:fp_decline", lambda m, r, letter: [r.pk]),
    ("get", "participants:nomination_letter", lambda m, r, letter: [letter.pk]),
]


@pytest.mark.parametrize(("method", "name", "args"), FOCAL_POINT_URLS)
def test_other_states_focal_point_gets_404_everywhere(client, peru, method, name, args):
    meeting, registration, letter = _zambian_objects()
    client.force_login(peru)
    url = reverse(name, args=args(meeting, registration, letter))
    data = {"role": "head", "letter": pdf_upload(), "first_name": "X", "last_name": "Y", "email": "x@y.org"}
    response = getattr(client, method)(url, data if method == "post" else None)
    assert response.status_code == 404
    registration.refresh_from_db()
    assert registration.status == S.PRE_REGISTERED
    assert Registration.objects.count() == 1 and NominationLetter.objects.count() == 1


@pytest.mark.parametrize(("method", "name", "args"), FOCAL_POINT_URLS)
def test_delegate_without_focal_point_role_gets_404_everywhere(client, method, name, args):
    meeting, registration, letter = _zambian_objects()
    client.force_login(registration.user)
    response = getattr(client, method)(reverse(name, args=args(meeting, registration, letter)))
    assert response.status_code == 404


def test_staff_may_read_nomination_letter(client):
    _meeting, _registration, letter = _zambian_objects()
    client.force_login(StaffFactory(roles=["Registration officer"]))
    assert client.get(reverse("participants:nomination_letter", args=[letter.pk])).status_code == 200


@pytest.mark.parametrize("count", [2, 8])
def test_focal_point_page_query_count_is_fixed(client, zambia, django_assert_num_queries, count):
    meeting = open_meeting()
    letter = NominationLetterFactory(meeting=meeting, country=country("ZMB"))
    for i in range(count):
        RegistrationFactory(meeting=meeting, nomination_letter=letter if i % 2 else None)
    client.force_login(zambia)
    # savepoint, session, user, focal-point countries, country, meeting, registrations, requests to
    # people with an account, the meeting's segments (in person or online offered), release
    with django_assert_num_queries(10):
        response = client.get(reverse("participants:fp_state", args=[meeting.code, "ZMB"]))
    assert len(response.context["registrations"]) == count


# --- Invitations --------------------------------------------------------------------------------


def test_invitation_mailed_and_accepted_by_invited_person(client):
    staff = StaffFactory()
    invitation = focal_point_invite(country=country("ZMB"), email="Minister@Env.gov.zm", by=staff)
    mail = OutgoingMail.objects.get()
    assert mail.to == "minister@env.gov.zm" and "Zambia" in mail.subject
    # The token carries its signing time: take the one from the mail, as the invitee would.
    token = re.search(r"/participants/focal-point/invitation/([^/\s]+)/", mail.body_text).group(1)
    user = UserFactory(email="minister@env.gov.zm")
    client.force_login(user)
    response = client.post(reverse("participants:focal_point_accept", args=[token]))
    assert response.status_code == 302
    assert FocalPoint.objects.get(user=user).country.iso3 == "ZMB"
    assert user.groups.filter(name="National focal point").exists()
    invitation.refresh_from_db()
    assert invitation.accepted_by == user


def test_invitation_link_works_once_and_cannot_undo_a_deactivation(client):
    """Issue 14: a deactivated focal point reactivated themselves by opening their accepted
    invitation link again while it was valid."""
    invitation = FocalPointInvitation.objects.create(country=country("ZMB"), email="minister@env.gov.zm")
    token = focal_point_invitation_token(invitation)
    user = UserFactory(email="minister@env.gov.zm")
    client.force_login(user)
    assert client.post(reverse("participants:focal_point_accept", args=[token])).status_code == 302
    focal_point = FocalPoint.objects.get(user=user)
    focal_point.active = False
    focal_point_save(focal_point=focal_point)  # the secretariat withdraws them
    for response in (
        client.get(reverse("participants:focal_point_accept", args=[token])),
        client.post(reverse("participants:focal_point_accept", args=[token])),
    ):
        assert response.status_code == 403
        assert "already been used" in response.content.decode()
    focal_point.refresh_from_db()
    assert not focal_point.active
    meeting = open_meeting()
    assert client.get(reverse("participants:fp_state", args=[meeting.code, "ZMB"])).status_code == 404


def test_invitation_sent_before_a_deactivation_does_not_reactivate(client):
    user = UserFactory(email="minister@env.gov.zm")
    pending = FocalPointInvitation.objects.create(country=country("ZMB"), email="minister@env.gov.zm")
    focal_point = focal_point_save(focal_point=FocalPoint(user=user, country=country("ZMB")))
    focal_point.active = False
    focal_point_save(focal_point=focal_point)
    client.force_login(user)
    response = client.post(
        reverse("participants:focal_point_accept", args=[focal_point_invitation_token(pending)])
    )
    assert response.status_code == 403 and "new one" in response.content.decode()
    focal_point.refresh_from_db()
    assert not focal_point.active
    # A new invitation from the secretariat does bring them back.
    fresh = FocalPointInvitation.objects.create(country=country("ZMB"), email="minister@env.gov.zm")
    assert (
        client.post(
            reverse("participants:focal_point_accept", args=[focal_point_invitation_token(fresh)])
        ).status_code
        == 302
    )
    focal_point.refresh_from_db()
    assert focal_point.active


def test_invitation_link_of_someone_else_is_refused_on_sight(client):
    invitation = FocalPointInvitation.objects.create(country=country("ZMB"), email="minister@env.gov.zm")
    client.force_login(UserFactory(email="someone@else.org"))
    response = client.get(
        reverse("participants:focal_point_accept", args=[focal_point_invitation_token(invitation)])
    )
    assert response.status_code == 403 and "another e-mail address" in response.content.decode()


def test_invitation_refused_for_another_address(client):
    invitation = FocalPointInvitation.objects.create(country=country("ZMB"), email="minister@env.gov.zm")
    client.force_login(UserFactory(email="someone@else.org"))
    response = client.post(
        reverse("participants:focal_point_accept", args=[focal_point_invitation_token(invitation)])
    )
    assert response.status_code == 403
    assert not FocalPoint.objects.exists()


def test_expired_or_forged_invitation_refused(client, monkeypatch):
    import time

    invitation = FocalPointInvitation.objects.create(country=country("ZMB"), email="minister@env.gov.zm")
    user = UserFactory(email="minister@env.gov.zm")
    client.force_login(user)
    real_time = time.time
    monkeypatch.setattr(signing.time, "time", lambda: real_time() - 15 * 24 * 3600)
    old = focal_point_invitation_token(invitation)
    monkeypatch.setattr(signing.time, "time", real_time)
    response = client.post(reverse("participants:focal_point_accept", args=[old]))
    assert response.status_code == 403 and "expired" in response.content.decode()
    forged = old[:-3] + "abc"
    response = client.post(reverse("participants:focal_point_accept", args=[forged]))
    assert response.status_code == 403 and "not valid" in response.content.decode()
    assert not FocalPoint.objects.exists()


def test_focal_point_finds_their_page_from_my_registrations(client, zambia):
    client.force_login(zambia)
    page = client.get(reverse("participants:mine")).content.decode()
    assert reverse("participants:fp_home") in page
    home = client.get(reverse("participants:fp_home"))
    assert [c.iso3 for c in home.context["countries"]] == ["ZMB"]
    client.force_login(UserFactory())
    assert reverse("participants:fp_home") not in client.get(reverse("participants:mine")).content.decode()
    assert client.get(reverse("participants:fp_home")).status_code == 403
