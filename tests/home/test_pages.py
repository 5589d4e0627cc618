import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from community.models import CommunityPage, NoticeIndexPage, TownshipPage
from consultation.models import ConsultationIndexPage

pytestmark = pytest.mark.django_db


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    # ATOMIC_REQUESTS wraps each request; inside a test's transaction that shows as SAVEPOINTs.
    return sum(1 for q in ctx.captured_queries if "SAVEPOINT" not in q["sql"])


def _grow_district(home, townships: int = 3, communities_each: int = 4) -> None:
    for t in range(townships):
        township = TownshipPage(title=f"新设{t}镇", slug=f"grow-{t}")
        home.add_child(instance=township)
        for c in range(communities_each):
            community = CommunityPage(
                title=f"新设{t}镇{c}村", slug=f"c{c}", households=100, adult_residents=250
            )
            township.add_child(instance=community)
            community.ensure_sections()


def test_home_lists_townships_and_their_communities(client):
    html = client.get("/").content.decode()
    assert "<h1>清河区村(居)民自治公开平台</h1>" in html
    for name in ("柳溪镇", "东城街道", "杏花村", "石桥村", "南山村", "银杏社区", "和平里社区"):
        assert name in html
    assert 'href="/liuxi/xinghua/"' in html


def test_community_page_shows_sections_facts_and_contact(client):
    html = client.get("/liuxi/xinghua/").content.decode()
    assert 'href="/liuxi/xinghua/notices/">村务公开</a>' in html
    assert 'href="/liuxi/xinghua/consultations/">协商议事</a>' in html
    assert "<dd>612</dd>" in html and "<dd>1686</dd>" in html
    assert "杏花村村民委员会" in html
    assert 'href="tel:0571-88126601"' in html


def test_breadcrumbs_follow_the_tree(client):
    html = client.get("/liuxi/xinghua/notices/").content.decode()
    nav = html.split('aria-label="当前位置"', 1)[1].split("</nav>", 1)[0]
    assert nav.index("清河区") < nav.index("柳溪镇") < nav.index("杏花村") < nav.index("村务公开")
    assert '<li aria-current="page">村务公开</li>' in nav


def test_pages_are_mobile_ready_and_load_nothing_external(client):
    for url in ("/", "/liuxi/", "/liuxi/xinghua/", "/dongcheng/yinxing/notices/"):
        html = client.get(url).content.decode()
        assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in html
        assert '<html lang="zh-Hans">' in html
        assert "http://" not in html and "https://" not in html and "//cdn" not in html


# Query budgets: a page's query count does not grow with the size of the district.
# Wagtail routing costs two queries per tree level; the rest is ours, one or two per page.
# The notice board: view restrictions (`.public()`), current notices, 往期公示.
# The home page: unreachable subtrees (2), latest notices, open agendas and forms, featured
# experiences, the experience index.
BUDGETS = {"/": 14, "/liuxi/": 8, "/liuxi/xinghua/": 12, "/liuxi/xinghua/notices/": 14}


@pytest.mark.parametrize("url", BUDGETS)
def test_public_pages_run_a_bounded_number_of_queries(client, home, url):
    client.get(url)  # warm the site-root cache, as on any running server
    small = _queries(client, url)
    _grow_district(home)
    large = _queries(client, url)
    assert small <= BUDGETS[url]
    assert large == small, f"{url}: {small} queries with 2 townships, {large} with 5"


def test_draft_pages_are_not_public(client, liuxi):
    liuxi.get_children().filter(slug="xinghua").update(live=False)
    assert client.get("/liuxi/xinghua/").status_code == 404
    assert "杏花村" not in client.get("/").content.decode()


def test_empty_sections_say_so(client, home):
    _grow_district(home, townships=1, communities_each=1)
    assert "暂无公示内容" in client.get("/grow-0/c0/notices/").content.decode()
    assert "暂无协商议题" in client.get("/grow-0/c0/consultations/").content.decode()
    assert NoticeIndexPage.objects.count() == ConsultationIndexPage.objects.count() == 6


def test_a_large_district_home_page_lists_townships_with_their_counts(client, monkeypatch):
    from home.models import HomePage

    monkeypatch.setattr(HomePage, "lists_communities_up_to", 2)
    html = client.get("/").content.decode()
    assert '<a href="/liuxi/">查看 3 个村（社区）</a>' in html
    assert '<a href="/dongcheng/">查看 2 个村（社区）</a>' in html
    assert 'href="/liuxi/xinghua/"' not in html.split("乡镇（街道）与村（社区）")[1]
    monkeypatch.setattr(HomePage, "lists_communities_up_to", 60)
    html = client.get("/").content.decode()
    assert 'href="/liuxi/xinghua/">杏花村</a>' in html and "查看 3 个" not in html


def test_a_large_district_home_page_costs_the_same_at_any_size(client, home, monkeypatch):
    from home.models import HomePage

    monkeypatch.setattr(HomePage, "lists_communities_up_to", 0)
    client.get("/")
    small = _queries(client, "/")
    _grow_district(home)
    assert _queries(client, "/") == small
