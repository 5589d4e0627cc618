"""Issue 15, items 5 and 8 in a browser: 杏花村's committee withdraws its open revision, starts
another from the same draft, records the opinions and submits it; 柳溪镇's reviewer opens the
revision's timeline and the verdict form, which shows the text against the version in force and
the opinions, and passes it (so the village ends with an open revision awaiting its vote, as the
demo had it). No page shows a raw code, a Python boolean, a UTC offset or a user's id."""

import re

from tests.browser.checks import axe_violations, describe_violations
from tests.browser.conftest import signed_in

# What a history or a record must never show.
RAW = re.compile(
    r"soliciting|drafting|village_assembly|residents_assembly|\bTrue\b|\bFalse\b|\bNone\b|"
    r"\+00:00|\d{2}:\d{2}:\d{2}\.\d+|\" at \d{4}-"
)
# A user shown by id: "审核人：（空） → 4", "审核人 4".
USER_ID = re.compile(r"(审核人|操作人)[^\n]*?(→|\t|：)\s*#?\d+\s*$", re.M)
SUMMARY = "村民建议犬只拴养，积分可兑换日用品。"


def _step(page, name: str, **fields) -> None:
    page.get_by_role("link", name=name, exact=True).click()
    for label, value in fields.items():
        page.get_by_label(re.compile(f"^{label}")).fill(value)
    page.get_by_role("button", name="提交").click()
    page.wait_for_url(re.compile(r"/admin/covenants/revisions/\d+/$"))


def _assert_words_not_codes(page) -> None:
    text = page.locator("main").inner_text()
    assert not RAW.findall(text), RAW.findall(text)
    assert not USER_ID.findall(text), USER_ID.findall(text)


def test_reviewer_reads_the_history_and_the_verdict_form_in_words(browser, demo_server, screenshot):
    committee, page = signed_in(browser, demo_server, "weiyuan_xinghua")
    try:
        page.goto("/admin/community/covenantrevision/?stage__exact=vote")
        page.get_by_role("link", name="查看与办理").first.click()
        page.wait_for_url(re.compile(r"/admin/covenants/revisions/\d+/$"))
        _assert_words_not_codes(page)  # the demo's revision: drafted, reviewed, passed
        _step(page, "撤回修订", 撤回理由="按审核意见合并积分制条款后重新发起")
        page.goto("/admin/covenants/start/")
        row = page.get_by_role("row").filter(has_text="杏花村")
        row.get_by_role("link", name="发起修订").click()
        page.get_by_label(re.compile("^修订缘由")).fill("增加文明养犬和积分制条款")
        page.get_by_role("button", name="提交").click()
        page.wait_for_url(re.compile(r"/admin/covenants/revisions/\d+/$"))
        revision_url = page.url
        _step(page, "登记意见", 收到意见条数="64", 意见汇总=SUMMARY)
        _step(page, "开始拟定草案")
        _step(page, "提请审核")
    finally:
        committee.close()

    reviewer, page = signed_in(browser, demo_server, "shenhe_liuxi")
    try:
        page.goto(revision_url)
        timeline = page.locator("table").filter(has_text="变动字段")
        timeline.wait_for()
        text = timeline.inner_text()
        assert "征集民意 → 拟定草案" in text and "拟定草案 → 提请审核" in text
        assert re.search(r"草稿（\d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2} 保存）", text)
        assert "李秀兰" in text and "秀兰 李" not in text
        _assert_words_not_codes(page)
        screenshot(page, "i15-revision-timeline")

        page.get_by_role("link", name="合法性审查", exact=True).click()
        page.get_by_role("heading", name="条文对照（与此前现行版本相比）").wait_for()
        assert page.locator(".covenant-diff ins").count() > 0
        opinions = page.locator(".opinions-summary")
        assert "64" in opinions.inner_text() and SUMMARY in opinions.inner_text()
        verdict = page.locator("main form[novalidate]")
        assert (
            page.get_by_role("heading", name="意见征集情况").bounding_box()["y"]
            < (verdict.bounding_box()["y"])
        )
        _assert_words_not_codes(page)
        screenshot(page, "i15-verdict-form")
        violations = axe_violations(page)
        assert not violations, describe_violations(violations)

        page.get_by_label("通过，同意提交表决").check()
        page.get_by_label(re.compile("^合法性审查意见")).fill(
            "养犬条款符合《动物防疫法》，同意提交表决。"
        )
        page.get_by_role("button", name="提交").click()
        page.wait_for_url(re.compile(r"/admin/covenants/revisions/\d+/$"))
        assert "审议表决" in page.locator("main").inner_text()
        _assert_words_not_codes(page)
    finally:
        reviewer.close()
