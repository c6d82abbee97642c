"""The badge photo: uploaded by its delegate from "My registrations" (or by the secretariat in the
admin), checked by its content, stored as a new JPEG cropped to the badge's frame without the
upload's metadata, seen only by its delegate and the registration desk, printed on the badge."""

import io
import subprocess

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from participants.badge_layout import PHOTO_PIXELS
from participants.badges import badges_pdf
from participants.enums import RegistrationStatus
from participants.services.badges import PHOTO_MAX_BYTES, registration_set_badge_photo
from tests.accounts.test_landing import _current_bureau_member
from tests.admin_forms import admin_post_data
from tests.factories import FocalPointFactory, StaffFactory, UserFactory, country

from .factories import RegistrationFactory, upcoming_meeting

pytestmark = pytest.mark.django_db
S = RegistrationStatus


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _registration(status=S.ACCREDITED):
    # A meeting still to come: a past meeting's registration is no longer its delegate's to change.
    return RegistrationFactory(meeting=upcoming_meeting(), status=status)


def _image_bytes(fmt="PNG", size=(800, 600), colour=(200, 30, 30), **save):
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, fmt, **save)
    return buffer.getvalue()


def _upload(content, name="me.png", content_type="image/png"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def _post(client, registration, upload):
    return client.post(reverse("participants:badge_photo_upload", args=[registration.pk]), {"photo": upload})


def _messages(response):
    return [str(m) for m in response.wsgi_request._messages]


def test_delegate_uploads_a_png_stored_as_jpeg_cropped_to_the_badge_frame(client):
    registration = _registration()
    client.force_login(registration.user)
    response = _post(client, registration, _upload(_image_bytes("PNG", size=(1000, 500))))
    assert response.status_code == 302 and response["Location"] == reverse("participants:mine")
    assert _messages(response) == ["Your badge photo is saved."]
    registration.refresh_from_db()
    assert registration.photo.name.startswith(f"participants/photos/{registration.meeting_id}/")
    with registration.photo.open("rb") as stored:
        data = stored.read()
    assert data[:3] == b"\xff\xd8\xff"  # a JPEG, whatever was sent
    image = Image.open(io.BytesIO(data))
    assert image.format == "JPEG" and image.size == PHOTO_PIXELS  # 3:4, the badge's frame
    assert registration.history.latest().history_user == registration.user


def test_the_uploads_metadata_is_not_kept(client):
    registration = _registration()
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0132] = "2026:11:30 10:00:00"  # DateTime
    sent = _image_bytes("JPEG", exif=exif.tobytes())
    assert b"PhoneMaker" in sent
    client.force_login(registration.user)
    _post(client, registration, _upload(sent, "me.jpg", "image/jpeg"))
    registration.refresh_from_db()
    with registration.photo.open("rb") as stored:
        data = stored.read()
    assert b"PhoneMaker" not in data and b"Exif" not in data
    assert not Image.open(io.BytesIO(data)).getexif()


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"<html><script>alert(1)</script></html>", "me.jpg", "not a JPEG or PNG photo"),
        (b"%PDF-1.4 not a photo", "me.png", "not a JPEG or PNG photo"),
        (_image_bytes("GIF"), "me.gif", "not a JPEG or PNG photo"),
        (_image_bytes("PNG")[:200], "cut.png", "not a JPEG or PNG photo"),
        (_image_bytes("JPEG")[:4000], "cut.jpg", "not a JPEG or PNG photo"),
        (_image_bytes("PNG", size=(150, 150)), "tiny.png", "too small"),
    ],
)
def test_what_is_not_a_usable_photo_is_refused(client, content, name, message):
    registration = _registration()
    client.force_login(registration.user)
    response = _post(client, registration, _upload(content, name))
    assert response.status_code == 302
    [shown] = _messages(response)
    assert shown.startswith("Badge photo: ") and message in shown
    registration.refresh_from_db()
    assert not registration.photo


def test_a_photo_over_the_size_limit_is_refused(client):
    registration = _registration()
    # A real PNG padded past the limit with a private chunk-like tail.
    content = _image_bytes("PNG") + b"\0" * (PHOTO_MAX_BYTES + 1)
    client.force_login(registration.user)
    response = _post(client, registration, _upload(content))
    assert _messages(response) == ["Badge photo: The photo is larger than 5.0\xa0MB."]
    registration.refresh_from_db()
    assert not registration.photo


def test_replacing_the_photo_deletes_the_old_file(client, django_capture_on_commit_callbacks):
    registration = _registration()
    client.force_login(registration.user)
    with django_capture_on_commit_callbacks(execute=True):
        _post(client, registration, _upload(_image_bytes()))
    registration.refresh_from_db()
    first = registration.photo.path
    with django_capture_on_commit_callbacks(execute=True):
        _post(client, registration, _upload(_image_bytes(colour=(0, 0, 200))))
    registration.refresh_from_db()
    assert registration.photo.path != first
    import os

    assert not os.path.exists(first) and os.path.exists(registration.photo.path)


