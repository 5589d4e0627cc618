"""Issue 16 item 4, what residents read: a community's 村务公开日历 / 居务公开日历 on the site (a
list per quarter, each item's status in words), its print view for the notice board with a QR
code, and the same entries from the API. Everything shown is public."""

import datetime
import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction

from cms.cache import _LOCAL
from community.disclosure.calendar import Status, calendar_for
from community.disclosure.periods import QUARTER, period_of
from community.models import NoticeIndexPage

from .calendar_helpers import disclose, new_community

pytestmark = pytest.mark.django_db


def _url(community, suffix=""):
    return f"{community.url}disclosure/{suffix}"


def test_a_resident_sees_which_items_of_the_demo_village_are_late(client, xinghua):
    calendar = calendar_for(xinghua)
    counts = calendar.counts()
    assert counts[Status.OVERDUE] >= 1 and counts[Status.LATE] >= 1 and counts[Status.ON_TIME] >= 3
    html = client.get(_url(xinghua)).content.decode()
    assert "<h1>杏花村村务公开日历</h1>" in html
    overdue = calendar.overdue()[0]
    assert "✗</span> 逾期未公开（已逾期" in html and overdue.item.name in html
    assert "逾期后公开（晚" in html and "✓</span> 已公开" in html
    assert "依据：村民委员会组织法（2025年修正）第三十五条" in html


def test_an_urban_community_has_a_residents_affairs_calendar(client, yinxing):
    html = client.get(_url(yinxing)).content.decode()
    assert "<h1>银杏社区居务公开日历</h1>" in html and "逾期未公开" in html


def test_a_disclosed_item_links_to_its_notice_and_date(client):
    village = new_community(joined=datetime.date(2020, 1, 1))
    quarter = period_of(datetime.date.today(), QUARTER)
    notice = disclose(village, ["village-decisions"], quarter.code, datetime.date.today())
    html = client.get(_url(village)).content.decode()
    assert f'href="{notice.url}"' in html and "未到期" in html


def test_the_community_page_and_the_notice_board_link_to_the_calendar(client, xinghua):
    assert f'href="{_url(xinghua)}"' in client.get(xinghua.url).content.decode()
    board = NoticeIndexPage.objects.child_of(xinghua).get()
    assert f'href="{_url(xinghua)}"' in client.get(board.url).content.decode()


def test_the_print_view_has_the_calendars_qr_code_and_address(client, xinghua):
    html = client.get(_url(xinghua, "print/")).content.decode()
    assert "<title>杏花村村务公开日历（打印版）</title>" in html
    assert "<svg" in html and "print.css" in html and "逾期未公开" in html
    assert f"http://testserver{_url(xinghua)}" in html


def test_a_chinese_slug_prints_its_address_in_chinese(client):
    village = new_community(slug="日历村")
    html = client.get(_url(village, "print/")).content.decode()
    assert "/日历村/disclosure/" in html
    assert "本页二维码：http://testserver/liuxi/%E6%97%A5%E5%8E%86%E6%9D%91/disclosure/" in html


def test_a_hidden_community_has_no_public_calendar(client):
    village = new_community()
    url = _url(village)
    PageViewRestriction.objects.create(page=village, restriction_type="login")
    assert client.get(url).status_code in (302, 401, 403)
    village.unpublish()
    assert client.get(url).status_code == 404


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def _with_notices(count):
    village = new_community(slug=f"n{count}", joined=datetime.date(2020, 1, 1))
    today = datetime.date.today()
    for n in range(count):
        disclose(village, ["village-other"], period_of(today, QUARTER).code, today, slug=f"n{n}")
    return village


def test_the_page_and_the_endpoint_ask_as_many_queries_for_5_as_for_50_notices(client, settings):
    settings.PAGE_CACHE_SECONDS = 0
    few, many = _with_notices(5), _with_notices(50)
    for url in (_url, lambda c: f"/api/v3/communities/{c.pk}/disclosure/"):
        _queries(client, url(few))  # warm Wagtail's site cache
        assert _queries(client, url(few)) == _queries(client, url(many))


