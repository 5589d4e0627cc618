"""A fixed-window counter per client in the cache (shared when CACHE_URL points at Redis)."""

from django.conf import settings
from django.core.cache import cache


def client_key(request) -> str:
    if getattr(settings, "USE_X_FORWARDED_FOR", False):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[0].strip()
    return request.META.get("REMOTE_ADDR", "unknown")


def take(key: str) -> bool:
    """Count one use of `key`; False once FORM_RATE_LIMIT uses fell in the current window."""
    limit, window = settings.FORM_RATE_LIMIT
    cache.add(key, 0, timeout=window)
    try:
        used = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window)
        used = 1
    return used <= limit
