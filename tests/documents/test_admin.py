"""The documents admin writes only through the services, and explains their checks on the form."""

import datetime as dt

import pytest
from django.db.models import ProtectedError
from django.urls import reverse

from documents import services
from documents.enums import SupplementKind
from documents.models import CallForSubmissions, Document, LanguageVersion, Submission, SubmissionFile
from tests.admin_forms import admin_post_data
from tests.factories import AgendaItemFactory, MeetingFactory, StaffFactory, country

from .factories import pdf_upload, register, version

pytestmark = pytest.mark.django_db


@pytest.fixture
def cop4():
    return MeetingFactory(
        code="cop-4", number=4, start_date=dt.date(2021, 11, 1), end_date=dt.date(2021, 11, 5)
    )


@pytest.fixture
def admin_client(client):
    client.force_login(StaffFactory(is_superuser=True))
    return client


def test_admin_change_goes_through_the_service_and_keeps_agenda_items_in_the_meeting(admin_client, cop4):
    item = AgendaItemFactory(version__meeting=cop4, position=5)
    foreign = AgendaItemFactory(position=3)
    document = register(cop4, agenda_items=[item])
    url = reverse("admin:documents_document_change", args=[document.pk])
    data = admin_post_data(admin_client.get(url))
    # An item of another meeting's agenda is refused on the form (it was saved as it came).
    refused = admin_client.post(url, {**data, "agenda_items": [str(foreign.pk)]})
    assert refused.status_code == 200
    assert "is not on this meeting&#x27;s agenda" in refused.content.decode()
    assert list(document.agenda_items.all()) == [item]
    # The meeting and the symbol are read-only: a posted meeting does not move the document.
    other = MeetingFactory(code="cop-5", number=5)
    fr = version(document, "fr")
    response = admin_client.post(
        url,
        {
            **data,
            "title_fr": "Coopération",
            "meeting": str(other.pk),
            f"versions-{_index(data, fr)}-target_date": "2021-09-01",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    document.refresh_from_db()
    fr.refresh_from_db()
    assert (document.meeting, document.title_fr, document.symbol) == (cop4, "Coopération", "UNEP/MC/COP.4/1")
    assert fr.target_date == dt.date(2021, 9, 1)
    assert fr.history.latest().history_user.is_superuser


def _index(data, language_version):
    for key, value in data.items():
        if key.startswith("versions-") and key.endswith("-id") and value == str(language_version.pk):
            return key.split("-")[1]
    raise AssertionError("no inline row for the version")


def test_admin_refuses_a_meeting_without_a_prefix_on_the_form(admin_client):
    # It was raised from save_model: a server error instead of a message.
    meeting = MeetingFactory(symbol_prefix="")
    response = admin_client.post(
        reverse("admin:documents_document_add"),
        {"meeting": meeting.pk, "new_series": "INF", "title_en": "Joint report", "author": "Secretariat",
         "distribution": "general", "original_language": "en"},
    )  # fmt: skip
    assert response.status_code == 200
    assert "The meeting has no usable symbol prefix" in response.content.decode()
    assert not Document.objects.exists()


def test_admin_refuses_a_symbol_already_in_use_on_the_form(admin_client, cop4):
    register(cop4)
    response = admin_client.post(
        reverse("admin:documents_document_add"),
        {"symbol_as_issued": "UNEP/MC/COP.4/1", "title_en": "Again", "author": "Secretariat",
         "distribution": "general", "original_language": "en"},
    )  # fmt: skip
    assert response.status_code == 200
    assert "The symbol UNEP/MC/COP.4/1 is already in use." in response.content.decode()
    assert Document.objects.count() == 1


@pytest.fixture
def call(cop4):
    return services.call_for_submissions_save(
        meeting=cop4,
        title="Capacity-building",
        letter_date=dt.date(2019, 12, 13),
        addressees="Parties and stakeholders",
        deadline=dt.date(2021, 6, 30),
    )


def test_call_inline_records_submissions_through_the_service(admin_client, call):
    url = reverse("admin:documents_callforsubmissions_change", args=[call.pk])
    data = admin_post_data(admin_client.get(url))
    data.update({"submissions-TOTAL_FORMS": "1", "submissions-0-organization": "Zero Mercury"})
    # Before the call was sent: the service's check, on the inline's row (it was saved).
    early = admin_client.post(url, {**data, "submissions-0-received_on": "2019-01-01"})
    assert early.status_code == 200
    assert "A submission cannot arrive before the call was sent." in early.content.decode()
    assert not Submission.objects.exists()
    response = admin_client.post(url, {**data, "submissions-0-received_on": "2020-01-01"})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert list(Submission.objects.values_list("organization", "received_on")) == [
        ("Zero Mercury", dt.date(2020, 1, 1))
    ]


def test_submission_admin_stores_files_through_the_service(admin_client, call):
    submission = services.submission_record(
        call=call, country=country("JPN"), received_on=dt.date(2020, 3, 1)
    )
    url = reverse("admin:documents_submission_change", args=[submission.pk])
    data = admin_post_data(admin_client.get(url))
    data["files-0-file"] = pdf_upload("japan.pdf")
    response = admin_client.post(url, {**data, "note": "By e-mail"})
    assert response.status_code == 302, response.content.decode()[:2000]
    submission.refresh_from_db()
    assert submission.note == "By e-mail"
    assert list(SubmissionFile.objects.values_list("kind", "original_name")) == [("pdf", "japan.pdf")]
    # A later submission dated before the call is refused on the form.
    bad = admin_client.post(url, {**admin_post_data(admin_client.get(url)), "received_on": "2019-01-01"})
    assert "A submission cannot arrive before the call was sent." in bad.content.decode()
    assert Submission.objects.get().received_on == dt.date(2020, 3, 1)
    assert CallForSubmissions.objects.count() == 1


# --- Deleting: a document registered by mistake goes with its versions; an amended one stays ---


def test_document_delete_removes_its_versions_and_its_number_is_not_issued_again(cop4):
    officer = StaffFactory()
    first = register(cop4)
    services.document_delete(document=first, by=officer)
    assert not Document.objects.filter(pk=first.pk).exists()
    assert not LanguageVersion.objects.filter(document_id=first.pk).exists()
    assert Document.history.get(id=first.pk, history_type="-").history_user == officer
    second = register(cop4)
    assert second.number == first.number + 1


def test_document_delete_refuses_a_document_others_amend(cop4):
    original = register(cop4)
    addendum = services.document_register_supplement(amends=original, kind=SupplementKind.ADDENDUM)
    with pytest.raises(ProtectedError):
        services.document_delete(document=original)
    assert Document.objects.filter(pk=original.pk).exists()
    services.document_delete(document=addendum)
    services.document_delete(document=original)
    assert not Document.objects.filter(pk__in=[original.pk, addendum.pk]).exists()


def test_admin_delete_goes_through_the_service(admin_client, cop4):
    document = register(cop4)
    url = reverse("admin:documents_document_delete", args=[document.pk])
    response = admin_client.post(url, {"post": "yes"})
    assert response.status_code == 302
    assert not Document.objects.filter(pk=document.pk).exists()
    deleted = Document.history.get(id=document.pk, history_type="-")
    assert deleted.history_user is not None and deleted.history_user.is_superuser


def test_admin_bulk_delete_goes_through_the_service(admin_client, cop4):
    documents = [register(cop4), register(cop4)]
    response = admin_client.post(
        reverse("admin:documents_document_changelist"),
        {"action": "delete_selected", "_selected_action": [d.pk for d in documents], "post": "yes"},
    )
    assert response.status_code == 302
    assert not Document.objects.filter(pk__in=[d.pk for d in documents]).exists()
    assert Document.history.filter(history_type="-", history_user__is_superuser=True).count() == 2


def test_admin_will_not_delete_an_amended_document(admin_client, cop4):
    original = register(cop4)
    services.document_register_supplement(amends=original, kind=SupplementKind.CORRIGENDUM)
    url = reverse("admin:documents_document_delete", args=[original.pk])
    page = admin_client.get(url)
    assert page.context["protected"]
    admin_client.post(url, {"post": "yes"})
    assert Document.objects.filter(pk=original.pk).exists()
    admin_client.post(
        reverse("admin:documents_document_changelist"),
        {"action": "delete_selected", "_selected_action": [original.pk], "post": "yes"},
    )
    assert Document.objects.filter(pk=original.pk).exists()
