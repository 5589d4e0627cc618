"""Issue 17, the committee's and the reviewer's side, on a 360 px phone: 石桥村's committee
(weiyuan_shiqiao) finds four pending opinions on its covenant's draft, publishes one, refuses one
with a reason, takes a neighbour's name out of one before publishing it and answers one 采纳 naming
第五条; the revision goes to 提请审核 (through the procedure, here in a shell) and the township
reviewer (shenhe_liuxi) opens it, reads the opinion and its answer beside 第五条's diff and leaves a
note on 第五条, which the committee reads on the revision."""

import re

from tests.browser.checks import axe_violations, describe_violations
from tests.browser.conftest import DEMO_PASSWORD, PHONE, demo_shell

SLUG = "修订村规民约"  # its own covenant: the resident's journey (test_i17_resident.py) has another
MARK = "【委员会旅程】"
APPROVE = MARK + "建议第五条写明垃圾桶的清洗由谁负责。"
REJECT = MARK + "村口的路灯坏了两个月了，什么时候修？"
REDACT = MARK + "二组王小明家门口天天堆垃圾，建议写上不得在门前堆放。"
REDACTED = MARK + "有的人家门口天天堆垃圾，建议写上不得在门前堆放。"
ANSWER = "采纳：修改稿第五条增加“垃圾桶由保洁员每周清洗一次”。"
NOTE = "第五条“定时定点”的具体时间，建议由村民会议另行公布，并报镇政府备案。"


PREPARE = f"""
from django.contrib.auth import get_user_model
from community.models import CommentWindow, CommunityPage, CovenantPage, Opinion
from community.steps import CLOSED_STAGES
from tests.community.opinion_helpers import covenant_in_force, open_window, opinion
users = get_user_model().objects
committee = users.get(username='weiyuan_shiqiao')
shiqiao = CommunityPage.objects.get(slug='shiqiao')
covenant = CovenantPage.objects.descendant_of(shiqiao).filter(slug={SLUG!r}).first()
if covenant is None:
    covenant = covenant_in_force(shiqiao, committee, users.get(username='shenhe_liuxi'),
                                 slug={SLUG!r})
window = (CommentWindow.objects.filter(revision__covenant=covenant)
          .exclude(revision__stage__in=CLOSED_STAGES).first()
          or open_window(covenant, committee))
for text, article in (({APPROVE!r}, 'a5'), ({REJECT!r}, 'a5'), ({REDACT!r}, 'a6'),):
    opinion(window, article, text, status=Opinion.Status.PENDING, name='王小明',
            mobile='13700001111', consent=True)
print(window.revision_id)
"""

# Every other published opinion answered, the window
# closed and the draft submitted for review, as the committee's 提请审核 step does.
SUBMIT = """
import datetime
from django.contrib.auth import get_user_model
from django.utils import timezone
from community import transitions as t
from community.models import CommentWindow, CovenantRevision
rev = CovenantRevision.objects.get(pk={pk})
committee = get_user_model().objects.get(username='weiyuan_shiqiao')
rev.opinions.filter(status='approved', answer='').update(
    answer='explained', answer_reason='已在草案中说明。')
rev.opinions.filter(status='pending').update(status='rejected', reject_reason='duplicate')
CommentWindow.objects.filter(revision=rev).update(
    closes_on=timezone.localdate() - datetime.timedelta(days=1))
rev.refresh_from_db()
t.begin_drafting(rev, committee)
t.submit_for_review(rev, committee, submitted_on=timezone.localdate())
"""

RETURN = """
from django.contrib.auth import get_user_model
from django.utils import timezone
from community import transitions as t
from community.models import CovenantRevision
t.review(CovenantRevision.objects.get(pk={pk}), get_user_model().objects.get(username='shenhe_liuxi'),
         passed=False, opinion='第五条须写明投放时间。', reviewed_on=timezone.localdate())
"""


