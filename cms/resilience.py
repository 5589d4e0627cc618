"""Degrade instead of failing (docs/deployment.md § When Redis or the database is away).

Redis is an accelerator: the page cache, the form rate limit, Wagtail's site root paths, its
renditions and the covenant diffs all use it, and none of them may answer 500 or hang a worker
because it is stopped or hung.

- `ResilientRedisCache` is Django's own RedisCache (short connect and read timeouts from
  CACHES OPTIONS, cms/settings.py) behind a per-process circuit breaker: after one failure
  (refused, reset, timed out, any redis error) the cache is left alone for
  CACHE_BREAKER_SECONDS, then one request probes it (half-open). While it is open, reads miss
  and writes do nothing, at no cost: a hung Redis costs one timeout per period, not one per
  request. Code that must know (the rate limit falls back to the database) asks for `strict()`,
  in which an unavailable cache raises `CacheUnavailable` instead.
- `DatabaseUnavailableMiddleware` and `server_error` turn a lost database connection into a 503
  with Retry-After (problem+json under /api/, the Chinese page templates/503.html elsewhere),
  never a 500; `database_unavailable()` says which errors that is.
"""

import contextlib
import logging
import sqlite3
import sys
import threading
import time

import redis
from django.conf import settings
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from django.db.utils import InterfaceError, OperationalError
from django.http import HttpResponse, HttpResponseServerError
from django.template import loader
from django.views import defaults
from wagtail.api.v3.errors import PROBLEM_JSON, problem_response

logger = logging.getLogger(__name__)


class CacheUnavailable(Exception):
    """The shared cache cannot be used now (down, hung, or its breaker open)."""


