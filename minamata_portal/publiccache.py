"""The public pages as anonymous visitors see them, kept in Django's cache (Redis in production).

During a COP every delegate and the public read the same few pages (the meetings, a meeting's
agenda, programme and documents, the decisions, the calendar feeds). Rendering them costs 5 to 15
queries and most of the time in templates; for a visitor who is not signed in the answer is the
same for everyone who asks in the same language, so `@cached_for_visitors` keeps it.

Staleness: every page is stored with the *generation* of the public content it was rendered at, a
number in the cache read before rendering, and served only while that is still the current one
(one round trip to Redis reads both). Any save, delete or change of a many-to-many relation of a
model whose data these pages show (`watch_app_models`, called by those apps' `ready()` with the
models they show) moves the generation on, so the next visitor renders the page afresh. It moves twice: at once (a
page rendered later in the same transaction, or by a test, sees the change) and after the commit
(another process that rendered the page between the first move and the commit, still reading the
old rows, stored it with a generation that is then already past). A write that bypasses the
signals (`QuerySet.update`, `bulk_create`) must call `public_content_changed()` itself; none of what
these pages show is written that way today (a document's language versions are bulk-created with
the document, whose save moves the generation). Today's date (the selectors' "today") is in the
key too ("upcoming" and "recent" meetings move at midnight), and PUBLIC_CACHE_SECONDS bounds how
long a page is kept.

The key is the path and the values of the query parameters the view reads (`params`); a request
with any other parameter is served uncached, so made-up query strings cannot fill the cache (which
in production is the Redis that is also Celery's broker). A view whose parameter is free text (the
document search's `q`) does not name it: only its empty form is kept.

What is never cached: anything but GET/HEAD; signed-in users (their pages show their menu, their
drafts); a visitor with messages waiting (shown once, on the next page); answers other than 200,
answers that set a cookie or say `no-store`/`private`, and answers whose request changed the
session. The CSRF token in a cached page's forms (the language switch on every page) is the
visitor's own: the stored copy carries a placeholder that is replaced on every answer by the
token `get_token` gives this visitor, which also sets their CSRF cookie as an uncached page would.
"""

import hashlib
import re
import time
from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils import timezone, translation

GENERATION_KEY = "publiccache:generation"
PAGE_KEY_PREFIX = "publiccache:page"
CSRF_PLACEHOLDER = b"@@publiccache-csrf-token@@"
# What `{% csrf_token %}` prints; its value is the only per-visitor text of a public page.
_CSRF_INPUT = re.compile(rb'(name="csrfmiddlewaretoken" value=")[^"]*(")')
# The headers a view sets that a cached answer repeats; the middleware adds the rest on every
# answer (Vary, Content-Language, the security headers, the CSRF cookie).
_KEPT_HEADERS = ("Content-Type", "Content-Disposition")


def generation() -> int:
    """The current generation of the public content. Starts at the clock's nanoseconds, so a
    cache emptied (or the key evicted) never brings back a number pages were stored under."""
    value = cache.get(GENERATION_KEY)
    if value is None:
        cache.add(GENERATION_KEY, time.time_ns(), timeout=None)
        value = cache.get(GENERATION_KEY)
    return value


def generation_move() -> None:
    """Every page cached so far is read afresh (`public_content_changed` calls it twice)."""
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # not there (evicted, cache emptied): any new number will do
        cache.set(GENERATION_KEY, time.time_ns(), timeout=None)


def public_content_changed() -> None:
    """Say that what the public pages show has changed: every cached page is read afresh."""
    generation_move()
    transaction.on_commit(generation_move, robust=True)


def _on_change(sender, **kwargs):
    if kwargs.get("action", "post_").startswith("post_"):  # m2m_changed: after the change only
        public_content_changed()


