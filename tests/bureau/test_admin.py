"""The admin is for lookups and plain corrections, but what it writes obeys the services' rules:
a mandate typed in the Decision's inline or on its own page is checked like mandate_create, and
a member's comment cannot be rewritten by staff."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from bureau.enums import Office
from bureau.models import Mandate, ReportFile
from bureau.services import bureau_meeting_ensure, decision_create, mandate_create
from meetings.enums import MeetingKind
from reference.enums import RegionalGroup
from tests.bureau.factories import bureau_member, bureau_term
from tests.documents.factories import pdf_bytes
from tests.factories import MeetingFactory, StaffFactory, UserFactory, country

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_user():
    return StaffFactory(is_superuser=True)


@pytest.fixture
def decision():
    cop3 = MeetingFactory(number=3, code="cop-3-admin")
    return decision_create(meeting=cop3, symbol="MC-3/8", title_en="Capacity-building", paragraphs=["a", "b"])


@pytest.fixture
def cop4():
    return MeetingFactory(
        number=4, code="cop-4-admin", start_date=dt.date(2021, 11, 1), end_date=dt.date(2022, 3, 25)
    )


def _mandate_form(decision, **values):
    data = {
        "decision": decision.pk, "paragraph": "", "description": "Compile and report", "owner": "",
        "due_meeting": "", "due_date": "", "notes": "",
    }  # fmt: skip
    data.update({k: "" if v is None else v for k, v in values.items()})
    return data


def test_mandate_page_saves_a_valid_mandate(client, admin_user, decision, cop4):
    owner = StaffFactory()
    client.force_login(admin_user)
    response = client.post(
        reverse("admin:bureau_mandate_add"), _mandate_form(decision, owner=owner.pk, due_meeting=cop4.pk)
    )
    assert response.status_code == 302
    assert Mandate.objects.get().owner == owner


@pytest.mark.parametrize("case", ["owner not staff", "nothing due", "paragraph of another decision"])
def test_mandate_page_refuses_what_mandate_create_refuses(client, admin_user, decision, cop4, case):
    other = decision_create(meeting=decision.meeting, symbol="MC-3/9", title_en="Other", paragraphs=["x"])
    values, field, message = {
        # The owner field offers staff only (the model limits its choices), so the form refuses first.
        "owner not staff": ({"owner": UserFactory().pk, "due_meeting": cop4.pk}, "owner", "valid choice"),
        "nothing due": ({"owner": StaffFactory().pk}, "due_date", "Say when it is due"),
        "paragraph of another decision": (
            {"owner": StaffFactory().pk, "due_meeting": cop4.pk, "paragraph": other.paragraphs.get().pk},
            "paragraph", "belongs to another decision",
        ),
    }[case]  # fmt: skip
    client.force_login(admin_user)
    response = client.post(reverse("admin:bureau_mandate_add"), _mandate_form(decision, **values))
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors[field]
    assert message in " ".join(errors) and len(errors) == 1  # said once, by mandate_check
    assert not Mandate.objects.exists()


def test_decision_inline_refuses_a_mandate_with_nothing_due(client, admin_user, decision, cop4):
    client.force_login(admin_user)
    url = reverse("admin:bureau_decision_change", args=[decision.pk])
    page = client.get(url)
    data = {}
    for formset in page.context["inline_admin_formsets"]:
        prefix = formset.formset.prefix
        management = formset.formset.management_form
        for name in ("TOTAL_FORMS", "INITIAL_FORMS", "MIN_NUM_FORMS", "MAX_NUM_FORMS"):
            data[f"{prefix}-{name}"] = management[name].value()
        for index, form in enumerate(formset.formset.initial_forms):
            for name, field in form.fields.items():
                value = form.initial.get(name, field.initial)
                data[f"{prefix}-{index}-{name}"] = getattr(value, "pk", value) if value is not None else ""
    data["title_en"] = decision.title_en
    for name, field in page.context["adminform"].form.fields.items():
        value = page.context["adminform"].form.initial.get(name, field.initial)
        data.setdefault(name, getattr(value, "pk", value) if value is not None else "")
    mandates = "mandates"
    data[f"{mandates}-TOTAL_FORMS"] = "1"
    data.update({
        f"{mandates}-0-description": "Compile", f"{mandates}-0-owner": StaffFactory().pk,
        f"{mandates}-0-due_meeting": "", f"{mandates}-0-paragraph": "", f"{mandates}-0-due_date": "",
        f"{mandates}-0-notes": "",
    })  # fmt: skip
    response = client.post(url, data)
    assert response.status_code == 200
    errors = [
        form.errors for formset in response.context["inline_admin_formsets"] for form in formset.formset
    ]
    assert any("Say when it is due" in " ".join(e.get("due_date", [])) for e in errors)
    assert not Mandate.objects.exists()


def test_staff_answer_a_members_comment_but_cannot_rewrite_it(client, admin_user, current_bureau, cop_agenda):
    from bureau.services import agenda_review_send, review_comment_add

    _term, members = current_bureau
    review = agenda_review_send(version=cop_agenda, by=admin_user)
    comment = review_comment_add(review=review, by=members[0].user, text="Add the joint study.")
    client.force_login(admin_user)
    url = reverse("admin:bureau_reviewcomment_change", args=[comment.pk])
    page = client.get(url).content.decode()
    assert 'name="answer"' in page and 'name="text"' not in page  # the comment is shown, not an input
    response = client.post(url, {"text": "Nothing to add.", "answer": "Added as item 4 (c)."})
    assert response.status_code == 302
    comment.refresh_from_db()
    assert (comment.text, comment.answer) == ("Add the joint study.", "Added as item 4 (c).")
    # Through `review_comment_answer`, which records who answered (the admin's own save did not).
    assert comment.answered_by == admin_user and comment.answered_at is not None


def _membership_form(membership, **values):
    data = {
        "user": membership.user_id, "country": membership.country_id, "office": membership.office,
        "start_date": membership.start_date.isoformat(),
        "end_date": membership.end_date.isoformat() if membership.end_date else "", "note": membership.note,
    }  # fmt: skip
    data.update(values)
    return data


def test_membership_corrected_in_the_admin_takes_its_new_states_region(client, admin_user):
    """A bug until issue 11: the admin saved a new State and kept the old State's region."""
    membership = bureau_member(iso3="ZMB")
    assert membership.region == RegionalGroup.AFRICAN
    client.force_login(admin_user)
    url = reverse("admin:bureau_membership_change", args=[membership.pk])
    response = client.post(url, _membership_form(membership, country=country("PER").pk))
    assert response.status_code == 302
    membership.refresh_from_db()
    assert (membership.country.iso3, membership.region) == ("PER", RegionalGroup.LATIN_AMERICAN_CARIBBEAN)
    assert membership.history.first().history_user == admin_user


