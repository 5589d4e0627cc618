"""Redis is an accelerator (issue 18, cms/resilience.py): with a real redis-server stopped or hung,
pages, the API, form answers and the admin publish keep working, a hung Redis costs one timeout
per breaker period, and a publish made meanwhile is never lost once Redis is back."""

import logging
import time

import pytest
from django.core.cache import cache
from django.urls import reverse
from wagtail.models import PageLogEntry
from wagtail.test.utils.form_data import rich_text

from cms import cache as page_cache
from cms.resilience import CacheUnavailable, CircuitBreaker, reset_breakers, strict
from community.models import NoticeIndexPage
from consultation.models import CommunityFormSubmission, RateCounter
from tests.cms.redis_server import RedisServer
from tests.consultation.test_forms import ANSWER, field_names, make_form

pytestmark = pytest.mark.django_db

BREAKER = 0.5  # seconds the breaker stays open in these tests
WINDOW = 0.3  # PAGE_CACHE_GENERATION_SECONDS


@pytest.fixture(scope="session")
def redis_server():
    server = RedisServer()
    server.start()
    yield server
    server.close()


def _use(settings, server) -> None:
    settings.CACHES = {
        "default": {
            "BACKEND": "cms.resilience.ResilientRedisCache",
            "LOCATION": server.url,
            "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.25},
        }
    }
    settings.CACHE_BREAKER_SECONDS = BREAKER
    settings.PAGE_CACHE_SECONDS = 300
    settings.PAGE_CACHE_GENERATION_SECONDS = WINDOW
    settings.PAGE_CACHE_LOCAL_BYTES = 0  # every hit from Redis itself
    reset_breakers()
    page_cache._LOCAL.clear()
    page_cache._seen.update(generation=None, at=0.0)


@pytest.fixture
def redis(settings, redis_server):
    redis_server.ensure_up()
    redis_server.command("FLUSHALL")
    _use(settings, redis_server)
    yield redis_server
    redis_server.ensure_up()
    reset_breakers()


@pytest.fixture
def persistent_redis(settings):
    """A Redis that keeps its data across a stop (AOF): the old entries come back with it."""
    server = RedisServer(persistent=True)
    server.start()
    _use(settings, server)
    yield server
    server.close()
    reset_breakers()


def _notices(community) -> NoticeIndexPage:
    return NoticeIndexPage.objects.child_of(community).get()


def _publish(client, page, title):
    url = reverse("wagtailadmin_pages:edit", args=(page.pk,))
    data = {"title": title, "slug": page.slug, "intro": rich_text("本栏目按月更新。")}
    return client.post(url, {**data, "action-publish": "publish"})


def _answer_html(client, form, address="10.1.0.1"):
    names = field_names(form)
    data = {names.get(k, k): v for k, v in ANSWER.items()}
    return client.post(form.url, data, REMOTE_ADDR=address)


def _wait_past_breaker_and_window():
    time.sleep(max(BREAKER, WINDOW) + 0.2)


def test_the_page_cache_uses_the_real_redis(client, redis, xinghua):
    url = _notices(xinghua).url
    assert client.get(url).headers["X-Page-Cache"] == "miss"
    assert client.get(url).headers["X-Page-Cache"] == "hit"
    assert int(redis.command("DBSIZE").lstrip(":")) > 0


