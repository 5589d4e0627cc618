"""Issue 16, item 8: a resident on a 360-px phone reads 银杏社区's published 民主评议 (each person's
rating and tallies, the articles the meeting was judged by), reached from the community's page;
the township reviewer reads the desk's list of 民主评议 of the communities of the township; 杏花村's
supervision committee opens this year's and saves it at 1280 px, the two blank rows left blank."""

import datetime
import re

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
    assert "评议依据" in section.inner_text() and "表决依据" not in section.inner_text()
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


def test_the_supervision_committee_opens_and_saves_this_years_evaluation(
    browser, demo_server, screenshot
):
    context, page = signed_in(browser, demo_server, "jiandu_xinghua", height=1000)
    page.goto("/admin/evaluations/")
    last = page.locator("table.listing").get_by_role("link", name=f"{LAST_YEAR}年度").first
    last.click()
    page.wait_for_url("**/admin/evaluations/*/")
    attended = re.search(r"应到 (\d+) 人，到会 (\d+) 人", page.locator("main").inner_text())
    eligible, present = int(attended[1]), int(attended[2])
    page.goto("/admin/evaluations/")
    page.get_by_role("link", name="开启评议").click()
    page.get_by_role("button", name="开启评议").click()
    page.wait_for_url("**/admin/evaluations/*/edit/")
    rows = page.locator("table.evaluation-tallies tbody tr")
    assert rows.count() == 8  # last year's six people and two blank rows
    names = page.locator("table.evaluation-tallies input[name$='-name'], "
                         "table.evaluation-tallies input[name$='-post']")  # fmt: skip
    cut = names.evaluate_all(
        "els => els.filter(e => e.value && (e.scrollWidth > e.clientWidth || e.clientWidth < 120))"
        ".map(e => e.value)"
    )
    assert cut == [], "names and posts are shown whole at 1280 px"
    assert horizontal_overflow(page)["wide"] == []
    width = page.viewport_size["width"]
    last_column = page.locator("table.evaluation-tallies input[name$='-DELETE']")
    assert all(box["x"] + box["width"] <= width for box in (
        last_column.nth(n).bounding_box() for n in range(8)
    )), "the whole row, 删除 included, fits 1280 px"  # fmt: skip
    page.locator("[name=meeting_kind]").select_option(label="村民代表会议")
    page.locator("[name=meeting_date]").fill(datetime.date.today().isoformat())
    page.locator("[name=eligible]").fill(str(eligible))
    page.locator("[name=present]").fill(str(present))
    page.locator("[name=women_present]").fill(str(eligible // 3 + 1))
    for n in range(6):
        page.locator(f"[name=ratings-{n}-competent]").fill(str(present - 5))
        page.locator(f"[name=ratings-{n}-basic]").fill("4")
        page.locator(f"[name=ratings-{n}-incompetent]").fill("1")
    screenshot(page, "i16-evaluation-edit")
    page.get_by_role("button", name="保存").click()
    page.wait_for_url(re.compile(r"/admin/evaluations/\d+/$"))
    main = page.locator("main").inner_text()
    assert "民主评议结果已保存" in page.content()
    assert "李秀兰" in main and "钱永康" in main and "评议依据" in main
    context.close()
