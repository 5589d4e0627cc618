"""The database away (issue 18, cms/resilience.py): a lost connection answers 503 with Retry-After,
problem+json under /api/ and a Chinese page elsewhere, never 500; other database errors are not
mistaken for it; and a worker's connection recovers by itself after a PostgreSQL restart."""

import json
import os
import shutil
import sqlite3
import subprocess
import tempfile

import psycopg
import pytest
from django.db.utils import ConnectionHandler, InterfaceError, OperationalError
from django.test import Client
from wagtail.models import Site

from cms.resilience import database_unavailable
from tests.cms.redis_server import _free_port

pytestmark = pytest.mark.django_db

PG_BIN = "/usr/lib/postgresql/15/bin"


def _wrapped(cause: Exception, cls=OperationalError) -> Exception:
    """As Django raises it: its own class, the driver's error as the cause."""
    error = cls(*cause.args)
    error.__cause__ = cause
    return error


@pytest.mark.parametrize(
    ("error", "unavailable"),
    [
        (
            _wrapped(psycopg.OperationalError("connection refused")),
            True,
        ),  # no SQLSTATE: client side
        (_wrapped(psycopg.errors.AdminShutdown("terminating connection")), True),  # 57P01
        (_wrapped(psycopg.errors.CannotConnectNow("the database system is starting up")), True),
        (_wrapped(psycopg.errors.TooManyConnections("too many clients")), True),  # 53300
        (_wrapped(psycopg.errors.ConnectionFailure("connection failure")), True),  # 08006
        (_wrapped(psycopg.InterfaceError("connection already closed"), InterfaceError), True),
        (_wrapped(psycopg.errors.DeadlockDetected("deadlock detected")), False),  # 40P01
        (_wrapped(psycopg.errors.QueryCanceled("statement timeout")), False),  # 57014
        (_wrapped(psycopg.errors.SerializationFailure("could not serialize")), False),
        (_wrapped(sqlite3.OperationalError("unable to open database file")), True),
        (_wrapped(sqlite3.OperationalError("database is locked")), False),  # busy, not away
        (_wrapped(sqlite3.OperationalError("no such table: x")), False),
        (ValueError("unable to open database file"), False),
        (None, False),
    ],
)
def test_which_errors_mean_the_database_is_away(error, unavailable):
    assert database_unavailable(error) is unavailable


def _unreachable_sqlite(settings):
    path = os.path.join(tempfile.mkdtemp(), "gone", "db.sqlite3")  # its directory does not exist
    # A handler of its own ("default" of it, not the suite's database).
    handler = ConnectionHandler({"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": path}})
    return handler["default"]


@pytest.fixture
def database_away(monkeypatch, settings):
    """Every page and API request finds its site through a database that cannot be opened: the
    real error SQLite and Django raise for it."""
    gone = _unreachable_sqlite(settings)

    def find_for_request(request):
        gone.cursor().execute("SELECT 1")

    monkeypatch.setattr(Site, "find_for_request", staticmethod(find_for_request))
    yield gone
    gone.close()


def _client():
    return Client(raise_request_exception=False)


def test_a_page_answers_a_chinese_503_with_retry_after(database_away, settings):
    settings.DATABASE_RETRY_AFTER_SECONDS = 7
    response = _client().get("/")
    assert response.status_code == 503
    assert response["Retry-After"] == "7"
    assert response["Content-Type"].startswith("text/html")
    assert "网站暂时无法访问" in response.content.decode()
    assert response["Cache-Control"] == "no-store"


def test_the_api_answers_problem_json(database_away, settings):
    for debug in (False, True):  # Wagtail's API answers other errors 500 with DEBUG on
        settings.DEBUG = debug
        response = _client().get("/api/v3/pages/")
        assert response.status_code == 503, (debug, response.content[:300])
        assert response["Content-Type"] == "application/problem+json"
        assert response["Retry-After"] == "10"
        body = json.loads(response.content)
        assert body["type"] == "database_unavailable" and body["status"] == 503
        assert "数据库" in body["detail"]


def test_the_503_page_is_rendered_without_the_database(django_assert_num_queries):
    from cms.resilience import unavailable_response

    with django_assert_num_queries(0):
        response = unavailable_response(type("Request", (), {"path_info": "/xinghua/"})())
    assert response.status_code == 503 and "请过几分钟再试" in response.content.decode()


