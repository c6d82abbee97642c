"""Information for participants (issue 13): per meeting, sections staff write in English, French and
Spanish (venue and access, visas, travel and DSA, accommodation, health and security, contacts) with
files checked by content; a public page in the visitor's language that falls back to English with a
note and leaves empty sections out; linked from the meeting page, the accreditation e-mail, the
confirmation letter and the invitation letter; written only by the staff the rule names."""

import os
import re
import subprocess

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from accounts import roles
from letters.enums import LetterKind, LetterStatus
from letters.models import Letter
from meetings import demo
from meetings.enums import InformationSection
from meetings.letters import letter_request_invitation
from meetings.models import ParticipantInformation, ParticipantInformationFile
from meetings.selectors import participant_information_link
from meetings.services.information import (
    participant_information_delete,
    participant_information_file_delete,
    participant_information_file_save,
    participant_information_save,
)
from outbox.models import OutgoingMail
from participants.letters import letter_request
from participants.services.registration import registration_accredit, registration_nominate
from tests.admin_forms import admin_post_data
from tests.documents.factories import docx_upload, pdf_bytes, pdf_upload
from tests.factories import FocalPointFactory, MeetingFactory, StaffFactory, UserFactory, country
from tests.participants.factories import NominationLetterFactory, RegistrationFactory, upcoming_meeting

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def meeting():
    return MeetingFactory(code="cop-info", title_en="Seventh meeting", title_fr="Septième réunion")


def write(meeting, section, language, body="", by=None):
    return participant_information_save(
        information=ParticipantInformation(meeting=meeting, section=section, language=language, body=body),
        by=by,
    )


def attach(information, title="Map of the venue", uploaded=None, by=None):
    return participant_information_file_save(
        file=ParticipantInformationFile(information=information, title=title),
        uploaded=uploaded or pdf_upload("anything.pdf"),
        by=by,
    )


def page(meeting, language="en", client=None):
    response = (client or Client()).get(
        reverse("meetings:information", args=[meeting.code]), HTTP_ACCEPT_LANGUAGE=language
    )
    assert response.status_code == 200
    return response, response.content.decode()


def section_html(html, section):
    found = re.search(rf'<section id="information-{section}".*?</section>', html, re.S)
    return found.group(0) if found else None


