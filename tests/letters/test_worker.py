"""A real Celery worker process (prefork, concurrency 2) on the test database and Redis, a real
SMTP server: letters arrive exactly once, also when the worker is SIGKILLed mid-batch."""

import datetime as dt
from collections import Counter

import pytest

from letters.models import Letter
from letters.services.rendering import letters_sweep
from letters.tasks import letter_render
from meetings.letters import letter_batch_invite_parties
from outbox.enums import MailStatus
from outbox.models import OutgoingMail
from outbox.selectors import mails_in_flight_count
from outbox.services import outbox_sweep
from outbox.tasks import outgoing_mail_send
from tests.factories import MeetingFactory
from tests.outbox.conftest import wait_until

from .factories import party_focal_points

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

PARTIES = ["ZMB", "PER", "FRA", "SEN", "MEX", "ECU", "BOL", "BEN", "TGO", "MLI", "JPN", "DEU"]


@pytest.fixture
def cop2(reference_data_loaded):
    return MeetingFactory(
        code="cop-2", number=2, start_date=dt.date(2018, 11, 19), end_date=dt.date(2018, 11, 23),
        symbol_prefix="UNEP/MC/COP.2",
    )  # fmt: skip


def arrivals(server) -> Counter:
    """How many times each letter's mail reached the SMTP server, by the portal's mail id."""
    return Counter(int(m["message"]["X-Portal-Mail-Id"]) for m in server.messages)


def test_worker_sends_each_letter_exactly_once_even_when_asked_twice(
    cop2, smtp_server, celery_worker_process
):
    party_focal_points(PARTIES)
    batch = letter_batch_invite_parties(meeting=cop2)  # committed: tasks go to Redis
    assert letter_batch_invite_parties(meeting=cop2) is None  # the admin clicks twice
    letter_ids = list(batch.letters.values_list("pk", flat=True))
    for pk in letter_ids:  # and every render task is delivered twice
        letter_render.delay(pk)
    celery_worker_process(concurrency=2)
    smtp_server.wait_for(len(PARTIES), timeout=60)
    wait_until(
        lambda: Letter.objects.filter(mail__status=MailStatus.SENT).count() == len(PARTIES),
        message="all sent",
    )
    for mail_id in OutgoingMail.objects.values_list("pk", flat=True):  # and every send task, too
        outgoing_mail_send.delay(mail_id)
    wait_until(lambda: mails_in_flight_count() == 0, message="mails settled")
    import time

    time.sleep(1)  # give any (wrong) duplicate the time to arrive
    counts = arrivals(smtp_server)
    assert set(counts.values()) == {1}
    assert sorted(counts) == sorted(OutgoingMail.objects.values_list("pk", flat=True))
    assert sorted(m["to"][0] for m in smtp_server.messages) == sorted(
        batch.letters.values_list("recipient_email", flat=True)
    )


def test_worker_killed_mid_batch_then_restarted_delivers_every_letter_exactly_once(
    cop2, holding_smtp, celery_worker_process, settings
):
    server, sink = holding_smtp(accept_first=4)
    party_focal_points(PARTIES)
    letter_batch_invite_parties(meeting=cop2)
    worker = celery_worker_process(concurrency=2)

    # Four letters are delivered; then both pool processes are inside an SMTP DATA exchange the
    # server has not answered yet. That is when the whole worker dies.
    wait_until(lambda: len(sink.messages) == 4 and sink.held == 2, timeout=60, message="two sends in flight")
    worker.kill()
    wait_until(lambda: sink.gone == 2, timeout=10, message="the SMTP server to see both clients gone")
    sink.release()
    # In flight: the two held, and the rest of their chunks, claimed with them.
    assert OutgoingMail.objects.filter(status=MailStatus.SENDING).count() >= 2
    assert Letter.objects.filter(mail__status=MailStatus.SENT).count() == 4
    assert not OutgoingMail.objects.filter(status=MailStatus.FAILED).exists()

    # Restarted. Tasks the dead worker had reserved stay unacknowledged in Redis (until the
    # visibility timeout); the beat sweeper puts their rows back on the queue.
    settings.OUTBOX_IN_FLIGHT_TIMEOUT = 2
    settings.OUTBOX_SWEEP_AFTER = 2
    celery_worker_process(concurrency=2)

    def all_arrived():
        letters_sweep()
        outbox_sweep()
        return Letter.objects.filter(mail__status=MailStatus.SENT).count() == len(PARTIES)

    wait_until(all_arrived, timeout=90, interval=2.5, message="every letter sent after the restart")
    counts = arrivals(server)
    assert len(counts) == len(PARTIES)
    assert set(counts.values()) == {1}, counts
    assert OutgoingMail.objects.filter(status=MailStatus.SENT).count() == len(PARTIES)
