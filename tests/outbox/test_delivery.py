"""The outbox alone: a mail is a row first, claimed by one worker, sent once, retried with
backoff on transient SMTP errors (awaiting retry, with its retry time), failed at once on
permanent ones, and found again by the sweeper when its task or its worker was lost."""

import datetime as dt
import io

import pytest
from django.db.models import Q
from django.utils import timezone

from outbox import services, tasks
from outbox.enums import MailStatus
from outbox.models import OutgoingMail
from outbox.storage import attachment_storage
from tests.conftest import free_port
from tests.factories import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("mail_templates")]


def queue(to="a@example.org", *, trigger_key=None, execute=False, callbacks, **kwargs):
    with callbacks(execute=execute):
        return services.mail_queue(
            to=to,
            template_prefix="outbox_test/hello",
            context={"name": "Ana"},
            trigger_key=trigger_key,
            **kwargs,
        )


def test_a_mail_is_stored_then_sent_once_after_commit(django_capture_on_commit_callbacks, smtp_server):
    by = UserFactory()
    mail = queue(trigger_key="hello:1", execute=True, callbacks=django_capture_on_commit_callbacks, by=by)
    (message,) = smtp_server.wait_for(1)
    assert message["to"] == ["a@example.org"]
    assert message["message"]["Subject"] == "Hello Ana"
    assert message["message"]["Message-ID"] == mail.message_id
    assert message["message"].get_body(("html",)) is not None
    mail.refresh_from_db()
    assert (mail.status, mail.attempts, mail.created_by) == (MailStatus.SENT, 1, by)
    assert mail.sent_at is not None

    # The same trigger again (a double click): the same row, nothing sent twice.
    again = queue(trigger_key="hello:1", execute=True, callbacks=django_capture_on_commit_callbacks)
    assert again.pk == mail.pk and OutgoingMail.objects.count() == 1
    assert len(smtp_server.messages) == 1


def test_an_attachment_is_read_from_the_private_media_root(django_capture_on_commit_callbacks, smtp_server):
    name = attachment_storage.save("letters/x/ref.pdf", io.BytesIO(b"%PDF-1.7 test"))
    queue(
        attachment=name,
        attachment_name="REF-1.pdf",
        execute=True,
        callbacks=django_capture_on_commit_callbacks,
    )
    attachment = next(smtp_server.wait_for(1)[0]["message"].iter_attachments())
    assert (attachment.get_filename(), attachment.get_content()) == ("REF-1.pdf", b"%PDF-1.7 test")


def test_delivery_task_run_twice_sends_once(django_capture_on_commit_callbacks, smtp_server):
    mail = queue(execute=True, callbacks=django_capture_on_commit_callbacks)
    assert services.outgoing_mail_deliver(mail_id=mail.pk) == MailStatus.SENT  # already sent: skipped
    assert len(smtp_server.wait_for(1)) == 1
    mail.refresh_from_db()
    assert mail.attempts == 1


def test_mail_in_flight_elsewhere_is_skipped(django_capture_on_commit_callbacks, smtp_server):
    mail = queue(callbacks=django_capture_on_commit_callbacks)
    OutgoingMail.objects.filter(pk=mail.pk).update(status=MailStatus.SENDING, claimed_at=timezone.now())
    assert services.outgoing_mail_deliver(mail_id=mail.pk) == MailStatus.SENDING
    assert smtp_server.messages == []


def test_transient_smtp_errors_are_retried_then_sent(django_capture_on_commit_callbacks, scripted_smtp):
    server = scripted_smtp(replies=["421 Service not available, try later", "451 Local error in processing"])
    mail = queue(execute=True, callbacks=django_capture_on_commit_callbacks)
    assert len(server.wait_for(1)) == 1 and server.sink.refused == 2
    mail.refresh_from_db()
    assert (mail.status, mail.attempts) == (MailStatus.SENT, 3)


def test_a_transient_error_leaves_the_mail_awaiting_retry_with_its_time(
    django_capture_on_commit_callbacks, scripted_smtp, settings, monkeypatch
):
    settings.OUTBOX_RETRY_BASE_SECONDS = 30
    scripted_smtp(replies=["451 Local error in processing"])
    retries = []
    monkeypatch.setattr(
        tasks.outgoing_mail_send, "apply_async", lambda args, countdown: retries.append((args, countdown))
    )
    mail = queue(callbacks=django_capture_on_commit_callbacks)
    before = timezone.now()
    assert services.outgoing_mail_deliver(mail_id=mail.pk) == MailStatus.AWAITING_RETRY
    mail.refresh_from_db()
    assert mail.status == MailStatus.AWAITING_RETRY and mail.claim_token is None
    assert before + dt.timedelta(seconds=29) < mail.retry_at < timezone.now() + dt.timedelta(seconds=31)
    assert "451" in mail.last_error
    assert retries == [((mail.pk,), 30)]

    # The retry task, run at its time, takes it from "awaiting retry".
    OutgoingMail.objects.filter(pk=mail.pk).update(retry_at=timezone.now())
    assert services.outgoing_mail_deliver(mail_id=mail.pk) == MailStatus.SENT
    mail.refresh_from_db()
    assert (mail.status, mail.attempts) == (MailStatus.SENT, 2)