def pdftotext(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "letter.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(["pdftotext", path, "-"], check=True, capture_output=True, text=True).stdout
    return " ".join(text.split())


# --- The public page --------------------------------------------------------------------------------


def test_the_page_shows_the_sections_in_the_visitor_s_language_in_their_order(meeting):
    write(meeting, "contacts", "en", "Secretariat, Geneva")
    write(meeting, "contacts", "es", "Secretaría, Ginebra")
    write(meeting, "venue", "en", "International Environment House")
    write(meeting, "venue", "es", "Casa Internacional del Medio Ambiente")
    write(meeting, "visas", "es", "Solicite el visado con antelación.")

    response, html = page(meeting, "es")

    assert [s.section for s in response.context["sections"]] == ["venue", "visas", "contacts"]
    assert [s.fallback for s in response.context["sections"]] == [False, False, False]
    assert "Casa Internacional del Medio Ambiente" in section_html(html, "venue")
    assert "International Environment House" not in html
    assert "Secretaría, Ginebra" in section_html(html, "contacts")
    assert "information-fallback" not in html
    # The order of InformationSection, whatever order they were written in.
    assert html.index('id="information-venue"') < html.index('id="information-visas"')
    assert html.index('id="information-visas"') < html.index('id="information-contacts"')


def test_a_section_not_translated_is_shown_in_english_with_a_note(meeting):
    write(meeting, "venue", "en", "International Environment House")
    write(meeting, "venue", "fr", "Maison internationale de l’environnement")
    write(meeting, "travel", "en", "Tickets are bought by the secretariat.")
    write(meeting, "travel", "fr", "   \n\n  ")  # only spaces: empty, so English is shown

    response, html = page(meeting, "fr")

    shown = {s.section: (s.language, s.fallback) for s in response.context["sections"]}
    assert shown == {"venue": ("fr", False), "travel": ("en", True)}
    travel = section_html(html, "travel")
    assert 'class="meta information-fallback"' in travel
    assert (
        '<div class="information-body" lang="en"><p>Tickets are bought by the secretariat.</p></div>'
        in travel
    )
    venue = section_html(html, "venue")
    assert "information-fallback" not in venue and "Maison internationale de l’environnement" in venue
    # English visitors read English, with no note.
    response, html = page(meeting, "en")
    assert [s.fallback for s in response.context["sections"]] == [False, False]
    assert "information-fallback" not in html
    # A language the information is not written in (German) reads English.
    response, _html = page(meeting, "de")
    assert {s.language for s in response.context["sections"]} == {"en"}


def test_empty_sections_are_hidden_and_a_meeting_with_none_says_so(meeting):
    write(meeting, "accommodation", "en", "")
    write(meeting, "health", "fr", "Consignes de sécurité")  # French only: hidden for English readers

    response, html = page(meeting, "en")
    assert response.context["sections"] == []
    assert 'id="information-none"' in html
    assert "information-accommodation" not in html and "information-health" not in html

    response, html = page(meeting, "fr")
    assert [s.section for s in response.context["sections"]] == ["health"]


def test_the_text_is_plain_text_with_paragraphs_and_links_never_html(meeting):
    write(
        meeting,
        "contacts",
        "en",
        "Logistics desk\r\nRoom 3\r\n\r\n<script>alert(1)</script> <b>bold</b>\n\n"
        "Write to info@example.org or see https://example.org/map",
    )

    html = section_html(page(meeting)[1], "contacts")

    assert "<p>Logistics desk<br>Room 3</p>" in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &lt;b&gt;bold&lt;/b&gt;" in html
    assert "<script>" not in html and "<b>" not in html
    assert '<a href="mailto:info@example.org">info@example.org</a>' in html
    assert '<a href="https://example.org/map" rel="nofollow">https://example.org/map</a>' in html


def test_an_unknown_meeting_is_404_as_its_page_is(client):
    assert client.get(reverse("meetings:information", args=["cop-99"])).status_code == 404
    assert client.get(reverse("meetings:detail", args=["cop-99"])).status_code == 404


@pytest.mark.parametrize("count", [1, 6])
def test_the_page_uses_a_fixed_number_of_queries(meeting, django_assert_num_queries, count):
    for section in list(InformationSection)[:count]:
        for language in ("en", "fr"):
            entry = write(meeting, section, language, f"{section} in {language}")
            attach(entry, title=f"{section} {language} file")
    # The meeting; the entries in French and English; their files.
    with django_assert_num_queries(3):
        response, _html = page(meeting, "fr")
    assert len(response.context["sections"]) == count
    assert all(len(s.files) == 1 for s in response.context["sections"])


def test_a_change_reaches_the_cached_page_at_once(meeting, settings):
    settings.PUBLIC_CACHE_SECONDS = 600
    entry = write(meeting, "venue", "en", "Room A")
    first = Client().get(reverse("meetings:information", args=[meeting.code]))
    assert first.public_cache == "miss"
    assert Client().get(reverse("meetings:information", args=[meeting.code])).public_cache == "hit"

    entry.body = "Room B"
    participant_information_save(information=entry, by=StaffFactory())

    again = Client().get(reverse("meetings:information", args=[meeting.code]))
    assert again.public_cache == "miss"
    assert "Room B" in again.content.decode() and "Room A" not in again.content.decode()


# --- Files --------------------------------------------------------------------------------------------


def test_a_file_checked_as_a_pdf_is_listed_and_served_typed_by_its_content(meeting):
    entry = write(meeting, "venue", "en", "See the map.")
    stored = attach(entry, title="Map of the CICG", uploaded=pdf_upload("map.docx"))
    word = attach(entry, title="Hotel list", uploaded=docx_upload("hotels.pdf"))

    assert (stored.kind, stored.size) == ("pdf", len(pdf_bytes()))
    assert (word.kind, word.size) == ("docx", word.file.size)
    assert stored.file.name.startswith(f"meetings/information/{meeting.pk}/") and stored.file.name.endswith(
        ".pdf"
    )
    assert "map" not in stored.file.name
    venue = section_html(page(meeting)[1], "venue")
    url = reverse("meetings:information_file", args=[meeting.code, stored.pk])
    assert f'<a href="{url}">Map of the CICG</a> (PDF, ' in venue
    assert "Hotel list</a> (Word (docx), " in venue

    response = Client().get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'inline; filename="cop-info-venue-en-{stored.pk}.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == pdf_bytes()
    response = Client().get(reverse("meetings:information_file", args=[meeting.code, word.pk]))
    assert response["Content-Disposition"] == f'attachment; filename="cop-info-venue-en-{word.pk}.docx"'


def test_a_section_with_only_a_file_is_shown(meeting):
    attach(write(meeting, "accommodation", "en", ""), title="Hotels near the venue")
    response, html = page(meeting)
    assert [s.section for s in response.context["sections"]] == ["accommodation"]
    assert "Hotels near the venue" in section_html(html, "accommodation")
    assert '<div class="information-body"' not in section_html(html, "accommodation")


@pytest.mark.parametrize(
    ("uploaded", "code"),
    [
        (SimpleUploadedFile("map.pdf", b"<html><script>alert(1)</script></html>"), "wrong_type"),
        (SimpleUploadedFile("map.pdf", b"%PDF-1.7\nnot really a PDF"), "broken_pdf"),
    ],
)
def test_a_file_that_is_not_what_it_says_is_refused_on_the_field_and_nothing_is_stored(
    meeting, uploaded, code, tmp_path
):
    entry = write(meeting, "venue", "en", "See the map.")
    with pytest.raises(ValidationError) as refused:
        attach(entry, uploaded=uploaded)
    assert [error.code for error in refused.value.error_dict["file"]] == [code]
    assert not ParticipantInformationFile.objects.exists()
    assert not (tmp_path / "media" / "meetings").exists()


def test_a_file_over_the_limit_is_refused(meeting, settings):
    settings.UPLOAD_MAX_BYTES = 100
    entry = write(meeting, "venue", "en", "See the map.")
    with pytest.raises(ValidationError) as refused:
        attach(entry)
    assert refused.value.message_dict == {"file": ["The file is larger than 100\xa0bytes."]}
    assert not ParticipantInformationFile.objects.exists()


def test_a_new_file_needs_an_upload(meeting):
    entry = write(meeting, "venue", "en", "See the map.")
    with pytest.raises(ValidationError) as refused:
        participant_information_file_save(file=ParticipantInformationFile(information=entry, title="Map"))
    assert refused.value.message_dict == {"file": ["Choose a file to upload."]}


def test_a_file_of_another_meeting_or_a_deleted_one_is_404(meeting, django_capture_on_commit_callbacks):
    other = MeetingFactory(code="cop-other")
    stored = attach(write(meeting, "venue", "en", "Map"))
    assert Client().get(reverse("meetings:information_file", args=[other.code, stored.pk])).status_code == 404
    path, url = stored.file.path, reverse("meetings:information_file", args=[meeting.code, stored.pk])
    assert Client().get(url).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        participant_information_file_delete(file=stored, by=StaffFactory())
    assert Client().get(url).status_code == 404
    assert not os.path.exists(path)


def test_replacing_a_file_keeps_its_row_and_deletes_the_old_copy(meeting, django_capture_on_commit_callbacks):
    stored = attach(write(meeting, "venue", "en", "Map"), uploaded=pdf_upload())
    old_path = stored.file.path
    staff = StaffFactory()
    with django_capture_on_commit_callbacks(execute=True):
        replaced = participant_information_file_save(file=stored, uploaded=docx_upload(), by=staff)
    assert (replaced.pk, replaced.kind, replaced.uploaded_by) == (stored.pk, "docx", staff)
    assert not os.path.exists(old_path) and os.path.exists(replaced.file.path)


# --- Writing: services, history, admin ---------------------------------------------------------------


def test_the_service_keeps_who_wrote_what_and_one_entry_per_section_and_language(meeting):
    officer = StaffFactory(roles=[roles.REGISTRATION_OFFICER])
    entry = write(meeting, "visas", "fr", "Demandez le visa tôt.\r\n", by=officer)
    assert (entry.body, entry.modified_by) == ("Demandez le visa tôt.", officer)
    entry.body = "Demandez le visa six semaines à l’avance."
    participant_information_save(information=entry, by=officer)
    assert [(h.body, h.history_user) for h in entry.history.order_by("history_id")] == [
        ("Demandez le visa tôt.", officer),
        ("Demandez le visa six semaines à l’avance.", officer),
    ]
    with pytest.raises(ValidationError) as refused:
        write(meeting, "visas", "fr", "Deuxième texte")
    assert refused.value.messages == ["This meeting already has this section in this language."]
    with pytest.raises(ValidationError) as refused:
        write(meeting, "visas", "de", "Visum")
    assert list(refused.value.message_dict) == ["language"]
    assert ParticipantInformation.objects.count() == 1


def test_deleting_a_section_deletes_its_files(meeting, django_capture_on_commit_callbacks):
    entry = write(meeting, "venue", "en", "Map")
    stored = attach(entry)
    path = stored.file.path
    with django_capture_on_commit_callbacks(execute=True):
        participant_information_delete(information=entry, by=StaffFactory())
    assert not ParticipantInformation.objects.exists() and not ParticipantInformationFile.objects.exists()
    assert not os.path.exists(path)


def _admin_add(client, meeting, *, body, upload=None, title="Map of the venue"):
    data = {
        "meeting": meeting.pk,
        "section": "venue",
        "language": "fr",
        "body": body,
        "files-TOTAL_FORMS": "1",
        "files-INITIAL_FORMS": "0",
        "files-MIN_NUM_FORMS": "0",
        "files-MAX_NUM_FORMS": "1000",
        "files-0-title": title if upload else "",
    }
    if upload is not None:
        data["files-0-file"] = upload
    return client.post(reverse("admin:meetings_participantinformation_add"), data)


def test_staff_write_a_section_with_a_file_in_the_admin_through_the_services(client, meeting):
    officer = StaffFactory(roles=[roles.REGISTRATION_OFFICER])
    client.force_login(officer)

    response = _admin_add(
        client, meeting, body="Centre de conférences\r\n\r\nEntrée B", upload=pdf_upload("plan.pdf")
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    entry = ParticipantInformation.objects.get()
    assert (entry.meeting, entry.section, entry.language) == (meeting, "venue", "fr")
    assert (entry.body, entry.modified_by) == ("Centre de conférences\n\nEntrée B", officer)
    assert entry.history.get().history_user == officer
    stored = entry.files.get()
    assert (stored.title, stored.kind, stored.uploaded_by) == ("Map of the venue", "pdf", officer)
    assert stored.history.get().history_user == officer


def test_the_admin_refuses_a_file_that_is_not_a_pdf_or_word_document_on_its_field(client, meeting):
    client.force_login(StaffFactory(roles=[roles.SECRETARIAT_ADMIN]))
    fake = SimpleUploadedFile("plan.pdf", b"MZ\x90\x00 an executable", content_type="application/pdf")

    response = _admin_add(client, meeting, body="Centre", upload=fake)

    assert response.status_code == 200
    errors = response.context["inline_admin_formsets"][0].formset.forms[0].errors
    assert errors == {
        "file": ["The file is not a PDF or Word document (its content was checked, not its name)."]
    }
    assert not ParticipantInformation.objects.exists() and not ParticipantInformationFile.objects.exists()


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("Secretariat administrator", 200),
        ("Registration officer", 200),
        ("Documents officer", 403),
        ("staff without a role", 403),
    ],
)
def test_only_the_staff_the_rule_names_may_write_the_information(client, meeting, who, status):
    user = StaffFactory(roles=[] if who == "staff without a role" else [who])
    client.force_login(user)
    assert client.get(reverse("admin:meetings_participantinformation_add")).status_code == status
    response = _admin_add(client, meeting, body="Texte")
    assert response.status_code == (302 if status == 200 else 403)
    assert ParticipantInformation.objects.exists() is (status == 200)
    # The meeting page offers staff who may write it the way to the admin.
    html = client.get(meeting.get_absolute_url()).content.decode()
    edit = reverse("admin:meetings_participantinformation_changelist")
    assert (f'href="{edit}?meeting__id__exact={meeting.pk}"' in html) is (status == 200)
    assert user.has_perm("meetings.edit_participant_information") is (status == 200)


