"""Shared fixtures: reference data, a real SMTP server on localhost, headless Chromium."""

import os
import shutil
import socket
import threading
import time
from email import message_from_bytes, policy

import pytest
from aiosmtpd.controller import Controller
from django.core.management import call_command


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Every test database holds the real reference data: tests check real facts."""
    with django_db_blocker.unblock():
        call_command("load_reference_data", verbosity=0)


class _Sink:
    def __init__(self):
        self.messages = []
        self._lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        message = message_from_bytes(envelope.original_content, policy=policy.default)
        with self._lock:
            self.messages.append(
                # `peer` (the client's address and port) tells one SMTP connection from another.
                {
                    "from": envelope.mail_from,
                    "to": list(envelope.rcpt_tos),
                    "message": message,
                    "peer": session.peer,
                }
            )
        return "250 Message accepted for delivery"


class SmtpServer:
    def __init__(self, controller, sink):
        self.controller, self.sink = controller, sink
        self.host, self.port = controller.hostname, controller.port

    @property
    def messages(self):
        return list(self.sink.messages)

    def wait_for(self, count=1, timeout=10):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if len(self.sink.messages) >= count:
                return self.messages
            time.sleep(0.05)
        raise AssertionError(f"expected {count} message(s), got {len(self.sink.messages)}")

    def clear(self):
        self.sink.messages.clear()


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server (aiosmtpd) on localhost; Django's SMTP backend sends to it."""
    sink = _Sink()
    controller = Controller(sink, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = controller.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    yield SmtpServer(controller, sink)
    controller.stop()


def _chromium_binary():
    for candidate in ("/usr/bin/chromium", "/usr/bin/chromium-browser", shutil.which("chromium") or ""):
        if candidate and os.path.exists(candidate):
            return candidate
    return None


@pytest.fixture
def browser(settings, tmp_path):
    """Debian's Chromium, headless, driven by Selenium through Debian's chromedriver."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    binary = _chromium_binary()
    if binary is None or not os.path.exists("/usr/bin/chromedriver"):
        pytest.fail("Chromium and chromedriver are required (make test installs them on Debian).")
    # The live server speaks plain HTTP.
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = False
    settings.SECURE_SSL_REDIRECT = False
    settings.ACCOUNT_DEFAULT_HTTP_PROTOCOL = "http"
    options = webdriver.ChromeOptions()
    options.binary_location = binary
    for flag in (
        "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
        "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--window-size=1280,900",
        f"--user-data-dir={tmp_path / 'chromium-profile'}", "--lang=en-GB",
    ):  # fmt: skip
        options.add_argument(flag)
    # The console (CSP violations among others), for `browser.get_log("browser")`.
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    driver.implicitly_wait(5)
    yield driver
    driver.quit()


@pytest.fixture(autouse=True)
def _reference_data_for_transactional_tests(request):
    """Transactional tests (live server, real worker) run last and each ends by emptying every
    table; the roles come back through post_migrate, the reference data is loaded here."""
    if {"transactional_db", "live_server"} & set(request.fixturenames) or (
        (marker := request.node.get_closest_marker("django_db")) and marker.kwargs.get("transaction")
    ):
        request.getfixturevalue("transactional_db")
        from reference.models import Country

        if not Country.objects.exists():
            call_command("load_reference_data", verbosity=0)


@pytest.fixture(autouse=True)
def _english_after_each_test():
    """A request through LocaleMiddleware leaves its language active in the thread; the next test
    would read French or Spanish messages."""
    yield
    from django.utils import translation

    translation.activate("en")


@pytest.fixture(autouse=True)
def _no_public_pages_of_earlier_tests():
    """Public pages cached by an earlier test (minamata_portal/publiccache.py) were rendered from
    rows its rollback removed without a signal."""
    from minamata_portal.publiccache import generation_move

    generation_move()


def pytest_terminal_summary(terminalreporter, config):
    """The access matrix's size and counts (tests/test_access_matrix.py), when it ran."""
    summary = getattr(config, "access_matrix_summary", None)
    if summary:
        terminalreporter.write_line(summary)