def _phone_admin(browser, demo_server, username):
    context = browser.new_context(viewport=PHONE, base_url=demo_server, locale="zh-CN")
    context.set_default_timeout(30_000)
    page = context.new_page()
    page.goto("/admin/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(re.compile(r"/admin/$"))
    return context, page


def _fits(page) -> None:
    """Nothing wider than the phone: the document does not scroll sideways and every button and
    field of the main content is on screen."""
    assert page.viewport_size["width"] == 360
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"the page is {width} px wide"
    off = page.evaluate(
        """() => [...document.querySelectorAll('main button, main select, main textarea,'
                                              + ' main input:not([type=hidden]), main .button')]
           .filter(e => e.offsetParent !== null)
           .filter(e => { const r = e.getBoundingClientRect(); return r.left < 0 || r.right > 360; })
           .map(e => e.outerHTML.slice(0, 80))"""
    )
    assert not off, f"off screen at 360 px: {off}"
    # The admin's messages fade in: axe reads their colours once they are still.
    page.evaluate(
        """async () => { await Promise.all(document.getAnimations()
             .filter(a => a.effect?.getTiming?.().iterations !== Infinity)
             .map(a => a.finished.catch(() => null))); }"""
    )
    violations = axe_violations(page)
    assert not violations, describe_violations(violations)


def _open(page, list_url: str, text: str) -> None:
    page.goto(list_url)
    card = page.locator(".opinion-card").filter(has_text=text)
    card.get_by_role("link", name=re.compile("审核与答复")).click()
    page.get_by_role("heading", level=2, name="审核").wait_for()


def test_the_committee_moderates_and_answers_and_the_reviewer_sees_it_beside_article_five(
    browser, demo_server, demo_db, screenshot
):
    pk = int(demo_shell(demo_db, PREPARE).split()[-1])
    list_url = f"/admin/covenants/revisions/{pk}/draft-opinions/"
    context, page = _phone_admin(browser, demo_server, "weiyuan_shiqiao")

    page.goto(f"/admin/covenants/revisions/{pk}/")
    page.get_by_role("link", name="审核与答复意见").click()
    page.wait_for_url(re.compile(re.escape(list_url) + "$"))
    assert page.locator(".opinion-card.status-pending").filter(has_text=MARK).count() == 3
    _fits(page)
    screenshot(page, "i17-committee-01-list")

    # Publish one.
    _open(page, list_url, APPROVE)
    assert "13700001111" in page.locator("main").inner_text()  # the committee reads the contact
    _fits(page)
    screenshot(page, "i17-committee-02-opinion")
    page.get_by_role("button", name="公开", exact=True).click()
    page.get_by_text("意见已公开。").wait_for()

    # Answer it: 采纳, naming 第五条.
    page.get_by_label("采纳", exact=True).check()
    page.get_by_label("答复理由").fill(ANSWER)
    page.get_by_label("采纳于条文").select_option("a5")  # 第五条 by its block id
    _fits(page)
    screenshot(page, "i17-committee-03-answer")
    page.get_by_role("button", name="保存答复").click()
    page.get_by_text("答复已保存").wait_for()
    assert "采纳于第五条" in page.locator(".opinion-facts").inner_text()

    # Refuse one: without a reason it is refused, with one it is not published.
    _open(page, list_url, REJECT)
    page.get_by_role("button", name="不予公开").click()
    page.get_by_text("未保存：请检查填写的内容。").wait_for()
    _fits(page)
    screenshot(page, "i17-committee-04-reject-needs-reason")
    page.get_by_label("不予公开的理由").select_option(label="与本条无关")
    page.get_by_role("button", name="不予公开").click()
    page.get_by_text("已不予公开").wait_for()
    assert "与本条无关" in page.locator(".opinion-facts").inner_text()

    # Take the neighbour's name out, then publish what remains.
    _open(page, list_url, REDACT)
    page.get_by_label("公开的意见内容").fill(REDACTED)
    page.get_by_role("button", name="只保存公开内容").click()
    page.get_by_text("公开的意见内容已保存。").wait_for()
    assert "待审核" in page.locator(".opinion-facts").inner_text()  # redacting is not approving
    page.get_by_role("button", name="公开", exact=True).click()
    page.get_by_text("意见已公开。").wait_for()
    facts = page.locator(".opinion-facts").inner_text()
    assert REDACTED in facts and REDACT in facts  # the original stays on the record
    _fits(page)
    screenshot(page, "i17-committee-05-redacted")
    page.goto(list_url)
    _fits(page)
    screenshot(page, "i17-committee-06-list-after")
    context.close()

    demo_shell(demo_db, SUBMIT.format(pk=pk))

    context, page = _phone_admin(browser, demo_server, "shenhe_liuxi")
    page.goto(f"/admin/covenants/revisions/{pk}/review/")
    fifth = page.locator("#article-a5")
    fifth.get_by_text(APPROVE).wait_for()
    assert ANSWER in fifth.inner_text()
    assert REJECT not in page.locator("main").inner_text()  # not published: not shown
    assert REDACT not in page.locator("main").inner_text()  # the reviewer reads the redaction
    assert "王小明" not in page.locator("main").inner_text()
    assert "13700001111" not in page.locator("main").inner_text()
    _fits(page)
    screenshot(page, "i17-reviewer-01-review")
    fifth.locator("summary").filter(has_text="写审查意见").click()
    fifth.get_by_label("对第五条的审查意见").fill(NOTE)
    _fits(page)
    fifth.get_by_role("button", name="保存审查意见").click()
    page.get_by_text("逐条审查意见已保存").wait_for()
    assert NOTE in page.locator("#article-a5").inner_text()
    _fits(page)
    screenshot(page, "i17-reviewer-02-note")
    context.close()

    # The committee reads the note beside 第五条 once the reviewer has returned the draft (not
    # while it is under review: community.opinions.visible_notes).
    context, page = _phone_admin(browser, demo_server, "weiyuan_shiqiao")
    page.goto(f"/admin/covenants/revisions/{pk}/")
    assert NOTE not in page.locator("main").inner_text()
    demo_shell(demo_db, RETURN.format(pk=pk))
    page.reload()
    assert NOTE in page.locator("#article-a5").inner_text()
    _fits(page)
    screenshot(page, "i17-committee-07-note-returned")
    context.close()
