import datetime as dt
import hashlib

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from letters.enums import LetterKind, LetterStatus
from letters.models import Letter, LetterBatch, LetterTemplate
from letters.services.issuing import letter_revoke
from letters.services.rendering import letter_render
from meetings.letters import letter_batch_invite_parties, letter_request_invitation
from outbox.enums import MailStatus
from outbox.models import OutgoingMail
from tests.factories import MeetingFactory, StaffFactory, UserFactory

from .factories import RegistrationFactory, party_focal_points

pytestmark = pytest.mark.django_db


@pytest.fixture
def cop2():
    return MeetingFactory(
        code="cop-2", number=2, start_date=dt.date(2018, 11, 19), end_date=dt.date(2018, 11, 23),
        symbol_prefix="UNEP/MC/COP.2", title_en="Second meeting of the Conference of the Parties",
    )  # fmt: skip


@pytest.fixture
def sent_letter(cop2, django_capture_on_commit_callbacks, mailoutbox):
    (focal_point,) = party_focal_points(["ZMB"], first_name="Zola", last_name="Mwansa")
    with django_capture_on_commit_callbacks(execute=True):
        letter = letter_request_invitation(meeting=cop2, focal_point=focal_point)
    letter = Letter.objects.select_related("mail").get(pk=letter.pk)
    assert (letter.status, letter.delivery_status) == (LetterStatus.RENDERED, MailStatus.SENT)
    return letter


@pytest.fixture
def officer():
    return StaffFactory(roles=["Registration officer"])


# --- Verification ---------------------------------------------------------------------------


@pytest.mark.parametrize("route", ["verify", "letters:verify"])
def test_verification_page_shows_the_letters_facts(client, sent_letter, route):
    response = client.get(reverse(route, kwargs={"code": sent_letter.verification_code}))
    assert response.status_code == 200
    page = response.content.decode()
    assert "This letter is genuine and valid." in page
    for fact in (
        "Invitation",
        "MC/COP.2/2018/INV/0001",
        "Second meeting of the Conference of the Parties",
        "Zola Mwansa",
    ):
        assert fact in page
    assert sent_letter.created.strftime("%-d %B %Y") in page
    assert sent_letter.recipient_email not in page  # the page shows only the essential facts


def test_verification_link_printed_on_the_letter_is_the_short_route(sent_letter, settings):
    assert reverse("verify", kwargs={"code": "abc"}) == "/verify/abc"


def test_revoked_letter_is_shown_as_revoked(client, sent_letter):
    letter_revoke(letter=sent_letter)
    page = client.get(reverse("verify", kwargs={"code": sent_letter.verification_code})).content.decode()
    assert "has been revoked" in page and "genuine and valid" not in page


@pytest.mark.parametrize(
    "code",
    ["forged-code-that-looks-right-0000000000", "A" * 32, "short", "<script>alert(1)<script>"],
)
def test_forged_or_malformed_code_gets_not_found(client, sent_letter, code):
    response = client.get(reverse("verify", kwargs={"code": code}))
    assert response.status_code == 404
    assert "No letter of the secretariat carries this verification code" in response.content.decode()
    assert "Zola Mwansa" not in response.content.decode()


def test_verification_is_rate_limited_per_address(client, sent_letter, settings):
    settings.LETTERS_VERIFY_PER_MINUTE = 3
    codes = [f"guess-{i:030d}" for i in range(3)]
    assert [client.get(reverse("verify", kwargs={"code": c})).status_code for c in codes] == [404, 404, 404]
    response = client.get(reverse("verify", kwargs={"code": sent_letter.verification_code}))
    assert response.status_code == 429
    assert "Zola Mwansa" not in response.content.decode()
    other = client.get(
        reverse("verify", kwargs={"code": sent_letter.verification_code}), REMOTE_ADDR="10.0.0.9"
    )
    assert other.status_code == 200


# --- Downloads ------------------------------------------------------------------------------


