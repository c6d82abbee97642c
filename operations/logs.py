"""Logs a machine can read, that say whose request it was and never who the person is.

- `RequestIdMiddleware` gives every request an id (the proxy's X-Request-ID when it is a plain
  token, else a new one), answers it in X-Request-ID, and keeps the request at hand for the log
  filter.
- `RequestContextFilter` adds `request_id` and `user_id` (the account's number, never its e-mail)
  to every record logged while the request runs.
- `PersonalDataFilter` replaces e-mail addresses in the message and its traceback. Passport
  numbers cannot be recognised by their shape: no code logs them (they are encrypted at rest and
  never put in a message), SQL parameters are never logged (django.db.backends stays at INFO),
  and a test runs a visa request through and reads every log line.
- `scrub_sentry_event` does the same for events sent to Sentry (SENTRY_DSN), after sentry-sdk's own
  defaults (send_default_pii=False: no cookies, no user's address, no request body).

Loaded by settings (LOGGING, sentry_sdk.init): nothing here imports a model."""

import contextvars
import logging
import re
import uuid

from django.core.signals import request_finished
from django.utils.functional import empty

_request = contextvars.ContextVar("portal_request", default=None)
REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
EMAIL = re.compile(r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
REMOVED = "[removed]"


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        given = request.headers.get("X-Request-ID", "")
        request.request_id = given if REQUEST_ID.match(given) else uuid.uuid4().hex
        # Kept until the response is closed (request_finished): Django logs a 4xx or 5xx answer
        # after the middleware returned, and that line must carry the id too.
        _request.set(request)
        response = self.get_response(request)
        response["X-Request-ID"] = request.request_id
        return response


def _request_finished(**kwargs):
    _request.set(None)


request_finished.connect(_request_finished, dispatch_uid="operations-request-finished")


def current_user_id(request):
    """The signed-in account's number if the request already loaded its user (a log line never
    makes the session load it)."""
    user = getattr(request, "user", None)
    if user is None:
        return None
    wrapped = getattr(user, "_wrapped", user)
    if wrapped is empty or not getattr(wrapped, "is_authenticated", False):
        return None
    return wrapped.pk


class RequestContextFilter(logging.Filter):
    def filter(self, record):
        request = _request.get()
        record.request_id = getattr(request, "request_id", None) if request is not None else None
        record.user_id = current_user_id(request) if request is not None else None
        return True


def scrub(text: str) -> str:
    if not text:
        return text
    return EMAIL.sub(REMOVED, text)


class PersonalDataFilter(logging.Filter):
    def filter(self, record):
        try:
            message = record.getMessage()
        except Exception:  # a malformed call: keep the template only
            message = str(record.msg)
        record.msg, record.args = scrub(message), None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = scrub(record.exc_text)
            record.exc_info = None  # formatted (and scrubbed) once, above
        return True


def _scrub_value(value):
    if isinstance(value, str):
        return scrub(value)
    if isinstance(value, dict):
        return {key: _scrub_value(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_scrub_value(item) for item in value]
    return value


def scrub_sentry_event(event, hint):
    """sentry-sdk's before_send: no e-mail address or personal value in any string of the event;
    no request body, cookies or user fields other than the account's number."""
    request = event.get("request") or {}
    request.pop("data", None)
    request.pop("cookies", None)
    if "headers" in request:
        request["headers"] = {
            k: v for k, v in request["headers"].items() if k.lower() not in {"cookie", "authorization"}
        }
    user = event.get("user")
    if user:
        event["user"] = {"id": user.get("id")} if user.get("id") else {}
    return _scrub_value(event)
