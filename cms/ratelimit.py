"""A fixed-window counter of accepted answers per client (a form's answers, a query on a notice,
an opinion on a covenant draft): in the cache when every worker shares it
(CACHE_URL points at Redis or Memcached), else in the database (RateCounter), so that several
gunicorn workers with their own local-memory caches still count one limit. While Redis is away
(cms/resilience.py) the database counts, so all workers still share one limit. The client is the
address the configured number of trusted proxies saw (TRUSTED_PROXY_COUNT), never an entry a
client can write itself.

Only answers that were stored count (count() after the answer is saved): a resident who sent the
form empty or mistyped a mobile number has given nothing, and is not made to wait for it. A window
opens with the first answer counted and lasts FORM_RATE_LIMIT's seconds; wait() says how long is
left of it once its answers are used up (docs/consultations.md, the rate limit)."""

import datetime
import hashlib
import math

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from cms.client import client_address
from cms.resilience import CacheUnavailable, strict


def period_words(seconds: int) -> str:
    """A window as a resident reads it: 1 小时, 10 分钟, 90 秒."""
    if seconds % 3600 == 0:
        return f"{seconds // 3600} 小时"
    if seconds % 60 == 0:
        return f"{seconds // 60} 分钟"
    return f"{seconds} 秒"


def client_key(request) -> str:
    """The address of the client, as the trusted proxies saw it (cms/client.py)."""
    return client_address(request) or "unknown"


def shared_cache() -> bool:
    """Whether the default cache is one store for every process (not LocMemCache)."""
    return not settings.CACHES["default"]["BACKEND"].endswith("LocMemCache")


def _short(key: str) -> str:
    """A key stays one short row, whatever a client claims to be."""
    return hashlib.sha256(key.encode()).hexdigest() if len(key) > 200 else key


def wait(key: str) -> int | None:
    """Seconds until `key` may answer again when its window's answers are used up, else None."""
    limit, window = settings.FORM_RATE_LIMIT
    key = _short(key)
    used, ends = _in_cache_or_database(_read_cache, _read_database, key)
    if used < limit:
        return None
    left = (ends - timezone.now()).total_seconds() if ends else window
    return max(1, min(window, math.ceil(left)))


def count(key: str) -> None:
    """Count one accepted answer of `key` in its window (opening one if none is open)."""
    window = settings.FORM_RATE_LIMIT[1]
    key = _short(key)
    _in_cache_or_database(_count_in_cache, _count_in_database, key, window)


def _in_cache_or_database(in_cache, in_database, *args):
    """The shared cache when there is one and it answers; else (no shared cache, or Redis stopped,
    hung, or its breaker open: cms/resilience.py) the database, which every worker shares too.
    While Redis is away the two counts are separate: a client may get up to one limit more from
    the window that moved store, never a 500."""
    if shared_cache():
        try:
            with strict():
                return in_cache(*args)
        except CacheUnavailable:
            pass
    return in_database(*args)


def _read_cache(key: str) -> tuple[int, datetime.datetime | None]:
    values = cache.get_many([key, f"{key}:ends"])
    ends = values.get(f"{key}:ends")
    return values.get(key, 0), datetime.datetime.fromtimestamp(ends, datetime.UTC) if ends else None


def _count_in_cache(key: str, window: int) -> None:
    # The window's end is written by whoever opens it (add() is atomic), then the count rises.
    cache.add(f"{key}:ends", timezone.now().timestamp() + window, timeout=window)
    cache.add(key, 0, timeout=window)
    try:
        cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window)


def _counters():
    # The counter's table is consultation's (RateCounter), above this kernel: looked up by name,
    # never imported.
    return apps.get_model("consultation", "RateCounter").objects


def _read_database(key: str) -> tuple[int, datetime.datetime | None]:
    row = _counters().filter(key=key, expires_at__gt=timezone.now())
    return row.values_list("count", "expires_at").first() or (0, None)


def _count_in_database(key: str, window: int) -> None:
    """The same window in RateCounter: each increment is one UPDATE … SET count = count + 1, so
    concurrent workers never lose one."""
    counters = _counters()
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
