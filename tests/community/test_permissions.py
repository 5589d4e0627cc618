"""The page permission matrix: each role × add/edit/publish/view-in-admin × own/other community.

Only a community's committee may work on its pages in the explorer. Township reviewers, the
supervision committee and district staff get no page permission: Wagtail has no read-only page permission, and their reading and
review happen in the review desk, never by editing a community's pages.
"""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from wagtail.models import Page
from wagtail.test.utils.form_data import rich_text

from community.models import CommunityPage, NoticeIndexPage
from consultation.models import NoticeQuery

pytestmark = pytest.mark.django_db

OWN, SAME_TOWNSHIP, OTHER_TOWNSHIP = "xinghua", "shiqiao", "yinxing"
ACTIONS = ("view", "add", "edit", "publish")

# role -> the communities on which it may do every action (others: none)
MATRIX = {
    "weiyuan_xinghua": {OWN},
    "shenhe_liuxi": set(),
    "jiandu_xinghua": set(),  # the supervision committee reads in the desk, never in the explorer
    "minzheng": set(),
    "anonymous": set(),
    "root": {OWN, SAME_TOWNSHIP, OTHER_TOWNSHIP},
}


def _login(client, django_user_model, username):
    if username == "anonymous":
        return
    if username == "root":
        django_user_model.objects.create_superuser("root", password="x")
    client.force_login(django_user_model.objects.get(username=username))


def _notices(community: CommunityPage) -> NoticeIndexPage:
    return NoticeIndexPage.objects.child_of(community).get()


def _granted(response, url: str) -> bool:
    """Wagtail answers a refusal with 403, or a redirect to the dashboard or login page; a page
    outside the user's admin scope is not found (404, community/admin_scope.py)."""
    if response.status_code == 200:
        return True
    assert response.status_code in (302, 403, 404), (url, response.status_code)
    if response.status_code == 302:
        assert not response.url.startswith(url), (url, response.url)
    return False


def _try(client, action: str, community: CommunityPage) -> bool:
    if action == "view":
        url = reverse("wagtailadmin_explore", args=(community.pk,))
        response = client.get(url)
        if response.status_code == 302 and response.url.startswith("/admin/pages/"):
            return False  # sent back to the user's own explorable root
        return _granted(response, url)
    if action == "add":
        # The board goes, to be added again: its notices' residents' queries first (they keep
        # their notice otherwise, community/wagtail_hooks.py refuses the delete).
        NoticeQuery.objects.filter(community=community).delete()
        _notices(community).delete()
        url = reverse("wagtailadmin_pages:add", args=("community", "noticeindexpage", community.pk))
        return _granted(client.get(url), url)
    notices = _notices(community)
    url = reverse("wagtailadmin_pages:edit", args=(notices.pk,))
    if action == "edit":
        return _granted(client.get(url), url)
    revisions_before = notices.revisions.count()
    data = {"title": "村务公开栏", "slug": notices.slug, "intro": rich_text("本栏目按月更新。")}
    response = client.post(url, {**data, "action-publish": "publish"})
    notices.refresh_from_db()
    published = notices.title == "村务公开栏" and notices.revisions.count() > revisions_before
    if not published:
        assert response.status_code in (302, 403, 404)
    return published


@pytest.mark.parametrize("username", MATRIX)
@pytest.mark.parametrize("target", [OWN, SAME_TOWNSHIP, OTHER_TOWNSHIP])
@pytest.mark.parametrize("action", ACTIONS)
def test_page_permission_matrix(client, django_user_model, username, target, action):
    _login(client, django_user_model, username)
    community = CommunityPage.objects.get(slug=target)
    assert _try(client, action, community) is (target in MATRIX[username])


@pytest.mark.parametrize(
    "username", ["weiyuan_xinghua", "shenhe_liuxi", "jiandu_xinghua", "minzheng"]
)
def test_permission_objects_agree_with_the_matrix(django_user_model, username):
    user = django_user_model.objects.get(username=username)
    for community in CommunityPage.objects.all():
        perms = _notices(community).permissions_for_user(user)
        allowed = community.slug in MATRIX[username]
        assert perms.can_edit() is allowed
        assert perms.can_publish() is allowed
        assert ("add" in community.permissions_for_user(user).permissions) is allowed
        assert not perms.can_delete() or allowed


