"""The staff status page in the admin: checks, queues, failed items with a retry through the owning
app's services, the last run of every scheduled task; only for staff holding the rules."""

import pytest
from django.urls import reverse

from letters.enums import LetterKind, LetterStatus
from letters.models import Letter
from letters.services.issuing import LetterSpec, letter_resend, letter_revoke, letters_request
from operations.enums import RunOutcome
from operations.models import ScheduledTaskRun
from outbox.enums import MailStatus
from outbox.models import OutgoingMail
from outbox.tasks import outbox_sweep
from tests.factories import MeetingFactory, StaffFactory

pytestmark = pytest.mark.django_db
STATUS = "admin:operations_scheduledtaskrun_changelist"


@pytest.fixture
def administrator():
    return StaffFactory(roles=["Secretariat administrator"])


def _failed_mail(n=0):
    return OutgoingMail.objects.create(
        to=f"delegate{n}@example.org", subject=f"Notice {n}", body_text="b", status=MailStatus.FAILED,
        attempts=8, last_error="550 mailbox unavailable", trigger_key=f"test:{n}",
    )  # fmt: skip


def _failed_letter(meeting, n=0):
    (letter,) = letters_request(
        meeting=meeting, kind=LetterKind.INVITATION,
        specs=[LetterSpec(trigger_key=f"test-letter:{n}", recipient_name=f"Person {n}", recipient_email=f"p{n}@example.org")],
    )  # fmt: skip
    Letter.objects.filter(pk=letter.pk).update(status=LetterStatus.FAILED, last_error="font missing")
    return letter


def test_administrator_sees_checks_queues_failures_and_scheduled_tasks(client, administrator):
    _failed_mail()
    letter = _failed_letter(MeetingFactory())
    outbox_sweep.delay()  # a scheduled task run (eager): recorded by the worker's signals
    client.force_login(administrator)
    page = client.get(reverse(STATUS)).content.decode()
    assert "Ready" in page and '<tr class="check-ok"><td>database</td>' in page
    assert "550 mailbox unavailable" in page and letter.reference in page and "font missing" in page
    assert (
        reverse(
            "admin:operations_scheduledtaskrun_retry_mail",
            args=[OutgoingMail.objects.get(trigger_key="test:0").pk],
        )
        in page
    )
    assert "outbox.tasks.outbox_sweep" in page and "participants.tasks.passport_data_purge" in page
    assert "Never run yet." in page  # the purge has not run
    run = ScheduledTaskRun.objects.get(task="outbox.tasks.outbox_sweep")
    assert (run.last_outcome, run.runs, run.failures) == (RunOutcome.SUCCEEDED, 1, 0)
    assert reverse(STATUS) in client.get(reverse("admin:index")).content.decode()


def test_retry_of_a_failed_mail_queues_it_again_through_the_outbox(
    client, administrator, mailoutbox, django_capture_on_commit_callbacks
):
    mail = _failed_mail()
    client.force_login(administrator)
    url = reverse("admin:operations_scheduledtaskrun_retry_mail", args=[mail.pk])
    assert client.get(url).status_code == 405  # GET changes nothing
    mail.refresh_from_db()
    assert mail.status == MailStatus.FAILED
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)
    assert response.status_code == 302
    mail.refresh_from_db()
    # Eager Celery sent it at once, with a fresh count of attempts.
    assert (mail.status, mail.attempts, mail.last_error) == (MailStatus.SENT, 1, "")
    assert [m.to for m in mailoutbox] == [["delegate0@example.org"]]
    # A second click finds nothing failed any more.
    response = client.post(url, follow=True)
    assert "This e-mail is not failed any more" in response.content.decode()


def test_retry_of_a_failed_letter_renders_it_again_through_letters(
    client, administrator, django_capture_on_commit_callbacks
):
    letter = _failed_letter(MeetingFactory())
    client.force_login(administrator)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("admin:operations_scheduledtaskrun_retry_letter", args=[letter.pk]))
    letter.refresh_from_db()
    assert (letter.status, letter.last_error) == (LetterStatus.RENDERED, "")
    assert letter.pdf.read().startswith(b"%PDF")


def test_retry_of_a_letters_failed_mail_resends_the_letter(
    client, administrator, mailoutbox, django_capture_on_commit_callbacks
):
    meeting = MeetingFactory()
    with django_capture_on_commit_callbacks(execute=True):
        (letter,) = letters_request(
            meeting=meeting, kind=LetterKind.INVITATION,
            specs=[LetterSpec(trigger_key="test-letter:mail", recipient_name="P", recipient_email="p@example.org")],
        )  # fmt: skip
    letter.refresh_from_db()
    OutgoingMail.objects.filter(pk=letter.mail_id).update(status=MailStatus.FAILED, last_error="550 no")
    mailoutbox.clear()
    client.force_login(administrator)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("admin:operations_scheduledtaskrun_retry_mail", args=[letter.mail_id]))
    letter.refresh_from_db()
    assert letter.mail.trigger_key == letter.mail_trigger_key(2)  # a second send, with the PDF
    assert letter.mail.status == MailStatus.SENT
    assert [m.attachments[0][0] for m in mailoutbox] == [letter.mail.attachment_name]


