"""A covenant in force whose new revision's draft is open for comment (issue 17), built through the
procedure itself: the version in force has five articles, the draft changes 第五条 and adds one."""

import datetime

from django.utils import timezone

from community import transitions as t
from community.models import CommentWindow, CovenantPage, Opinion
from tests.community.covenant_helpers import article, chapter, edit_draft, good_vote

D = datetime.date

IN_FORCE = [
    chapter(
        "c1", "总则",
        article("a1", "为推进村民自治，制定本村规民约。"),
        article("a2", "本村规民约经村民会议讨论通过，全体村民共同遵守。"),
    ),
    chapter(
        "c2", "村风民俗",
        article("a3", "红白喜事从简办理，婚事宴席不超过二十桌。"),
        article("a4", "倡导文明祭扫，不在山林焚烧纸钱。"),
        article("a5", "生活垃圾分类投放，不乱倒乱堆。"),
    ),
]  # fmt: skip
DRAFT = [
    IN_FORCE[0],
    chapter(
        "c2", "村风民俗",
        article("a3", "红白喜事从简办理，婚事宴席不超过二十桌。"),
        article("a4", "倡导文明祭扫，不在山林焚烧纸钱。"),
        article("a5", "生活垃圾分类投放，定时定点，不乱倒乱堆。"),
        article("a6", "饲养犬只应当拴养或圈养。"),
    ),
]  # fmt: skip


def covenant_in_force(community, committee, reviewer, *, slug="covenant", title="石桥村村规民约"):
    covenant = CovenantPage(title=title, slug=slug, kind="village_covenant", body=IN_FORCE)
    community.add_child(instance=covenant)
    covenant.save_revision(user=committee)
    rev = t.start_revision(covenant, committee, reason="制定村规民约", started_on=D(2026, 4, 1))
    t.begin_drafting(rev, committee)
    t.submit_for_review(rev, committee, submitted_on=D(2026, 5, 10))
    t.review(rev, reviewer, passed=True, opinion="内容合法。", reviewed_on=D(2026, 5, 20))
    t.record_vote(rev, committee, **good_vote())
    t.record_filing(rev, reviewer, authority="柳溪镇人民政府", number="柳民备〔2026〕3号",
                    filed_on=D(2026, 6, 25))  # fmt: skip
    t.publish_adopted_revision(
        rev, committee, version_label="2026年版", published_on=D(2026, 6, 28)
    )
    covenant.refresh_from_db()
    return covenant


def open_window(covenant, committee, *, opens_on=None, closes_on=None, **options) -> CommentWindow:
    """A new revision of `covenant`, its draft (DRAFT) saved and open for comment."""
    today = timezone.localdate()
    rev = t.start_revision(
        covenant, committee, reason="修订垃圾分类条款", started_on=D(2026, 11, 1)
    )
    edit_draft(covenant, committee, DRAFT)
    covenant.refresh_from_db()
    return CommentWindow.objects.create(
        revision=rev,
        community_id=rev.community_id,
        draft=covenant.latest_revision,
        opens_on=opens_on or today - datetime.timedelta(days=5),
        closes_on=closes_on or today + datetime.timedelta(days=20),
        opened_by=committee,
        **options,
    )


def opinion(window, article_id="a5", text="建议写明投放时间。", **fields) -> Opinion:
    labels = {"a1": "第一条", "a2": "第二条", "a3": "第三条", "a4": "第四条", "a5": "第五条",
              "a6": "第六条", "gone": "第九条"}  # fmt: skip
    values = {
        "revision": window.revision,
        "community_id": window.community_id,
        "draft_id": window.draft_id,
        "article_id": article_id,
        "article_label": labels.get(article_id, ""),
        "text": text,
        "status": Opinion.Status.APPROVED,
        **fields,
    }
    return Opinion.objects.create(**values)


def draft_path(covenant, suffix="") -> str:
    return f"{covenant.url}draft/{suffix}"


def made_here():
    """The opinions a test made: the demo's (杏花村's 2026 revision, home/demo.py) left out."""
    return Opinion.objects.exclude(community__slug="xinghua")
