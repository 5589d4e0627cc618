"""Issue 16 item 4: a resident on a 360×740 phone opens her village's 村务公开日历 from its page,
sees which items are overdue and which came late, without scrolling sideways, and opens the print
view the committee posts on the notice board. Screenshots under var/screenshots/."""

from tests.browser.checks import axe_violations, describe_violations, horizontal_overflow


def _no_sideways_scroll(page) -> None:
    found = horizontal_overflow(page)
    assert found["scrollWidth"] <= found["innerWidth"] and not found["wide"], found


def test_a_resident_sees_on_her_phone_which_disclosures_are_late(phone, screenshot):
    page = phone
    page.goto("/liuxi/xinghua/")
    page.get_by_role("link", name="村务公开日历").click()
    page.get_by_role("heading", level=1, name="杏花村村务公开日历").wait_for()
    overdue = page.locator(".calendar-entry.status-overdue")
    assert overdue.count() >= 1
    assert "逾期未公开" in overdue.first.inner_text() and "已逾期" in overdue.first.inner_text()
    assert page.locator(".calendar-entry.status-late").count() >= 1
    _no_sideways_scroll(page)
    violations = axe_violations(page)
    assert not violations, describe_violations(violations)
    screenshot(page, "i16-calendar-phone")

    page.get_by_role("link", name="打印版（张贴公开栏）").click()
    page.locator(".print-qr svg").wait_for()
    assert "杏花村村务公开日历" in page.get_by_role("heading", level=1).inner_text()
    _no_sideways_scroll(page)
    screenshot(page, "i16-calendar-print")
