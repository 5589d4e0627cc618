"""The site root routes every URL to the same page and view as Wagtail's level-by-level walk, in
two queries instead of two per level (cms/routing.py)."""

import pytest
from django.http import Http404
from django.test import RequestFactory
from wagtail.contrib.routable_page.models import RoutablePageMixin
from wagtail.models import Page, PageViewRestriction

from community.models import CovenantPage, NoticeIndexPage, NoticePage

pytestmark = pytest.mark.django_db


def _wagtail_walk(home, request, components):
    # What HomePage did before it had DirectRouteMixin: its sub-URLs, then Page.route per level.
    return RoutablePageMixin.route(home, request, components)


def _outcome(route, home, path):
    request = RequestFactory().get(path)
    components = [c for c in path.split("/") if c]
    try:
        result = route(home, request, components)
    except Http404:
        return "404"
    page, args, kwargs = result
    view = args[0].__func__.__name__ if args else None
    return (page.pk, type(page).__name__, view, repr(args[1:]), repr(kwargs))


def _paths(home):
    paths = ["/", "/search/", "/no-such-township/", "/liuxi/no-such-village/covenant/"]
    for page in Page.objects.descendant_of(home).order_by("path"):
        base = page.url_path[len(home.url_path) - 1 :]
        paths += [base, base + "print/", base + "search/", base + "missing/", base + "versions/"]
    return paths


def test_every_url_routes_as_wagtail_would(home, xinghua):
    # A draft page, a live page under it, and a child whose slug is also its parent's sub-URL.
    index = NoticeIndexPage.objects.child_of(xinghua).first()
    draft = index.add_child(instance=NoticePage(title="草稿公告", slug="draft-notice", live=False))
    draft.add_child(instance=NoticePage(title="草稿下的公告", slug="under-draft"))
    xinghua.add_child(instance=NoticeIndexPage(title="同名子页", slug="search"))
    below_draft = draft.url_path[len(home.url_path) - 1 :]
    paths = [*_paths(home), below_draft + "under-draft/", below_draft + "print/"]
    assert len(paths) > 150
    home = type(home).objects.get(pk=home.pk)
    different = {
        path: (ours, theirs)
        for path in paths
        if (ours := _outcome(type(home).route, home, path))
        != (theirs := _outcome(_wagtail_walk, home, path))
    }
    assert not different
    # The sub-URL wins over the child with the same slug, as in Wagtail.
    assert _outcome(type(home).route, home, xinghua.url_path[5:] + "search/")[2] == "search"
    assert _outcome(type(home).route, home, draft.url_path[5:]) == "404"


def test_a_covenant_is_routed_in_two_queries(home, xinghua, django_assert_num_queries):
    covenant = CovenantPage.objects.child_of(xinghua).get()
    components = [c for c in covenant.url_path[len(home.url_path) :].split("/") if c]
    assert len(components) == 3  # township / community / covenant: six queries for Wagtail
    request = RequestFactory().get("/")
    home.route(request, components)  # warm the content-type cache
    with django_assert_num_queries(2):
        page, *_ = home.route(request, components)
    assert page.pk == covenant.pk and isinstance(page, CovenantPage)
    with django_assert_num_queries(0):
        assert page.get_parent().pk == xinghua.pk
    with django_assert_num_queries(2):
        page, (view, *_), _ = home.route(request, [*components, "versions"])
    assert view.__func__.__name__ == "versions_view"


def test_served_pages_keep_their_rules(client, home, xinghua):
    covenant = CovenantPage.objects.child_of(xinghua).get()
    assert client.get(covenant.url).status_code == 200
    assert client.get(covenant.url + "no-such-page/").status_code == 404
    notice = NoticePage.objects.descendant_of(xinghua).live().first()
    PageViewRestriction.objects.create(
        page=notice, restriction_type=PageViewRestriction.PASSWORD, password="x"
    )
    response = client.get(notice.url)
    assert response.status_code == 200 and "password" in response.content.decode().lower()
    assert "password" in client.get(notice.url + "print/").content.decode().lower()
    notice.unpublish()
    assert client.get(notice.url).status_code == 404


def test_the_district_wide_lookups_are_indexed():
    # Without these, routing and the home page's lists scan every page of the district (37,525 at
    # N = 500): docs/performance.md.
    from django.db import connection

    with connection.cursor() as cursor:
        pages = connection.introspection.get_constraints(cursor, "wagtailcore_page")
        notices = connection.introspection.get_constraints(cursor, "community_noticepage")
    indexed = {name: c["columns"] for name, c in pages.items() if c["index"]}
    assert indexed["gongzhi_page_url_path"] == ["url_path"]
    assert indexed["gongzhi_page_depth"] == ["depth"]
    assert indexed["gongzhi_page_unpublished"] == ["depth"]
    assert notices["notice_newest_first"]["columns"] == ["display_from", "page_ptr_id"]
