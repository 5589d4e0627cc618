"""The public covenant: numbered text, the current version, 历次修订, old versions, the diff."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from community import transitions as t
from tests.community.covenant_helpers import (
    BASE_TEXT,
    article,
    chapter,
    edit_draft,
    good_vote,
    make_covenant,
)

pytestmark = pytest.mark.django_db
D = datetime.date


def adopt(covenant, committee, reviewer, label, year):
    rev = t.start_revision(covenant, committee, reason=f"{year}年修订", started_on=D(year, 3, 1))
    t.begin_drafting(rev, committee)
    t.submit_for_review(rev, committee, submitted_on=D(year, 4, 1))
    t.review(rev, reviewer, passed=True, opinion="合法", reviewed_on=D(year, 4, 10))
    t.record_vote(
        rev, committee, **good_vote(meeting_date=D(year, 5, 1), notice_date=D(year, 4, 20))
    )
    t.record_filing(
        rev,
        reviewer,
        authority="柳溪镇人民政府",
        number=f"柳民备〔{year}〕1号",
        filed_on=D(year, 5, 5),
    )
    return t.publish_adopted_revision(
        rev, committee, version_label=label, published_on=D(year, 5, 8)
    )


V2_TEXT = [
    BASE_TEXT[0],
    chapter("c2", "移风易俗",
            article("a3", "红白喜事从简办理，婚事宴席不超过十五桌。"),
            article("a5", "实行垃圾分类，定时定点投放。"),
            article("a4", "倡导文明祭扫，不在山林焚烧纸钱。")),
]  # fmt: skip


@pytest.fixture
def adopted_twice(shiqiao, committee_shiqiao, reviewer_liuxi):
    covenant = make_covenant(shiqiao, committee_shiqiao)
    v1 = adopt(covenant, committee_shiqiao, reviewer_liuxi, "2023年版", 2023)
    edit_draft(covenant, committee_shiqiao, V2_TEXT)
    v2 = adopt(covenant, committee_shiqiao, reviewer_liuxi, "2026年修订", 2026)
    covenant.refresh_from_db()
    return covenant, v1, v2


def test_covenant_page_shows_numbered_text_and_current_version(client, adopted_twice):
    covenant, *_ = adopted_twice
    html = client.get(covenant.url).content.decode()
    assert '<h2 id="chapter-2">第二章 移风易俗</h2>' in html
    assert 'id="第四条"' in html and 'href="#第五条"' in html
    assert "现行版本：2026年修订" in html and "2026年5月8日起施行" in html
    assert "婚事宴席不超过十五桌" in html


def test_versions_list_and_old_text_stays_readable(client, adopted_twice):
    covenant, v1, _ = adopted_twice
    html = client.get(covenant.url + "versions/").content.decode()
    assert html.index("2026年修订") < html.index("2023年版")
    assert "柳民备〔2023〕1号" in html and "赞成 850" in html
    old = client.get(covenant.url + f"versions/{v1.pk}/").content.decode()
    assert "婚事宴席不超过二十桌" in old and "此为历史版本" in old
    assert client.get(covenant.url + "versions/999999/").status_code == 404


def test_diff_page_between_versions(client, adopted_twice):
    covenant, v1, v2 = adopted_twice
    html = client.get(covenant.url + f"versions/diff/?from={v1.pk}&to={v2.pk}").content.decode()
    assert "新增 1 条，删除 0 条，修改 1 条" in html
    assert "<del>二十</del><ins>十五</ins>" in html
    assert "原第四条 → 现第五条" in html
    default = client.get(covenant.url + "versions/diff/").content.decode()
    assert "<del>二十</del><ins>十五</ins>" in default


def test_diff_with_bad_versions_says_so(client, adopted_twice):
    covenant, *_ = adopted_twice
    response = client.get(covenant.url + "versions/diff/?from=abc&to=1")
    assert response.status_code == 400
    assert "请从列表中选择两个版本" in response.content.decode()


def test_unpublished_covenant_is_not_public(client, shiqiao, committee_shiqiao):
    covenant = make_covenant(shiqiao, committee_shiqiao)
    assert client.get("/liuxi/shiqiao/covenant/").status_code == 404
    assert covenant.live is False


def test_covenant_page_queries_do_not_grow_with_articles_or_versions(
    client, shiqiao, committee_shiqiao, reviewer_liuxi
):
    def count(url):
        client.get(url)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    covenant = make_covenant(shiqiao, committee_shiqiao)
    adopt(covenant, committee_shiqiao, reviewer_liuxi, "v1", 2020)
    small = [count(covenant.url), count(covenant.url + "versions/")]
    for year in range(2021, 2024):  # each version a different text: an identical one is refused
        many = [
            chapter(
                f"c{n}",
                f"第{n}部分",
                *(article(f"a{n}-{k}", f"条文 {n}-{k}（{year}）。") for k in range(10)),
            )
            for n in range(15)
        ]
        edit_draft(covenant, committee_shiqiao, many)
        adopt(covenant, committee_shiqiao, reviewer_liuxi, f"v{year}", year)
    large = [count(covenant.url), count(covenant.url + "versions/")]
    assert large == small
