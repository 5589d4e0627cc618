"""The page cache's settings: on by default only where every process sees the same cache, and the
per-process copies kept beside a shared cache."""

import time

from django.core.cache import cache

from cms import cache as page_cache
from cms.cache import GENERATION_KEY, LocalCopies, current_generation, invalidate


def test_on_by_default_only_where_every_process_shares_one_cache():
    from tests.test_settings import _run

    probe = (
        "import django; from django.conf import settings as s; django.setup(); "
        "print(s.PAGE_CACHE_SECONDS, s.PAGE_CACHE_LOCAL_BYTES, s.PAGE_CACHE_GENERATION_SECONDS, "
        "s.CACHES['default']['BACKEND'])"
    )
    production = {"DATABASE_URL": "postgres://u:p@db/x", "SECRET_KEY": "x" * 60}
    cases = [
        ({}, "300 0 0.0 django.core.cache.backends.locmem.LocMemCache"),
        (production, "0 0 0.0 django.core.cache.backends.locmem.LocMemCache"),
        (
            {**production, "CACHE_URL": "redis://127.0.0.1:6379/1"},
            "300 33554432 1.0 cms.resilience.ResilientRedisCache",
        ),
        (
            {**production, "PAGE_CACHE_SECONDS": "30"},
            "30 0 0.0 django.core.cache.backends.locmem.LocMemCache",
        ),
    ]
    for env, expected in cases:
        result = _run(["-c", probe], **env)
        assert result.stdout.strip() == expected, (env, result.stderr)


def test_local_copies_keep_to_their_byte_limit_and_generation(settings):
    settings.PAGE_CACHE_LOCAL_BYTES = 250
    settings.PAGE_CACHE_SECONDS = 300
    local = LocalCopies()
    for n in range(3):
        local.put(f"k{n}", 1, (200, [], b"x" * 100))
    assert local.get("k0", 1) is None  # the oldest went to make room
    assert local.get("k2", 1) == (200, [], b"x" * 100)
    assert local.get("k2", 2) is None  # a publish since: never served again
    local.put("big", 1, (200, [], b"x" * 300))
    assert local.get("big", 1) is None


def test_the_generation_is_read_at_most_once_a_window_but_a_local_publish_at_once(
    settings, monkeypatch, db
):
    settings.PAGE_CACHE_GENERATION_SECONDS = 1.0
    clock = [time.monotonic()]
    monkeypatch.setattr(page_cache.time, "monotonic", lambda: clock[0])
    page_cache._seen["generation"] = None
    first = current_generation()
    cache.incr(GENERATION_KEY)  # another process published
    assert current_generation() == first
    clock[0] += 1.5
    assert current_generation() == first + 1
    invalidate()  # a publish in this process
    assert current_generation() == first + 2
