"""Issue 15 items 4 and 9 in a browser: a committee member, a township reviewer and the district's
staff walk every admin page of their menus and of the journeys (dashboard, explorer, the editor of
each page type, a create form with a validation error, listings, reports, history, the desk, the
account) and meet no untranslated text; in the notice editor 发布 is the visible action and a
three-column table fits at 1280 px."""

import re
import urllib.parse

import pytest

from tests.browser.checks import latin_only_texts
from tests.browser.conftest import signed_in

USERS = ("weiyuan_xinghua", "shenhe_liuxi", "minzheng")
# Public pages whose editor the committee member opens: one of each type the journeys edit.
EDITED = {
    "community": "/liuxi/xinghua/",
    "notices": "/liuxi/xinghua/notices/",
    "notice": "/liuxi/xinghua/notices/finance-q3/",
    "agendas": "/liuxi/xinghua/consultations/",
    "agenda": "/liuxi/xinghua/consultations/topic-5/",
    "covenant": "/liuxi/xinghua/covenant/",
    "form": "/liuxi/xinghua/opinions/",
    "experience": "/liuxi/xinghua/hongbai/",
}


def _page_id(page, path: str) -> int:
    response = page.request.get(f"/api/v3/pages/find/?html_path={urllib.parse.quote(path)}")
    return int(re.search(r"/pages/(\d+)/", response.url)[1])


def _menu_urls(page) -> list[str]:
    """Every admin address the user's sidebar offers (its props are JSON in the page)."""
    props = page.evaluate("() => document.getElementById('wagtail-sidebar-props').textContent")
    return sorted(set(re.findall(r'"url": "(/admin/[^"]*)"', props)))


def _assert_chinese(page, path: str, username: str, problems: dict) -> None:
    response = page.goto(path)
    assert response.status == 200, path
    page.wait_for_load_state("networkidle")
    found = latin_only_texts(page, allow=(username,))
    if found:
        problems[path] = found


@pytest.mark.parametrize("username", USERS)
def test_every_admin_page_of_the_journeys_speaks_chinese(browser, demo_server, username):
    _, page = signed_in(browser, demo_server, username)
    problems: dict[str, list[str]] = {}
    try:
        paths = ["/admin/", *_menu_urls(page)]
        if username == "weiyuan_xinghua":
            ids = {name: _page_id(page, path) for name, path in EDITED.items()}
            paths += [f"/admin/pages/{pk}/edit/" for pk in ids.values()]
            paths += [
                f"/admin/pages/{ids['notices']}/",
                f"/admin/pages/{ids['notice']}/history/",
                f"/admin/forms/submissions/{ids['form']}/",
                f"/admin/pages/add/community/noticepage/{ids['notices']}/",
            ]
        else:
            paths.append(
                page.evaluate("""() => fetch('/admin/review/audit/?model=community.covenantrevision')
                    .then(r => r.text()).then(html => (html.match(
                        /\\/admin\\/review\\/history\\/community\\.covenantrevision\\/\\d+\\//) || ['/admin/'])[0])""")
            )
        for path in paths:
            _assert_chinese(page, path, username, problems)
        if username == "weiyuan_xinghua":
            # A create form sent empty: Wagtail's validation banner and its "go to the first error".
            page.goto(f"/admin/pages/add/community/noticepage/{ids['notices']}/")
            page.get_by_role("button", name="发布", exact=True).click()
            page.get_by_text("存在填写错误").first.wait_for()
            found = latin_only_texts(page, allow=(username,))
            if found:
                problems["create with a validation error"] = found
    finally:
        page.context.close()
    assert not problems, "\n".join(f"{path}: {texts}" for path, texts in problems.items())


def test_the_notice_editor_shows_publish_and_the_whole_table(browser, demo_server, screenshot):
    _, page = signed_in(browser, demo_server, "weiyuan_xinghua")
    try:
        page.goto(f"/admin/pages/{_page_id(page, EDITED['notice'])}/edit/")
        footer = page.locator("footer nav.actions")
        assert footer.get_by_role("button", name="发布", exact=True).is_visible()
        assert not footer.get_by_role("button", name="保存草稿").is_visible()
        table = page.locator(".typed-table-block__wrapper").first
        table.scroll_into_view_if_needed()
        sizes = table.evaluate("w => [w.scrollWidth, w.clientWidth]")
        screenshot(page, "i15-notice-editor-table")
        assert sizes[0] <= sizes[1], f"the table is {sizes[0]} px wide in a {sizes[1]} px box"
    finally:
        page.context.close()
