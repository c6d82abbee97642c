"""Work between meetings: a draft out for comment to the group's members until a date, comments per
paragraph by members only, a revised draft, and the staff's record of who commented."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from expertgroups import services
from expertgroups.models import Draft, DraftComment, DraftParagraph
from tests.documents.factories import pdf_upload
from tests.factories import UserFactory

from .helpers import appointed

pytestmark = pytest.mark.django_db

TEXT = "The group recommends a threshold.\n\nIt applies to waste.\n\nParties report on it."


@pytest.fixture
def member(group, zambia_fp, admin_user, today):
    return appointed(
        group=group, focal_point=zambia_fp, email="expert@zema.example", name="Mwansa Phiri", by=admin_user,
        term_to=today + dt.timedelta(days=100),
    )  # fmt: skip


@pytest.fixture
def member_user(member):
    return UserFactory(email="expert@zema.example")


@pytest.fixture
def silent_member(group, kenya_fp, admin_user, today):
    return appointed(
        group=group, focal_point=kenya_fp, email="silent@nema.example", name="Wanjiru Kamau", by=admin_user,
        term_to=today + dt.timedelta(days=100),
    )  # fmt: skip


@pytest.fixture
def other_member_user(other_group, kenya_fp, admin_user, today):
    appointed(
        group=other_group, focal_point=kenya_fp, email="other@nema.example", by=admin_user,
        term_to=today + dt.timedelta(days=100),
    )  # fmt: skip
    return UserFactory(email="other@nema.example")


@pytest.fixture
def draft(group, admin_user, today):
    return services.draft_put_out(
        group=group, title="Draft report on thresholds", file=pdf_upload(),
        paragraphs=services.paragraphs_from_text(TEXT), comments_until=today + dt.timedelta(days=14), by=admin_user,
    )  # fmt: skip


def test_staff_put_out_draft_with_file_and_paragraphs(client, group, admin_user, today):
    client.force_login(admin_user)
    response = client.post(
        reverse("expertgroups:drafts", args=[group.pk]),
        {"title": "Draft report", "file": pdf_upload(), "paragraphs": TEXT,
         "comments_until": (today + dt.timedelta(days=7)).isoformat()},
    )  # fmt: skip

    draft = Draft.objects.get()
    assert response.status_code == 302
    assert (draft.group, draft.kind, draft.comments_until) == (group, "pdf", today + dt.timedelta(days=7))
    assert list(draft.paragraphs.values_list("number", "text")) == [
        (1, "The group recommends a threshold."), (2, "It applies to waste."), (3, "Parties report on it."),
    ]  # fmt: skip
    assert draft.history.get().history_user == admin_user


def test_file_that_is_not_what_it_says_is_refused(client, group, admin_user, today):
    client.force_login(admin_user)
    response = client.post(
        reverse("expertgroups:drafts", args=[group.pk]),
        {"title": "Draft report", "file": SimpleUploadedFile("draft.pdf", b"<html>not a pdf</html>",
                                                              content_type="application/pdf"),
         "paragraphs": TEXT, "comments_until": (today + dt.timedelta(days=7)).isoformat()},
    )  # fmt: skip

    assert response.status_code == 400
    assert response.context["form"].errors["file"] == [
        "The file is not a PDF or Word document (its content was checked, not its name)."
    ]
    assert (Draft.objects.count(), DraftParagraph.objects.count()) == (0, 0)


def test_comment_date_in_the_past_is_refused(group, admin_user, today):
    with pytest.raises(ValidationError) as refused:
        services.draft_put_out(
            group=group, title="Late", file=pdf_upload(), paragraphs=["One."],
            comments_until=today - dt.timedelta(days=1), by=admin_user,
        )  # fmt: skip
    assert refused.value.message_dict == {
        "comments_until": ["The last day for comments cannot be in the past."]
    }


def test_member_comments_on_a_paragraph(client, draft, member, member_user):
    client.force_login(member_user)
    url = reverse("expertgroups:draft", args=[draft.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert "Your comment on paragraph 2" in page.content.decode()

    response = client.post(url, {"paragraph": 2, "text": "Say which waste."})

    assert response.status_code == 302
    comment = DraftComment.objects.get()
    assert (comment.member, comment.paragraph.number, comment.text) == (member, 2, "Say which waste.")
    assert comment.history.get().history_user == member_user
    assert "Say which waste." in client.get(url).content.decode()


def test_comment_on_the_last_day_is_taken_and_after_it_refused(client, draft, member, member_user, today):
    client.force_login(member_user)
    url = reverse("expertgroups:draft", args=[draft.pk])
    Draft.objects.filter(pk=draft.pk).update(comments_until=today)
    taken = client.post(url, {"paragraph": 1, "text": "On the day."}, follow=True)
    assert [str(m) for m in taken.context["messages"]] == ["Your comment was recorded."]

    Draft.objects.filter(pk=draft.pk).update(comments_until=today - dt.timedelta(days=1))
    response = client.post(url, {"paragraph": 1, "text": "Too late."}, follow=True)

    assert response.status_code == 400
    closed_on = (today - dt.timedelta(days=1)).isoformat()
    assert [str(m) for m in response.context["messages"]] == [
        f"text: Comments on this draft closed on {closed_on}."
    ]
    assert list(DraftComment.objects.values_list("text", flat=True)) == ["On the day."]


def test_comment_on_unknown_paragraph_names_the_field(client, draft, member, member_user):
    client.force_login(member_user)
    response = client.post(reverse("expertgroups:draft", args=[draft.pk]), {"paragraph": 9, "text": "Hm."})
    assert response.status_code == 400
    assert [str(m) for m in response.context["messages"]] == ["paragraph: Choose a paragraph of this draft."]
    assert DraftComment.objects.count() == 0


@pytest.mark.parametrize("who", ["other_member_user", "delegate", "zambia_fp"])
def test_only_the_groups_members_and_staff_see_its_drafts(client, request, draft, who):
    client.force_login(request.getfixturevalue(who))
    for url in (
        reverse("expertgroups:drafts", args=[draft.group_id]),
        reverse("expertgroups:draft", args=[draft.pk]),
        reverse("expertgroups:draft_file", args=[draft.pk]),
    ):
        assert client.get(url).status_code == 404, url
    assert (
        client.post(reverse("expertgroups:draft", args=[draft.pk]), {"paragraph": 1, "text": "x"}).status_code
        == 404
    )
    assert DraftComment.objects.count() == 0


def test_anonymous_is_sent_to_sign_in(client, draft):
    response = client.get(reverse("expertgroups:draft", args=[draft.pk]))
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))


def test_member_whose_term_ended_is_refused(client, draft, member, member_user, today):
    type(member).objects.filter(pk=member.pk).update(
        term_from=today - dt.timedelta(days=30), term_to=today - dt.timedelta(days=1)
    )
    client.force_login(member_user)
    assert client.get(reverse("expertgroups:draft", args=[draft.pk])).status_code == 404


def test_member_sees_the_draft_file(client, draft, member, member_user):
    client.force_login(member_user)
    response = client.get(reverse("expertgroups:draft_file", args=[draft.pk]))
    assert (response.status_code, response["Content-Type"]) == (200, "application/pdf")
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_staff_record_of_who_commented(client, draft, member, member_user, silent_member, admin_user):
    services.draft_comment(draft=draft, paragraph=1, member=member, text="First.", by=member_user)
    services.draft_comment(draft=draft, paragraph=3, member=member, text="Third.", by=member_user)
    url = reverse("expertgroups:draft_comments", args=[draft.pk])

    client.force_login(member_user)
    assert client.get(url).status_code == 404

    client.force_login(admin_user)
    response = client.get(url)
    assert [(m.name, m.n) for m in response.context["commenters"]] == [("Mwansa Phiri", 2)]
    assert [m.name for m in response.context["silent"]] == ["Wanjiru Kamau"]
    assert [(c.paragraph.number, c.text) for c in response.context["comments"]] == [
        (1, "First."),
        (3, "Third."),
    ]


def test_revised_draft_closes_the_earlier_one(client, draft, member, member_user, admin_user, today):
    revision = services.draft_put_out(
        group=draft.group, title="Revised draft report", file=pdf_upload(), paragraphs=["Revised."],
        comments_until=today + dt.timedelta(days=7), revises=draft, by=admin_user,
    )  # fmt: skip
    assert revision.revises == draft
    with pytest.raises(ValidationError) as refused:
        services.draft_comment(draft=draft, paragraph=1, member=member, text="Late.", by=member_user)
    assert list(refused.value.message_dict) == ["text"]
    services.draft_comment(draft=revision, paragraph=1, member=member, text="Fine.", by=member_user)
    with pytest.raises(ValidationError) as twice:
        services.draft_put_out(
            group=draft.group, title="Another", file=pdf_upload(), paragraphs=["x"],
            comments_until=today, revises=draft, by=admin_user,
        )  # fmt: skip
    assert list(twice.value.message_dict) == ["revises"]


def test_expert_lands_on_own_groups_with_link_in_navigation(
    client, draft, member, member_user, other_member_user
):
    client.force_login(member_user)
    response = client.get(reverse("expertgroups:mine"))
    assert [m.group.name_en for m in response.context["memberships"]] == [draft.group.name_en]
    assert f'href="{reverse("expertgroups:mine")}"' in response.content.decode()


def test_my_expert_groups_refused_to_a_delegate(client, delegate):
    client.force_login(delegate)
    assert client.get(reverse("expertgroups:mine")).status_code == 403