class CircuitBreaker:
    """Closed: calls go through. One failure opens it for `seconds`: calls are refused at once.
    Then it is half-open: one caller probes; success closes it, failure opens it again. Shared by
    every thread of the process (Django gives each thread its own cache object)."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._lock = threading.Lock()
        self._open_until = 0.0  # monotonic; 0 = closed
        self._probing = False
        self._opened_at = 0.0

    @property
    def seconds(self) -> float:
        return getattr(settings, "CACHE_BREAKER_SECONDS", 5.0)

    @property
    def is_open(self) -> bool:
        return bool(self._open_until)

    def allow(self) -> bool:
        """May a call go to the store now? Closed: yes; open: no; half-open: the first caller."""
        if not self._open_until:
            return True
        with self._lock:
            if not self._open_until:
                return True
            if time.monotonic() < self._open_until or self._probing:
                return False
            self._probing = True
            return True

    def succeeded(self) -> None:
        if not self._open_until:
            return
        with self._lock:
            if self._open_until:
                logger.warning(
                    "%s is back after %.1f s: cache in use again",
                    self.name,
                    time.monotonic() - self._opened_at,
                )
            self._open_until = 0.0
            self._probing = False

    def failed(self, exc: BaseException) -> None:
        with self._lock:
            now = time.monotonic()
            if not self._open_until:
                self._opened_at = now
                # Once per opening (a failed probe extends the same outage silently).
                logger.warning(
                    "%s unavailable (%s: %s): serving without it for %g s, then probing",
                    self.name,
                    type(exc).__name__,
                    exc,
                    self.seconds,
                )
            self._open_until = now + self.seconds
            self._probing = False

    def reset(self) -> None:
        with self._lock:
            self._open_until = 0.0
            self._probing = False


_breakers: dict[str, CircuitBreaker] = {}
_breakers_lock = threading.Lock()


def breaker_for(location: str) -> CircuitBreaker:
    with _breakers_lock:
        if location not in _breakers:
            _breakers[location] = CircuitBreaker(f"Redis cache {location}")
        return _breakers[location]


def reset_breakers() -> None:
    """Close every breaker (tests, and after an operator fixed the cache)."""
    for breaker in list(_breakers.values()):
        breaker.reset()


_strict = threading.local()


@contextlib.contextmanager
def strict():
    """Within this block an unavailable cache raises CacheUnavailable instead of missing."""
    previous = getattr(_strict, "on", False)
    _strict.on = True
    try:
        yield
    finally:
        _strict.on = previous


# OSError: a socket error redis-py did not wrap (e.g. an unreachable network).
REDIS_ERRORS = (redis.exceptions.RedisError, OSError)


_MISSING = object()


class ResilientRedisCache(RedisCache):
    """Django's RedisCache behind the process's circuit breaker for its location (see above).
    A cache failure never raises out of a plain read or write: reads miss, writes are dropped.
    `incr`/`decr` on a missing key still raise ValueError, as Django's do."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self.breaker = breaker_for(",".join(self._servers))

    def _guard(self, method, default, *args, **kwargs):
        if not self.breaker.allow():
            return self._unavailable(default, None)
        try:
            result = method(*args, **kwargs)
        except REDIS_ERRORS as exc:
            self.breaker.failed(exc)
            return self._unavailable(default, exc)
        self.breaker.succeeded()
        return result

    @staticmethod
    def _unavailable(default, exc):
        if getattr(_strict, "on", False):
            raise CacheUnavailable(str(exc) if exc else "circuit breaker open") from exc
        if default is _MISSING:  # incr/decr: no value to make up
            raise CacheUnavailable(str(exc) if exc else "circuit breaker open") from exc
        return default

    def get(self, key, default=None, version=None):
        return self._guard(super().get, default, key, default, version)

    def get_many(self, keys, version=None):
        return self._guard(super().get_many, {}, keys, version)

    def has_key(self, key, version=None):
        return self._guard(super().has_key, False, key, version)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guard(super().add, False, key, value, timeout, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guard(super().set, None, key, value, timeout, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guard(super().set_many, list(data), data, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guard(super().touch, False, key, timeout, version)

    def delete(self, key, version=None):
        return self._guard(super().delete, False, key, version)

    def delete_many(self, keys, version=None):
        return self._guard(super().delete_many, None, keys, version)

    def clear(self):
        return self._guard(super().clear, False)

    def incr(self, key, delta=1, version=None):
        return self._guard(super().incr, _MISSING, key, delta, version)

    def decr(self, key, delta=1, version=None):
        return self._guard(super().decr, _MISSING, key, delta, version)


# The database away ------------------------------------------------------------------------------

# PostgreSQL SQLSTATEs that mean "no usable connection", not "this statement was wrong":
# class 08 (connection exception), admin/crash shutdown, starting up or shutting down, too many
# connections. A client-side failure (refused, reset, timed out) has no SQLSTATE at all.
_PG_UNAVAILABLE = ("08", "57P01", "57P02", "57P03", "53300", "53000")
# SQLite: the file (or its directory) cannot be opened. Not "database is locked": that is a busy
# database, not an absent one (the embedded default's lock wait handles it).
_SQLITE_UNAVAILABLE = ("unable to open database file",)


def database_unavailable(exc: BaseException | None) -> bool:
    """Whether `exc` (as Django raises it) says the database cannot be reached."""
    if not isinstance(exc, OperationalError | InterfaceError):
        return False
    cause = exc.__cause__
    if isinstance(cause, sqlite3.Error):
        return any(text in str(cause) for text in _SQLITE_UNAVAILABLE)
    if isinstance(exc, InterfaceError):
        return True  # "connection already closed", a connection lost under us
    sqlstate = getattr(cause, "sqlstate", _MISSING)
    if sqlstate is _MISSING:  # not a psycopg error (a test double, another driver): by message
        return any(text in str(exc) for text in _SQLITE_UNAVAILABLE)
    return sqlstate is None or sqlstate.startswith(_PG_UNAVAILABLE)


def _retry_after() -> str:
    return str(getattr(settings, "DATABASE_RETRY_AFTER_SECONDS", 10))


def unavailable_response(request) -> HttpResponse:
    """503 with Retry-After; rendered without the database, the session or a context processor."""
    path = getattr(request, "path_info", "") or ""
    if path.startswith("/api/"):
        response = problem_response(
            status=503,
            title="Service Unavailable",
            detail="数据库暂时无法连接，请稍后重试。",
            type_uri="database_unavailable",
        )
        response["Content-Type"] = PROBLEM_JSON
    else:
        response = HttpResponse(loader.render_to_string("503.html"), status=503)
    response["Retry-After"] = _retry_after()
    response["Cache-Control"] = "no-store"
    return response


class DatabaseUnavailableMiddleware:
    """A view that lost the database answers 503 (see `database_unavailable`). Errors raised before
    the view (a session read, a middleware's query) reach `server_error`, Django's handler500."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if database_unavailable(exception):
            logger.warning("database unavailable: %s (%s)", exception, request.path)
            return unavailable_response(request)
        return None


def server_error(request, template_name=defaults.ERROR_500_TEMPLATE_NAME):
    """handler500: a lost database is a 503 wherever it was raised; anything else the 500 page."""
    if database_unavailable(sys.exception()):
        return unavailable_response(request)
    try:
        return defaults.server_error(request, template_name)
    except Exception:  # the 500 page itself failed: still an answer
        return HttpResponseServerError("服务器出错了，请稍后再试。", content_type="text/plain")


def install(api) -> None:
    """The API's own handler for database errors: 503 problem+json when the database is away
    (Wagtail's catch-all answers 500 with DEBUG on), else whatever that catch-all does."""
    fallback = api._exception_handlers.get(Exception)

    def database_problem(request, exc):
        if database_unavailable(exc):
            logger.warning("database unavailable: %s (%s)", exc, request.path)
            return unavailable_response(request)
        if fallback is None:
            raise exc
        return fallback(request, exc)

    api.add_exception_handler(OperationalError, database_problem)
    api.add_exception_handler(InterfaceError, database_problem)