def test_membership_corrected_in_the_admin_is_checked_like_a_new_seat(client, admin_user):
    """A bug until issue 11: the admin let a second President sit on the same days."""
    term = bureau_term()
    bureau_member(term=term, iso3="ZMB", office=Office.PRESIDENT)
    vice = bureau_member(term=term, iso3="PER", office=Office.VICE_PRESIDENT)
    client.force_login(admin_user)
    url = reverse("admin:bureau_membership_change", args=[vice.pk])
    response = client.post(url, _membership_form(vice, office=Office.PRESIDENT))
    assert response.status_code == 200
    assert "President is already held by" in " ".join(response.context["adminform"].form.errors["office"])
    vice.refresh_from_db()
    assert vice.office == Office.VICE_PRESIDENT


def test_membership_of_a_state_without_region_is_refused_in_the_admin(client, admin_user):
    membership = bureau_member(iso3="ZMB")
    client.force_login(admin_user)
    url = reverse("admin:bureau_membership_change", args=[membership.pk])
    response = client.post(url, _membership_form(membership, country=country("VAT").pk))
    assert response.status_code == 200
    assert "belongs to no UN regional group" in " ".join(response.context["adminform"].form.errors["country"])
    membership.refresh_from_db()
    assert (membership.country.iso3, membership.region) == ("ZMB", RegionalGroup.AFRICAN)


def test_decision_titles_and_a_new_mandate_are_saved_through_the_services(client, admin_user, decision, cop4):
    client.force_login(admin_user)
    url = reverse("admin:bureau_decision_change", args=[decision.pk])
    page = client.get(url)
    data = {}
    for formset in page.context["inline_admin_formsets"]:
        management = formset.formset.management_form
        for name in ("TOTAL_FORMS", "INITIAL_FORMS", "MIN_NUM_FORMS", "MAX_NUM_FORMS"):
            data[f"{formset.formset.prefix}-{name}"] = management[name].value()
        for index, form in enumerate(formset.formset.initial_forms):
            data[f"{formset.formset.prefix}-{index}-id"] = form.instance.pk
            data[f"{formset.formset.prefix}-{index}-decision"] = decision.pk
    data.update(
        {"title_en": "Capacity-building and technical assistance", "title_fr": "", "title_es": "", "text": ""}
    )
    owner = StaffFactory()
    data["mandates-TOTAL_FORMS"] = "1"
    data.update({
        "mandates-0-description": "Compile", "mandates-0-owner": owner.pk, "mandates-0-due_meeting": cop4.pk,
        "mandates-0-paragraph": "", "mandates-0-due_date": "", "mandates-0-notes": "",
    })  # fmt: skip
    response = client.post(url, data)
    assert response.status_code == 302, [
        f.errors for fs in response.context["inline_admin_formsets"] for f in fs.formset
    ]
    decision.refresh_from_db()
    assert decision.title_en == "Capacity-building and technical assistance"
    assert decision.history.first().history_user == admin_user
    mandate = Mandate.objects.get()
    assert (mandate.decision, mandate.owner, mandate.due_meeting) == (decision, owner, cop4)
    assert mandate.history.first().history_user == admin_user