def _page_admin_urls():
    """Every admin URL that takes a page id, found by walking the URLconf."""

    def walk(patterns, prefix=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern))
            elif isinstance(pattern, URLPattern):
                yield prefix + str(pattern.pattern), pattern

    found = []
    for route, _pattern in walk(get_resolver().url_patterns):
        if not route.startswith("admin/") or route.startswith("admin/choose-page/"):
            continue
        for key in ("<int:page_id>", "<int:parent_page_id>", "<int:page_to_move_id>"):
            if key in route and route.count("<") == 1:
                found.append((route, key))
    return found


def test_url_walk_finds_the_page_admin_urls():
    routes = {route for route, _ in _page_admin_urls()}
    assert "admin/pages/<int:page_id>/edit/" in routes
    assert "admin/pages/<int:page_id>/delete/" in routes
    assert len(routes) >= 15


def test_committee_gets_no_entry_on_any_admin_url_of_another_community(
    client, committee_xinghua, shiqiao, yinxing
):
    client.force_login(committee_xinghua)
    pages = [p for c in (shiqiao, yinxing) for p in Page.objects.descendant_of(c, inclusive=True)]
    other_ids = {p.pk for p in pages}
    checked = 0
    for route, key in _page_admin_urls():
        for page in pages:
            url = "/" + route.replace(key, str(page.pk))
            for method in (client.get, client.post):
                response = method(url, follow=True)
                final_url = response.redirect_chain[-1][0] if response.redirect_chain else url
                if response.status_code == 200 and final_url == url:
                    # Only Wagtail's workflow-cancellation probe answers, and it says nothing
                    # about the page (there is no workflow): no title, no content.
                    assert page.title not in response.content.decode(), url
                    assert response["Content-Type"] == "application/json", url
                elif response.status_code == 200:
                    landed_on = {int(i) for i in re.findall(r"/(\d+)/", final_url)}
                    assert not landed_on & other_ids, (url, final_url)
                else:
                    assert response.status_code in (403, 404, 405), (url, response.status_code)
                checked += 1
    assert checked > 100
    for page in pages:
        page.refresh_from_db()
        assert page.live  # nothing was unpublished, deleted or moved


def test_page_chooser_hides_other_communities_drafts(client, committee_xinghua, xinghua, shiqiao):
    draft = NoticeIndexPage(title="石桥村内部草稿", slug="draft", live=False)
    shiqiao.add_child(instance=draft)
    own_draft = NoticeIndexPage(title="杏花村内部草稿", slug="draft", live=False)
    xinghua.add_child(instance=own_draft)
    client.force_login(committee_xinghua)
    # Another community is outside the committee's admin scope: not browsable, not listed.
    assert (
        client.get(reverse("wagtailadmin_choose_page_child", args=(shiqiao.pk,))).status_code == 404
    )
    township = client.get(
        reverse("wagtailadmin_choose_page_child", args=(shiqiao.get_parent().pk,))
    )
    assert "石桥村" not in township.json()["html"]
    assert "杏花村" in township.json()["html"]
    own = client.get(reverse("wagtailadmin_choose_page_child", args=(xinghua.pk,))).json()["html"]
    assert "杏花村内部草稿" in own and "协商议事" in own


def test_admin_search_lists_own_community_only(client, committee_xinghua, xinghua, shiqiao):
    client.force_login(committee_xinghua)
    search = reverse("wagtailadmin_pages:search")
    own = client.get(search, {"q": "杏花村"}).content.decode()
    other = client.get(search, {"q": "石桥村"}).content.decode()
    assert reverse("wagtailadmin_pages:edit", args=(xinghua.pk,)) in own
    assert reverse("wagtailadmin_pages:edit", args=(shiqiao.pk,)) not in other
    assert "没有符合" in other
