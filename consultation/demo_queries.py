"""Demo residents' queries (issue 16): in 杏花村 one answered in time, and one disputed and decided
by 柳溪镇 (责令依法公布); in 石桥村 one left unanswered past its deadline and escalated, awaiting the
township. Dates are relative to today; looked up by notice and question, so seeding twice changes
nothing."""

import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone

from community.models import CommunityPage, NoticePage
from consultation.models import NoticeQuery
from consultation.queries import dispute, escalate, record_outcome

ANSWERED = "公示里的“道路维修 12,000 元”是哪一段路？施工单位是谁？"
DISPUTED = "村集体鱼塘的承包费为什么没有列在收入里？"
OVERDUE = "本季度的低保资金发放明细能否公布到户数？"


def _notice(slug: str) -> tuple[CommunityPage, NoticePage] | tuple[None, None]:
    community = CommunityPage.objects.filter(slug=slug).first()
    if community is None:
        return None, None
    notice = NoticePage.objects.descendant_of(community).live().order_by("pk").first()
    return community, notice


def _query(community, notice, question, days_ago, **fields) -> tuple[NoticeQuery, bool]:
    existing = NoticeQuery.objects.filter(notice=notice, question=question).first()
    if existing:
        return existing, False
    received = timezone.now() - datetime.timedelta(days=days_ago)
    query = NoticeQuery(
        notice=notice,
        community=community,
        question=question,
        received_at=received,
        due_on=timezone.localdate(received) + datetime.timedelta(days=10),
        **fields,
    )
    query._change_reason = "居民提出查询"
    query.save()
    return query, True


def _answer(query, user, text, days_ago) -> None:
    query.answer = text
    query.answered_on = timezone.localdate() - datetime.timedelta(days=days_ago)
    query.answered_by = user
    query._history_user = user
    query._change_reason = "答复查询"
    query.save()


def seed_queries() -> None:
    User = get_user_model()
    committee = User.objects.filter(username="weiyuan_xinghua").first()
    reviewer = User.objects.filter(username="shenhe_liuxi").first()
    xinghua, notice = _notice("xinghua")
    if notice is not None and committee is not None:
        query, new = _query(
            xinghua, notice, ANSWERED, 12, name="孙建华", mobile="13912340000", consent=True
        )
        if new:
            _answer(
                query,
                committee,
                "是村东口至小学门口的 800 米村道，施工单位为清河区路桥工程有限公司，"
                "合同和验收单已附在本公示附件中。",
                5,
            )
        query, new = _query(xinghua, notice, DISPUTED, 25)
        if new:
            _answer(query, committee, "鱼塘承包费将在年底一并公布。", 18)
            dispute(query, "承包费每季度都收，应当按季度公布。")
            if reviewer is not None:
                record_outcome(
                    query,
                    reviewer,
                    {
                        "outcome": NoticeQuery.Outcome.ORDER_PUBLISH,
                        "outcome_text": "经核实，鱼塘承包费按季度收取，责令村委会在下一期财务公开中列明。",
                        "outcome_on": timezone.localdate(),
                    },
                )
    shiqiao, notice = _notice("shiqiao")
    if notice is not None:
        query, new = _query(shiqiao, notice, OVERDUE, 20)
        if new:
            escalate(query, NoticeQuery.Escalation.OVERDUE)
