"""Whole-page cache for anonymous GETs, Wagtail-aware (docs/performance.md § Caching).

Why our own: wagtail-cache 3.0 requires wagtail<8, django-cacheops caches querysets rather than
pages, and Django's per-site cache middleware keys on the cookies a response varies on (so it
stores one copy per CSRF or session cookie) and has no way to drop every page at once when a
publish changes a listing elsewhere in the tree. This is Django's own cache framework
(`caches["default"]`: local memory embedded, Redis with CACHE_URL=redis://…) and
`django.utils.cache`, plus:

- what is stored: GET 200 responses to requests without a session cookie or an Authorization
  header, that set no cookie (so no CSRF token: a form page is never stored) and say nothing
  private; never the admin or documents;
- invalidation: every entry holds the generation it was made in, read with the generation itself
  in one round trip and served only if they match; publishing, unpublishing, moving or
  deleting a page, and saving or deleting a record a page shows, bumps the generation (now and
  again when the transaction commits), so every page is rebuilt on its next request. A publish is a
  rare event next to reads, and a listing anywhere may show what changed;
- time: the key holds today's local date (the notice board splits 正在公示/往期公示 by it; decisions
  are public from a date), and entries live PAGE_CACHE_SECONDS at most (anything finer-grained);
- HTTP: an ETag and Last-Modified on stored pages, so repeat visits get 304, and Cache-Control
  `public, max-age=0, s-maxage=PAGE_CACHE_CDN_SECONDS`: browsers revalidate, a CDN keeps a page
  for at most that long (it cannot be told about a publish). What is not stored is `private`.
"""

import hashlib
import logging
import threading
import time
from collections import OrderedDict

from django.apps import apps
from django.conf import settings
from django.core.cache import caches
from django.core.exceptions import DisallowedHost
from django.db import DatabaseError, transaction
from django.db.models.signals import post_delete, post_save
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date, parse_http_date_safe
from wagtail import signals
from wagtail.models import Page

from cms.resilience import database_unavailable

logger = logging.getLogger(__name__)

GENERATION_KEY = "pagecache:generation"
SAFE_VARY = {"cookie", "accept-language", "accept-encoding"}
DEFAULT_EXCLUDE = ("/admin/", "/documents/")


def _cache():
    return caches[getattr(settings, "PAGE_CACHE_ALIAS", "default")]


def durable() -> bool:
    """Whether the generation lives in the database (CacheGeneration) rather than the cache: so
    with every shared cache (Redis), which can be away when a publish commits. Local memory is
    the one process's own and cannot lose a bump: it keeps the generation itself (no query)."""
    alias = getattr(settings, "PAGE_CACHE_ALIAS", "default")
    return not settings.CACHES[alias]["BACKEND"].endswith("LocMemCache")


def _generations():
    # Looked up, not imported: this module is imported by the settings' app loading (cms/apps.py).
    return apps.get_model("cms", "CacheGeneration")


def generation() -> int:
    """The current generation; starts from the clock, so a flushed or restarted cache never
    brings back entries of an earlier one."""
    if durable():
        return _generations().read()
    cache = _cache()
    value = cache.get(GENERATION_KEY)
    if value is None:
        value = time.time_ns() // 1000
        cache.add(GENERATION_KEY, value, timeout=None)
        value = cache.get(GENERATION_KEY, value)
    return value


_seen: dict = {"generation": None, "at": 0.0}  # this process's last look at the generation


def current_generation() -> int:
    """The generation, read at most every PAGE_CACHE_GENERATION_SECONDS: with a shared cache,
    from the database (one indexed one-row read per process and window; that round trip is most of
    what a hit costs). A publish handled by this process is seen at once (`_forget`); one handled
    by another process within that window.

    While the database is away no publish can commit, so the generation last read stays current:
    cached pages are still served and only uncached requests answer 503 (cms/resilience.py)."""
    window = getattr(settings, "PAGE_CACHE_GENERATION_SECONDS", 0)
    now = time.monotonic()
    if window and _seen["generation"] is not None and now - _seen["at"] < window:
        return _seen["generation"]
    if durable():
        try:
            value = _generations().read()
        except DatabaseError as exc:
            if _seen["generation"] is None or not database_unavailable(exc):
                raise
            return _seen["generation"]
    else:
        value = _cache().get(GENERATION_KEY) or generation()
    _seen.update(generation=value, at=now)
    return value


def _forget() -> None:
    _seen["generation"] = None


