"""The admin is for lookups and plain corrections, but what it writes obeys the services' rules:
a mandate typed in the Decision's inline or on its own page is checked like mandate_create, and
a member's comment cannot be rewritten by staff."""

import datetime as dt

import pytest
from django.urls import reverse

from bureau.models import Mandate
from bureau.services import decision_create
from tests.factories import MeetingFactory, StaffFactory, UserFactory

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
