"""Meeting materials without a symbol (issue 13): presentations, statements and photos of a meeting
or one of its sessions, uploaded by staff through the services (checked by content and size), shown
on the meeting's page and served to everyone only once published; the secretariat alone sees them
before. Only the staff the role table names upload and publish."""

import datetime as dt
import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from accounts import roles
from meetings.enums import MaterialStatus
from meetings.models import MeetingMaterial, Session
from meetings.services.materials import (
    meeting_material_delete,
    meeting_material_publish,
    meeting_material_save,
    meeting_material_withdraw,
)
from minamata_portal import publiccache
from tests.documents.factories import docx_upload, pdf_bytes, pdf_upload
from tests.factories import FocalPointFactory, MeetingFactory, StaffFactory, UserFactory, country

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def meeting():
    return MeetingFactory(
        code="mo-2020-10-15",
        title_en="Minamata Online: mercury material flow",
        start_date=dt.date(2020, 10, 15),
        end_date=dt.date(2020, 10, 15),
        time_zone="Europe/Zurich",
    )


@pytest.fixture
def officer():
    return StaffFactory(roles=[roles.DOCUMENTS_OFFICER])


def pptx_bytes():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Override PartName="/ppt/presentation.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.presentationml.presentation.main+xml"/></Types>',
        )
        package.writestr("ppt/presentation.xml", "<p:presentation/>")
    return buffer.getvalue()


def image_bytes(kind="JPEG", size=(320, 240)):
    buffer = io.BytesIO()
    Image.new("RGB", size, "teal").save(buffer, kind)
    return buffer.getvalue()


def upload(material_meeting, uploaded=None, by=None, **fields):
    fields.setdefault("title", "Mercury flows in waste")
    return meeting_material_save(
        material=MeetingMaterial(meeting=material_meeting, **fields),
        uploaded=uploaded or pdf_upload("slides.pdf"),
        by=by,
    )


def page(meeting, client=None):
    response = (client or Client()).get(meeting.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def file_url(material):
    return reverse("meetings:material_file", args=[material.meeting.code, material.pk])


# --- Uploads, checked by content and size ---------------------------------------------------------


def test_staff_upload_a_presentation_stored_under_a_random_name_not_yet_public(meeting, officer):
    material = upload(meeting, by=officer, presented_by="Global Mercury Partnership")

    material.refresh_from_db()
    assert (material.status, material.file_kind, material.size) == (
        MaterialStatus.DRAFT,
        "pdf",
        len(pdf_bytes()),
    )
    assert (material.uploaded_by, material.published_at, material.published_by) == (officer, None, None)
    assert material.file.name.startswith(f"meetings/materials/{meeting.pk}/")
    assert material.file.name.endswith(".pdf") and "slides" not in material.file.name
    assert material.history.get().history_user == officer


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [
        ("statement.docx", None, "docx"),
        ("deck.pptx", pptx_bytes(), "pptx"),
        ("side-event.jpg", image_bytes("JPEG"), "jpg"),
        ("side-event.png", image_bytes("PNG"), "png"),
    ],
)
def test_statements_slides_and_photos_are_accepted_by_their_content(meeting, name, content, kind):
    uploaded = docx_upload(name) if content is None else SimpleUploadedFile(name, content)
    material = upload(meeting, uploaded=uploaded)
    assert material.file_kind == kind
    assert material.file.name.endswith(f".{kind}")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            b"MZ\x90\x00 an executable",
            "The file is not a PDF, Word or PowerPoint document nor a JPEG or PNG picture "
            "(its content was checked, not its name).",
        ),
        (image_bytes("JPEG")[:400], "The file starts like a picture but cannot be read as one."),
        (pdf_bytes()[:60], "The file starts like a PDF but cannot be read as one."),
    ],
)
def test_a_file_that_is_not_what_it_says_is_refused_on_its_field_and_nothing_is_stored(
    meeting, content, message, settings
):
    with pytest.raises(ValidationError) as caught:
        upload(meeting, uploaded=SimpleUploadedFile("slides.pdf", content))
    assert caught.value.message_dict == {"file": [message]}
    assert not MeetingMaterial.objects.exists()
    assert not (settings.MEDIA_ROOT / "meetings").exists()


