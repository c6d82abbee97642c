"""Logs in production are JSON lines with the request id and the account's number, and no
personal data: a visa request run through (the delegate asks, staff approve, the letter is
rendered and mailed) leaves neither the passport number nor an e-mail address in any line."""

import io
import json
import logging
import logging.config

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.urls import reverse

from operations.logs import PersonalDataFilter, RequestContextFilter, scrub_sentry_event
from participants.enums import RegistrationStatus
from participants.models import VisaRequest
from tests.factories import StaffFactory, country
from tests.participants.factories import RegistrationFactory

pytestmark = pytest.mark.django_db
PASSPORT = "ZN4455667"


@pytest.fixture
def json_log():
    """The production console handler (settings.LOGGING's json formatter and filters) writing to
    a buffer, on the root logger at DEBUG, with every SQL statement logged as DEBUG would."""
    buffer = io.StringIO()
    config = django_settings.LOGGING["formatters"]["json"]
    from pythonjsonlogger.json import JsonFormatter

    handler = logging.StreamHandler(buffer)
    handler.setFormatter(JsonFormatter(config["format"], rename_fields=config["rename_fields"]))
    handler.addFilter(RequestContextFilter())
    handler.addFilter(PersonalDataFilter())
    root = logging.getLogger()
    saved_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    connection.force_debug_cursor = True
    yield buffer
    connection.force_debug_cursor = False
    root.removeHandler(handler)
    root.setLevel(saved_level)


def test_a_visa_request_run_through_logs_no_passport_number_or_email(
    client, json_log, mailoutbox, django_capture_on_commit_callbacks
):
    registration = RegistrationFactory(status=RegistrationStatus.ACCREDITED)
    client.force_login(registration.user)
    response = client.post(
        reverse("participants:visa", args=[registration.pk]),
        {"passport_number": PASSPORT, "passport_country": country("ZMB").pk, "passport_issued": "2016-01-01",
         "passport_expires": "2025-01-01", "embassy": "Embassy of Switzerland"},
        HTTP_X_REQUEST_ID="visa-request-0001",
    )  # fmt: skip
    assert response.status_code == 302 and response["X-Request-ID"] == "visa-request-0001"
    officer = StaffFactory(roles=["Registration officer"])
    client.force_login(officer)
    visa = VisaRequest.objects.get(registration=registration)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("participants:visa_approve", args=[registration.meeting.code, visa.pk]))
    logging.getLogger("portal.test").warning("Could not reach %s", registration.user.email)
    assert [m.to for m in mailoutbox] == [[registration.user.email]]  # the letter went out

    lines = [json.loads(line) for line in json_log.getvalue().splitlines()]
    assert len(lines) > 20  # requests, factories, the letter's rendering and mail
    text = json_log.getvalue()
    assert PASSPORT not in text
    for email in (registration.user.email, officer.email):
        assert email not in text
    assert {"time", "level", "logger", "message", "request_id", "user_id"} <= set(lines[0])
    ours = [line for line in lines if line["request_id"] == "visa-request-0001"]
    assert ours and {line["user_id"] for line in ours} <= {registration.user.pk, None}
    assert registration.user.pk in {line["user_id"] for line in ours}
    assert lines[-1]["message"] == "Could not reach [removed]"


def test_sentry_events_lose_bodies_cookies_and_addresses():
    event = {
        "request": {"data": {"passport_number": PASSPORT}, "cookies": {"sessionid": "x"},
                    "headers": {"Cookie": "sessionid=x", "User-Agent": "UA"}},
        "user": {"id": 7, "email": "a@example.org", "ip_address": "10.0.0.1"},
        "exception": {"values": [{"value": "no mailbox for a@example.org"}]},
    }  # fmt: skip
    scrubbed = scrub_sentry_event(event, {})
    assert scrubbed["request"] == {"headers": {"User-Agent": "UA"}}
    assert scrubbed["user"] == {"id": 7}
    assert scrubbed["exception"]["values"][0]["value"] == "no mailbox for [removed]"