def test_recipient_downloads_their_letter(client, sent_letter):
    client.force_login(sent_letter.recipient_user)
    response = client.get(reverse("letters:download", args=[sent_letter.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content)[:4] == b"%PDF"
    assert 'filename="MC-COP.2-2018-INV-0001.pdf"' in response["Content-Disposition"]


def test_staff_download_any_letter(client, sent_letter, officer):
    client.force_login(officer)
    response = client.get(reverse("letters:download", args=[sent_letter.pk]))
    assert response.status_code == 200
    body = b"".join(response.streaming_content)
    assert body[:4] == b"%PDF" and hashlib.sha256(body).hexdigest() == sent_letter.sha256


def test_secretariat_administrator_downloads_any_letter(client, sent_letter):
    client.force_login(StaffFactory(roles=["Secretariat administrator"]))
    response = client.get(reverse("letters:download", args=[sent_letter.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content)[:4] == b"%PDF"


@pytest.mark.parametrize(
    "who", ["delegate", "other_focal_point", "documents_officer", "staff_without_role", "bureau_member"]
)
def test_others_get_not_found(client, sent_letter, who):
    user = {
        "delegate": lambda: UserFactory(roles=["Delegate"]),
        "other_focal_point": lambda: party_focal_points(["PER"])[0].user,
        # Staff, but not of a role that handles letters: a visa letter carries passport details.
        "documents_officer": lambda: StaffFactory(roles=["Documents officer"]),
        "staff_without_role": lambda: StaffFactory(),
        "bureau_member": lambda: UserFactory(roles=["Bureau member"]),
    }[who]()
    client.force_login(user)
    assert client.get(reverse("letters:download", args=[sent_letter.pk])).status_code == 404


def test_anonymous_is_sent_to_sign_in(client, sent_letter):
    response = client.get(reverse("letters:download", args=[sent_letter.pk]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_my_letters_lists_only_mine_with_constant_queries(
    client, cop2, django_capture_on_commit_callbacks, django_assert_num_queries, mailoutbox
):
    (focal_point,) = party_focal_points(["ZMB"])
    party_focal_points(["PER"])
    client.force_login(focal_point.user)
    for size in (1, 4):
        meetings = [
            MeetingFactory()
            for _ in range(size - Letter.objects.filter(recipient_user=focal_point.user).count())
        ]
        with django_capture_on_commit_callbacks(execute=True):
            for meeting in meetings:
                letter_request_invitation(meeting=meeting, focal_point=focal_point)
        with django_assert_num_queries(5):  # savepoint, session, user, letters with meetings, release
            response = client.get(reverse("letters:mine"))
        assert len(response.context["letters"]) == size
    assert "Download PDF" in response.content.decode()


# --- Admin ----------------------------------------------------------------------------------


def test_admin_sends_invitations_to_all_parties_and_shows_progress(
    client, cop2, officer, django_capture_on_commit_callbacks, smtp_server
):
    party_focal_points(["ZMB", "PER", "CHL"])  # Chile: not yet a Party at COP-2
    client.force_login(officer)
    url = reverse("admin:letters_letterbatch_send_invitations")
    assert client.get(url).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"meeting": cop2.pk})
    batch = LetterBatch.objects.get()
    assert response["Location"] == reverse("admin:letters_letterbatch_change", args=[batch.pk])
    assert len(smtp_server.wait_for(2)) == 2
    page = client.get(response["Location"]).content.decode()
    assert '<td id="progress-total">2</td>' in page and '<td id="progress-sent">2</td>' in page
    assert "finished" in page and 'http-equiv="refresh"' not in page
    # The second click sends nothing and says so.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"meeting": cop2.pk}, follow=True)
    assert "already has an invitation" in response.content.decode()
    assert (LetterBatch.objects.count(), Letter.objects.count(), len(smtp_server.messages)) == (1, 2, 2)


def test_running_batch_page_refreshes(client, cop2, officer, django_capture_on_commit_callbacks):
    party_focal_points(["ZMB"])
    with django_capture_on_commit_callbacks(execute=False):
        batch = letter_batch_invite_parties(meeting=cop2)
    client.force_login(officer)
    page = client.get(reverse("admin:letters_letterbatch_change", args=[batch.pk])).content.decode()
    assert '<td id="progress-queued">1</td>' in page and 'http-equiv="refresh"' in page


def test_the_batch_pages_failed_link_lists_the_letters_it_counts_and_the_bar_fills_without_revoked(
    client, cop2, officer, django_capture_on_commit_callbacks
):
    """The "failed" count took letters that could not be rendered too, but its link filtered
    only failed e-mails; and with a letter revoked the progress bar never reached its end."""
    party_focal_points(["ZMB", "PER", "FRA"])
    with django_capture_on_commit_callbacks(execute=False):
        batch = letter_batch_invite_parties(meeting=cop2)
    not_rendered, mail_failed, revoked = batch.letters.order_by("pk")
    Letter.objects.filter(pk=not_rendered.pk).update(status=LetterStatus.FAILED, last_error="rendering")
    with django_capture_on_commit_callbacks(execute=False):
        letter_render(letter_id=mail_failed.pk)
    mail_failed = Letter.objects.get(pk=mail_failed.pk)
    OutgoingMail.objects.filter(pk=mail_failed.mail_id).update(status=MailStatus.FAILED)
    letter_revoke(letter=revoked)

    client.force_login(officer)
    response = client.get(reverse("admin:letters_letterbatch_change", args=[batch.pk]))
    page = response.content.decode()
    assert f'<a href="{response.context["failed_url"]}">2</a>' in page.replace("&amp;", "&")
    assert '<progress max="2" value="2"' in page
    listed = client.get(response.context["failed_url"]).context["cl"].result_list
    assert {letter.pk for letter in listed} == {not_rendered.pk, mail_failed.pk}


def test_letters_and_mails_cannot_be_deleted_in_the_admin(client, sent_letter):
    """Deleting a letter or a mail freed its trigger key: the same trigger would send again."""
    client.force_login(StaffFactory(is_superuser=True))
    for name, pk in (("letters_letter", sent_letter.pk), ("outbox_outgoingmail", sent_letter.mail_id)):
        assert client.get(reverse(f"admin:{name}_delete", args=[pk])).status_code == 403
        changelist = client.get(reverse(f"admin:{name}_changelist")).content.decode()
        assert 'value="delete_selected"' not in changelist
    assert Letter.objects.filter(pk=sent_letter.pk).exists()
    assert OutgoingMail.objects.filter(pk=sent_letter.mail_id).exists()


def test_the_template_preview_asks_its_rule(client, cop2):
    template = LetterTemplate.objects.create(
        meeting=cop2, kind=LetterKind.INVITATION, language="en", body="<p>Hello {{ recipient_name }}</p>"
    )
    url = reverse("admin:letters_lettertemplate_preview", args=[template.pk])
    viewer = StaffFactory()
    client.force_login(viewer)
    assert client.get(url).status_code == 403
    viewer.user_permissions.add(Permission.objects.get(codename="view_lettertemplate"))
    client.force_login(viewer)
    assert client.get(url)["Content-Type"] == "application/pdf"


def test_batch_list_counts_without_n_plus_one(client, cop2, officer, django_assert_max_num_queries):
    client.force_login(officer)
    party_focal_points(["ZMB", "PER"])
    letter_batch_invite_parties(meeting=cop2)
    for size in (1, 3):
        while LetterBatch.objects.count() < size:
            letter_batch_invite_parties(
                meeting=MeetingFactory(start_date=dt.date(2019, 1, 1), end_date=dt.date(2019, 1, 2))
            )
        with django_assert_max_num_queries(12):
            response = client.get(reverse("admin:letters_letterbatch_changelist"))
        assert response.status_code == 200 and len(response.context["cl"].result_list) == size


def test_admin_resend_action_sends_a_failed_letter_again(
    client, cop2, officer, django_capture_on_commit_callbacks, scripted_smtp
):
    server = scripted_smtp(replies=["550 No such mailbox"])
    party_focal_points(["ZMB"])
    with django_capture_on_commit_callbacks(execute=True):
        letter_batch_invite_parties(meeting=cop2)
    letter = Letter.objects.get()
    assert letter.delivery_status == MailStatus.FAILED
    client.force_login(officer)
    changelist = client.get(reverse("admin:letters_letter_changelist") + "?mail__status__exact=failed")
    assert letter.reference in changelist.content.decode()
    assert "Failed" in changelist.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("admin:letters_letter_changelist"), {"action": "resend", "_selected_action": [letter.pk]}
        )
    letter = Letter.objects.select_related("mail").get()
    assert (letter.status, letter.delivery_status) == (LetterStatus.RENDERED, MailStatus.SENT)
    assert len(server.wait_for(1)) == 1 and OutgoingMail.objects.count() == 2


@pytest.mark.parametrize("action", ["resend", "revoke"])
def test_staff_who_may_only_view_letters_cannot_resend_or_revoke(client, sent_letter, action):
    viewer = StaffFactory()
    viewer.user_permissions.add(Permission.objects.get(codename="view_letter"))
    client.force_login(viewer)
    changelist = client.get(reverse("admin:letters_letter_changelist"))
    assert sent_letter.reference in changelist.content.decode()
    assert f'value="{action}"' not in changelist.content.decode()
    response = client.post(
        reverse("admin:letters_letter_changelist"), {"action": action, "_selected_action": [sent_letter.pk]}
    )
    assert response.status_code in (200, 302)
    sent_letter.refresh_from_db()
    assert sent_letter.revoked_at is None and sent_letter.status == LetterStatus.RENDERED
    assert sent_letter.mails.count() == 1


def test_a_letter_whose_mail_failed_for_good_still_verifies_as_genuine(
    client, cop2, django_capture_on_commit_callbacks, scripted_smtp
):
    """The e-mail bounced (550), but the letter was issued: the delegate may hold it from "My
    registrations", and an embassy checking it must not be told it was revoked."""
    scripted_smtp(replies=["550 No such mailbox"])
    party_focal_points(["ZMB"])
    with django_capture_on_commit_callbacks(execute=True):
        letter_batch_invite_parties(meeting=cop2)
    letter = Letter.objects.get()
    assert (letter.status, letter.delivery_status) == (LetterStatus.RENDERED, MailStatus.FAILED)
    page = client.get(reverse("verify", kwargs={"code": letter.verification_code})).content.decode()
    assert "genuine and valid" in page and "revoked" not in page
    # And the focal point, whose mailbox refused it, finds it in "My letters" and downloads it.
    client.force_login(letter.recipient_user)
    assert [listed.pk for listed in client.get(reverse("letters:mine")).context["letters"]] == [letter.pk]
    download = client.get(reverse("letters:download", args=[letter.pk]))
    assert b"".join(download.streaming_content)[:5] == b"%PDF-"


def test_template_override_admin_versions_and_previews(client, cop2, officer):
    client.force_login(StaffFactory(is_superuser=True))
    add = reverse("admin:letters_lettertemplate_add")
    form = client.get(add + "?kind=invitation&language=fr")
    assert "J’ai l’honneur d’inviter" in form.content.decode()  # starts from the default wording
    data = {
        "meeting": cop2.pk,
        "kind": "invitation",
        "language": "en",
        "subject": "",
        "body": "<p>Hello {{ recipient_name }}</p>",
    }
    assert client.post(add, data).status_code == 302
    template = LetterTemplate.objects.get()
    assert template.version == 1
    change = reverse("admin:letters_lettertemplate_change", args=[template.pk])
    client.post(change, {**data, "body": "<p>Dear {{ recipient_name }}, welcome to {{ meeting_title }}.</p>"})
    template.refresh_from_db()
    assert template.version == 2 and template.history.count() == 2
    preview = client.get(reverse("admin:letters_lettertemplate_preview", args=[template.pk]))
    assert preview["Content-Type"] == "application/pdf"
    from io import BytesIO

    from pypdf import PdfReader

    text = PdfReader(BytesIO(preview.content)).pages[0].extract_text()
    assert "Dear H.E. Ms Sample Recipient, welcome to Second meeting" in " ".join(text.split())


def test_template_override_that_does_not_compile_is_refused_and_nothing_changes(client, cop2):
    client.force_login(StaffFactory(is_superuser=True))
    data = {"meeting": cop2.pk, "kind": "invitation", "language": "en", "subject": "", "body": "{% if %}"}
    response = client.post(reverse("admin:letters_lettertemplate_add"), data)
    assert response.status_code == 200
    assert "The body does not compile" in response.content.decode()
    assert LetterTemplate.objects.count() == 0


def test_delegate_cannot_reach_the_letter_admin(client, sent_letter):
    client.force_login(UserFactory(roles=["Delegate"]))
    response = client.get(reverse("admin:letters_letter_changelist"))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_letter_change_page_shows_status_and_pdf_link(client, sent_letter, officer):
    client.force_login(officer)
    page = client.get(reverse("admin:letters_letter_change", args=[sent_letter.pk])).content.decode()
    assert sent_letter.reference in page and sent_letter.sha256 in page
    assert reverse("letters:download", args=[sent_letter.pk]) in page


def test_admin_sends_confirmations_to_the_accredited_only_once(client, cop2, officer):
    accredited = RegistrationFactory(meeting=cop2, status="accredited")
    RegistrationFactory(meeting=cop2, status="nominated")
    client.force_login(officer)
    url = reverse("admin:letters_letterbatch_send_confirmations")
    assert "accredited" in client.get(url).content.decode()
    response = client.post(url, {"meeting": cop2.pk})
    batch = LetterBatch.objects.get()
    assert response.url == reverse("admin:letters_letterbatch_change", args=[batch.pk])
    assert [letter.registration for letter in batch.letters.all()] == [accredited]
    again = client.post(url, {"meeting": cop2.pk}, follow=True)
    assert any("already has a confirmation letter" in str(m) for m in again.context["messages"])
    assert Letter.objects.count() == 1


def test_admin_revoke_counts_only_the_letters_it_revoked(client, sent_letter, officer, cop2, mailoutbox):
    letter_revoke(letter=sent_letter)
    (focal_point,) = party_focal_points(["PER"])
    fresh = letter_request_invitation(meeting=cop2, focal_point=focal_point)
    client.force_login(officer)
    response = client.post(
        reverse("admin:letters_letter_changelist"),
        {"action": "revoke", "_selected_action": [sent_letter.pk, fresh.pk]},
        follow=True,
    )
    assert "Revoked: 1." in [str(m) for m in response.context["messages"]]
    assert Letter.objects.get(pk=sent_letter.pk).revoked_by is None  # the first revocation stands


def test_admin_revoke_action_revokes_through_the_service_and_verification_says_so(
    client, sent_letter, officer
):
    client.force_login(officer)
    response = client.post(
        reverse("admin:letters_letter_changelist"),
        {"action": "revoke", "_selected_action": [sent_letter.pk]},
        follow=True,
    )
    assert "Revoked: 1." in [str(m) for m in response.context["messages"]]
    sent_letter.refresh_from_db()
    assert sent_letter.revoked_at is not None and sent_letter.status == LetterStatus.REVOKED
    assert sent_letter.revoked_by == officer
    page = client.get(reverse("verify", kwargs={"code": sent_letter.verification_code})).content.decode()
    assert "has been revoked" in page and "genuine and valid" not in page


@pytest.mark.parametrize("page", ["send_invitations", "send_confirmations"])
def test_documents_officer_cannot_send_bulk_letters_and_nothing_is_created(client, cop2, page):
    party_focal_points(["ZMB"])
    RegistrationFactory(meeting=cop2, status="accredited")
    client.force_login(StaffFactory(roles=["Documents officer"]))
    url = reverse(f"admin:letters_letterbatch_{page}")
    assert client.get(url).status_code == 403
    assert client.post(url, {"meeting": cop2.pk}).status_code == 403
    assert not Letter.objects.exists() and not LetterBatch.objects.exists()
    assert not OutgoingMail.objects.exists()