def test_backoff_grows_between_attempts(settings):
    settings.OUTBOX_RETRY_BASE_SECONDS = 30
    assert [services.retry_countdown(n) for n in (1, 2, 3, 4, 6, 9)] == [30, 60, 120, 240, 600, 600]


def test_connection_refused_is_transient_until_the_last_attempt(django_capture_on_commit_callbacks, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()  # nothing listens
    settings.OUTBOX_MAX_ATTEMPTS = 3
    settings.OUTBOX_RETRY_BASE_SECONDS = 0  # each retry due when eager Celery runs it
    mail = queue(execute=True, callbacks=django_capture_on_commit_callbacks)
    mail.refresh_from_db()
    # Eager Celery ran each retry at once; after the last attempt the mail is failed, visibly.
    assert (mail.status, mail.attempts) == (MailStatus.FAILED, 3)
    assert "Connection refused" in mail.last_error or "111" in mail.last_error


@pytest.mark.parametrize("where", ["data", "rcpt"])
def test_permanent_smtp_error_fails_at_once(django_capture_on_commit_callbacks, scripted_smtp, where):
    reply = "550 5.1.1 Mailbox unavailable"
    server = scripted_smtp(
        replies=[reply] if where == "data" else [], rcpt_reply=reply if where == "rcpt" else None
    )
    mail = queue(execute=True, callbacks=django_capture_on_commit_callbacks)
    mail.refresh_from_db()
    assert (mail.status, mail.attempts) == (MailStatus.FAILED, 1) and "550" in mail.last_error
    assert server.sink.refused == 1 and server.messages == []


def test_sweeper_takes_back_a_mail_stuck_in_flight_and_leaves_fresh_ones(
    django_capture_on_commit_callbacks, smtp_server, settings
):
    settings.OUTBOX_IN_FLIGHT_TIMEOUT = 600
    stuck = queue("stuck@example.org", callbacks=django_capture_on_commit_callbacks)
    fresh = queue("fresh@example.org", callbacks=django_capture_on_commit_callbacks)
    now = timezone.now()
    OutgoingMail.objects.filter(pk=stuck.pk).update(
        status=MailStatus.SENDING, claimed_at=now - dt.timedelta(hours=1)
    )
    OutgoingMail.objects.filter(pk=fresh.pk).update(status=MailStatus.SENDING, claimed_at=now)
    with django_capture_on_commit_callbacks(execute=True):
        result = services.outbox_sweep()
    assert result["mails recovered in flight"] == 1
    assert [m["to"][0] for m in smtp_server.wait_for(1)] == [stuck.to]
    assert OutgoingMail.objects.get(pk=fresh.pk).status == MailStatus.SENDING
    assert OutgoingMail.objects.get(pk=stuck.pk).message_id == stuck.message_id  # same Message-ID


def test_sweeper_queues_a_due_retry_whose_task_was_lost_and_leaves_one_not_due(
    django_capture_on_commit_callbacks, smtp_server, settings
):
    settings.OUTBOX_SWEEP_AFTER = 60
    due = queue("due@example.org", callbacks=django_capture_on_commit_callbacks)
    later = queue("later@example.org", callbacks=django_capture_on_commit_callbacks)
    now = timezone.now()
    OutgoingMail.objects.filter(pk=due.pk).update(
        status=MailStatus.AWAITING_RETRY, retry_at=now - dt.timedelta(minutes=5)
    )
    OutgoingMail.objects.filter(pk=later.pk).update(
        status=MailStatus.AWAITING_RETRY, retry_at=now + dt.timedelta(minutes=5)
    )
    with django_capture_on_commit_callbacks(execute=True):
        result = services.outbox_sweep()
    assert result["mails retried"] == 1
    assert [m["to"][0] for m in smtp_server.wait_for(1)] == ["due@example.org"]
    assert OutgoingMail.objects.get(pk=due.pk).status == MailStatus.SENT
    assert OutgoingMail.objects.get(pk=later.pk).status == MailStatus.AWAITING_RETRY


def test_sweeper_leaves_rows_that_are_still_waiting_for_their_task(
    django_capture_on_commit_callbacks, settings
):
    settings.OUTBOX_SWEEP_AFTER = 600
    mail = queue(callbacks=django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=False):
        result = services.outbox_sweep()
    assert result == {"mails recovered in flight": 0, "mails retried": 0, "mails queued": 0}
    assert OutgoingMail.objects.get(pk=mail.pk).status == MailStatus.QUEUED


def test_redis_down_the_mail_commits_and_the_sweeper_sends_it_later(
    django_capture_on_commit_callbacks, smtp_server, settings, celery_app_on_broker, broker_down
):
    settings.OUTBOX_SWEEP_AFTER = 0
    with broker_down():
        mail = queue(execute=True, callbacks=django_capture_on_commit_callbacks)
    assert OutgoingMail.objects.get(pk=mail.pk).status == MailStatus.QUEUED
    celery_app_on_broker.conf.task_always_eager = True  # Redis is back; tasks run eagerly here
    with django_capture_on_commit_callbacks(execute=True):
        assert services.outbox_sweep()["mails queued"] == 1
    assert len(smtp_server.wait_for(1)) == 1
    assert OutgoingMail.objects.get(pk=mail.pk).status == MailStatus.SENT


def test_beat_runs_the_sweeper_every_minute(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["outbox-sweep"]
    assert entry == {"task": "outbox.tasks.outbox_sweep", "schedule": 60.0}
    assert tasks.outbox_sweep.name == entry["task"]


def test_mail_tasks_are_queued_in_chunks_and_a_single_mail_alone(settings, monkeypatch):
    settings.OUTBOX_CHUNK_SIZE = 3
    chunks, singles = [], []
    monkeypatch.setattr(tasks.outgoing_mails_send, "delay", chunks.append)
    monkeypatch.setattr(tasks.outgoing_mail_send, "delay", singles.append)
    services.mails_enqueue([21, 22, 23, 24])
    services.mails_enqueue([25])
    assert chunks == [[21, 22, 23], [24]] and singles == [25]


@pytest.fixture
def eight_mails(django_capture_on_commit_callbacks):
    return [queue(f"m{i}@example.org", callbacks=django_capture_on_commit_callbacks).pk for i in range(8)]


def test_a_chunk_of_mails_goes_over_one_smtp_connection(eight_mails, smtp_server):
    statuses = services.outgoing_mails_deliver(mail_ids=eight_mails)
    assert statuses == dict.fromkeys(eight_mails, MailStatus.SENT)
    messages = smtp_server.wait_for(len(eight_mails))
    assert len({message["peer"] for message in messages}) == 1
    assert sorted(int(m["message"]["X-Portal-Mail-Id"]) for m in messages) == eight_mails
    # Delivered again (a redelivered task): nothing is sent twice.
    assert services.outgoing_mails_deliver(mail_ids=eight_mails) == dict.fromkeys(
        eight_mails, MailStatus.SENT
    )
    assert len(smtp_server.messages) == len(eight_mails)


def test_a_deferred_mail_in_a_chunk_is_retried_alone(eight_mails, scripted_smtp):
    server = scripted_smtp(replies=["", "451 Local error in processing"])  # the second one is deferred
    deferred = eight_mails[1]
    statuses = services.outgoing_mails_deliver(mail_ids=eight_mails)
    assert statuses[deferred] == MailStatus.AWAITING_RETRY  # handed to its own retry task (eager here)
    messages = server.wait_for(len(eight_mails))
    assert sorted(int(m["message"]["X-Portal-Mail-Id"]) for m in messages) == eight_mails  # each once
    attempts = dict(OutgoingMail.objects.values_list("pk", "attempts"))
    assert attempts.pop(deferred) == 2 and set(attempts.values()) == {1}
    assert set(OutgoingMail.objects.values_list("status", flat=True)) == {MailStatus.SENT}


def test_a_refused_mail_in_a_chunk_fails_alone(eight_mails, scripted_smtp):
    server = scripted_smtp(replies=["", "550 5.1.1 Mailbox unavailable"])
    refused = eight_mails[1]
    statuses = services.outgoing_mails_deliver(mail_ids=eight_mails)
    assert statuses.pop(refused) == MailStatus.FAILED
    assert set(statuses.values()) == {MailStatus.SENT}
    assert len(server.wait_for(len(eight_mails) - 1)) == len(eight_mails) - 1
    mail = OutgoingMail.objects.get(pk=refused)
    assert (mail.status, mail.attempts) == (MailStatus.FAILED, 1) and "550" in mail.last_error


def test_an_illegal_move_is_refused_through_the_services_and_nothing_changes(
    django_capture_on_commit_callbacks, smtp_server
):
    """A failed mail is settled: delivering it again (a task run late) must not claim nor send
    it, and the sweeper must not take it back as if it were in flight."""
    mail = queue(callbacks=django_capture_on_commit_callbacks)
    old = timezone.now() - dt.timedelta(days=1)
    OutgoingMail.objects.filter(pk=mail.pk).update(
        status=MailStatus.FAILED, attempts=8, last_error="550 gone", claimed_at=old, queued_at=old
    )
    before = OutgoingMail.objects.values().get(pk=mail.pk)
    assert services.outgoing_mail_deliver(mail_id=mail.pk) == MailStatus.FAILED
    with django_capture_on_commit_callbacks(execute=True):
        services.outbox_sweep()
    assert OutgoingMail.objects.values().get(pk=mail.pk) == before
    assert smtp_server.messages == []


def test_a_retry_is_not_claimed_before_its_time(django_capture_on_commit_callbacks, smtp_server):
    """A chunk delivered again early (a worker killed mid-chunk, acks_late) used to claim a mail
    awaiting retry at once, whatever its retry_at."""
    due, later = (queue(callbacks=django_capture_on_commit_callbacks) for _ in range(2))
    now = timezone.now()
    OutgoingMail.objects.filter(pk=due.pk).update(
        status=MailStatus.AWAITING_RETRY, retry_at=now - dt.timedelta(seconds=1), attempts=1
    )
    OutgoingMail.objects.filter(pk=later.pk).update(
        status=MailStatus.AWAITING_RETRY, retry_at=now + dt.timedelta(minutes=5), attempts=1
    )
    statuses = services.outgoing_mails_deliver(mail_ids=[due.pk, later.pk])
    assert statuses == {due.pk: MailStatus.SENT, later.pk: MailStatus.AWAITING_RETRY}
    assert [m["to"] for m in smtp_server.wait_for(1)] == [["a@example.org"]]
    later.refresh_from_db()
    assert (later.status, later.attempts, later.claim_token) == (MailStatus.AWAITING_RETRY, 1, None)

    # Its time come, its retry task sends it.
    OutgoingMail.objects.filter(pk=later.pk).update(retry_at=timezone.now())
    assert services.outgoing_mail_deliver(mail_id=later.pk) == MailStatus.SENT


def test_settings_keep_their_former_letters_names_for_one_release(settings):
    for name in (
        "OUTBOX_IN_FLIGHT_TIMEOUT",
        "OUTBOX_SWEEP_AFTER",
        "OUTBOX_MAX_ATTEMPTS",
        "OUTBOX_CHUNK_SIZE",
    ):
        if hasattr(settings, name):
            delattr(settings, name)
    settings.LETTERS_IN_FLIGHT_TIMEOUT = 1200
    settings.LETTERS_SWEEP_AFTER = 90
    settings.LETTERS_MAX_ATTEMPTS = 3
    settings.LETTERS_RETRY_BASE_SECONDS = 10
    settings.LETTERS_CHUNK_SIZE = 5
    if hasattr(settings, "OUTBOX_RETRY_BASE_SECONDS"):
        del settings.OUTBOX_RETRY_BASE_SECONDS
    assert services.in_flight_timeout() == dt.timedelta(seconds=1200)
    assert services.sweep_after() == dt.timedelta(seconds=90)
    assert (services.max_attempts(), services.retry_countdown(1), services.chunk_size()) == (3, 10, 5)
    # The new name wins where both are set.
    settings.OUTBOX_MAX_ATTEMPTS = 4
    assert services.max_attempts() == 4


def test_a_sent_mail_is_never_claimed_again(django_capture_on_commit_callbacks):
    mail = queue(callbacks=django_capture_on_commit_callbacks)
    OutgoingMail.objects.filter(pk=mail.pk).update(status=MailStatus.SENT, sent_at=timezone.now())
    assert services.mail_transition(action="claim", where=Q(pk=mail.pk)) == 0


def test_a_mail_the_broker_keeps_losing_keeps_ageing_in_the_backlog(
    django_capture_on_commit_callbacks, settings
):
    """The sweeper queues its task again every OUTBOX_SWEEP_AFTER, but the backlog's age (what
    readiness and the operators' alert read) still counts from when the mail was queued: a mail
    no worker ever takes is reported, not made to look fresh every ten minutes."""
    from operations.selectors import backlog

    settings.OUTBOX_SWEEP_AFTER = 600
    mail = queue(callbacks=django_capture_on_commit_callbacks)
    queued_at = timezone.now() - dt.timedelta(minutes=30)
    OutgoingMail.objects.filter(pk=mail.pk).update(queued_at=queued_at)
    with django_capture_on_commit_callbacks(execute=False):
        assert services.outbox_sweep()["mails queued"] == 1
        # Swept just now: not again before OUTBOX_SWEEP_AFTER has passed since.
        assert services.outbox_sweep()["mails queued"] == 0
    mail.refresh_from_db()
    assert mail.queued_at == queued_at and mail.swept_at is not None
    assert backlog().oldest_age_seconds(timezone.now()) >= 30 * 60