@pytest.mark.parametrize("who", ["delegate", "focal point", "anonymous"])
def test_delegates_focal_points_and_visitors_cannot_reach_the_admin(client, meeting, who):
    user = {
        "delegate": lambda: UserFactory(roles=[roles.DELEGATE]),
        "focal point": lambda: FocalPointFactory(country=country("ZMB")).user,
        "anonymous": lambda: None,
    }[who]()
    if user is not None:
        client.force_login(user)
    response = _admin_add(client, meeting, body="Texte")
    assert response.status_code == 302 and response["Location"].startswith(reverse("admin:login"))
    assert not ParticipantInformation.objects.exists()
    if user is not None:
        assert not user.has_perm("meetings.edit_participant_information")


# --- Where it is linked from -------------------------------------------------------------------------


def test_the_meeting_page_links_the_information_once_there_is_some(meeting):
    url = reverse("meetings:information", args=[meeting.code])
    write(meeting, "venue", "en", "")  # empty: nothing to link to yet
    html = Client().get(meeting.get_absolute_url()).content.decode()
    assert f'href="{url}"' not in html and 'id="participant-information"' not in html

    write(meeting, "visas", "es", "Visados")
    html = Client().get(meeting.get_absolute_url()).content.decode()
    assert f'<p id="participant-information"><a href="{url}">Information for participants</a>' in html