def test_a_failure_outside_the_view_is_a_503_too(monkeypatch, superuser):
    """The session is read by a middleware before the view: handler500 maps it."""
    from django.contrib.sessions.backends.db import SessionStore

    client = _client()
    client.force_login(superuser)
    gone = _unreachable_sqlite(None)

    def load(self):
        gone.cursor().execute("SELECT 1")

    monkeypatch.setattr(SessionStore, "load", load)
    response = client.get("/admin/")
    assert response.status_code == 503
    assert "网站暂时无法访问" in response.content.decode()


def test_other_database_errors_stay_500(monkeypatch):
    def find_for_request(request):
        raise _wrapped(sqlite3.OperationalError("database is locked"))

    monkeypatch.setattr(Site, "find_for_request", staticmethod(find_for_request))
    assert _client().get("/").status_code == 500


# A real PostgreSQL, stopped and started again -----------------------------------------------------


def _as_postgres(*command):
    prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    return subprocess.run([*prefix, *command], check=True, capture_output=True, timeout=60)


@pytest.fixture
def postgresql():
    if not os.path.exists(f"{PG_BIN}/initdb"):
        pytest.skip(f"PostgreSQL server binaries not found in {PG_BIN}")
    work = tempfile.mkdtemp(prefix="gongzhi-pgdown-")
    os.chmod(work, 0o755)
    data = os.path.join(work, "data")
    os.mkdir(data)
    if os.geteuid() == 0:
        shutil.chown(data, "postgres", "postgres")
    port = _free_port()
    _as_postgres(f"{PG_BIN}/initdb", "-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8")
    options = f"-c listen_addresses=127.0.0.1 -p {port} -k {data} -c fsync=off"

    def start():
        _as_postgres(
            f"{PG_BIN}/pg_ctl", "-D", data, "-l", f"{data}/log", "-w", "-o", options, "start"
        )

    def stop():
        _as_postgres(f"{PG_BIN}/pg_ctl", "-D", data, "-m", "fast", "-w", "stop")

    start()
    server = type("PostgreSQL", (), {"port": port, "start": staticmethod(start), "stop": stop})
    yield server
    subprocess.run(
        [*(["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []),
         f"{PG_BIN}/pg_ctl", "-D", data, "-m", "immediate", "stop"],
        capture_output=True,
    )  # fmt: skip
    shutil.rmtree(work, ignore_errors=True)


def test_postgresql_restart_is_a_503_then_the_worker_recovers_by_itself(
    postgresql, monkeypatch, settings
):
    # Our settings: CONN_HEALTH_CHECKS on, here with a persistent connection (CONN_MAX_AGE).
    assert settings.DATABASES["default"]["CONN_HEALTH_CHECKS"] is True
    handler = ConnectionHandler(
        {
            "default": {  # of this handler, not the suite's database
                "ENGINE": "django.db.backends.postgresql",
                "NAME": "postgres",
                "USER": "postgres",
                "HOST": "127.0.0.1",
                "PORT": postgresql.port,
                "CONN_MAX_AGE": 600,
                "CONN_HEALTH_CHECKS": settings.DATABASES["default"]["CONN_HEALTH_CHECKS"],
            }
        }
    )
    pg = handler["default"]
    original = Site.find_for_request

    def find_for_request(request):
        """The site, after a query on the real PostgreSQL."""
        pg.close_if_unusable_or_obsolete()  # what Django does at each request's start and end
        with pg.cursor() as cursor:
            cursor.execute("SELECT 1")
        return original(request)

    monkeypatch.setattr(Site, "find_for_request", staticmethod(find_for_request))

    def status(url="/"):
        return _client().get(url).status_code

    assert status() == 200
    persistent = pg.connection
    postgresql.stop()
    # The connection the database closed (admin shutdown), then refused connections.
    assert status() == 503 and status("/api/v3/pages/") == 503 and status() == 503
    postgresql.start()
    assert status() == 200  # the first request after the restart, on a new connection
    assert pg.connection is not persistent
    # A restart between two requests: the health check replaces the dead persistent connection
    # before the first query (without CONN_HEALTH_CHECKS that request would fail).
    persistent = pg.connection
    postgresql.stop()
    postgresql.start()
    assert status() == 200
    assert pg.connection is not persistent
    pg.close()
