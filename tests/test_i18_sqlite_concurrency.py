"""The embedded default holds its own (issue 18, item 4): on SQLite a read never takes the write
lock, a write waits for it, and `quickstart`'s real server under 20 writers and 20 readers answers
no 5xx and stores every acknowledged answer exactly once (writers race in pairs on one
Idempotency-Key). PostgreSQL keeps ATOMIC_REQUESTS as it was."""

import json

import pytest
from django.db import connection
from django.http import HttpResponse
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from bench.sqlite_concurrency import ERRORS, open_form, quickstart_server, run_load, stored_ids
from cms.transactions import WriteRequestTransactionMiddleware
from consultation.models import RateCounter
from tests.consultation.test_forms import ANSWER, make_form, post
from tests.test_settings import _run

SETTINGS_PROBE = (
    "import json, django; from django.conf import settings as s; django.setup(); "
    "db = s.DATABASES['default']; print(json.dumps({'atomic': db['ATOMIC_REQUESTS'], "
    "'options': db.get('OPTIONS', {}), 'middleware': s.MIDDLEWARE}))"
)
WRITE_MIDDLEWARE = "cms.transactions.WriteRequestTransactionMiddleware"


def _probe(**env):
    result = _run(["-c", SETTINGS_PROBE], **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_sqlite_writes_wait_for_the_lock_and_only_writing_requests_are_transactions():
    s = _probe()
    assert s["atomic"] is False and s["middleware"][-1] == WRITE_MIDDLEWARE
    assert s["options"]["transaction_mode"] == "IMMEDIATE"
    assert s["options"]["timeout"] >= 20
    assert "journal_mode=WAL" in s["options"]["init_command"]


def test_postgresql_keeps_a_transaction_per_request():
    s = _probe(DATABASE_URL="postgres://u:p@db.example:5432/gongzhi", SECRET_KEY="x" * 60)
    assert s["atomic"] is True and WRITE_MIDDLEWARE not in s["middleware"]
    assert "timeout" not in s["options"] and "transaction_mode" not in s["options"]


@pytest.mark.django_db
def test_a_page_view_opens_no_transaction_and_an_answer_does(client, yinxing):
    page = make_form(yinxing)
    with CaptureQueriesContext(connection) as reading:
        assert client.get(page.url).status_code == 200
    read_savepoints = [q for q in reading.captured_queries if "SAVEPOINT" in q["sql"]]
    if connection.vendor == "sqlite":
        assert not read_savepoints  # a page view never takes SQLite's write lock
    else:
        assert read_savepoints  # PostgreSQL keeps ATOMIC_REQUESTS: every request one transaction
    with CaptureQueriesContext(connection) as writing:
        assert post(client, page, ANSWER).status_code == 200
    assert [q for q in writing.captured_queries if "SAVEPOINT" in q["sql"]]


@pytest.mark.django_db
def test_a_writing_request_whose_view_raises_leaves_nothing_behind():
    request = RequestFactory().post("/")

    def view_that_fails(request):
        RateCounter.objects.create(key="half a change", expires_at="2030-01-01T00:00Z")
        middleware.process_exception(request, ValueError("after the write"))  # as Django does
        return HttpResponse(status=500)

    middleware = WriteRequestTransactionMiddleware(view_that_fails)
    assert middleware(request).status_code == 500
    assert not RateCounter.objects.exists()


def test_quickstart_server_under_20_writers_and_20_readers_answers_no_5xx_and_loses_nothing(
    tmp_path,
):
    with quickstart_server(tmp_path) as (base, database):
        page_id, answers = open_form(base, database)
        before = stored_ids(database, page_id)
        result = run_load(base, page_id, answers, writers=20, readers=20, seconds=5)
        new = stored_ids(database, page_id) - before
    assert result.failures() == 0, (dict(result.statuses), dict(ERRORS))
    assert {status for (_kind, status) in result.statuses} == {200, 201}
    reads = sum(n for (kind, _s), n in result.statuses.items() if kind == "read")
    assert reads >= 20 and len(result.acknowledged) >= 10
    # Both tries of a key were answered with one id, and that answer is stored once.
    assert all(len(ids) == 1 for ids in result.acknowledged.values())
    acknowledged = set().union(*result.acknowledged.values())
    assert set(new) == acknowledged and all(n == 1 for n in new.values())