def test_the_information_link_is_the_site_s_address_of_the_page(meeting, settings):
    settings.SITE_URL = "https://meetings.example.org/"
    assert (
        participant_information_link(meeting) == "https://meetings.example.org/meetings/cop-info/information/"
    )


def test_the_accreditation_mail_and_the_confirmation_letter_give_the_information_page(
    django_capture_on_commit_callbacks, smtp_server, tmp_path
):
    meeting = upcoming_meeting(code="cop-next", title_en="Next meeting")
    zambia = FocalPointFactory(country=country("ZMB")).user
    registration = RegistrationFactory(meeting=meeting, country=country("ZMB"), correspondence_language="en")
    with django_capture_on_commit_callbacks(execute=True):
        registration_nominate(
            registration=registration,
            by=zambia,
            letter=NominationLetterFactory(meeting=meeting, country=country("ZMB")),
        )
        registration_accredit(registration=registration, by=StaffFactory())
    link = participant_information_link(meeting)
    assert link.endswith("/meetings/cop-next/information/")

    accredited = OutgoingMail.objects.get(
        trigger_key__startswith=f"status:registration:{registration.pk}:accredit"
    )
    assert (
        "Information for participants (venue and access, visas, travel and DSA, accommodation, health and "
        f"security, contacts):\n{link}\n" in accredited.body_text
    )
    nominated = OutgoingMail.objects.get(
        trigger_key__startswith=f"status:registration:{registration.pk}:nominate"
    )
    assert link not in nominated.body_text

    letter = Letter.objects.get(registration=registration, kind=LetterKind.CONFIRMATION)
    assert letter.status == LetterStatus.RENDERED, letter.last_error
    assert letter.details["information_url"] == link
    text = pdftotext(letter.pdf.read(), tmp_path)
    assert (
        "Information for participants (venue and access, visas, travel and DSA, accommodation, health and "
        f"security, contacts): {link}" in text
    )


