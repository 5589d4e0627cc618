"""The Content-Security-Policy holds in a real browser: every public page type, the API's docs,
and the admin (dashboard, a page editor, an image chooser) load without a single violation."""

import re

import pytest

from tests.browser.conftest import DEMO_PASSWORD
from tests.browser.pages import PUBLIC_PAGES

# Recorded before any page script runs; Playwright's init scripts are not subject to the policy.
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`);
});
"""


def _watched(context):
    context.add_init_script(RECORD_VIOLATIONS)
    page = context.new_page()
    page.console_messages_csp = []
    page.on(
        "console",
        lambda message: (
            "Content Security Policy" in message.text
            and page.console_messages_csp.append(message.text)
        ),
    )
    return page


def _violations(page) -> list[str]:
    return page.evaluate("window.__cspViolations") + page.console_messages_csp


@pytest.fixture(scope="module")
def visitor(browser, demo_server):
    context = browser.new_context(base_url=demo_server, locale="zh-CN")
    context.set_default_timeout(30_000)
    yield _watched(context)
    context.close()


@pytest.fixture(scope="module")
def committee(browser, demo_server):
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, base_url=demo_server, locale="zh-CN"
    )
    context.set_default_timeout(30_000)
    page = _watched(context)
    page.goto("/admin/login/")
    page.get_by_label("用户名").fill("weiyuan_xinghua")
    page.get_by_label("密码").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(re.compile(r"/admin/$"))
    yield page
    context.close()


@pytest.mark.parametrize(
    "path", [*PUBLIC_PAGES.values(), "/api/v3/docs"], ids=[*PUBLIC_PAGES, "api-docs"]
)
def test_public_page_loads_without_csp_violations(visitor, path):
    visitor.console_messages_csp.clear()
    response = visitor.goto(path)
    assert response.status == 200
    assert "script-src 'self'" in response.headers["content-security-policy"]
    visitor.wait_for_load_state("networkidle")
    assert _violations(visitor) == []


def test_admin_dashboard_editor_and_chooser_load_without_csp_violations(committee):
    committee.console_messages_csp.clear()
    committee.goto("/admin/")
    committee.wait_for_load_state("networkidle")
    violations = _violations(committee)
    assert violations == [], "\n".join(violations)

    committee.goto("/admin/pages/")
    committee.wait_for_load_state("networkidle")
    experience = committee.evaluate(
        "fetch('/api/v3/pages/find/?html_path=/liuxi/xinghua/hongbai/').then(r => r.json())"
    )
    committee.goto(f"/admin/pages/{experience['id']}/edit/")
    committee.wait_for_load_state("networkidle")
    assert committee.locator("form#page-edit-form").count() == 1
    assert _violations(committee) == []

    committee.locator("[data-chooser-action-choose]").first.click()
    committee.get_by_role("dialog").wait_for()
    committee.wait_for_load_state("networkidle")
    violations = _violations(committee)
    assert violations == [], "\n".join(violations)
