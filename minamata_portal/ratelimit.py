"""A fixed-window counter per client address, in the shared cache (Redis in production)."""

from allauth.account.adapter import get_adapter
from django.core.cache import cache
from django.utils import timezone


def client_ip(request) -> str:
    """The client's address as allauth determines it: REMOTE_ADDR, or behind proxies the address
    X-Forwarded-For gives once ALLAUTH_TRUSTED_PROXY_COUNT says how many proxies to trust."""
    return get_adapter().get_client_ip(request)


def over_limit(request, *, scope: str, limit: int, seconds: int) -> bool:
    """Count this request for its client in `scope`; True once more than `limit` came within the
    current window of `seconds`."""
    window = int(timezone.now().timestamp() // seconds)
    key = f"ratelimit:{scope}:{client_ip(request)}:{window}"
    cache.add(key, 0, timeout=seconds * 2)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=seconds * 2)
        count = 1
    return count > limit