def test_my_registrations_links_each_meeting_s_information(client, meeting):
    registration = RegistrationFactory(meeting=meeting, country=country("ZMB"))
    client.force_login(registration.user)
    html = client.get(reverse("participants:mine")).content.decode()
    url = reverse("meetings:information", args=[meeting.code])
    assert f'<a class="information-link" href="{url}">Information for participants</a>' in html


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("fr", "Informations à l’intention des participants (lieu et accès, visas, voyage et indemnité "
               "journalière de subsistance, hébergement, santé et sécurité, contacts) : {link}"),
        ("es", "Información para los participantes (lugar y acceso, visados, viaje y dietas, alojamiento, "
               "salud y seguridad, contactos): {link}"),
        ("en", "Information for participants (venue and access, visas, travel and DSA, accommodation, "
               "health and security, contacts): {link}"),
    ],
)  # fmt: skip
def test_the_invitation_letter_prints_the_information_page_in_its_language(
    meeting, language, expected, django_capture_on_commit_callbacks, smtp_server, tmp_path
):
    focal_point = FocalPointFactory(country=country("SEN"), user__preferred_language=language)
    with django_capture_on_commit_callbacks(execute=True):
        letter = letter_request_invitation(meeting=meeting, focal_point=focal_point, by=StaffFactory())
    letter.refresh_from_db()
    assert (letter.language, letter.status) == (language, LetterStatus.RENDERED), letter.last_error
    text = pdftotext(letter.pdf.read(), tmp_path)
    assert expected.format(link=participant_information_link(meeting)) in text


