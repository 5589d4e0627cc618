"""Issue 16, item 8: a resident on a 360-px phone reads 银杏社区's published 民主评议 (each person's
rating and tallies, the articles the meeting was judged by), reached from the community's page;
the township reviewer reads the desk's list of 民主评议 of the communities of the township."""

import datetime

from tests.browser.checks import horizontal_overflow
from tests.browser.conftest import signed_in

LAST_YEAR = datetime.date.today().year - 1


def test_resident_reads_published_evaluation_results_on_a_phone(phone, screenshot):
    page = phone
    page.goto("/dongcheng/yinxing/")
    page.get_by_role("link", name="民主评议结果").click()
    page.wait_for_url("**/evaluation/")
    section = page.locator(f"#evaluation-{LAST_YEAR}")
    assert section.get_by_role("heading", name=f"{LAST_YEAR}年度").is_visible()
    rows = section.locator(".evaluation-ratings li")
    assert rows.count() == 4
    first = " ".join(rows.first.inner_text().split())
    assert (
        first.startswith("陈晓燕 主任") and "称职" in first and "不称职" in first and "票" in first
    )
    assert "评议依据" in section.inner_text() or "表决依据" in section.inner_text()
    assert horizontal_overflow(page)["wide"] == [], "the results fit a 360-px phone"
    screenshot(page, "i16-evaluation-phone")


def test_reviewer_reads_the_desk_list_of_evaluations(browser, demo_server, screenshot):
    context, page = signed_in(browser, demo_server, "shenhe_liuxi")
    page.goto("/admin/evaluations/")
    table = page.locator("table.listing")
    text = table.inner_text()
    assert "杏花村" in text and "石桥村" in text and "南山村" in text and "银杏社区" not in text
    assert f"{LAST_YEAR}年度" in text
    assert page.get_by_role("link", name="开启评议").count() == 0
    page.get_by_role("link", name=f"{LAST_YEAR}年度").first.click()
    page.wait_for_url("**/admin/evaluations/*/")
    assert "评议结果" in page.locator("main").inner_text()
    screenshot(page, "i16-evaluation-desk")
    context.close()