def watch_app_models(app_config, models: tuple[str, ...], hidden_when_new=None) -> None:
    """Move the generation on when one of `models` (names of `app_config`'s models that the public
    pages show) changes. Called from the `ready()` of each app whose data the public pages show;
    the app's other models (counters, workflow steps, reviews, history rows) leave the cache be.
    `hidden_when_new` maps a model's name to a test of a new row that no public page shows yet
    (a side event just requested): creating such a row leaves the cache be too."""
    hidden_when_new = hidden_when_new or {}
    for name in models:
        model = app_config.get_model(name)
        uid = f"publiccache:{model._meta.label}"
        on_save = _on_change
        if name in hidden_when_new:
            on_save = _on_save_unless(hidden_when_new[name])
        post_save.connect(on_save, sender=model, dispatch_uid=uid, weak=False)
        post_delete.connect(_on_change, sender=model, dispatch_uid=uid, weak=False)
        for field in model._meta.local_many_to_many:
            through = field.remote_field.through
            m2m_changed.connect(_on_change, sender=through, dispatch_uid=f"{uid}.{field.name}", weak=False)


def _on_save_unless(hidden):
    def on_save(sender, instance, created=False, **kwargs):
        if not (created and hidden(instance)):
            public_content_changed()

    return on_save


def _request_cacheable(request) -> bool:
    if settings.PUBLIC_CACHE_SECONDS <= 0 or request.method not in ("GET", "HEAD"):
        return False
    if request.user.is_authenticated:
        return False
    # Counting loads the waiting messages without marking them read: they stay for the page
    # rendered below, which shows them.
    return len(get_messages(request)) == 0


def _page_key(request, params: tuple[str, ...]) -> str | None:
    """The page's key: its path and the values of the query parameters the view reads, sorted.
    None (not cached) when the query string has any other parameter: every unknown parameter
    (?utm_source=, a typo) would otherwise store one more copy of the page."""
    if any(name not in params for name in request.GET):
        return None
    query = urlencode(sorted((name, value) for name in params for value in request.GET.getlist(name)))
    parts = "\n".join(
        (
            request.scheme,
            request.get_host(),
            request.path,
            query,
            translation.get_language() or "",
            timezone.localdate().isoformat(),
        )
    )
    return f"{PAGE_KEY_PREFIX}:{hashlib.sha256(parts.encode()).hexdigest()}"


def _response_cacheable(request, response) -> bool:
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    cache_control = response.get("Cache-Control", "")
    if "no-store" in cache_control or "private" in cache_control:
        return False
    session = getattr(request, "session", None)
    return not (session is not None and session.modified)


def _stored(response, rendered_at: int) -> tuple[int, bytes, list[tuple[str, str]]]:
    content = _CSRF_INPUT.sub(rb"\1" + CSRF_PLACEHOLDER + rb"\2", response.content)
    headers = [(name, response[name]) for name in _KEPT_HEADERS if response.has_header(name)]
    return rendered_at, content, headers


def _answer(request, stored) -> HttpResponse:
    _rendered_at, content, headers = stored
    if CSRF_PLACEHOLDER in content:
        content = content.replace(CSRF_PLACEHOLDER, get_token(request).encode())
    response = HttpResponse(content)
    for name, value in headers:
        response[name] = value
    response.public_cache = "hit"
    return response


def cached_for_visitors(view=None, *, params: tuple[str, ...] = ()):
    """Serve `view`'s answer to anonymous visitors from the cache (see the module's text).
    The view must show nothing that depends on the visitor but the language, the path and the
    query parameters named in `params` (those it reads); a request with any other parameter is
    answered uncached. `@cached_for_visitors` alone: a view that reads no parameter."""
    if view is None:
        return lambda view: cached_for_visitors(view, params=params)
    params = tuple(params)

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not _request_cacheable(request):
            return view(request, *args, **kwargs)
        key = _page_key(request, params)
        if key is None:
            return view(request, *args, **kwargs)
        found = cache.get_many([GENERATION_KEY, key])
        current, stored = found.get(GENERATION_KEY), found.get(key)
        if current is not None and stored is not None and stored[0] == current:
            return _answer(request, stored)
        # The generation is read before the page is rendered: a change committed while it
        # renders moves the generation past the one the page is stored with.
        if current is None:
            current = generation()
        response = view(request, *args, **kwargs)
        if _response_cacheable(request, response):
            cache.set(key, _stored(response, current), settings.PUBLIC_CACHE_SECONDS)
            response.public_cache = "miss"
        return response

    wrapper.public_cache = True
    # Outside the request's transaction (ATOMIC_REQUESTS): a page served from the cache then needs
    # no database connection at all, and a page rendered only reads, each query seeing what is
    # committed as it would inside a READ COMMITTED transaction.
    return transaction.non_atomic_requests(wrapper)