def test_officer_without_the_rule_cannot_open_or_retry(client):
    mail = _failed_mail()
    client.force_login(StaffFactory(roles=["Registration officer"]))
    assert client.get(reverse(STATUS)).status_code == 403
    assert (
        client.post(reverse("admin:operations_scheduledtaskrun_retry_mail", args=[mail.pk])).status_code
        == 403
    )
    mail.refresh_from_db()
    assert mail.status == MailStatus.FAILED
    assert reverse(STATUS) not in client.get(reverse("admin:index")).content.decode()


def test_status_page_costs_the_same_queries_at_one_and_ten_failures(
    client, administrator, django_assert_max_num_queries
):
    meeting = MeetingFactory()
    client.force_login(administrator)
    _failed_mail(0)
    _failed_letter(meeting, 0)
    client.get(reverse(STATUS))
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        client.get(reverse(STATUS))
    for n in range(1, 10):
        _failed_mail(n)
        _failed_letter(meeting, n)
    with django_assert_max_num_queries(len(small.captured_queries)):
        page = client.get(reverse(STATUS)).content.decode()
    assert page.count("550 mailbox unavailable") == 10


def _letter_sent_twice(django_capture_on_commit_callbacks, administrator, n=0):
    """A letter whose first e-mail failed for good and which staff then sent again (its second
    e-mail went out): `letter.mail` is the second; the first stays failed on the status page."""
    with django_capture_on_commit_callbacks(execute=True):
        (letter,) = letters_request(
            meeting=MeetingFactory(), kind=LetterKind.INVITATION,
            specs=[LetterSpec(trigger_key=f"test-letter:twice:{n}", recipient_name="P", recipient_email="p@example.org")],
        )  # fmt: skip
    letter.refresh_from_db()
    first = letter.mail
    OutgoingMail.objects.filter(pk=first.pk).update(status=MailStatus.FAILED, last_error="550 no")
    with django_capture_on_commit_callbacks(execute=True):
        letter_resend(letter=letter, by=administrator)
    letter.refresh_from_db()
    assert letter.mail_id != first.pk and letter.mail.status == MailStatus.SENT
    return letter, first


def _retry_mail(client, mail, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(
            reverse("admin:operations_scheduledtaskrun_retry_mail", args=[mail.pk]), follow=True
        )


def test_retry_of_an_earlier_failed_send_of_a_revoked_letter_is_refused(
    client, administrator, mailoutbox, django_capture_on_commit_callbacks
):
    letter, first = _letter_sent_twice(django_capture_on_commit_callbacks, administrator)
    letter_revoke(letter=letter, by=administrator)
    mailoutbox.clear()
    client.force_login(administrator)
    page = _retry_mail(client, first, django_capture_on_commit_callbacks).content.decode()
    assert "it cannot be sent again" in page
    first.refresh_from_db()
    assert first.status == MailStatus.FAILED and mailoutbox == []


def test_retry_of_an_earlier_failed_send_of_a_purged_letter_is_refused_not_sent_without_its_pdf(
    client, administrator, mailoutbox, django_capture_on_commit_callbacks
):
    from letters.services.purging import letters_pdf_purge

    letter, first = _letter_sent_twice(django_capture_on_commit_callbacks, administrator)
    letters_pdf_purge(letter_ids=[letter.pk])
    first.refresh_from_db()
    assert first.attachment == ""  # the purge dropped the PDF from every e-mail of the letter
    mailoutbox.clear()
    client.force_login(administrator)
    page = _retry_mail(client, first, django_capture_on_commit_callbacks).content.decode()
    assert "The PDF of this letter was deleted" in page
    first.refresh_from_db()
    assert first.status == MailStatus.FAILED and mailoutbox == []


def test_retry_of_an_earlier_failed_send_of_a_valid_letter_sends_the_letter_again_with_its_pdf(
    client, administrator, mailoutbox, django_capture_on_commit_callbacks
):
    letter, first = _letter_sent_twice(django_capture_on_commit_callbacks, administrator)
    mailoutbox.clear()
    client.force_login(administrator)
    _retry_mail(client, first, django_capture_on_commit_callbacks)
    letter.refresh_from_db()
    first.refresh_from_db()
    assert first.status == MailStatus.FAILED  # not itself: the letter's third send
    assert letter.mail.trigger_key == letter.mail_trigger_key(3)
    assert [m.attachments[0][0] for m in mailoutbox] == [letter.mail.attachment_name]


def test_the_outbox_refuses_to_retry_a_letters_mail_itself():
    from outbox.services import MailRetryRefused, mail_retry

    mail = OutgoingMail.objects.create(
        to="p@example.org",
        subject="s",
        body_text="b",
        status=MailStatus.FAILED,
        trigger_key="letter:7:send:1",
    )
    with pytest.raises(MailRetryRefused, match="carries a letter"):
        mail_retry(mail_id=mail.pk)
    mail.refresh_from_db()
    assert mail.status == MailStatus.FAILED