def test_with_redis_stopped_the_site_the_api_answers_and_publishing_work(
    client, redis, xinghua, yinxing, committee_xinghua
):
    notices = _notices(xinghua)
    form = make_form(yinxing)
    assert client.get(notices.url).status_code == 200
    redis.stop()

    # Anonymous pages, served uncached, and the API.
    for url in ("/", xinghua.url, notices.url, "/search/?q=公约"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.headers.get("X-Page-Cache") != "hit"
    assert client.get("/api/v3/pages/?limit=5").status_code == 200
    assert client.get(f"/api/v3/forms/{form.pk}/").status_code == 200

    # Form answers, HTML and API, counted in the database (RateCounter) meanwhile.
    before = CommunityFormSubmission.objects.filter(page=form).count()
    answered = _answer_html(client, form)
    assert answered.status_code == 200 and "已收到" in answered.content.decode()
    names = field_names(form)
    api = client.post(
        f"/api/v3/forms/{form.pk}/submissions/",
        {"answers": {names["您的建议"]: "楼道灯不亮。", names["同意为回访使用手机号码"]: True}},
        content_type="application/json",
        REMOTE_ADDR="10.1.0.2",
    )
    assert api.status_code == 201, api.content
    assert CommunityFormSubmission.objects.filter(page=form).count() == before + 2
    assert RateCounter.objects.count() == 2

    # The admin, and a publish with its log entry.
    client.force_login(committee_xinghua)
    assert client.get("/admin/").status_code == 200
    response = _publish(client, notices, "村务公开栏（停机时发布）")
    assert response.status_code == 302, response.content[:500]
    notices.refresh_from_db()
    assert notices.title == "村务公开栏（停机时发布）" and notices.live
    assert PageLogEntry.objects.filter(page=notices, action="wagtail.publish").exists()


def test_the_rate_limit_holds_in_the_database_while_redis_is_away(client, redis, yinxing, settings):
    settings.FORM_RATE_LIMIT = (2, 600)
    form = make_form(yinxing)
    redis.stop()
    assert _answer_html(client, form).status_code == 200
    assert _answer_html(client, form).status_code == 200
    refused = _answer_html(client, form)
    assert refused.status_code == 429 and "提交太频繁" in refused.content.decode()
    assert RateCounter.objects.get().count == 2


def test_a_hung_redis_costs_one_timeout_per_breaker_period(
    client, redis, xinghua, settings, monkeypatch
):
    settings.CACHE_BREAKER_SECONDS = 30  # the whole test within one period
    failures = []
    failed = CircuitBreaker.failed
    monkeypatch.setattr(
        CircuitBreaker, "failed", lambda self, exc: (failures.append(exc), failed(self, exc))
    )
    url = _notices(xinghua).url
    client.get(url)
    redis.pause()
    started = time.monotonic()
    for _ in range(10):
        assert client.get(url).status_code == 200
    elapsed = time.monotonic() - started
    assert len(failures) == 1, failures  # one read timed out; the nine other requests never waited
    # Without the breaker: ten requests × several cache calls × 0.25 s at least.
    assert elapsed < 10 * 0.25, elapsed


def test_the_breaker_logs_once_per_opening_probes_once_and_closes(settings, caplog):
    settings.CACHE_BREAKER_SECONDS = 0.2
    breaker = CircuitBreaker("Redis cache test")
    with caplog.at_level(logging.WARNING, logger="cms.resilience"):
        breaker.failed(ConnectionError("refused"))
        assert not breaker.allow()
        time.sleep(0.25)
        assert breaker.allow()  # half-open: one probe
        assert not breaker.allow()  # and only one
        breaker.failed(ConnectionError("refused again"))  # the same outage: no new warning
        time.sleep(0.25)
        assert breaker.allow()
        breaker.succeeded()
        assert breaker.allow() and breaker.allow()
    messages = [r.getMessage() for r in caplog.records]
    assert len([m for m in messages if "unavailable" in m]) == 1, messages
    assert len([m for m in messages if "is back" in m]) == 1, messages


def test_strict_callers_learn_that_the_cache_is_away(redis):
    redis.stop()
    assert cache.get("x", "fallback") == "fallback"  # a plain read misses
    cache.set("x", 1)  # a plain write is dropped
    with pytest.raises(CacheUnavailable), strict():
        cache.get("x")
    with pytest.raises(CacheUnavailable):
        cache.incr("x")  # no value to make up


def test_a_publish_while_redis_hangs_is_not_lost_when_it_is_back(
    client, redis, xinghua, committee_xinghua
):
    notices = _notices(xinghua)
    anonymous = client.__class__()
    assert anonymous.get(notices.url).headers["X-Page-Cache"] == "miss"
    assert anonymous.get(notices.url).headers["X-Page-Cache"] == "hit"

    redis.pause()  # hung: its data (the old page) stays
    client.force_login(committee_xinghua)
    assert _publish(client, notices, "村务公开栏（挂起时发布）").status_code == 302
    assert PageLogEntry.objects.filter(page=notices, action="wagtail.publish").exists()
    redis.resume()
    _wait_past_breaker_and_window()

    assert int(redis.command("DBSIZE").lstrip(":")) > 0  # the old entry is still in Redis
    response = anonymous.get(notices.url)
    assert "村务公开栏（挂起时发布）" in response.content.decode()
    assert response.headers["X-Page-Cache"] == "miss"
    assert anonymous.get(notices.url).headers["X-Page-Cache"] == "hit"  # and cached again


def test_a_publish_while_redis_is_stopped_is_not_lost_after_its_restart(
    client, persistent_redis, xinghua, committee_xinghua
):
    notices = _notices(xinghua)
    anonymous = client.__class__()
    anonymous.get(notices.url)
    assert anonymous.get(notices.url).headers["X-Page-Cache"] == "hit"

    persistent_redis.stop()
    client.force_login(committee_xinghua)
    assert _publish(client, notices, "村务公开栏（停机时发布）").status_code == 302
    assert PageLogEntry.objects.filter(page=notices, action="wagtail.publish").exists()
    assert "村务公开栏（停机时发布）" in anonymous.get(notices.url).content.decode()  # uncached

    persistent_redis.start()  # with the old page in its AOF
    assert int(persistent_redis.command("DBSIZE").lstrip(":")) > 0
    _wait_past_breaker_and_window()
    response = anonymous.get(notices.url)
    assert "村务公开栏（停机时发布）" in response.content.decode()
    assert "村务公开栏（停机时发布）" in anonymous.get(notices.url).content.decode()


def test_another_process_sees_the_publish_within_the_generation_window(redis, xinghua):
    """The generation is the database's: a process that did not publish reads it at most a window
    late, whatever Redis holds."""
    first = page_cache.current_generation()
    page_cache.invalidate()  # as if another process published (its transaction is ours here)
    page_cache._seen.update(generation=first, at=time.monotonic())  # this process's last look
    assert page_cache.current_generation() == first  # within the window
    time.sleep(WINDOW + 0.05)
    assert page_cache.current_generation() > first
