"""Issue 16, item 6: a resident on a 360 px phone questions a notice of 杏花村 and keeps the private
follow-up link; the committee answers in the admin; the resident opens the link again and reads
the answer, which the notice now shows without the resident's name or phone."""

import re

from tests.browser.checks import axe_violations, describe_violations
from tests.browser.conftest import signed_in

NOTICE = "杏花村第三季度财务收支公开"
QUESTION = "收支表里“村道维修”一项的验收单能否附在公示后面？"
ANSWER = "验收单已扫描附在本公示的附件中，纸质原件可到村委会查阅。"


def test_a_resident_asks_the_committee_answers_the_resident_reads(
    phone, browser, demo_server, screenshot
):
    page = phone
    page.goto("/liuxi/xinghua/notices/")
    page.get_by_role("link", name=NOTICE).first.click()
    page.get_by_role("heading", level=1, name=NOTICE).wait_for()
    form = page.locator("form.query-form")
    form.get_by_role("heading", name="对此公开有疑问").scroll_into_view_if_needed()
    page.get_by_label("您的疑问").fill(QUESTION)
    page.get_by_label("姓名（选填）").fill("周玉兰")
    page.get_by_label("手机号码（选填）").fill("139 8765 4321")
    screenshot(page, "i16-queries-01-notice-form")

    page.get_by_role("button", name="提交查询").click()
    page.get_by_text("请勾选同意").first.wait_for()  # a name and phone need consent
    assert page.get_by_label("您的疑问").input_value() == QUESTION  # nothing typed is lost
    page.get_by_label(re.compile("^我同意")).check()
    page.get_by_role("button", name="提交查询").click()
    page.get_by_role("heading", level=1, name="我的查询").wait_for()
    page.get_by_text("查询已提交").wait_for()
    followup = page.locator("a.followup-link").get_attribute("href")
    assert re.search(r"/_query/[\w-]{30,}/$", followup), followup
    assert page.viewport_size["width"] == 360
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    violations = axe_violations(page)
    assert not violations, describe_violations(violations)
    screenshot(page, "i16-queries-02-followup-new")

    context, admin = signed_in(browser, demo_server, "weiyuan_xinghua")
    try:
        admin.goto("/admin/queries/?status=open")
        admin.get_by_role("link", name=re.compile("验收单能否附在公示后面")).click()
        admin.get_by_text("周玉兰").wait_for()  # the committee sees who asked
        admin.get_by_label("答复", exact=True).fill(ANSWER)
        screenshot(admin, "i16-queries-03-committee-answers")
        admin.get_by_role("button", name="保存并公开答复").click()
        admin.get_by_text("答复已保存").wait_for()
    finally:
        context.close()

    page.goto(followup)
    page.get_by_text(ANSWER).wait_for()
    assert page.get_by_role("heading", name="对答复有异议").is_visible()
    screenshot(page, "i16-queries-04-resident-reads-answer")

    page.get_by_role("link", name=NOTICE).click()
    page.get_by_text(ANSWER).wait_for()
    body = page.locator("body").inner_text()
    assert "周玉兰" not in body and "13987654321" not in body and "139 8765 4321" not in body
    screenshot(page, "i16-queries-05-notice-shows-answer")
