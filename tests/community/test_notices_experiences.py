"""Notices (公示期 ordering, expired notices stay readable, finance tables) and experiences
(filters, pagination, featuring by district staff only), and what the home page shows."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from community.models import (
    CommunityPage,
    ExperienceFeature,
    ExperiencePage,
    ExperienceTheme,
    NoticeIndexPage,
    NoticePage,
)

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def _notice(board, slug, start, days, **fields):
    display_from = TODAY + datetime.timedelta(days=start)
    notice = NoticePage(
        title=fields.pop("title", slug),
        slug=slug,
        display_from=display_from,
        display_until=TODAY + datetime.timedelta(days=start + days) if days is not None else None,
        # Put up on its first day: a notice first published today must still have fifteen days.
        first_published_at=timezone.make_aware(
            datetime.datetime.combine(min(display_from, TODAY), datetime.time(9))
        ),
        **fields,
    )
    board.add_child(instance=notice)
    notice.save_revision().publish()
    return notice


def test_board_lists_current_notices_first_then_past_ones(client, yinxing):
    board = NoticeIndexPage.objects.child_of(yinxing).get()
    NoticePage.objects.child_of(board).delete()
    _notice(board, "old", -40, 15, title="早已期满")
    _notice(board, "older", -90, 15, title="更早期满")
    _notice(board, "long", -100, None, title="长期公示")
    _notice(board, "new", -1, 15, title="昨日开始")
    html = client.get(board.url).content.decode()
    current, past = html.split("<h2>往期公示</h2>")
    assert current.index("昨日开始") < current.index("长期公示")
    assert "早已期满" not in current and past.index("早已期满") < past.index("更早期满")


def test_expired_notice_stays_readable_and_says_so(client, shiqiao):
    board = NoticeIndexPage.objects.child_of(shiqiao).get()
    notice = _notice(board, "expired", -30, 15)
    html = client.get(notice.url).content.decode()
    until = notice.display_until
    assert f"本公示已于 {until.year}年{until.month}月{until.day}日 期满" in html
    assert notice.period_status() == "expired" and not notice.is_current


def test_display_period_cannot_end_before_it_starts(shiqiao):
    notice = NoticePage(
        title="x", slug="x", display_from=TODAY, display_until=TODAY - datetime.timedelta(days=1)
    )
    with pytest.raises(ValidationError) as error:
        notice.clean()
    assert "公示结束日期不能早于公示开始日期" in str(error.value)


def test_finance_table_renders_as_an_accessible_table(client, xinghua):
    notice = NoticePage.objects.descendant_of(xinghua).get(slug="finance-q3")
    html = client.get(notice.url).content.decode()
    assert "<caption>第三季度收支明细（单位：元）</caption>" in html
    assert '<th scope="col">项目</th>' in html and "<td>32,400.50</td>" in html
    assert 'role="region" aria-label="第三季度收支明细（单位：元）"' in html


def test_experience_index_filters_by_township_theme_and_tag(client, home):
    url = "/experiences/"
    everything = client.get(url).content.decode()
    assert "红白理事会让婚丧事办得简朴体面" in everything and "楼栋议事会" in everything
    dongcheng = client.get(url, {"township": "dongcheng"}).content.decode()
    assert "楼栋议事会" in dongcheng and "红白理事会让婚丧事" not in dongcheng
    theme = client.get(url, {"theme": "jifen-zhi"}).content.decode()
    assert "积分制管理激发村民参与" in theme and "楼栋议事会" not in theme
    tag = client.get(url, {"tag": "老旧小区"}).content.decode()
    assert "老旧小区适老化改造" in tag and "积分制管理" not in tag
    unknown = client.get(url, {"theme": "no-such"}).content.decode()  # ignored, not an error
    assert "红白理事会让婚丧事办得简朴体面" in unknown


def test_featured_experiences_come_first_with_a_badge(client):
    html = client.get("/experiences/").content.decode()
    featured = ExperiencePage.objects.filter(feature__isnull=False).values_list("title", flat=True)
    others = ExperiencePage.objects.filter(feature__isnull=True).values_list("title", flat=True)
    assert featured and others
    assert max(html.index(t) for t in featured) < min(html.index(t) for t in others)
    assert html.count('class="badge badge-featured">示范</span>') == len(featured)


def test_experience_index_paginates(client, yinxing):
    for n in range(13):
        page = ExperiencePage(title=f"分页经验{n:02d}", slug=f"paged-{n}", summary="摘要")
        yinxing.add_child(instance=page)
        page.save_revision().publish()
    first = client.get("/experiences/").content.decode()
    second = client.get("/experiences/", {"page": 2}).content.decode()
    listing = first.split('<ul class="card-list">')[1].split("</ul>")[0]
    assert listing.count("<li>") == 12 and "第 1 / 2 页" in first
    assert "第 2 / 2 页" in second and 'rel="prev"' in second
    assert client.get("/experiences/", {"page": "x"}).status_code == 200


def test_only_district_staff_can_feature(client, district_staff, committee_xinghua, reviewer_liuxi):
    page = ExperiencePage.objects.get(slug="points")
    url = "/admin/experiences/featured/"
    for user in (committee_xinghua, reviewer_liuxi):
        client.force_login(user)
        refused = client.post(url, {"page": page.pk, "action": "feature"})
        assert refused.status_code == 302 and refused["Location"] == "/admin/"  # Wagtail's 403
    assert not ExperienceFeature.objects.filter(page=page).exists()
    client.force_login(district_staff)
    assert "积分制管理激发村民参与" in client.get(url).content.decode()
    client.post(url, {"page": page.pk, "action": "feature", "reason": "可复制"})
    feature = ExperienceFeature.objects.get(page=page)
    assert feature.featured_by == district_staff and feature.history.count() == 1
    client.post(url, {"page": page.pk, "action": "unfeature"})
    assert not ExperienceFeature.objects.filter(page=page).exists()
    history = ExperienceFeature.history.filter(page_id=page.pk).order_by("history_date")
    assert [(h.history_type, h.history_change_reason, h.history_user) for h in history] == [
        ("+", "设为示范", district_staff),
        ("-", "取消示范", district_staff),
    ]  # who featured and unfeatured it, and the rows are kept


def test_committee_edit_never_unfeatures(client, committee_xinghua):
    page = ExperiencePage.objects.get(slug="hongbai")
    assert ExperienceFeature.objects.filter(page=page).exists()
    demo = ExperienceFeature.history.get(page_id=page.pk)  # the demo says who featured it
    assert (demo.history_user.username, demo.history_change_reason) == ("minzheng", "设为示范")
    page.summary = "改写后的摘要"
    page.save_revision(user=committee_xinghua).publish()
    assert ExperienceFeature.objects.filter(page=page).exists()


def test_home_page_shows_what_is_happening_now(client):
    html = client.get("/").content.decode()
    for heading in ("最新公示", "正在协商", "请您参与", "示范经验"):
        assert f"<h2>{heading}</h2>" in html
    assert "红白理事会让婚丧事办得简朴体面" in html  # featured
    assert "积分制管理激发村民参与" not in html  # not featured
    expired = NoticePage.objects.filter(display_until__lt=TODAY).values_list("title", flat=True)
    latest = html.split("<h2>最新公示</h2>")[1].split("</ul>")[0]
    assert all(title not in latest for title in expired)


def test_themes_are_the_controlled_list():
    assert list(ExperienceTheme.objects.values_list("name", flat=True)) == [
        "议事协商",
        "积分制",
        "红白理事会",
        "网格治理",
        "志愿服务",
        "适老化",
    ]
    assert CommunityPage.objects.count() == 5


def test_administrators_extend_the_theme_list_committees_cannot(
    client, superuser, committee_xinghua
):
    url = "/admin/snippets/community/experiencetheme/add/"
    client.force_login(committee_xinghua)
    assert client.get(url).status_code in (302, 403)
    client.force_login(superuser)
    client.post(url, {"name": "乡贤参事", "slug": "xiangxian", "sort_order": 9})
    assert ExperienceTheme.objects.filter(slug="xiangxian").exists()
    assert 'value="xiangxian"' in client.get("/experiences/").content.decode()


def test_home_page_lists_as_open_only_agendas_not_yet_held():
    from consultation.models import ConsultationPage
    from home.models import HomePage

    home = HomePage.objects.get()
    listed = set(home.latest(limit=100)["open_consultations"])
    agendas = ConsultationPage.objects.live().with_status()
    held = {a for a in agendas if a._has_record}
    assert held and listed
    assert listed == set(agendas) - held