def test_an_observer_organisation_s_invitation_prints_it_too(
    meeting, django_capture_on_commit_callbacks, smtp_server, tmp_path
):
    with django_capture_on_commit_callbacks(execute=True):
        letter = letter_request_invitation(
            meeting=meeting, organisation={"name": "Zero Mercury Working Group", "email": "zmwg@example.org"}
        )
    letter.refresh_from_db()
    assert letter.status == LetterStatus.RENDERED, letter.last_error
    assert participant_information_link(meeting) in pdftotext(letter.pdf.read(), tmp_path)


def test_other_registration_letters_do_not_carry_it(meeting):
    registration = RegistrationFactory(meeting=meeting, country=country("ZMB"))
    funding = letter_request(kind=LetterKind.FUNDING, registration=registration)
    assert "information_url" not in funding.details


# --- The demo ---------------------------------------------------------------------------------------


def test_the_demo_writes_cop_6_s_information_once_and_leaves_the_unknown_sections_out():
    cop6 = MeetingFactory(code="cop-6", title_en="COP-6")
    demo._cop6_information()
    demo._cop6_information()  # loading again adds nothing
    entries = ParticipantInformation.objects.filter(meeting=cop6)
    assert entries.count() == 10
    assert set(entries.values_list("section", flat=True)) == {"venue", "visas", "travel", "contacts"}

    response, html = page(cop6, "es")
    shown = [(s.section, s.language, s.fallback) for s in response.context["sections"]]
    assert shown == [
        ("venue", "es", False),
        ("visas", "es", False),
        ("travel", "en", True),
        ("contacts", "es", False),
    ]
    assert "Centro Internacional de Conferencias de Ginebra (CICG)" in section_html(html, "venue")
    assert "3 al 7 de noviembre de 2025" in section_html(html, "venue")


def test_staff_change_a_section_and_a_file_s_title_in_the_admin(client, meeting):
    officer = StaffFactory(roles=[roles.REGISTRATION_OFFICER])
    entry = write(meeting, "venue", "en", "Room A")
    stored = attach(entry, title="Map")
    other = write(MeetingFactory(code="cop-else"), "venue", "en", "Elsewhere")
    client.force_login(officer)
    listing = client.get(
        reverse("admin:meetings_participantinformation_changelist") + f"?meeting__id__exact={meeting.pk}"
    )
    assert listing.status_code == 200
    assert list(listing.context["cl"].result_list) == [entry]
    url = reverse("admin:meetings_participantinformation_change", args=[entry.pk])
    data = admin_post_data(client.get(url))
    data.update({"body": "Room B", "files-0-title": "Map of the CICG"})

    response = client.post(url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    entry.refresh_from_db()
    stored.refresh_from_db()
    assert (entry.body, entry.modified_by, entry.meeting, entry.language) == (
        "Room B",
        officer,
        meeting,
        "en",
    )
    assert (stored.title, stored.kind, stored.size) == ("Map of the CICG", "pdf", len(pdf_bytes()))
    assert stored.history.order_by("-history_id").first().history_user == officer
    assert other.body == ParticipantInformation.objects.get(pk=other.pk).body == "Elsewhere"


@pytest.mark.parametrize("pk", ["0", "2147483648", "9223372036854775808", "9" * 40])
def test_a_file_number_out_of_range_is_404_not_an_error(meeting, pk):
    attach(write(meeting, "venue", "en", "Map"))
    assert Client().get(f"/meetings/{meeting.code}/information/files/{pk}/").status_code == 404