def test_only_the_delegate_and_the_registration_desk_upload_and_see_the_photo(client):
    registration = _registration()
    client.force_login(registration.user)
    _post(client, registration, _upload(_image_bytes()))
    photo_url = reverse("participants:badge_photo", args=[registration.pk])

    response = client.get(photo_url)
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert "no-store" in response["Cache-Control"] and response["X-Content-Type-Options"] == "nosniff"
    assert response.content[:3] == b"\xff\xd8\xff"

    officer = StaffFactory(roles=["Registration officer"])
    client.force_login(officer)
    assert client.get(photo_url).status_code == 200
    response = _post(client, registration, _upload(_image_bytes(colour=(0, 200, 0))))
    assert response["Location"] == reverse("admin:participants_registration_change", args=[registration.pk])

    registration.refresh_from_db()
    before = registration.photo.name
    for stranger in (UserFactory(), StaffFactory(roles=["Documents officer"])):
        client.force_login(stranger)
        assert client.get(photo_url).status_code == 403
        assert _post(client, registration, _upload(_image_bytes())).status_code == 403
    registration.refresh_from_db()
    assert registration.photo.name == before
    client.logout()
    assert client.get(photo_url).status_code == 302  # to sign in
    # Never under a public URL: the storage's URL is not routed.
    assert client.get(registration.photo.url).status_code == 404


def test_after_the_meeting_the_delegate_no_longer_changes_the_photo(client):
    registration = RegistrationFactory(status=S.BADGE_ISSUED)  # a 2018 meeting
    client.force_login(registration.user)
    assert _post(client, registration, _upload(_image_bytes())).status_code == 403
    registration.refresh_from_db()
    assert not registration.photo


def test_upload_is_a_post_only(client):
    registration = _registration()
    client.force_login(registration.user)
    assert client.get(reverse("participants:badge_photo_upload", args=[registration.pk])).status_code == 405


def test_no_photo_for_a_withdrawn_registration(client):
    registration = _registration(status=S.WITHDRAWN)
    client.force_login(registration.user)
    response = _post(client, registration, _upload(_image_bytes()))
    assert _messages(response) == ["photo: This registration is “Withdrawn”: no badge."]
    registration.refresh_from_db()
    assert not registration.photo


def test_my_registrations_offers_the_photo_form(client):
    registration = _registration()
    client.force_login(registration.user)
    page = client.get(reverse("participants:mine")).content.decode()
    assert reverse("participants:badge_photo_upload", args=[registration.pk]) in page
    assert 'enctype="multipart/form-data"' in page
    _post(client, registration, _upload(_image_bytes()))
    page = client.get(reverse("participants:mine")).content.decode()
    assert f'<img src="{reverse("participants:badge_photo", args=[registration.pk])}"' in page


