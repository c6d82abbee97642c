"""Reading what a request carries: query parameters, path arguments and form text.

One rule for every view: a value the portal cannot use answers 400 with a message that names the
parameter (or 404 for an id that names no object), never a server error. Numbers are ASCII digits
within the range of the column they are compared with (`"²".isdigit()` is true and `int("²")`
fails; `year=99999` is beyond `datetime`; `2**63` is beyond PostgreSQL's bigint). Text holding a
NUL character (PostgreSQL refuses it: "A string literal cannot contain NUL") or an unpaired
surrogate (it cannot be encoded to UTF-8) is refused.

`InvalidParameter` is a `BadRequest`: Django answers 400 through `handler400` (`bad_request`
below, which shows the message).

Forms need nothing more: Django's `forms.CharField` (every text field of a portal form or model
form) refuses NUL with "Null characters are not allowed.", a choice, date or number field refuses
it as an invalid value, and an HTTP request cannot carry an unpaired surrogate (Django decodes
query strings and bodies with `errors="replace"`); `tests/fuzz/test_forms.py` holds them to it.
"""

import re

from django.core.exceptions import BadRequest
from django.http import Http404, HttpResponseBadRequest
from django.template.loader import render_to_string
from django.utils.html import escape
from django.utils.translation import gettext as _

# PostgreSQL's integer (the ids of this portal are bigint, its numbers integer).
INT_MAX = 2**31 - 1
BIGINT_MAX = 2**63 - 1
# `datetime.date` knows years 1 to 9999.
YEAR_MIN, YEAR_MAX = 1, 9999

_DIGITS = re.compile(r"[0-9]{1,19}")
_SURROGATE = re.compile("[\ud800-\udfff]")


class InvalidParameter(BadRequest):
    """A query parameter or path argument the portal cannot use: answered 400 with its message."""

    def __init__(self, name, message):
        self.name = name
        self.message = message
        super().__init__(f"{name}: {message}")


def text_problem(value) -> str | None:
    """Why this text cannot be stored or searched for, or None when it can."""
    if "\x00" in value:
        return _("Text cannot contain NUL (null) characters.")
    if _SURROGATE.search(value):
        return _("Text cannot contain unpaired surrogate characters.")
    return None


def clean_text(value, *, name, max_length=None) -> str:
    """The text, stripped and cut to `max_length`; refused (400) when it cannot be stored."""
    problem = text_problem(value)
    if problem:
        raise InvalidParameter(name, problem)
    value = value.strip()
    return value[:max_length] if max_length is not None else value


def text_param(query, name, *, max_length=200, default="") -> str:
    """A free-text parameter (a search): missing → `default`; NUL or surrogates → 400."""
    raw = query.get(name)
    if raw is None:
        return default
    return clean_text(raw, name=name, max_length=max_length)


def parse_int(raw, *, name, min_value=0, max_value=INT_MAX) -> int:
    """An integer written in ASCII digits within [min_value, max_value], else 400."""
    raw = raw.strip() if isinstance(raw, str) else raw
    if isinstance(raw, int) and not isinstance(raw, bool):
        number = raw
    elif isinstance(raw, str) and _DIGITS.fullmatch(raw):
        number = int(raw)
    elif isinstance(raw, str) and raw.startswith("-") and _DIGITS.fullmatch(raw[1:]):
        number = -int(raw[1:])
    else:
        raise InvalidParameter(name, _("“%(name)s” must be a whole number.") % {"name": name})
    if not min_value <= number <= max_value:
        raise InvalidParameter(
            name,
            _("“%(name)s” must be between %(min)s and %(max)s.")
            % {"name": name, "min": min_value, "max": max_value},
        )
    return number


def int_param(query, name, *, min_value=0, max_value=INT_MAX, default=None) -> int | None:
    """An optional whole-number parameter: missing or empty → `default`; anything else that is
    not a number in range → 400."""
    raw = query.get(name)
    if raw is None or raw.strip() == "":
        return default
    return parse_int(raw, name=name, min_value=min_value, max_value=max_value)


def year_param(query, name="year", default=None) -> int | None:
    """An optional year, 1 to 9999 (what `datetime.date` and a `__year` lookup accept)."""
    return int_param(query, name, min_value=YEAR_MIN, max_value=YEAR_MAX, default=default)


def id_param(query, name, default=None) -> int | None:
    """An optional object id (a positive bigint); out of range → 400."""
    return int_param(query, name, min_value=1, max_value=BIGINT_MAX, default=default)


def choice_param(query, name, choices, default=None):
    """A filter among fixed values: missing or empty → `default`; a value that is not one of
    `choices` (NUL included) → 400 naming the parameter and the values it takes."""
    raw = query.get(name)
    if raw is None or raw == "":
        return default
    if raw not in choices:
        raise InvalidParameter(
            name,
            _("“%(name)s” must be one of: %(choices)s.")
            % {"name": name, "choices": ", ".join(map(str, choices))},
        )
    return raw


def path_text_or_404(value, max_length=200) -> str:
    """A path argument meant as a code or token: text that cannot name anything → 404."""
    if text_problem(value) or len(value) > max_length:
        raise Http404(_("No such object."))
    return value


# --- The 400 page -------------------------------------------------------------------------------


def bad_request(request, exception=None):
    """`handler400`: the message of an `InvalidParameter`, a generic one for anything else."""
    message = (
        exception.message
        if isinstance(exception, InvalidParameter)
        else _("The request could not be understood.")
    )
    try:
        body = render_to_string("400.html", {"message": message}, request=request)
    except Exception:  # the error page must not fail in turn
        body = f"<h1>{escape(_('Bad request'))}</h1><p>{escape(message)}</p>"
    return HttpResponseBadRequest(body)