def test_paragraphs_terms_and_reviews_are_shown_not_written_in_the_admin(client, admin_user, decision):
    client.force_login(admin_user)
    page = client.get(reverse("admin:bureau_decision_change", args=[decision.pk])).content.decode()
    assert 'name="paragraphs-0-text"' not in page  # the adopted text is shown, not an input
    term = bureau_term()
    assert (
        client.get(reverse("admin:bureau_term_change", args=[term.pk])).context["has_change_permission"]
        is False
    )
    response = client.post(reverse("admin:bureau_term_change", args=[term.pk]), {})
    assert response.status_code == 403


def test_report_file_uploaded_in_the_admin_is_checked_like_on_the_page(
    client, admin_user, settings, tmp_path
):
    """A bug until issue 11: the admin stored any file as a Bureau meeting's report, served inline."""
    settings.MEDIA_ROOT = tmp_path
    meeting = MeetingFactory(kind=MeetingKind.BUREAU, code="bureau-adm", number=None)
    record = bureau_meeting_ensure(meeting=meeting)
    client.force_login(admin_user)
    url = reverse("admin:bureau_bureaumeeting_change", args=[record.pk])
    script = SimpleUploadedFile("report.pdf", b"<script>alert(1)</script>", content_type="application/pdf")
    response = client.post(url, {"report": "Agreed.", "report_file": script})
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["report_file"]
    record.refresh_from_db()
    assert record.report == "" and not ReportFile.objects.filter(report__meeting=meeting).exists()
    report = SimpleUploadedFile("report.pdf", pdf_bytes(), content_type="application/pdf")
    form = {"report": "Agreed.", "report_file": report, "report_language": "fr"}
    assert client.post(url, form).status_code == 302
    record.refresh_from_db()
    stored = ReportFile.objects.get(report__meeting=meeting)
    assert record.report == "Agreed." and stored.file.name.startswith("bureau/reports/fr/")
    assert (stored.language, stored.kind, stored.uploaded_by) == ("fr", "pdf", admin_user)
    assert record.history.first().history_user == admin_user


def test_a_new_mandate_in_the_inline_takes_notes_while_recorded_ones_keep_their_log(
    client, admin_user, decision, cop4
):
    """A bug until issue 11: once a decision had one mandate, the inline made the notes read-only
    on every row, new ones included, so a second mandate's first notes were dropped."""
    owner = StaffFactory()
    first = mandate_create(
        decision=decision, description="Compile", owner=owner, due_meeting=cop4, notes="Log"
    )
    client.force_login(admin_user)
    url = reverse("admin:bureau_decision_change", args=[decision.pk])
    page = client.get(url)
    data = {"title_en": decision.title_en, "title_fr": "", "title_es": "", "text": ""}
    for formset in page.context["inline_admin_formsets"]:
        management = formset.formset.management_form
        for name in ("TOTAL_FORMS", "INITIAL_FORMS", "MIN_NUM_FORMS", "MAX_NUM_FORMS"):
            data[f"{formset.formset.prefix}-{name}"] = management[name].value()
        for index, form in enumerate(formset.formset.initial_forms):
            data[f"{formset.formset.prefix}-{index}-id"] = form.instance.pk
            data[f"{formset.formset.prefix}-{index}-decision"] = decision.pk
    data.update({
        "mandates-0-description": "Compile", "mandates-0-owner": owner.pk, "mandates-0-due_meeting": cop4.pk,
        "mandates-0-paragraph": "", "mandates-0-due_date": "", "mandates-0-notes": "Rewritten",
        "mandates-TOTAL_FORMS": "2",
        "mandates-1-description": "Report", "mandates-1-owner": owner.pk, "mandates-1-due_meeting": cop4.pk,
        "mandates-1-paragraph": "", "mandates-1-due_date": "", "mandates-1-notes": "Asked at COP-4",
    })  # fmt: skip
    response = client.post(url, data)
    assert response.status_code == 302, [
        f.errors for fs in response.context["inline_admin_formsets"] for f in fs.formset
    ]
    first.refresh_from_db()
    assert first.notes == "Log"
    assert Mandate.objects.get(description="Report").notes == "Asked at COP-4"
