"""Fixtures for the outbox's tests, reusable by other apps (tests/letters imports them): SMTP
servers that misbehave on purpose, and a real Celery worker process on the test database and
Redis."""

import asyncio
import os
import signal
import subprocess
import sys
import threading
import time
from email import message_from_bytes, policy
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller

from tests.conftest import SmtpServer, _Sink, free_port

ROOT = Path(__file__).resolve().parents[2]


class ScriptedSink(_Sink):
    """Answers the DATA of successive messages with the codes in `replies` (e.g. ["421 …",
    "451 …"]), then accepts. `rcpt_reply` refuses every recipient (e.g. "550 …")."""

    def __init__(self, replies=(), rcpt_reply=None):
        super().__init__()
        self.replies = list(replies)
        self.rcpt_reply = rcpt_reply
        self.refused = 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.rcpt_reply:
            self.refused += 1
            return self.rcpt_reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        with self._lock:
            reply = self.replies.pop(0) if self.replies else None
            if reply:
                self.refused += 1
        if reply:
            return reply
        return await super().handle_DATA(server, session, envelope)


class HoldingSink(_Sink):
    """Accepts `accept_first` messages, then holds every further DATA without answering until
    `release()`. A message whose client went away while held is not recorded: like a real
    MTA, the sink only takes responsibility for a message once it answered 250. Wait for
    `gone` before `release()`, so the sink has seen the disconnections."""

    def __init__(self, accept_first):
        super().__init__()
        self.accept_first = accept_first
        self.holding = True
        self.held = 0
        self.gone = 0  # held messages whose client disconnected before any answer

    async def handle_DATA(self, server, session, envelope):
        with self._lock:
            hold = self.holding and len(self.messages) + self.held >= self.accept_first
            if hold:
                self.held += 1
        if hold:
            try:
                while self.holding:
                    if server.transport is None or server.transport.is_closing():
                        self._client_gone()
                        return "451 client gone"
                    await asyncio.sleep(0.02)
            except asyncio.CancelledError:  # aiosmtpd cancels the session when the client is lost
                self._client_gone()
                raise
        message = message_from_bytes(envelope.original_content, policy=policy.default)
        with self._lock:
            self.messages.append(
                {"from": envelope.mail_from, "to": list(envelope.rcpt_tos), "message": message}
            )
        return "250 Message accepted for delivery"

    def _client_gone(self):
        with self._lock:
            self.gone += 1

    def release(self):
        self.holding = False


