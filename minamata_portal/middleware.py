"""Requests too large to be an upload the portal accepts are refused before their body is read.

Django's DATA_UPLOAD_MAX_MEMORY_SIZE does not count file parts and FILE_UPLOAD_MAX_MEMORY_SIZE only
decides when an upload spills to a temporary file: neither refuses a large file, which is received
whole before `check_upload` says it is too large. This middleware answers 413 from the declared
Content-Length alone, ahead of every middleware that could touch `request.POST` (CSRF, sessions).
The web server in front sets its own limit (README, Settings: UPLOAD_MAX_BYTES)."""

from django.conf import settings
from django.http import HttpResponse
from django.template.defaultfilters import filesizeformat
from django.utils import translation
from django.utils.translation import gettext as _

# Room for the other fields of a form that carries one file (CSRF token, text, multipart headers).
FORM_FIELDS_MARGIN = 256 * 1024


def request_max_bytes() -> int:
    return settings.UPLOAD_MAX_BYTES + FORM_FIELDS_MARGIN


class RequestSizeLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0  # Django reads no body from a request whose length it cannot read either
        if length > request_max_bytes():
            return self.too_large(request)
        return self.get_response(request)

    @staticmethod
    def too_large(request):
        # LocaleMiddleware has not run yet: the language is read from the request here.
        with translation.override(translation.get_language_from_request(request)):
            message = _(
                "The request is too large: files up to %(limit)s can be uploaded. "
                "Go back and choose a smaller file."
            ) % {"limit": filesizeformat(settings.UPLOAD_MAX_BYTES)}
            response = HttpResponse(message, status=413, content_type="text/plain; charset=utf-8")
            response["Content-Language"] = translation.get_language()
        return response
