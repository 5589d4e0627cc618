"""Query budgets: count a request's queries at two sizes of content, with django-zeal watching
for N+1 patterns (it raises on the second lazy load of one relation from one line)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from zeal import zeal_context
from zeal.constants import initialize_app_registry
from zeal.patch import patch


@pytest.fixture(scope="session", autouse=True)
def _zeal():
    """django-zeal is a test tool, so it is not in INSTALLED_APPS: its ORM patch is applied here,
    and does nothing outside `zeal_context()`."""
    initialize_app_registry()
    patch()


@pytest.fixture(autouse=True)
def _zeal_allowlist(settings):
    """Wagtail routes a URL with one `get_children().get(slug=…)` per tree level: bounded by the
    depth of the tree, not by the content, so it is not an N+1."""
    settings.ZEAL_ALLOWLIST = [{"model": "wagtailcore.Page", "field": "get()"}]


def count_queries(client, url: str, status: int = 200) -> int:
    """Queries of one GET, with N+1 detection on; SAVEPOINTs (ATOMIC_REQUESTS inside the test's
    transaction) are not counted."""
    with zeal_context(), CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    return sum(1 for q in ctx.captured_queries if "SAVEPOINT" not in q["sql"])


def sql_of(client, url: str) -> list[str]:
    with CaptureQueriesContext(connection) as ctx:
        client.get(url)
    return [q["sql"] for q in ctx.captured_queries if "SAVEPOINT" not in q["sql"]]
