"""A fixed-window counter per client address (or per identity, e.g. a token), in the shared cache
(Redis in production)."""

from allauth.account.adapter import get_adapter
from django.core.cache import cache
from django.utils import timezone


def client_ip(request) -> str:
    """The client's address as allauth determines it: REMOTE_ADDR, or behind proxies the address
    X-Forwarded-For gives once ALLAUTH_TRUSTED_PROXY_COUNT says how many proxies to trust."""
    return get_adapter().get_client_ip(request)


def over_limit(request, *, scope: str, limit: int, seconds: int, ident: str | None = None) -> bool:
    """Count this request in `scope`; True once more than `limit` came within the current window of
    `seconds`. Counted per client address, or per `ident` when given (e.g. a token, whatever
    address it is used from)."""
    window = int(timezone.now().timestamp() // seconds)
    who = client_ip(request) if ident is None else f"id:{ident}"
    key = f"ratelimit:{scope}:{who}:{window}"
    cache.add(key, 0, timeout=seconds * 2)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=seconds * 2)
        count = 1
    return count > limit
