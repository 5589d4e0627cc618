"""The draft open for comment as residents read it (issue 17, items 1, 5 and 7): draft/, its form,
the post, the 意见采纳情况说明 and its print view."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from community.models import Opinion
from tests.community.covenant_helpers import freeze_today
from tests.community.opinion_helpers import (
    covenant_in_force,
    draft_path,
    made_here,
    open_window,
    opinion,
)

pytestmark = pytest.mark.django_db
POST = "/_opinion/covenant/{}/"


@pytest.fixture
def covenant(shiqiao, committee_shiqiao, reviewer_liuxi):
    return covenant_in_force(shiqiao, committee_shiqiao, reviewer_liuxi)


@pytest.fixture
def window(covenant, committee_shiqiao):
    return open_window(covenant, committee_shiqiao)


def _html(response) -> str:
    return response.content.decode()


def _article(html: str, label: str) -> str:
    """The markup of one article of the draft page."""
    start = html.index(f'id="{label}"')
    end = html.find('class="article draft-article"', start + 10)
    return html[start : end if end > 0 else len(html)]


def test_no_window_no_draft_page(client, covenant):
    assert client.get(draft_path(covenant)).status_code == 404
    assert client.get(draft_path(covenant, "report/")).status_code == 404
    assert client.get(draft_path(covenant, "opinion/")).status_code == 404


def test_the_draft_page_shows_the_saved_draft_numbered_with_its_diff(
    client, window, covenant, committee_shiqiao
):
    # a later edit of the draft is not what residents read
    from tests.community.covenant_helpers import edit_draft
    from tests.community.opinion_helpers import DRAFT

    later = [DRAFT[0], {**DRAFT[1], "value": {**DRAFT[1]["value"], "title": "之后的修改LATEREDIT"}}]
    edit_draft(covenant, committee_shiqiao, later)
    html = _html(client.get(draft_path(covenant)))
    assert "LATEREDIT" not in html and "草案征求意见中" in html
    fifth = _article(html, "第五条")
    assert "<ins>" in fifth and "定时定点" in fifth and "badge-changed" in fifth
    assert "badge-added" in _article(html, "第六条")
    assert "?article=a5" in fifth and "对本条提意见" in fifth
    assert "对草案整体提意见" in html


def test_published_opinions_appear_under_their_article_with_the_answer(client, window, covenant):
    opinion(
        window,
        "a5",
        "建议写明每天投放时间。",
        answer="adopted",
        answer_reason="已写入。",
        adopted_in="a6",
    )
    opinion(window, "a5", "待审核的意见PENDINGTEXT", status=Opinion.Status.PENDING)
    opinion(window, "a5", "辱骂REJECTEDTEXT", status=Opinion.Status.REJECTED, reject_reason="abuse")
    opinion(
        window,
        "a5",
        "原文含电话13700001111",
        public_text="原文含电话（已删去）",
        name="钱晓梅",
        mobile="13700001111",
    )
    opinion(window, "", "整体上赞成。")
    opinion(window, "gone", "对一条已删去的条文的意见。")
    html = _html(client.get(draft_path(covenant)))
    fifth = _article(html, "第五条")
    assert "建议写明每天投放时间。" in fifth and "采纳" in fifth and "写入草案第六条" in fifth
    assert "原文含电话（已删去）" in fifth
    for secret in ("PENDINGTEXT", "REJECTEDTEXT", "13700001111", "钱晓梅"):
        assert secret not in html
    assert "1 条意见未予公开：辱骂 1 条" in html
    assert "整体上赞成。" in html and "对原第九条的意见" in html


def test_before_the_window_opens_nothing_of_the_draft_or_its_opinions(
    client, covenant, committee_shiqiao
):
    today = timezone.localdate()
    window = open_window(covenant, committee_shiqiao, opens_on=today + datetime.timedelta(days=3),
                         closes_on=today + datetime.timedelta(days=30))  # fmt: skip
    opinion(window, "a5", "提前录入的意见EARLY")
    for suffix in ("", "report/", "report/print/", "opinion/?article=a5"):
        response = client.get(draft_path(covenant, suffix))
        html = _html(response)
        assert response.status_code == 200, suffix
        assert "EARLY" not in html and "定时定点" not in html and "将于" in html, suffix
        assert 'name="text"' not in html
    assert "将于" in _html(client.get(covenant.url))


def test_after_the_window_the_answers_stay_but_the_form_goes(client, window, covenant, monkeypatch):
    opinion(window, "a5", "意见甲", answer="not_adopted", answer_reason="与上位法不符。")
    freeze_today(monkeypatch, window.closes_on + datetime.timedelta(days=1))
    html = _html(client.get(draft_path(covenant)))
    assert "已于" in html and "意见甲" in html and "与上位法不符。" in html
    assert "对本条提意见" not in html
    assert 'name="text"' not in _html(client.get(draft_path(covenant, "opinion/?article=a5")))
    assert "查看草案征求意见" in _html(client.get(covenant.url))
    response = client.post(POST.format(covenant.pk), {"article": "a5", "text": "晚了"})
    assert response.status_code == 409 and "不再接收意见" in _html(response)
    assert made_here().count() == 1


def test_a_resident_comments_through_the_form(client, window, covenant):
    form = client.get(draft_path(covenant, "opinion/?article=a5"))
    html = _html(form)
    assert "对第五条提意见" in html and "csrfmiddlewaretoken" not in html
    # The revision names its covenant (CovenantRevision.__str__): the title once, not twice.
    assert f"{covenant.title} · {covenant.title}" not in html
    assert f'<p class="meta">{covenant.title} · 征集民意的征求意见稿</p>' in html
    assert f'action="{POST.format(covenant.pk)}"' in html
    response = client.post(POST.format(covenant.pk), {"article": "a5", "text": "建议增加投放点。"})
    assert response.status_code == 303 and response["Location"].endswith("draft/?sent=pending#sent")
    assert "意见已收到，经村(居)委会审核后公开" in _html(client.get(response["Location"]))
    assert made_here().get().article_label == "第五条"


def test_the_form_shows_errors_in_chinese_never_a_500(client, window, covenant):
    url = POST.format(covenant.pk)
    for data, words in (
        ({"article": "a5", "text": ""}, "请写下您的意见"),
        ({"article": "a5", "text": "x\x00"}, "无法识别的字符"),
        ({"article": "a5", "text": "好", "mobile": "１２３"}, "11 位手机号码"),
        ({"article": "a5", "text": "长" * 100_000}, "太长"),
        ({"article": "zzz", "text": "好"}, "征求意见稿中没有这一条"),
        ({"article": "a5", "text": "好", "name": "王"}, "请勾选同意"),
    ):
        response = client.post(url, data)
        assert response.status_code == 422 and words in _html(response), data
    raw = client.post(
        url, b"article=a5&text=%ED%A0%80", content_type="application/x-www-form-urlencoded"
    )
    assert raw.status_code < 500
    assert not made_here().exists()


def test_an_unknown_article_on_the_form_page_says_so(client, window, covenant):
    response = client.get(draft_path(covenant, "opinion/?article=nope"))
    assert response.status_code == 404 and "征求意见稿中没有这一条" in _html(response)


def test_a_post_from_another_site_is_refused(client, window, covenant):
    response = client.post(POST.format(covenant.pk), {"article": "a5", "text": "好"},
                           HTTP_SEC_FETCH_SITE="cross-site")  # fmt: skip
    assert response.status_code == 403 and not made_here().exists()


def test_the_post_honours_the_rate_limit_with_retry_after(client, window, covenant, settings):
    settings.FORM_RATE_LIMIT = (1, 600)
    url = POST.format(covenant.pk)
    assert client.post(url, {"article": "a5", "text": "一"}).status_code == 303
    response = client.post(url, {"article": "a5", "text": "二"})
    assert response.status_code == 429 and response["Retry-After"]
    assert "提交太频繁" in _html(response)


def test_the_report_lists_opinions_by_article_with_totals(client, window, covenant):
    opinion(window, "a5", "意见一", answer="adopted", answer_reason="采纳理由", adopted_in="a5")
    opinion(window, "a5", "意见二", source="meeting", answer="partly", answer_reason="部分理由")
    opinion(window, "a2", "意见三", source="box", answer="explained", answer_reason="说明理由")
    opinion(window, "gone", "意见四", source="paper")
    opinion(window, "a5", "广告ADTEXT", status=Opinion.Status.REJECTED, reject_reason="advertising")
    opinion(window, "a5", "待审PENDINGTEXT", status=Opinion.Status.PENDING)
    html = _html(client.get(draft_path(covenant, "report/")))
    assert "共收到意见 6 条" in html and "公开 4 条" in html and "1 条尚未答复" in html
    assert re.search(r"座谈会</th><td>1<", html) and re.search(r"网上提交</th><td>3<", html)
    assert re.search(r"采纳</th><td>1<", html) and re.search(r"广告</th><td>1<", html)
    assert html.index("report-第二条") < html.index("report-第五条") < html.index("原第九条")
    assert "写入草案第五条" in html
    assert "ADTEXT" not in html and "PENDINGTEXT" not in html
    printed = _html(client.get(draft_path(covenant, "report/print/")))
    assert "意见一" in printed and "<svg" in printed and "打印版" in printed
    assert "ADTEXT" not in printed


def _count_queries(client, url) -> int:
    client.get(url)  # the fragment caches and the site's lookups warmed
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("suffix", ["", "report/", "report/print/"])
def test_query_count_is_the_same_for_5_and_500_opinions(
    client, window, covenant, suffix, django_assert_num_queries
):
    for i in range(5):
        opinion(window, "a5", f"意见{i}", answer="adopted", answer_reason="理由")
    url = draft_path(covenant, suffix)
    few = _count_queries(client, url)
    Opinion.objects.bulk_create(
        Opinion(revision=window.revision, community_id=window.community_id, draft_id=window.draft_id,
                article_id=("a1", "a5", "", "gone")[i % 4], article_label="第五条", text=f"批量{i}",
                status=("approved", "rejected", "pending")[i % 3],
                reject_reason="duplicate" if i % 3 == 1 else "", answer="explained" if i % 2 else "")
        for i in range(495)
    )  # fmt: skip
    with django_assert_num_queries(few):
        assert client.get(url).status_code == 200
    assert few <= 17  # routing, the site, the covenant's versions, the window, the texts, counts


def test_the_covenant_page_links_to_the_open_draft_with_no_query_per_article(
    client, covenant, committee_shiqiao
):
    without = _count_queries(client, covenant.url)  # asks for the window, and finds none
    open_window(covenant, committee_shiqiao)
    assert _count_queries(client, covenant.url) == without
    html = _html(client.get(covenant.url))
    assert "草案征求意见中" in html and f'href="{covenant.url}draft/"' in html


def test_an_opinion_going_public_drops_the_cached_draft_page(client, window, covenant, settings):
    settings.PAGE_CACHE_SECONDS = 60
    url = draft_path(covenant)
    assert client.get(url)["X-Page-Cache"] == "miss"
    assert client.get(url)["X-Page-Cache"] == "hit"
    pending = opinion(window, "a5", "新意见", status=Opinion.Status.PENDING)
    assert client.get(url)["X-Page-Cache"] == "hit"  # a pending opinion changes nothing shown
    pending.status = Opinion.Status.APPROVED
    pending.save()
    response = client.get(url)
    assert response["X-Page-Cache"] == "miss" and "新意见" in _html(response)
    pending.answer, pending.answer_reason = "explained", "答复内容"
    pending.save()
    assert "答复内容" in _html(client.get(url))
