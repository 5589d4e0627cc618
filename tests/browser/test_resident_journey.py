"""Issue 6: a resident on a 360×740 phone finds their village from the home page, reads the
covenant, opens the diff between two versions, answers the village's form and is thanked.
Each page is saved as a screenshot under var/screenshots/."""

import re

from tests.browser.checks import axe_violations, broken_aria_references, describe_violations


def test_resident_reads_the_covenant_and_its_changes_and_answers_the_form(phone, screenshot):
    page = phone
    page.goto("/")
    assert page.get_by_role("heading", level=1).inner_text().startswith("清河区")
    screenshot(page, "resident-01-home")

    page.get_by_role("main").get_by_role("link", name="柳溪镇", exact=True).click()
    page.get_by_role("heading", level=1, name="柳溪镇").wait_for()
    screenshot(page, "resident-02-township")

    page.get_by_role("main").get_by_role("link", name="杏花村", exact=True).click()
    page.get_by_role("heading", level=1, name="杏花村").wait_for()
    screenshot(page, "resident-03-community")

    page.get_by_role("link", name="杏花村村规民约").click()
    page.get_by_role("heading", level=1, name="杏花村村规民约").wait_for()
    assert page.get_by_text("第一条", exact=True).first.is_visible()
    screenshot(page, "resident-04-covenant")

    page.get_by_role("link", name=re.compile(r"^历次修订")).click()
    page.get_by_role("heading", level=2, name="历次修订").wait_for()
    screenshot(page, "resident-05-versions")

    versions = page.get_by_label("原版本").locator("option").all_inner_texts()
    assert len(versions) >= 2, versions
    oldest, newest = versions[-1], versions[0]
    page.get_by_label("原版本").select_option(label=oldest)
    page.get_by_label("新版本").select_option(label=newest)
    page.get_by_role("button", name="对照").click()
    page.wait_for_url(re.compile(r"/versions/diff/\?from=\d+&to=\d+$"))
    page.get_by_role("heading", level=1, name="杏花村村规民约 · 版本对照").wait_for()
    assert page.get_by_text(f"{oldest} → {newest}").is_visible()
    assert page.locator("ins, del").count() > 0
    screenshot(page, "resident-06-diff")

    page.get_by_role("navigation", name="当前位置").get_by_role("link", name="杏花村").click()
    page.get_by_role("heading", level=1, name="杏花村").wait_for()
    page.get_by_role("link", name="村规民约修订草案意见征集").click()
    page.get_by_role("heading", level=1, name="村规民约修订草案意见征集").wait_for()
    page.get_by_label("您的建议").fill(
        "建议在第五条中写明红白事宴席桌数的上限，并明确由红白理事会监督。"
    )
    page.get_by_label("所在村民小组/小区楼栋").fill("第三村民小组")
    page.get_by_label(re.compile("^手机号码")).fill("13812345678")
    page.get_by_label(re.compile("^我同意")).check()
    screenshot(page, "resident-07-form")

    page.get_by_role("button", name="提交").click()
    page.get_by_text("已收到，谢谢您的参与！").wait_for()
    assert page.get_by_role("heading", level=1).inner_text() == "村规民约修订草案意见征集"
    violations = axe_violations(page)
    assert not violations, describe_violations(violations)
    screenshot(page, "resident-08-thanks")


def test_a_form_sent_without_its_required_answers_says_which_and_keeps_the_others(phone):
    page = phone
    page.goto("/dongcheng/yinxing/projects/")
    page.get_by_label("所在村民小组/小区楼栋").fill("3号楼")
    page.get_by_role("button", name="提交").click()
    page.get_by_role("alert").first.wait_for()
    suggestion = page.get_by_label("您的建议")
    assert suggestion.get_attribute("aria-invalid") == "true"
    # The error is read out with the field: aria-describedby names the message's element.
    described_by = suggestion.get_attribute("aria-describedby")
    assert page.locator(f"#{described_by}").inner_text() == "必需字段"
    assert page.get_by_label("所在村民小组/小区楼栋").input_value() == "3号楼"
    assert broken_aria_references(page) == []
    violations = axe_violations(page)
    assert not violations, describe_violations(violations)
