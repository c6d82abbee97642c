"""With SENTRY_DSN set, an error logged by the portal reaches Sentry (here: a local HTTP server
standing in for it) with no e-mail address and no request body or cookies."""

import gzip
import os
import subprocess
import sys
import threading
import zlib
from http.server import BaseHTTPRequestHandler, HTTPServer

from tests.conftest import free_port

from .conftest import ROOT


class _Sentry(BaseHTTPRequestHandler):
    received: list = []

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        encoding = self.headers.get("Content-Encoding", "")
        if encoding == "gzip":
            body = gzip.decompress(body)
        elif encoding == "deflate":
            body = zlib.decompress(body)
        elif encoding == "br":
            import brotli

            body = brotli.decompress(body)
        self.received.append(body.decode("utf-8", "replace"))
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *args):
        pass


def test_an_error_reaches_sentry_without_the_email_address_or_local_variables():
    port = free_port()
    server = HTTPServer(("127.0.0.1", port), _Sentry)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    # The failing frame holds a passport number and a name in its locals: no local variable
    # reaches Sentry (include_local_variables off), whatever the scrubber would recognise. The
    # values come from the environment, not from sys.argv (which Sentry's logging event carries).
    code = (
        "import logging, os\n"
        "def visa_letter(passport_number, full_name):\n"
        "    holder = f'{full_name} {passport_number}'\n"
        "    raise ValueError('no mailbox for delegate@example.org')\n"
        "try:\n"
        "    visa_letter(os.environ['TEST_PASSPORT'], os.environ['TEST_NAME'])\n"
        "except ValueError:\n"
        "    logging.getLogger('portal.test').exception('Sending to delegate@example.org failed')\n"
        "    import sentry_sdk\n"
        "    sentry_sdk.capture_exception()\n"  # an unhandled error's event: its frames
    )
    env = {**os.environ, "PORTAL_ENV_FILE": "/nonexistent", "SECRET_KEY": "x", "DATABASE_URL": "sqlite://",
           "SENTRY_DSN": f"http://publickey@127.0.0.1:{port}/1",
           "TEST_PASSPORT": "ZX9081726", "TEST_NAME": "Aurelia Quintanilla-Obeng"}  # fmt: skip
    done = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code], cwd=ROOT, env=env, capture_output=True, text=True,
        timeout=60, check=False,
    )  # fmt: skip
    server.shutdown()
    assert done.returncode == 0, done.stderr
    events = [body for body in _Sentry.received if '"type":"event"' in body.replace(" ", "")]
    assert events, _Sentry.received
    assert "Sending to [removed] failed" in events[0]
    assert "no mailbox for [removed]" in events[0]
    assert "delegate@example.org" not in "".join(_Sentry.received)
    assert len(events) == 2 and '"stacktrace"' in events[1], events
    assert '"vars"' not in "".join(events).replace(" ", "")
    for local in ("ZX9081726", "Aurelia", "Quintanilla"):
        assert local not in "".join(_Sentry.received), local
