"""A fixed-window counter per client: in the cache when every worker shares it (CACHE_URL points at
Redis or Memcached), else in the database (RateCounter), so that several gunicorn workers with
their own local-memory caches still count one limit. The client is the address the configured
number of trusted proxies saw (TRUSTED_PROXY_COUNT), never an entry a client can write itself."""

import datetime
import hashlib

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from cms.client import client_address


def client_key(request) -> str:
    """The address of the client, as the trusted proxies saw it (cms/client.py)."""
    return client_address(request) or "unknown"


def shared_cache() -> bool:
    """Whether the default cache is one store for every process (not LocMemCache)."""
    return not settings.CACHES["default"]["BACKEND"].endswith("LocMemCache")


def take(key: str) -> bool:
    """Count one use of `key`; False once FORM_RATE_LIMIT uses fell in the current window."""
    limit, window = settings.FORM_RATE_LIMIT
    if len(key) > 200:  # a key stays one short row, whatever a client claims to be
        key = hashlib.sha256(key.encode()).hexdigest()
    used = _count_in_cache(key, window) if shared_cache() else _count_in_database(key, window)
    return used <= limit


def _count_in_cache(key: str, window: int) -> int:
    cache.add(key, 0, timeout=window)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window)
        return 1


def _count_in_database(key: str, window: int) -> int:
    """The same window in RateCounter: each increment is one UPDATE … SET count = count + 1, so
    concurrent workers never lose one."""
    # The models import the answer pipeline, which imports this module: looked up, not imported.
    counters = apps.get_model("consultation", "RateCounter").objects
    now = timezone.now()
    with transaction.atomic():
        if not counters.filter(key=key, expires_at__gt=now).update(count=F("count") + 1):
            counters.filter(expires_at__lte=now).delete()  # this one, and any other gone stale
            expires_at = now + datetime.timedelta(seconds=window)
            _, created = counters.get_or_create(
                key=key, defaults={"count": 1, "expires_at": expires_at}
            )
            if not created:  # another worker opened the window just now
                counters.filter(key=key).update(count=F("count") + 1)
        return counters.filter(key=key).values_list("count", flat=True).get()