def test_a_file_over_the_limit_is_refused(meeting, settings):
    settings.UPLOAD_MAX_BYTES = 1000
    with pytest.raises(ValidationError) as caught:
        upload(
            meeting, uploaded=SimpleUploadedFile("photo.jpg", image_bytes("JPEG", (800, 600)) + b"\0" * 1000)
        )
    assert caught.value.message_dict == {"file": ["The file is larger than 1000\xa0bytes."]}
    assert not MeetingMaterial.objects.exists()


def test_a_new_material_needs_a_file(meeting):
    with pytest.raises(ValidationError) as caught:
        meeting_material_save(material=MeetingMaterial(meeting=meeting, title="Slides"), uploaded=None)
    assert caught.value.message_dict == {"file": ["Choose a file to upload."]}


def test_a_session_of_another_meeting_is_refused(meeting):
    other = MeetingFactory(code="other-webinar", start_date=meeting.start_date, end_date=meeting.end_date)
    starts = dt.datetime(2020, 10, 15, 12, tzinfo=dt.UTC)
    session = Session.objects.create(
        meeting=other, title_en="Opening", starts=starts, ends=starts + dt.timedelta(hours=1)
    )
    with pytest.raises(ValidationError) as caught:
        upload(meeting, session=session)
    assert caught.value.message_dict == {"session": ["Choose a session of this meeting."]}
    assert not MeetingMaterial.objects.exists()


def test_replacing_the_file_deletes_the_old_one_once_committed(meeting, django_capture_on_commit_callbacks):
    material = upload(meeting)
    old = material.file.name
    storage = material.file.storage
    with django_capture_on_commit_callbacks(execute=True):
        meeting_material_save(material=material, uploaded=SimpleUploadedFile("deck.pptx", pptx_bytes()))
    material.refresh_from_db()
    assert material.file_kind == "pptx" and material.file.name != old
    assert not storage.exists(old) and storage.exists(material.file.name)


def test_saving_details_never_moves_the_status(meeting, officer):
    material = meeting_material_publish(material=upload(meeting), by=officer)
    stale = MeetingMaterial.objects.get(pk=material.pk)
    stale.status, stale.published_at, stale.title = MaterialStatus.DRAFT, None, "Renamed"
    meeting_material_save(material=stale, by=officer)
    material.refresh_from_db()
    assert (material.title, material.status, material.published_by) == (
        "Renamed",
        MaterialStatus.PUBLISHED,
        officer,
    )


# --- Publishing --------------------------------------------------------------------------------------


def test_publishing_records_who_and_when_and_withdrawing_takes_it_off(meeting, officer):
    material = upload(meeting)
    before = timezone.now()

    published = meeting_material_publish(material=material, by=officer)

    assert (published.status, published.published_by) == (MaterialStatus.PUBLISHED, officer)
    assert published.published_at >= before
    with pytest.raises(ValidationError) as caught:
        meeting_material_publish(material=material, by=officer)
    assert caught.value.code == "illegal_transition"

    withdrawn = meeting_material_withdraw(material=material, by=officer)
    assert (withdrawn.status, withdrawn.published_at, withdrawn.published_by) == (
        MaterialStatus.DRAFT,
        None,
        None,
    )
    assert [h.status for h in withdrawn.history.order_by("history_date")] == ["draft", "published", "draft"]
    assert {h.history_user for h in withdrawn.history.all()} == {None, officer}


