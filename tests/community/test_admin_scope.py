"""No admin view shows another community's titles (docs/roles.md, admin scope).

A committee of 银杏社区 probes every admin view that takes page ids from the URL: the bulk actions'
confirmations, the move confirmation, the page chooser (browse and search), the explorer and the
page types usage report. None of them may show a draft, a pending retitle or a login-restricted
page of 杏花村 (another township) or 石桥村.
"""

import datetime
import json

import pytest
from django.urls import reverse
from wagtail.models import Page, PageViewRestriction

from community.models import NoticeIndexPage, NoticePage

pytestmark = pytest.mark.django_db

DRAFT = "未公开的低保名单草稿"
RETITLE = "尚未发布的新标题"
RESTRICTED = "仅限本村登录查看的公示"


@pytest.fixture
def secrets(xinghua):
    """Three pages of 杏花村 whose titles only its committee (and the district) may read."""
    board = NoticeIndexPage.objects.child_of(xinghua).get()
    today = datetime.date.today()

    def notice(slug, title, live=True):
        page = NoticePage(title=title, slug=slug, display_from=today, live=live)
        board.add_child(instance=page)
        if live:
            page.save_revision().publish()
        else:
            page.save_revision()
        return page

    draft = notice("draft-secret", DRAFT, live=False)
    retitled = notice("retitled", "已公示的旧标题")
    retitled.title = RETITLE
    retitled.save_revision()
    restricted = notice("restricted", RESTRICTED)
    PageViewRestriction.objects.create(page=restricted, restriction_type="login")
    return [draft, retitled, restricted]


@pytest.fixture
def yinxing_client(client, django_user_model):
    client.force_login(django_user_model.objects.get(username="weiyuan_yinxing"))
    return client


def _text(response) -> str:
    """The page as a person reads it (the chooser answers JSON holding its HTML)."""
    if response.get("Content-Type", "").startswith("application/json"):
        return json.dumps(response.json(), ensure_ascii=False)
    return response.content.decode()


def _assert_no_secret(response):
    assert response.status_code < 500
    body = _text(response)
    for title in (DRAFT, RETITLE, RESTRICTED):
        assert title not in body, title


@pytest.mark.parametrize("action", ["delete", "move", "publish", "unpublish"])
def test_bulk_action_confirmations_list_only_pages_in_scope(yinxing_client, secrets, action):
    ids = "&".join(f"id={page.pk}" for page in secrets)
    url = f"/admin/bulk/wagtailcore/page/{action}/?{ids}&next=/admin/"
    _assert_no_secret(yinxing_client.get(url))


def test_move_confirmation_of_anothers_page_is_refused(yinxing_client, secrets, yinxing):
    for page in secrets:
        url = reverse("wagtailadmin_pages:move_confirm", args=(page.pk, yinxing.pk))
        response = yinxing_client.get(url)
        _assert_no_secret(response)
        assert response.status_code in (302, 403, 404)


def test_move_confirmation_into_anothers_page_is_refused(yinxing_client, secrets, yinxing):
    own = NoticeIndexPage.objects.child_of(yinxing).get()
    for page in secrets:
        url = reverse("wagtailadmin_pages:move_confirm", args=(own.pk, page.pk))
        response = yinxing_client.get(url)
        _assert_no_secret(response)
        assert response.status_code in (302, 403, 404)


def test_page_chooser_browse_and_search_stay_in_scope(yinxing_client, secrets, xinghua):
    board = NoticeIndexPage.objects.child_of(xinghua).get()
    _assert_no_secret(
        yinxing_client.get(reverse("wagtailadmin_choose_page_child", args=(board.pk,)))
    )
    for q in ("公示", "标题", "草稿"):
        _assert_no_secret(yinxing_client.get(reverse("wagtailadmin_choose_page_search"), {"q": q}))


def test_chooser_still_offers_the_committees_own_pages(yinxing_client, yinxing):
    own = NoticeIndexPage.objects.child_of(yinxing).get()
    response = yinxing_client.get(reverse("wagtailadmin_choose_page_child", args=(yinxing.pk,)))
    assert response.status_code == 200
    assert own.title in _text(response)


def test_explorer_of_anothers_page_shows_no_secret(yinxing_client, secrets, xinghua):
    board = NoticeIndexPage.objects.child_of(xinghua).get()
    _assert_no_secret(
        yinxing_client.get(reverse("wagtailadmin_explore", args=(board.pk,)), follow=True)
    )


def test_page_types_usage_report_counts_and_names_only_pages_in_scope(yinxing_client, secrets):
    for url in ("/admin/reports/page-types-usage/", "/admin/reports/page-types-usage/results/"):
        response = yinxing_client.get(url)
        assert response.status_code == 200
        _assert_no_secret(response)


def test_district_staff_and_administrators_keep_the_whole_report(client, superuser, secrets):
    client.force_login(superuser)
    body = client.get("/admin/reports/page-types-usage/").content.decode()
    # The newest edit of the district is one of 杏花村's: an administrator sees it named.
    assert RETITLE in body or RESTRICTED in body or DRAFT in body


def test_admin_api_lists_only_pages_in_scope(yinxing_client, secrets, xinghua):
    board = NoticeIndexPage.objects.child_of(xinghua).get()
    for params in ({"child_of": board.pk}, {"search": "公示"}, {}):
        _assert_no_secret(yinxing_client.get("/admin/api/main/pages/", params))
    assert Page.objects.filter(title=DRAFT).exists()


@pytest.mark.parametrize(
    "url",
    [
        "/admin/pages/{n}/",
        "/admin/pages/{n}/edit/",
        "/admin/pages/{n}/move/5/confirm/",
        "/admin/pages/add/community/noticepage/{n}/",
        "/admin/choose-page/{n}/",
        "/admin/bulk/wagtailcore/page/delete/?id={n}",
    ],
)
def test_an_id_no_page_can_have_is_not_found(yinxing_client, url):
    """A 20-digit id in an admin URL is no page at all: 404 (400 in a query string, from
    cms/input_guard.py), never the database's overflow."""
    response = yinxing_client.get(url.format(n="99999999999999999999"))
    assert response.status_code == (400 if "?" in url else 404)


def test_record_listings_offer_only_communities_in_scope(yinxing_client):
    for url in (
        "/admin/community/covenantrevision/",
        "/admin/consultation/deliberation/",
        "/admin/consultation/decision/",
    ):
        body = yinxing_client.get(url).content.decode()
        for other in ("杏花村", "石桥村", "柳溪镇"):
            assert other not in body, (url, other)
