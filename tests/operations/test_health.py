"""/healthz and /readyz on the real stack: a Celery worker process, a beat process and Redis.
Each readiness check is broken for real (the worker stopped, beat stopped, Redis a dead port, the
backlog aged or grown) and /readyz answers 503 naming it. Anyone gets each check's state and
timing (from a report cached a few seconds); staff holding the status page's rule get it fresh
with the messages and details."""

import datetime as dt
import time

import pytest
from django.urls import reverse
from django.utils import timezone

from operations.health import BEAT_HEARTBEAT_KEY, redis_client
from outbox.enums import MailStatus
from outbox.models import OutgoingMail
from tests.factories import StaffFactory
from tests.outbox.conftest import wait_until

DEAD_REDIS = "redis://127.0.0.1:1/0"


@pytest.fixture
def staff(client):
    """A client signed in as the secretariat administrator (holds the status page's rule)."""
    client.force_login(StaffFactory(roles=["Secretariat administrator"]))
    return client


def _mail(**fields):
    return OutgoingMail.objects.create(to="someone@example.org", subject="s", body_text="b", **fields)


@pytest.mark.django_db
def test_healthz_is_liveness_only_and_answers_json(client, settings):
    settings.CELERY_BROKER_URL = DEAD_REDIS  # nothing but the process is asked
    response = client.get(reverse("healthz"))
    assert (response.status_code, response.json()) == (200, {"status": "ok"})


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_readyz_ready_with_worker_and_beat_then_503_naming_each_when_stopped(
    staff, settings, smtp_server, celery_worker_process, beat_process
):
    client = staff
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.OPERATIONS_BEAT_MAX_AGE = 60  # beat ticks at least every 30 s
    redis_client().delete(BEAT_HEARTBEAT_KEY)
    response = client.get(reverse("readyz"))
    assert response.status_code == 503
    assert response.json()["failing"] == ["worker", "beat"]

    worker = celery_worker_process(concurrency=1)
    beat = beat_process()
    wait_until(lambda: redis_client().get(BEAT_HEARTBEAT_KEY), timeout=30, message="beat's heartbeat")
    response = client.get(reverse("readyz"))
    report = response.json()
    assert response.status_code == 200, report
    assert (report["status"], report["failing"]) == ("ready", [])
    assert {name: check["state"] for name, check in report["checks"].items()} == {
        "database": "ok", "redis": "ok", "worker": "ok", "beat": "ok", "outbox": "ok",
    }  # fmt: skip
    assert report["checks"]["worker"]["answered"][0].startswith("outbox-test-0@")
    assert all(check["ms"] >= 0 for check in report["checks"].values())

    worker.stop()
    response = client.get(reverse("readyz"))
    assert response.status_code == 503
    assert response.json()["failing"] == ["worker"]
    assert response.json()["checks"]["worker"]["message"] == "No worker answered a ping."

    beat.stop()
    settings.OPERATIONS_BEAT_MAX_AGE = 2
    time.sleep(2.5)  # no tick since: the last heartbeat is now too old
    response = client.get(reverse("readyz"))
    assert response.status_code == 503
    assert response.json()["failing"] == ["worker", "beat"]
    assert response.json()["checks"]["beat"]["message"] == "Beat's last heartbeat is too old."


@pytest.mark.django_db
def test_readyz_503_naming_redis_when_redis_is_down(staff, settings):
    client = staff
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = DEAD_REDIS
    started = time.monotonic()
    response = client.get(reverse("readyz"))
    assert time.monotonic() - started < 10  # the checks that need Redis do not wait for it
    report = response.json()
    assert response.status_code == 503
    assert report["failing"] == ["redis", "worker", "beat"]
    assert report["checks"]["redis"]["message"].startswith("ConnectionError")
    assert report["checks"]["database"]["state"] == report["checks"]["outbox"]["state"] == "ok"


@pytest.mark.django_db
def test_readyz_503_naming_the_outbox_when_its_oldest_item_ages_past_the_threshold(staff, settings):
    client = staff
    settings.OPERATIONS_BACKLOG_MAX_AGE = 600
    mail = _mail(status=MailStatus.QUEUED)
    assert client.get(reverse("readyz")).status_code == 200  # eager demo: worker and beat skipped
    OutgoingMail.objects.filter(pk=mail.pk).update(created=timezone.now() - dt.timedelta(seconds=601))
    response = client.get(reverse("readyz"))
    assert response.status_code == 503
    report = response.json()
    assert report["failing"] == ["outbox"]
    assert report["checks"]["outbox"]["message"] == "The oldest waiting item is too old."
    assert report["checks"]["outbox"]["oldest_age_seconds"] >= 601
    # Once sent, it no longer counts.
    OutgoingMail.objects.filter(pk=mail.pk).update(status=MailStatus.SENT, sent_at=timezone.now())
    assert client.get(reverse("readyz")).status_code == 200


@pytest.mark.django_db
def test_readyz_503_naming_the_outbox_when_too_many_items_wait(staff, settings):
    client = staff
    settings.OPERATIONS_BACKLOG_MAX = 2
    for _ in range(2):
        _mail(status=MailStatus.QUEUED)
    assert client.get(reverse("readyz")).status_code == 200
    _mail(status=MailStatus.AWAITING_RETRY, retry_at=timezone.now())
    response = client.get(reverse("readyz"))
    assert response.status_code == 503
    assert response.json()["checks"]["outbox"] | {"ms": 0, "oldest_age_seconds": 0} == {
        "state": "failing", "message": "Too many mails and letters are waiting.", "ms": 0,
        "mails": 3, "letters": 0, "max": 2, "oldest_age_seconds": 0, "max_age_seconds": 900,
    }  # fmt: skip


