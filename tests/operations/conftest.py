"""Fixtures for running the portal as production does: real processes (gunicorn web processes,
a Celery worker and beat) on the test database and Redis, and an S3-compatible server (moto's
standalone server, installed from PyPI) on a free local port."""

import os
import signal
import subprocess
import sys
import threading
import time
import urllib.request

import pytest

from tests.conftest import free_port
from tests.outbox.conftest import (  # noqa: F401 (fixtures)
    ROOT,
    _redis_url,
    celery_app_on_broker,
    celery_worker_process,
    database_url,
    reference_data_loaded,
)


@pytest.fixture(autouse=True)
def _operations_media_root(settings, tmp_path):
    """Private files go to a fresh directory per test (or to the test's bucket)."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _fresh_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


class Process:
    """A child process in its own session, its output kept (for messages when it fails)."""

    def __init__(self, command, env, ready=None):
        self.command = command
        self.output = []
        self.process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
            start_new_session=True,
        )  # fmt: skip
        self._ready_text = ready
        self._ready = threading.Event()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for line in self.process.stdout:
            self.output.append(line)
            if self._ready_text and self._ready_text in line:
                self._ready.set()

    def wait_for_text(self, timeout=60):
        if not self._ready.wait(timeout):
            self.stop()
            raise AssertionError(f"{self.command[:3]} did not start:\n" + "".join(self.output[-40:]))

    def stop(self):
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)

    @property
    def text(self):
        return "".join(self.output)


def wait_for_http(url, timeout=60, process=None):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2)  # noqa: S310 (a local test server)
            return
        except urllib.error.HTTPError:
            return  # it answers
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"{url} did not answer:\n" + (process.text[-4000:] if process else ""))


def portal_env(settings, **extra):
    """The environment of a portal process on the test's database and Redis."""
    return {
        **os.environ,
        "PORTAL_ENV_FILE": "/nonexistent",
        "SECRET_KEY": os.environ.get("SECRET_KEY", "test-only-not-secret"),
        "DATABASE_URL": database_url(settings),
        "CELERY_BROKER_URL": _redis_url(),
        "REDIS_URL": _redis_url(),
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "SITE_URL": settings.SITE_URL,
        "DEBUG": "false",
        "SECURE_SSL_REDIRECT": "false",
        **{key: str(value) for key, value in extra.items()},
    }


@pytest.fixture
def moto_s3(settings):
    """moto's standalone S3 server on a free port with an empty bucket; the test's settings store
    private files there (as S3_BUCKET=... would). Yields the environment for other processes."""
    import boto3

    port = free_port()
    server = Process(
        [os.path.join(os.path.dirname(sys.executable), "moto_server"), "-H", "127.0.0.1", "-p", str(port)],
        os.environ,
    )
    endpoint = f"http://127.0.0.1:{port}"
    wait_for_http(endpoint, process=server)
    env = {
        "S3_BUCKET": "portal-private",
        "S3_ENDPOINT_URL": endpoint,
        "S3_ACCESS_KEY_ID": "testing",
        "S3_SECRET_ACCESS_KEY": "testing",
        "S3_REGION": "us-east-1",
    }
    client = boto3.client(
        "s3", endpoint_url=endpoint, aws_access_key_id="testing", aws_secret_access_key="testing",
        region_name="us-east-1",
    )  # fmt: skip
    client.create_bucket(Bucket=env["S3_BUCKET"])
    options = {
        "bucket_name": env["S3_BUCKET"], "endpoint_url": endpoint, "access_key": "testing",
        "secret_key": "testing", "region_name": "us-east-1", "default_acl": None,
        "addressing_style": "path", "signature_version": "s3v4",
    }  # fmt: skip
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {**options, "file_overwrite": False},
        },
        "letters": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {**options, "file_overwrite": True},
        },
    }
    yield {"env": env, "client": client, "bucket": env["S3_BUCKET"], "endpoint": endpoint}
    server.stop()


@pytest.fixture
def web_process(settings, reference_data_loaded):  # noqa: F811
    """Factory: web_process(**env) → base URL of a real gunicorn serving the portal."""
    started = []

    def start(**extra):
        port = free_port()
        process = Process(
            [sys.executable, "-m", "gunicorn", "minamata_portal.wsgi", "--bind", f"127.0.0.1:{port}",
             "--workers", "1", "--access-logfile", "-"],
            portal_env(settings, **extra),
        )  # fmt: skip
        started.append(process)
        url = f"http://127.0.0.1:{port}"
        wait_for_http(url + "/healthz", process=process)
        process.url = url
        return process

    yield start
    for process in started:
        process.stop()


@pytest.fixture
def beat_process(settings, celery_app_on_broker, tmp_path):  # noqa: F811
    """Factory: a real `celery beat` with the portal's scheduler (it writes the heartbeat)."""
    started = []

    def start(**extra):
        process = Process(
            [sys.executable, "-m", "celery", "-A", "minamata_portal", "beat", "-l", "INFO",
             f"--schedule={tmp_path / 'celerybeat-schedule'}"],
            portal_env(settings, **extra),
            ready="beat: Starting",
        )  # fmt: skip
        started.append(process)
        process.wait_for_text()
        return process

    yield start
    for process in started:
        process.stop()
