"""Issue 15, item 5: a history shows words, not values. Every history and diff (the revision's
own timeline, the review desk's history and diff, the register's change log) shows a choice by
its label, a boolean as 是/否, a user by their name in Chinese order, a Wagtail revision by when it
was saved, a time in local time in one format; a resubmitted draft no longer shows the returned
verdict as its state; a notification is read once its task is done."""

import datetime
import re
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone
from wagtail.admin.utils import get_user_display_name
from wagtail.documents import get_document_model

from cms.display import field_text, local_date, local_datetime, person_name
from community import transitions as t
from community.models import CommunityRegister, CovenantRevision, NoticePage, Notification
from community.models.register import register_history
from community.review.registry import history_registry
from community.review.text import readable
from tests.community.covenant_helpers import (
    BASE_TEXT,
    article,
    chapter,
    edit_draft,
    good_vote,
    make_covenant,
)

pytestmark = pytest.mark.django_db
D = datetime.date
Kind = Notification.Kind
# What a history must never show: stage and meeting codes, Python's booleans, UTC offsets and
# microseconds, a Wagtail revision's repr, a user as a bare id.
RAW = re.compile(
    r"soliciting|drafting|village_assembly|\bTrue\b|\bFalse\b|\+00:00|\d{2}:\d{2}:\d{2}\.\d+|"
    r"审核人</strong>：\d|→ \d+\s*<"
)


def _changed_text() -> list:
    return [
        chapter("c1", "总则", article("a1", "为推进村民自治，制定本村规民约。")),
        *BASE_TEXT[1:],
    ]


@pytest.fixture
def covenant(shiqiao, committee_shiqiao):
    return make_covenant(shiqiao, committee_shiqiao)


@pytest.fixture
def returned(covenant, committee_shiqiao, reviewer_liuxi) -> CovenantRevision:
    """A revision solicited, drafted, submitted and returned by the township."""
    rev = t.start_revision(
        covenant, committee_shiqiao, reason="新增垃圾分类条款", started_on=D(2026, 4, 1)
    )
    rev = t.begin_drafting(rev, committee_shiqiao)
    edit_draft(covenant, committee_shiqiao, _changed_text())
    t.submit_for_review(rev, committee_shiqiao, submitted_on=D(2026, 5, 10))
    return t.review(
        rev, reviewer_liuxi, passed=False, opinion="第三条罚款不当。", reviewed_on=D(2026, 5, 12)
    )


def test_the_one_formatter_reads_each_kind_of_value(reviewer_liuxi, covenant):
    field = CovenantRevision._meta.get_field
    assert field_text(field("stage"), "soliciting") == "征集民意"
    assert field_text(field("meeting_kind"), "village_assembly") == "村民会议"
    assert field_text(field("review_passed"), True) == "是"
    assert field_text(field("review_passed"), False) == "否"
    assert field_text(field("reviewer"), reviewer_liuxi) == "张明"
    assert field_text(field("reviewer"), reviewer_liuxi.pk) == "张明"
    assert field_text(field("submitted_on"), D(2026, 12, 5)) == "2026年12月5日"
    draft = covenant.latest_revision
    draft.created_at = datetime.datetime(2026, 12, 1, 8, 11, 40, 790305, tzinfo=datetime.UTC)
    assert field_text(field("draft_revision"), draft) == "草稿（2026年12月1日 16:11 保存）"
    moment = datetime.datetime(2026, 12, 1, 8, 11, 40, 790305, tzinfo=datetime.UTC)
    assert local_datetime(moment) == "2026年12月1日 16:11"
    assert local_date(D(2027, 1, 1)) == "2027年1月1日"


def test_a_user_is_named_in_chinese_order_everywhere_in_the_admin(reviewer_liuxi):
    assert reviewer_liuxi.get_full_name() == "张明"
    assert get_user_display_name(reviewer_liuxi) == "张明"
    assert person_name(reviewer_liuxi) == "张明"
    nameless = get_user_model()(username="zhanghao")
    assert person_name(nameless) == "zhanghao" and get_user_display_name(nameless) == "zhanghao"


def test_the_revision_timeline_shows_labels_names_and_local_times(
    client, returned, committee_shiqiao
):
    client.force_login(committee_shiqiao)
    html = client.get(reverse("community_revision_detail", args=(returned.pk,))).content.decode()
    timeline = html[html.index("修订记录") :]
    assert not RAW.findall(timeline), RAW.findall(timeline)
    assert "征集民意 → 拟定草案" in timeline
    assert "<strong>审核通过</strong>：（空） → 否" in timeline
    assert "<strong>审核人</strong>：（空） → 张明" in timeline
    assert "草稿（" in timeline and "保存）" in timeline
    assert not RAW.findall(html[: html.index("修订记录")])