@pytest.mark.django_db
def test_readyz_in_the_eager_demo_skips_worker_and_beat(staff, settings):
    client = staff
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.CELERY_BROKER_URL = ""
    report = client.get(reverse("readyz")).json()
    assert {name: check["state"] for name, check in report["checks"].items()} == {
        "database": "ok", "redis": "skipped", "worker": "skipped", "beat": "skipped", "outbox": "ok",
    }  # fmt: skip


@pytest.mark.django_db
def test_readiness_command_exits_1_naming_the_failing_check(settings, capsys):
    from django.core.management import call_command

    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = DEAD_REDIS
    with pytest.raises(SystemExit) as exited:
        call_command("readiness", "redis")
    assert exited.value.code == 1
    assert '"failing": ["redis"]' in capsys.readouterr().out


@pytest.mark.django_db
def test_readyz_tells_anyone_without_the_rule_only_each_checks_state_and_timing(client, settings, staff):
    """Redis's exception names its address; a worker's reply names its host: neither reaches a
    caller without the status page's rule (anonymous, or staff of another role)."""
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = DEAD_REDIS
    settings.OPERATIONS_READYZ_CACHE_SECONDS = 0
    staff_report = staff.get(reverse("readyz")).json()
    assert "127.0.0.1:1" in staff_report["checks"]["redis"]["message"]  # staff keep the details
    assert staff_report["checks"]["outbox"]["max"] == 500
    staff.logout()
    officer = StaffFactory(roles=["Registration officer"])
    for who in (None, officer):
        if who:
            client.force_login(who)
        response = client.get(reverse("readyz"))
        assert response.status_code == 503
        report = response.json()
        assert report["failing"] == ["redis", "worker", "beat"]
        assert {name: sorted(check) for name, check in report["checks"].items()} == {
            name: ["ms", "state"] for name in ("database", "redis", "worker", "beat", "outbox")
        }
        assert report["checks"]["redis"]["state"] == "failing"
        body = response.content.decode()
        for internal in ("127.0.0.1", "ConnectionError", "Redis", "message", "answered", "mails"):
            assert internal not in body, internal


@pytest.mark.django_db
def test_readyz_for_anyone_is_computed_once_per_few_seconds_staff_get_it_fresh(client, settings):
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from operations.health import REPORT_CACHE_KEY

    settings.OPERATIONS_READYZ_CACHE_SECONDS = 5
    settings.OPERATIONS_BACKLOG_MAX = 2
    assert client.get(reverse("readyz")).status_code == 200
    for _ in range(3):
        _mail(status=MailStatus.QUEUED)
    # A flood of anonymous hits runs no check (no query of the outbox, no worker ping) for a few
    # seconds: the report computed by the first is answered.
    with CaptureQueriesContext(connection) as queries:
        for _ in range(20):
            assert client.get(reverse("readyz")).status_code == 200
    asked = " ".join(query["sql"] for query in queries.captured_queries)
    assert "outbox_outgoingmail" not in asked and "SELECT 1" not in asked
    assert cache.get(REPORT_CACHE_KEY) is not None
    admin = StaffFactory(roles=["Secretariat administrator"])
    client.force_login(admin)
    assert client.get(reverse("readyz")).status_code == 503  # staff see it at once
    client.logout()
    cache.delete(REPORT_CACHE_KEY)  # the few seconds are over
    assert client.get(reverse("readyz")).status_code == 503


@pytest.mark.django_db
def test_readyz_outbox_age_counts_from_the_retry_not_from_the_creation(staff, settings):
    """Staff retry a month-old failed mail and a month-old letter that could not be rendered: the
    portal stays ready (the age starts again at the retry), and turns unready only if the retried
    items then wait past the threshold themselves."""
    from letters.enums import LetterKind, LetterStatus
    from letters.models import Letter
    from letters.services.issuing import LetterSpec, letters_request
    from outbox.services import mail_retry
    from tests.factories import MeetingFactory

    settings.OPERATIONS_BACKLOG_MAX_AGE = 600
    settings.CELERY_TASK_ALWAYS_EAGER = False  # the retried items stay queued (no worker here)
    settings.CELERY_BROKER_URL = ""
    month_ago = timezone.now() - dt.timedelta(days=30)
    mail = _mail(status=MailStatus.FAILED, last_error="550", trigger_key="test:old")
    (letter,) = letters_request(
        meeting=MeetingFactory(), kind=LetterKind.INVITATION,
        specs=[LetterSpec(trigger_key="test-letter:old", recipient_name="P", recipient_email="p@example.org")],
    )  # fmt: skip
    Letter.objects.filter(pk=letter.pk).update(
        status=LetterStatus.FAILED, created=month_ago, enqueued_at=month_ago, last_error="no font"
    )
    OutgoingMail.objects.filter(pk=mail.pk).update(created=month_ago, queued_at=month_ago)
    assert mail_retry(mail_id=mail.pk)
    from operations.services.retry import failed_letter_retry

    failed_letter_retry(letter_id=letter.pk, by=None)
    assert Letter.objects.get(pk=letter.pk).status == LetterStatus.QUEUED
    report = staff.get(reverse("readyz")).json()
    outbox = report["checks"]["outbox"]
    assert (outbox["state"], outbox["mails"], outbox["letters"]) == ("ok", 1, 1)
    assert outbox["oldest_age_seconds"] < 60
    # Still waiting 601 s after the retry: now it is a backlog.
    OutgoingMail.objects.filter(pk=mail.pk).update(queued_at=timezone.now() - dt.timedelta(seconds=601))
    outbox = staff.get(reverse("readyz")).json()["checks"]["outbox"]
    assert (outbox["state"], outbox["message"]) == ("failing", "The oldest waiting item is too old.")