def _bump() -> None:
    """A new generation. Durable: one UPDATE in the caller's transaction (a database error there
    is the publish's own, and fails it as it should). Local memory: cannot be unreachable; any
    cache error is logged, never raised into the publish."""
    _forget()
    if durable():
        _generations().bump()
        return
    cache = _cache()
    try:
        try:
            cache.incr(GENERATION_KEY)
        except ValueError:  # no generation yet: the next one starts fresh
            cache.set(GENERATION_KEY, time.time_ns() // 1000, timeout=None)
    except Exception:
        logger.exception("page cache: the generation could not be bumped")


def invalidate(**kwargs) -> None:
    """Drop every cached page: now, and again when the transaction commits, so that a request
    that read the old rows meanwhile cannot keep them cached. Durable, once is enough: the bump
    becomes visible with the rows it invalidates; at commit this process forgets its last look."""
    _bump()
    transaction.on_commit(_forget if durable() else _bump)


def _page_invalidate(sender, instance=None, **kwargs) -> None:

    if isinstance(instance, Page):
        invalidate()


def connect() -> None:
    """Wire invalidation to everything that changes what a public page or API response shows."""

    for signal in (
        signals.page_published,
        signals.page_unpublished,
        signals.post_page_move,
        signals.page_slug_changed,
    ):
        signal.connect(invalidate, dispatch_uid=f"pagecache:{id(signal)}")
    post_delete.connect(_page_invalidate, dispatch_uid="pagecache:page_delete")
    for label in settings.PAGE_CACHE_INVALIDATED_BY:
        model = apps.get_model(label)
        for signal in (post_save, post_delete):
            signal.connect(invalidate, sender=model, dispatch_uid=f"pagecache:{label}:{signal}")


class LocalCopies:
    """The pages this process served lately, so that a hit on a shared cache (Redis) costs one small
    round trip (the generation) rather than fetching the page's bytes again. Each copy is used only
    while the generation it was made in is current, and for PAGE_CACHE_SECONDS at most. Off
    (PAGE_CACHE_LOCAL_BYTES = 0) when the cache is local memory already."""

    def __init__(self) -> None:
        self._entries: OrderedDict[str, tuple[int, float, tuple]] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def get(self, key: str, current: int) -> tuple | None:
        if not getattr(settings, "PAGE_CACHE_LOCAL_BYTES", 0):
            return None
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                return None
            made_in, expires, stored = entry
            if made_in != current or expires < time.monotonic():
                self._drop(key)
                return None
            self._entries.move_to_end(key)
            return stored

    def put(self, key: str, current: int, stored: tuple) -> None:
        limit = getattr(settings, "PAGE_CACHE_LOCAL_BYTES", 0)
        if not limit or len(stored[2]) > limit:
            return
        with self._lock:
            self._drop(key)
            expires = time.monotonic() + settings.PAGE_CACHE_SECONDS
            self._entries[key] = (current, expires, stored)
            self._bytes += len(stored[2])
            while self._bytes > limit:
                self._drop(next(iter(self._entries)))

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._bytes = 0

    def _drop(self, key: str) -> None:
        entry = self._entries.pop(key, None)
        if entry is not None:
            self._bytes -= len(entry[2][2])


_LOCAL = LocalCopies()


class PageCacheMiddleware:
    """Serve and store whole pages for anonymous GETs; see the module docstring."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not getattr(settings, "PAGE_CACHE_SECONDS", 0):
            return self.get_response(request)
        key = self._key(request)
        if key is None:
            return self._private(self.get_response(request))
        cache = _cache()
        current = current_generation()
        stored = _LOCAL.get(key, current)
        if stored is None:
            entry = cache.get(key)
            if entry is not None and entry[0] == current:
                stored = entry[1:]
                _LOCAL.put(key, current, stored)
        if stored is not None:
            status, headers, content = stored
            response = HttpResponse(content, status=status)
            for name, value in headers:
                response[name] = value
            response["X-Page-Cache"] = "hit"
            return self._conditional(request, response)
        response = self.get_response(request)
        if self._storable(request, response):
            response["ETag"] = (
                f'"{hashlib.md5(response.content, usedforsecurity=False).hexdigest()}"'
            )
            response["Last-Modified"] = http_date()
            response.headers.pop("Expires", None)
            patch_cache_control(
                response, public=True, max_age=0, s_maxage=settings.PAGE_CACHE_CDN_SECONDS
            )
            headers = [(k, v) for k, v in response.items() if k.lower() != "x-page-cache"]
            stored = (response.status_code, headers, response.content)
            cache.set(key, (current, *stored), settings.PAGE_CACHE_SECONDS)
            _LOCAL.put(key, current, stored)
            response["X-Page-Cache"] = "miss"
            return self._conditional(request, response)
        return self._private(response)

    @staticmethod
    def _key(request) -> str | None:
        if (
            request.method not in ("GET", "HEAD")
            or settings.SESSION_COOKIE_NAME in request.COOKIES
            or "HTTP_AUTHORIZATION" in request.META
            or request.path.startswith(tuple(getattr(settings, "PAGE_CACHE_EXCLUDE", ())))
        ):
            return None
        try:
            host = request.get_host()
        except DisallowedHost:
            return None
        url = hashlib.md5(
            f"{request.scheme}://{host}{request.get_full_path()}".encode(), usedforsecurity=False
        ).hexdigest()
        return f"pagecache:{timezone.localdate().isoformat()}:{url}"

    @staticmethod
    def _storable(request, response) -> bool:
        if request.method != "GET" or response.status_code != 200 or response.streaming:
            return False
        if response.cookies or response.has_header("Set-Cookie"):
            return False  # a CSRF token (form pages) or a session was handed out
        control = response.get("Cache-Control", "").lower()
        if any(word in control for word in ("private", "no-store", "no-cache")):
            return False
        vary = {v.strip().lower() for v in response.get("Vary", "").split(",") if v.strip()}
        if vary - SAFE_VARY:
            return False
        return b"csrfmiddlewaretoken" not in response.content

    @staticmethod
    def _conditional(request, response):
        return get_conditional_response(
            request,
            etag=response.get("ETag"),
            last_modified=parse_http_date_safe(response.get("Last-Modified", "")),
            response=response,
        )

    @staticmethod
    def _private(response):
        if not response.has_header("Cache-Control") and not response.streaming:
            patch_cache_control(response, private=True, no_cache=True)
        return response