def test_the_review_desk_history_shows_the_same_words(client, returned, district_staff):
    client.force_login(district_staff)
    url = history_registry.for_model(CovenantRevision).history_url(returned.pk)
    first = returned.history.order_by("history_id").first()
    html = client.get(url, {"from": first.history_id}).content.decode()
    diff = html[html.index('id="diff"') : html.index("全部版本")]
    assert "张明" in diff and "否" in diff and "拟定草案" in diff
    assert not RAW.findall(diff), RAW.findall(diff)
    assert "#" not in diff  # no bare ids beside the names
    assert re.search(r"\d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2}", html)


def test_the_register_history_uses_one_date_format(shiqiao, committee_shiqiao):
    register = CommunityRegister.objects.get(community=shiqiao)
    register.as_of = D(2026, 12, 5)
    register._history_user = committee_shiqiao
    register._change_reason = "更新"
    register.save()
    change = register_history(shiqiao)[0]
    text = change.describe()
    assert "2026年12月05日" not in text and "2026-12-05" not in text
    assert f"{local_date(timezone.localdate(change.when))} 王建国" in text
    assert "2026年12月5日" in text


def test_resubmitting_clears_the_returned_verdict(returned, committee_shiqiao, covenant):
    assert returned.review_passed is False and returned.reviewer_id is not None
    t.submit_for_review(returned, committee_shiqiao, submitted_on=D(2026, 5, 15))
    returned.refresh_from_db()
    assert returned.review_passed is None
    assert returned.reviewer_id is None and returned.reviewed_on is None
    assert returned.review_opinion == ""
    # the returned verdict stays in the history
    assert returned.history.filter(review_passed=False, review_opinion="第三条罚款不当。").exists()


def test_the_record_page_does_not_show_the_stale_verdict(client, returned, committee_shiqiao):
    t.submit_for_review(returned, committee_shiqiao, submitted_on=D(2026, 5, 15))
    client.force_login(committee_shiqiao)
    response = client.get(reverse("community_revision_detail", args=(returned.pk,)))
    sections = dict(response.context["sections"])
    labels = [label for label, _ in sections["拟定草案与审核"]]
    assert "审核通过" not in labels and "合法性审查意见" not in labels


def test_a_notification_is_read_once_its_task_is_done(returned, committee_shiqiao, reviewer_liuxi):
    asked = Notification.objects.get(
        recipient=reviewer_liuxi, revision=returned, kind=Kind.REVIEW_REQUESTED
    )
    assert asked.read_at is not None  # the reviewer reviewed: the task is done
    told = Notification.objects.get(recipient=committee_shiqiao, kind=Kind.DRAFT_RETURNED)
    assert told.read_at is None  # still to do: the committee must revise
    t.submit_for_review(returned, committee_shiqiao, submitted_on=D(2026, 5, 15))
    told.refresh_from_db()
    assert told.read_at is not None
    again = Notification.objects.filter(
        recipient=reviewer_liuxi, revision=returned, kind=Kind.REVIEW_REQUESTED
    ).latest("pk")
    assert again.read_at is None  # the new request waits
    t.review(returned, reviewer_liuxi, passed=True, opinion="合法。", reviewed_on=D(2026, 5, 20))
    t.record_vote(returned, committee_shiqiao, **good_vote())
    filing = Notification.objects.get(recipient=reviewer_liuxi, kind=Kind.FILING_REQUESTED)
    assert filing.read_at is None
    t.record_filing(
        returned, reviewer_liuxi, authority="柳溪镇人民政府", number="柳备〔2026〕3号",
        filed_on=D(2026, 6, 25),
    )  # fmt: skip
    filing.refresh_from_db()
    assert filing.read_at is not None
    assert not Notification.objects.filter(revision=returned).unread().exists()


def test_withdrawing_ends_every_task_of_the_revision(returned, committee_shiqiao):
    t.withdraw(returned, committee_shiqiao, reason="暂缓修订")
    assert not Notification.objects.filter(revision=returned).unread().exists()


@pytest.mark.django_db
def test_a_chosen_document_is_named_by_its_title_in_a_diff():
    """A notice's attachment read "附件 #12" in the history's diff: the document by its title, and
    one that was deleted since by what it was."""

    document = get_document_model().objects.create(
        title="2026年第三季度收支明细表", file=ContentFile(b"%PDF-1.4", name="q3.pdf")
    )
    field = NoticePage._meta.get_field("attachments")
    stored = [{"type": "document", "value": document.pk, "id": "a1"}]
    assert readable(field, stored) == "1. 附件：2026年第三季度收支明细表"
    document.delete()
    assert readable(field, stored) == "1. 附件：附件（已删除）"


def test_refusals_write_dates_as_the_pages_do():
    """A refusal said 2026年12月05日 where every page says 2026年12月5日: one date format, from
    cms.display, in every message of the procedures."""
    sources = [
        Path(__file__).resolve().parents[2] / name
        for name in ("community/procedures.py", "community/transitions.py",
                     "consultation/procedures.py", "consultation/models/forms.py")
    ]  # fmt: skip
    padded = [str(p) for p in sources if "%m月%d日" in p.read_text(encoding="utf-8")]
    assert not padded