def test_the_meeting_page_lists_published_materials_by_session_and_visitors_download_them(meeting, officer):
    starts = dt.datetime(2020, 10, 15, 12, tzinfo=dt.UTC)
    session = Session.objects.create(
        meeting=meeting, title_en="Waste streams", starts=starts, ends=starts + dt.timedelta(hours=1)
    )
    general = meeting_material_publish(
        material=upload(
            meeting, title="Opening statement", kind="statement", presented_by="Executive Secretary"
        ),
        by=officer,
    )
    slides = meeting_material_publish(
        material=upload(
            meeting,
            title="Mercury in waste",
            session=session,
            uploaded=SimpleUploadedFile("d.pptx", pptx_bytes()),
        ),
        by=officer,
    )
    draft = upload(
        meeting, title="Draft photo", kind="photo", uploaded=SimpleUploadedFile("p.png", image_bytes("PNG"))
    )

    html = page(meeting)
    html = html[html.index('<section id="materials"') :]
    html = html[: html.index("</section>")]

    assert "Opening statement" in html and "Mercury in waste" in html
    assert "Draft photo" not in html and file_url(draft) not in html
    assert html.index("Opening statement") < html.index("Waste streams") < html.index("Mercury in waste")
    assert "Executive Secretary" in html and "PowerPoint (pptx)" in html

    response = Client().get(file_url(general))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == pdf_bytes()
    response = Client().get(file_url(slides))
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.presentationml.presentation"
    )
    assert (
        response["Content-Disposition"]
        == f'attachment; filename="{meeting.code}-presentation-{slides.pk}.pptx"'
    )
    assert response["X-Content-Type-Options"] == "nosniff"


def test_a_material_of_another_meeting_is_not_found_by_this_meetings_address(meeting, officer):
    other = MeetingFactory(code="another-one")
    material = meeting_material_publish(material=upload(other), by=officer)
    url = reverse("meetings:material_file", args=[meeting.code, material.pk])
    assert Client().get(url).status_code == 404


def test_a_meeting_without_materials_shows_no_materials_section_to_visitors(meeting):
    assert 'id="materials"' not in page(meeting)


# --- Who sees and does what ----------------------------------------------------------------------------


def _people():
    return {
        "anonymous": None,
        "delegate": UserFactory(roles=[roles.DELEGATE]),
        "focal point": FocalPointFactory(country=country("ZMB")).user,
        "Bureau member": UserFactory(roles=[roles.BUREAU_MEMBER]),
        "registration officer": StaffFactory(roles=[roles.REGISTRATION_OFFICER]),
        "documents officer": StaffFactory(roles=[roles.DOCUMENTS_OFFICER]),
        "secretariat administrator": StaffFactory(roles=[roles.SECRETARIAT_ADMIN]),
        "staff without a role": StaffFactory(roles=[]),
    }


# Who reads a material before it is published: the secretariat whose roles see meetings' records.
SEES_DRAFTS = {"registration officer", "documents officer", "secretariat administrator"}
# Who uploads and publishes: the roles holding the materials' change permission.
MANAGES = {"documents officer", "secretariat administrator"}


WHO = [
    "anonymous",
    "delegate",
    "focal point",
    "Bureau member",
    "registration officer",
    "documents officer",
    "secretariat administrator",
    "staff without a role",
]


@pytest.mark.parametrize("who", WHO)
def test_a_draft_material_is_served_to_the_secretariat_only_and_a_published_one_to_everyone(meeting, who):
    user = _people()[who]
    client = Client()
    if user is not None:
        client.force_login(user)
    material = upload(meeting)

    response = client.get(file_url(material))
    assert response.status_code == (200 if who in SEES_DRAFTS else 404)

    meeting_material_publish(material=material, by=None)
    assert client.get(file_url(material)).status_code == 200


def _admin_add(client, meeting, uploaded):
    return client.post(
        reverse("admin:meetings_meetingmaterial_add"),
        {
            "meeting": meeting.pk,
            "kind": "presentation",
            "title": "Article 8 emissions",
            "presented_by": "",
            "language": "en",
            "file": uploaded,
        },
    )