def test_staff_upload_the_photo_in_the_admin(client):
    registration = _registration()
    officer = StaffFactory(roles=["Registration officer"])
    client.force_login(officer)
    url = reverse("admin:participants_registration_change", args=[registration.pk])
    data = admin_post_data(client.get(url))
    data["photo"] = _upload(b"not an image", "x.png")
    response = client.post(url, data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["photo"] == [
        "The file is not a JPEG or PNG photo (its content was checked, not its name)."
    ]
    data["photo"] = _upload(_image_bytes("PNG"))
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    registration.refresh_from_db()
    assert Image.open(registration.photo.path).size == PHOTO_PIXELS


def test_saving_a_registration_in_the_admin_without_a_new_photo_keeps_the_stored_one(client):
    """The form's file field gives back the stored photo when nothing is uploaded: it must not
    be encoded and stored again on every save of the registration."""
    registration = _registration()
    registration_set_badge_photo(registration=registration, uploaded=_upload(_image_bytes()), by=None)
    registration.refresh_from_db()
    before, rows = registration.photo.name, registration.history.count()
    officer = StaffFactory(roles=["Registration officer"])
    client.force_login(officer)
    url = reverse("admin:participants_registration_change", args=[registration.pk])
    data = admin_post_data(client.get(url))
    data["function"] = "Minister"
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    registration.refresh_from_db()
    assert (registration.function, registration.photo.name) == ("Minister", before)
    assert [h.photo for h in registration.history.all()[: registration.history.count() - rows]] == [before]


def test_no_photo_yet_is_a_404_and_tells_nothing(client):
    registration = _registration()
    client.force_login(registration.user)
    response = client.get(reverse("participants:badge_photo", args=[registration.pk]))
    assert response.status_code == 404
    assert _messages(response) == []


def test_neither_a_fellow_delegate_nor_the_focal_point_nor_the_bureau_sees_or_changes_the_photo(client):
    registration = _registration()  # a delegate of Zambia
    registration_set_badge_photo(registration=registration, uploaded=_upload(_image_bytes()), by=None)
    registration.refresh_from_db()
    before = registration.photo.name
    photo_url = reverse("participants:badge_photo", args=[registration.pk])
    fellow = RegistrationFactory(meeting=registration.meeting, country=country("ZMB")).user
    focal_point = FocalPointFactory(country=country("ZMB")).user
    for other in (fellow, focal_point, _current_bureau_member()):
        client.force_login(other)
        assert client.get(photo_url).status_code == 403, other
        assert _post(client, registration, _upload(_image_bytes(colour=(0, 0, 200)))).status_code == 403, (
            other
        )
    registration.refresh_from_db()
    assert registration.photo.name == before


def test_the_badge_prints_the_photo(tmp_path):
    registration = RegistrationFactory(status=S.BADGE_ISSUED)
    registration_set_badge_photo(registration=registration, uploaded=_upload(_image_bytes()), by=None)
    without = RegistrationFactory(meeting=registration.meeting, status=S.BADGE_ISSUED)
    path = tmp_path / "badges.pdf"
    path.write_bytes(badges_pdf(meeting=registration.meeting, registrations=[registration, without]))
    listing = subprocess.run(
        ["pdfimages", "-list", str(path)], check=True, capture_output=True, text=True
    ).stdout
    rows = [line.split() for line in listing.splitlines()[2:]]
    # page, width, height of each image: a QR code on each badge (inline, one pixel a module), the
    # photo on the first badge alone.
    images = [(r[0], r[3], r[4], r[10]) for r in rows]
    assert [i[:3] for i in images if i[3] != "[inline]"] == [
        ("1", str(PHOTO_PIXELS[0]), str(PHOTO_PIXELS[1]))
    ]
    assert sorted(i[0] for i in images if i[3] == "[inline]") == ["1", "2"]
    # Printed in its frame, 36 × 48 mm from 10 mm, 35 mm: the photo's red inside it at 100 dpi.
    subprocess.run(
        [
            "pdftoppm",
            "-r",
            "100",
            "-png",
            "-singlefile",
            "-f",
            "1",
            "-l",
            "1",
            str(path),
            str(tmp_path / "p"),
        ],
        check=True,
    )
    page = Image.open(tmp_path / "p.png").convert("RGB")
    r, g, b = page.getpixel((round(28 / 25.4 * 100), round(59 / 25.4 * 100)))
    assert r > 180 and g < 60 and b < 60


def _remove(client, registration):
    return client.post(reverse("participants:badge_photo_remove", args=[registration.pk]))


def test_the_delegate_removes_their_photo_and_its_file_goes(client, django_capture_on_commit_callbacks):
    import os

    registration = _registration()
    registration_set_badge_photo(registration=registration, uploaded=_upload(_image_bytes()), by=None)
    registration.refresh_from_db()
    stored = registration.photo.path
    client.force_login(registration.user)
    with django_capture_on_commit_callbacks(execute=True):
        response = _remove(client, registration)
    assert response["Location"] == reverse("participants:mine")
    assert _messages(response) == ["Your badge photo is removed: the badge prints without one."]
    registration.refresh_from_db()
    assert not registration.photo and not os.path.exists(stored)
    assert registration.history.first().history_user == registration.user
    # Nothing left to remove: said, nothing changes.
    response = _remove(client, registration)
    assert _messages(response)[-1] == "photo: There is no badge photo to remove."


def test_only_the_delegate_and_the_desk_remove_the_photo(client):
    registration = _registration()
    registration_set_badge_photo(registration=registration, uploaded=_upload(_image_bytes()), by=None)
    registration.refresh_from_db()
    before = registration.photo.name
    fellow = RegistrationFactory(meeting=registration.meeting, country=country("ZMB")).user
    for other in (
        fellow,
        FocalPointFactory(country=country("ZMB")).user,
        StaffFactory(roles=["Documents officer"]),
    ):
        client.force_login(other)
        assert _remove(client, registration).status_code == 403, other
    client.force_login(registration.user)
    assert client.get(reverse("participants:badge_photo_remove", args=[registration.pk])).status_code == 405
    registration.refresh_from_db()
    assert registration.photo.name == before
    client.force_login(StaffFactory(roles=["Registration officer"]))
    response = _remove(client, registration)
    assert response["Location"] == reverse("admin:participants_registration_change", args=[registration.pk])
    registration.refresh_from_db()
    assert not registration.photo


def test_my_registrations_offers_removal_only_when_there_is_a_photo(client):
    registration = _registration()
    client.force_login(registration.user)
    remove_url = reverse("participants:badge_photo_remove", args=[registration.pk])
    assert remove_url not in client.get(reverse("participants:mine")).content.decode()
    registration_set_badge_photo(registration=registration, uploaded=_upload(_image_bytes()), by=None)
    assert remove_url in client.get(reverse("participants:mine")).content.decode()
