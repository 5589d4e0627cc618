"""Issue 16, item 7 in a browser: 杏花村's supervision chair signs in, finds the month's 财务公开
awaiting 民主理财, reads its draft and signs it off; the committee then publishes the signed
content, and residents read it. Screenshots at 360 px and at desktop width."""

import re

from tests.browser.conftest import signed_in

TITLE = re.compile(r"杏花村\d+月财务收支公开")


def test_supervisor_signs_off_and_the_committee_publishes(browser, demo_server, screenshot):
    supervisor, page = signed_in(browser, demo_server, "jiandu_xinghua")
    try:
        page.goto("/admin/supervision/")
        assert "周德福" in page.locator("main").inner_text()
        row = page.locator("li").filter(has_text="待监督委员会审核")
        row.get_by_role("link", name=TITLE).click()
        page.wait_for_url(re.compile(r"/admin/supervision/finance/\d+/$"))
        finance_url = page.url
        assert "村集体财务收支情况" in page.locator(".finance-preview").inner_text()
        screenshot(page, "i16-supervision-signoff-desktop")
        page.set_viewport_size({"width": 360, "height": 800})
        screenshot(page, "i16-supervision-signoff-360")
        page.get_by_label("审核意见").fill("已核对凭证，账目相符。")
        page.get_by_role("button", name="审核通过").click()
        page.wait_for_url(finance_url)
        assert page.locator(".finance-status").inner_text() == "监督委员会已审核通过"
    finally:
        supervisor.close()

    committee, page = signed_in(browser, demo_server, "weiyuan_xinghua")
    try:
        page.goto(finance_url)
        page.get_by_role("button", name="发布审核通过的版本").click()
        page.wait_for_url(finance_url)
        assert "已发布" in page.locator("body").inner_text()
        screenshot(page, "i16-supervision-published-desktop")
        page.set_viewport_size({"width": 360, "height": 800})
        page.goto("/liuxi/xinghua/notices/finance-month/")
        assert TITLE.search(page.locator("main").inner_text())
        screenshot(page, "i16-supervision-notice-360")
    finally:
        committee.close()