def test_publishing_a_notice_refreshes_the_cached_calendar(client, settings):
    settings.PAGE_CACHE_SECONDS = 300
    cache.clear()
    _LOCAL.clear()
    village = new_community(joined=datetime.date(2020, 1, 1))
    assert client.get(_url(village)).headers["X-Page-Cache"] == "miss"
    assert client.get(_url(village)).headers["X-Page-Cache"] == "hit"
    today = datetime.date.today()
    disclose(village, ["village-decisions"], period_of(today, QUARTER).code, today, slug="fresh")
    response = client.get(_url(village))
    assert response.headers["X-Page-Cache"] == "miss" and "fresh" in response.content.decode()


def test_the_endpoint_serves_the_same_entries(client, xinghua):
    data = client.get(f"/api/v3/communities/{xinghua.pk}/disclosure/").json()
    assert data["title"] == "村务公开日历" and data["kind"] == "village"
    calendar = calendar_for(xinghua)
    assert len(data["entries"]) == len(calendar.entries) and data["counts"] == calendar.counts()
    done = next(e for e in data["entries"] if e["status"] == "on_time" and e["notice"])
    assert done["item"]["key"].startswith("village-") and "第三十五条" in done["item"]["basis"]
    assert (
        re.fullmatch(r"\d{4}Q[1-4]", done["period"]["code"]) and "季度" in done["period"]["label"]
    )
    assert done["notice"]["id"] and done["notice"]["url"].startswith("/liuxi/xinghua/")
    overdue = next(e for e in data["entries"] if e["status"] == "overdue")
    assert overdue["disclosed_on"] is None and overdue["days_late"] > 0 and overdue["due_on"]


def test_the_endpoint_is_described_in_openapi(client):
    paths = client.get("/api/v3/openapi.json").json()["paths"]
    assert "/api/v3/communities/{page_id}/disclosure/" in paths


@pytest.mark.parametrize("page_id", ["999999", "0", "abc", "9" * 30])
def test_the_endpoint_refuses_unknown_communities(client, page_id):
    response = client.get(f"/api/v3/communities/{page_id}/disclosure/")
    assert response.status_code in (400, 404, 422)


def test_the_endpoint_hides_a_hidden_community(client, xinghua):
    PageViewRestriction.objects.create(page=xinghua, restriction_type="login")
    assert client.get(f"/api/v3/communities/{xinghua.pk}/disclosure/").status_code == 404


def test_the_endpoint_does_not_count_a_restricted_notice(client):
    village = new_community(joined=datetime.date(2020, 1, 1))
    today = datetime.date.today()
    notice = disclose(village, ["village-decisions"], period_of(today, QUARTER).code, today)
    PageViewRestriction.objects.create(page=notice, restriction_type="login")
    data = client.get(f"/api/v3/communities/{village.pk}/disclosure/").json()
    assert all(e["notice"] is None for e in data["entries"])


def test_an_urban_calendar_says_its_deadlines_are_the_districts_not_the_laws(client, yinxing):
    html = client.get(_url(yinxing)).content.decode()
    assert "城市居民委员会组织法要求及时公布；按季度公开是本区的做法" in html
    assert "前公开（本区规定）" in html


def test_a_village_calendar_has_no_such_note(client, xinghua):
    html = client.get(_url(xinghua)).content.decode()
    assert "本区的做法" not in html and "（本区规定）" not in html


def test_a_notice_with_a_chinese_slug_is_linked_as_its_page_is(client):
    village = new_community(slug="日历村", joined=datetime.date(2020, 1, 1))
    today = datetime.date.today()
    notice = disclose(village, ["village-decisions"], period_of(today, QUARTER).code, today,
                      slug="第四季度决定公开")  # fmt: skip
    assert "%E7%AC%AC" in notice.url
    assert f'href="{notice.url}"' in client.get(_url(village)).content.decode()
    data = client.get(f"/api/v3/communities/{village.pk}/disclosure/").json()
    linked = next(e["notice"] for e in data["entries"] if e["notice"])
    assert linked == {"id": notice.pk, "title": notice.title, "url": notice.url}
