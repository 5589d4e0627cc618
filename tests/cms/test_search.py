"""Search that works in Chinese: the recall set, article anchors, scope, and what is never found."""

import pytest
from wagtail.models import Page, PageViewRestriction

from bench.recall_set import QUERIES, measure
from cms.ngrams import ngrams, query_terms
from cms.search import search
from community.models import CommunityPage, CovenantPage, NoticeIndexPage, NoticePage

pytestmark = pytest.mark.django_db


def test_ngrams_index_every_character_and_neighbour_pair():
    assert ngrams("红白喜事，从简") == "红 白 喜 事 红白 白喜 喜事 从 简 从简"
    assert ngrams("WiFi 5G覆盖") == "wifi 5g 覆 盖 覆盖"
    assert query_terms("红白喜事") == ["红白", "白喜", "喜事"]
    assert query_terms("喜") == ["喜"]
    assert query_terms("  ，。") == []


def test_every_exact_phrase_in_the_recall_set_is_found():
    rows = measure()
    assert len(rows) == len(QUERIES) >= 20
    missed = [(row.query, row.expected) for row in rows if not row.found]
    assert missed == []


def test_the_backend_alone_does_not_find_a_phrase_inside_a_sentence(xinghua):
    """Why the n-grams exist: Wagtail's database search on the text as written misses it."""
    notice = NoticePage.objects.descendant_of(xinghua).get(slug="hongbai")
    assert notice.title == "关于移风易俗、红白喜事简办的倡议"
    as_written = Page.objects.live().search("红白喜事", fields=["title"])
    assert notice.pk not in [page.pk for page in as_written]
    assert notice.pk in [
        page.pk for page in Page.objects.live().search("关于移风易俗", fields=["title"])
    ]
    assert notice.url in [hit.url for hit in search("红白喜事")]


def test_a_hit_in_a_covenant_links_to_its_article(client, xinghua):
    hit = next(hit for hit in search("封建迷信") if hit.exact)
    covenant = CovenantPage.objects.child_of(xinghua).get()
    assert hit.url == f"{covenant.url}#第五条" and hit.title == "杏花村村规民约 第五条"
    assert 'id="第五条"' in client.get(covenant.url).content.decode()
    assert hit.match == "封建迷信"


def test_community_search_stays_in_its_community(client, xinghua):
    html = client.get("/liuxi/xinghua/search/", {"q": "红白喜事"}).content.decode()
    assert "/liuxi/xinghua/notices/hongbai/" in html
    assert "/liuxi/shiqiao/" not in html and "/dongcheng/" not in html
    everywhere = client.get("/search/", {"q": "红白喜事"}).content.decode()
    assert "/liuxi/shiqiao/notices/hongbai/" in everywhere


def test_drafts_private_and_unpublished_pages_are_never_found(client, xinghua, committee_xinghua):
    board = NoticeIndexPage.objects.child_of(xinghua).get()
    notice = NoticePage(title="草稿", slug="secret", summary="只在草稿里的词语鹦鹉螺", live=False)
    board.add_child(instance=notice)
    notice.save_revision(user=committee_xinghua)
    assert search("鹦鹉螺") == []
    notice.get_latest_revision().publish()
    assert [hit.url for hit in search("鹦鹉螺")] == [notice.url]
    restriction = PageViewRestriction.objects.create(
        page=notice, restriction_type="password", password="x"
    )
    assert search("鹦鹉螺") == []
    restriction.delete()
    NoticePage.objects.get(pk=notice.pk).unpublish()
    assert search("鹦鹉螺") == []
    assert "没有找到包含“鹦鹉螺”的内容" in client.get("/search/", {"q": "鹦鹉螺"}).content.decode()


def test_search_page_escapes_and_bounds_the_query(client):
    response = client.get("/search/", {"q": "<script>alert(1)</script>"})
    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in response.content.decode()
    long = client.get("/search/", {"q": "红" * 500})
    assert long.status_code == 200 and "红" * 51 not in long.content.decode()
    assert "没有找到" not in client.get("/search/").content.decode()


def test_search_page_says_how_many_it_found(client):
    html = client.get("/search/", {"q": "红白喜事"}).content.decode()
    count = sum(1 for hit in search("红白喜事") if hit.exact)
    assert f"找到 {count} 处包含“红白喜事”的内容" in html
    assert "<mark>红白喜事</mark>" in html
    assert CommunityPage.objects.count() == 5


def test_searchable_page_types_are_found_from_wagtails_page_models():
    from cms.searchable import searchable_models
    from community.models import CovenantPage, ExperiencePage, NoticePage
    from consultation.models import ConsultationPage
    from home.models import HomePage

    found = set(searchable_models())
    assert found == {CovenantPage, NoticePage, ConsultationPage, ExperiencePage}
    assert HomePage not in found