@pytest.mark.parametrize("who", WHO)
def test_only_the_staff_the_role_table_names_upload_and_publish_in_the_admin(client, meeting, who):
    user = _people()[who]
    if user is not None:
        client.force_login(user)
    allowed = who in MANAGES

    response = _admin_add(client, meeting, pdf_upload("emissions.pdf"))

    if allowed:
        assert response.status_code == 302, response.context["adminform"].form.errors
        material = MeetingMaterial.objects.get()
        assert (material.title, material.file_kind, material.uploaded_by) == (
            "Article 8 emissions",
            "pdf",
            user,
        )
        assert material.history.get().history_user == user
    else:
        expected = 403 if user is not None and user.is_staff else 302
        assert response.status_code == expected
        assert not MeetingMaterial.objects.exists()
        material = upload(meeting)

    response = client.post(
        reverse("admin:meetings_meetingmaterial_changelist"),
        {"action": "material_publish", "_selected_action": [material.pk]},
    )
    material.refresh_from_db()
    assert material.status == (MaterialStatus.PUBLISHED if allowed else MaterialStatus.DRAFT)
    assert material.published_by == (user if allowed else None)
    if user is not None:
        assert user.has_perm("meetings.manage_materials") is allowed
        assert user.has_perm("meetings.publish_materials") is allowed
    # The meeting page offers those who may the way to the admin.
    link = f"{reverse('admin:meetings_meetingmaterial_changelist')}?meeting__id__exact={meeting.pk}"
    assert (link in page(meeting, client)) is allowed


def test_the_admin_refuses_a_file_that_is_not_what_it_says_on_its_field(client, meeting, officer):
    client.force_login(officer)
    response = _admin_add(client, meeting, SimpleUploadedFile("slides.pptx", b"not slides at all"))
    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {
        "file": [
            "The file is not a PDF, Word or PowerPoint document nor a JPEG or PNG picture "
            "(its content was checked, not its name)."
        ]
    }
    assert not MeetingMaterial.objects.exists()


def test_deleting_a_material_deletes_its_file_once_committed(
    meeting, officer, django_capture_on_commit_callbacks
):
    material = upload(meeting)
    name, storage = material.file.name, material.file.storage
    with django_capture_on_commit_callbacks(execute=True):
        meeting_material_delete(material=material, by=officer)
    assert not MeetingMaterial.objects.exists() and not storage.exists(name)


def test_the_cached_meeting_page_shows_a_material_once_published_and_not_before(meeting, officer, settings):
    settings.PUBLIC_CACHE_SECONDS = 600
    url = meeting.get_absolute_url()
    Client().get(url)
    assert Client().get(url).public_cache == "hit"
    before = publiccache.generation()

    material = upload(meeting, title="Emissions inventory slides")

    assert publiccache.generation() == before  # a draft shows nowhere public: the copies stay
    assert Client().get(url).public_cache == "hit"
    meeting_material_publish(material=material, by=officer)
    response = Client().get(url)
    assert response.public_cache == "miss" and "Emissions inventory slides" in response.content.decode()
    meeting_material_withdraw(material=material, by=officer)
    assert "Emissions inventory slides" not in Client().get(url).content.decode()


@pytest.mark.parametrize("kind", ["JPEG", "PNG"])
def test_a_photo_is_published_without_where_and_with_what_it_was_taken(meeting, kind):
    """The camera's EXIF (GPS position, device, owner) and the editor's comments do not reach the
    stored file; a photo taken sideways (orientation tag 6) is stored upright."""
    exif = Image.Exif()
    exif[0x0112] = 6  # orientation: rotate 90° clockwise to view
    exif[0x013B] = "Jane Photographer"  # artist
    exif[0x8825] = {1: "N", 2: (46.0, 13.0, 0.0)}  # GPS: latitude
    buffer = io.BytesIO()
    Image.new("RGB", (320, 240), (10, 120, 200)).save(buffer, kind, exif=exif.tobytes())
    assert b"Jane Photographer" in buffer.getvalue()
    name = f"side-event.{'jpg' if kind == 'JPEG' else 'png'}"
    material = upload(meeting, uploaded=SimpleUploadedFile(name, buffer.getvalue()), kind="photo")

    material.refresh_from_db()
    with material.file.open("rb") as stored:
        data = stored.read()
    assert b"Jane Photographer" not in data and b"Exif" not in data
    assert material.size == len(data)
    with Image.open(io.BytesIO(data)) as image:
        assert image.size == (240, 320)  # upright
        assert not image.getexif()


def test_a_new_material_is_a_draft_whatever_it_was_given(meeting, officer):
    material = upload(meeting, by=officer, status=MaterialStatus.PUBLISHED, published_at=timezone.now())
    material.refresh_from_db()
    assert (material.status, material.published_at, material.published_by) == (
        MaterialStatus.DRAFT,
        None,
        None,
    )
