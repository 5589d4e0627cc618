"""The district review desk (issue 8) in a browser: 区民政 logs in and reads the dashboard panel,
the audit log, a covenant revision's history with its diff, and the half-year report. Our own
admin views are checked with axe-core like the public pages."""

import re

import pytest

from tests.browser.checks import axe_violations, describe_violations
from tests.browser.conftest import DEMO_PASSWORD

DESK = {
    "dashboard": "/admin/",
    "audit log": "/admin/review/audit/",
    "report": "/admin/review/report/",
    "notifications": "/admin/review/notifications/",
    "featured experiences": "/admin/experiences/featured/",
}


@pytest.fixture(scope="module")
def district_staff(browser, demo_server):
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, base_url=demo_server, locale="zh-CN"
    )
    context.set_default_timeout(30_000)
    page = context.new_page()
    page.goto("/admin/login/")
    page.get_by_label("用户名").fill("minzheng")
    page.get_by_label("密码").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(re.compile(r"/admin/$"))
    yield page
    context.close()


@pytest.mark.parametrize("path", DESK.values(), ids=DESK.keys())
def test_desk_pages_have_no_serious_accessibility_violation(district_staff, path, screenshot):
    response = district_staff.goto(path)
    assert response.status == 200
    violations = axe_violations(district_staff)
    assert not violations, describe_violations(violations)


def test_a_revision_history_shows_its_diff(district_staff, screenshot):
    page = district_staff
    page.goto("/admin/review/audit/?model=community.covenantrevision")
    page.locator("table a[href*='/admin/review/history/community.covenantrevision/']").first.click()
    page.wait_for_url(re.compile(r"/admin/review/history/"))
    screenshot(page, "desk-history")
    violations = axe_violations(page)
    assert not violations, describe_violations(violations)