def _start_smtp(settings, sink):
    controller = Controller(sink, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = controller.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    return controller


@pytest.fixture(autouse=True)
def _private_media_root(settings, tmp_path):
    """Attachments are read from a fresh private directory per test."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def mail_templates(settings):
    """A test-only mail template trio, `outbox_test/hello`."""
    settings.TEMPLATES = [
        {
            **settings.TEMPLATES[0],
            "DIRS": [*settings.TEMPLATES[0]["DIRS"], Path(__file__).parent / "templates"],
        },
        *settings.TEMPLATES[1:],
    ]


@pytest.fixture
def scripted_smtp(settings):
    """Factory: scripted_smtp(replies=["421 …"], rcpt_reply=None) → a started SmtpServer.

    A retry is due at once (no backoff): eager Celery runs the retry task at once, and a mail
    awaiting retry is claimed only once its retry_at has come."""
    settings.OUTBOX_RETRY_BASE_SECONDS = 0
    controllers = []

    def start(replies=(), rcpt_reply=None):
        sink = ScriptedSink(replies, rcpt_reply)
        controller = _start_smtp(settings, sink)
        controllers.append(controller)
        return SmtpServer(controller, sink)

    yield start
    for controller in controllers:
        controller.stop()


@pytest.fixture
def holding_smtp(settings):
    """Factory: holding_smtp(accept_first=5) → (SmtpServer, HoldingSink)."""
    controllers = []

    def start(accept_first):
        sink = HoldingSink(accept_first)
        controller = _start_smtp(settings, sink)
        controllers.append(controller)
        return SmtpServer(controller, sink), sink

    yield start
    for controller in controllers:
        controller.stop()


def database_url(settings) -> str:
    """The URL of pytest-django's test database (test_…), for processes started by a test."""
    db = settings.DATABASES["default"]
    auth = db.get("USER") or "postgres"
    if db.get("PASSWORD"):
        auth += f":{db['PASSWORD']}"
    return f"postgres://{auth}@{db.get('HOST') or '127.0.0.1'}:{db.get('PORT') or 5432}/{db['NAME']}"


class WorkerProcess:
    def __init__(self, process):
        self.process = process
        self.output = []
        self._ready = threading.Event()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for line in self.process.stdout:
            self.output.append(line)
            if " ready." in line:
                self._ready.set()

    def wait_ready(self, timeout=60):
        if not self._ready.wait(timeout):
            self.stop()
            raise AssertionError("Celery worker did not start:\n" + "".join(self.output[-40:]))

    def kill(self):
        """SIGKILL the main process and its pool children at once: nothing gets to clean up."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self):
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)


def _redis_url():
    return os.environ.get("CELERY_BROKER_URL") or os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0"


@pytest.fixture
def celery_app_on_broker():
    """This test process publishes to the real Redis broker instead of running tasks eagerly.
    The Redis database is emptied before and after, so no task leaks between tests."""
    import redis

    from minamata_portal.celery import app

    client = redis.Redis.from_url(_redis_url())
    client.flushdb()
    eager = app.conf.task_always_eager
    app.conf.task_always_eager = False
    yield app
    app.conf.task_always_eager = eager
    client.flushdb()


def _reset_publisher(app):
    """Forget the cached broker connection and producer pool, so the next publish connects to
    whatever `broker_url` now says (as Celery itself does after a fork)."""
    app._pool = None
    app.__dict__["amqp"]._producer_pool = None


@pytest.fixture
def broker_down(celery_app_on_broker):
    """Inside `with broker_down():` the broker is a closed port, as if Redis were down."""
    from contextlib import contextmanager

    app = celery_app_on_broker

    @contextmanager
    def down():
        saved = (app.conf.broker_url, app.conf.task_publish_retry)
        app.conf.broker_url, app.conf.task_publish_retry = "redis://127.0.0.1:1/0", False
        _reset_publisher(app)
        try:
            yield
        finally:
            app.conf.broker_url, app.conf.task_publish_retry = saved
            _reset_publisher(app)

    return down


@pytest.fixture
def reference_data_loaded(transactional_db):
    """Transactional tests empty every table when they end; the next one reloads the real
    reference data here if it is gone."""
    from django.core.management import call_command

    from reference.models import Country

    if not Country.objects.exists():
        call_command("load_reference_data", verbosity=0)


@pytest.fixture
def celery_worker_process(settings, celery_app_on_broker, reference_data_loaded):
    """Factory: start a real `celery -A minamata_portal worker` (prefork) on the test database,
    Redis and the test's SMTP server. Use with @pytest.mark.django_db(transaction=True)."""
    workers = []

    def start(*, concurrency=2, extra_env=None):
        env = {
            **os.environ,
            "PORTAL_ENV_FILE": "/nonexistent",
            "SECRET_KEY": os.environ.get("SECRET_KEY", "test-only-not-secret"),
            "DATABASE_URL": database_url(settings),
            "CELERY_BROKER_URL": _redis_url(),
            "CELERY_TASK_ALWAYS_EAGER": "false",
            "EMAIL_URL": f"smtp://{settings.EMAIL_HOST}:{settings.EMAIL_PORT}",
            "MEDIA_ROOT": str(settings.MEDIA_ROOT),
            "SITE_URL": settings.SITE_URL,
            **(extra_env or {}),
        }
        process = subprocess.Popen(
            [
                sys.executable, "-m", "celery", "-A", "minamata_portal", "worker", "-P", "prefork",
                f"--concurrency={concurrency}", "--without-gossip", "--without-mingle",
                "--without-heartbeat", "-l", "INFO", "-n", f"outbox-test-{len(workers)}@%h",
            ],
            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
            start_new_session=True,
        )  # fmt: skip
        worker = WorkerProcess(process)
        workers.append(worker)
        worker.wait_ready()
        return worker

    yield start
    for worker in workers:
        worker.stop()


def wait_until(predicate, timeout=60, interval=0.1, message="condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(interval)
    raise AssertionError(f"timed out waiting for {message}")
