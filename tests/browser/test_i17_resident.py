"""Issue 17, done when: a resident on a 360 px phone opens the draft of a covenant whose slug is
Chinese, comments on 第五条 and is told it was received; once the committee approves it (here
through the model, as the committee's side is another journey) the resident reads it under
第五条, and later the committee's answer."""

import re

import pytest

from tests.browser.checks import axe_violations, describe_violations
from tests.browser.conftest import demo_shell

SLUG = "村规民约"
OPINION = "建议写明每天垃圾投放的时间段，方便上班的村民。"
ANSWER = "采纳：草案第五条增加“每天7时至9时、17时至19时投放”。"


@pytest.fixture
def draft_url(demo_db) -> str:
    """石桥村 (no covenant in the demo) gets one under a Chinese slug, in force, whose revision's
    draft is open for comment (tests/community/opinion_helpers.py)."""
    demo_shell(
        demo_db,
        "from django.contrib.auth import get_user_model\n"
        "from community.models import CommunityPage\n"
        "from tests.community.opinion_helpers import covenant_in_force, open_window\n"
        "users = get_user_model().objects\n"
        "committee = users.get(username='weiyuan_shiqiao')\n"
        "covenant = covenant_in_force(CommunityPage.objects.get(slug='shiqiao'), committee,\n"
        f"    users.get(username='shenhe_liuxi'), slug='{SLUG}')\n"
        "open_window(covenant, committee)\n",
    )
    return f"/liuxi/shiqiao/{SLUG}/"


def _moderate(demo_db: str, **changes) -> None:
    assignments = ", ".join(f"{k}={v!r}" for k, v in changes.items())
    demo_shell(
        demo_db,
        "from community.models import Opinion\n"
        f"o = Opinion.objects.get(text={OPINION!r})\n"
        f"Opinion.objects.filter(pk=o.pk).update({assignments})\n",
    )


def _fits(page) -> None:
    assert page.viewport_size["width"] == 360
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    violations = axe_violations(page)
    assert not violations, describe_violations(violations)


def test_a_resident_comments_on_article_five_and_reads_the_answer(
    phone, demo_db, draft_url, screenshot
):
    page = phone
    page.goto(draft_url)
    page.get_by_role("link", name="草案征求意见中").click()
    page.get_by_role("heading", level=1, name=re.compile("草案征求意见")).wait_for()
    fifth = page.locator('[id="第五条"]')
    assert "定时定点" in fifth.locator("ins").inner_text()  # the change against the text in force
    _fits(page)
    screenshot(page, "i17-resident-01-draft")

    fifth.get_by_role("link", name=re.compile("对本条提意见")).click()
    page.get_by_role("heading", level=1, name="对第五条提意见").wait_for()
    page.get_by_label("您的意见").fill(OPINION)
    page.get_by_label("手机号码（选填）").fill("１３６ ００００ ２２２２")
    page.get_by_role("button", name="提交意见").click()
    page.get_by_text("请勾选同意").first.wait_for()  # a phone number needs consent
    assert page.get_by_label("您的意见").input_value() == OPINION  # nothing typed is lost
    _fits(page)
    screenshot(page, "i17-resident-02-consent-asked")
    page.get_by_label(re.compile("^我同意")).check()
    page.get_by_role("button", name="提交意见").click()
    page.get_by_text("意见已收到，经村(居)委会审核后公开").wait_for()
    assert OPINION not in page.locator('[id="第五条"]').inner_text()  # not public yet
    screenshot(page, "i17-resident-03-received")

    _moderate(demo_db, status="approved")
    page.goto(draft_url + "draft/")
    fifth = page.locator('[id="第五条"]')
    fifth.get_by_text(OPINION).wait_for()
    assert "尚未答复" in fifth.inner_text()
    body = page.locator("body").inner_text()
    assert "13600002222" not in body and "２２２２" not in body
    screenshot(page, "i17-resident-04-approved")

    _moderate(demo_db, answer="adopted", answer_reason=ANSWER, adopted_in="a5")
    page.reload()
    fifth = page.locator('[id="第五条"]')
    fifth.get_by_text(ANSWER).wait_for()
    assert "写入草案第五条" in fifth.inner_text()
    _fits(page)
    screenshot(page, "i17-resident-05-answered")

    page.get_by_role("link", name="意见采纳情况说明").first.click()
    page.get_by_role("heading", level=1, name=re.compile("意见采纳情况说明")).wait_for()
    page.get_by_text(ANSWER).wait_for()
    _fits(page)
    screenshot(page, "i17-resident-06-report")
