"""The demo's supervision committees: three members per community (the chair is the demo account
jiandu_<community>), a former member whose term has ended, the villages' published finance notices
signed off, one finance notice in 杏花村 awaiting sign-off, and a public opinion. Idempotent; dates
relative to today."""

import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone

from community.models import (
    CommunityPage,
    NoticeIndexPage,
    NoticePage,
    SupervisionMember,
    SupervisionOpinion,
)
from community.models.supervision import FinanceSignOff
from community.supervision.finance import record_outcome, signoff_required

REASON = "演示数据"
# slug -> (chair's account, the other members: (name, has finance knowledge))
MEMBERS = {
    "xinghua": ("jiandu_xinghua", "周德福", [("孙玉梅", True), ("吴桂英", False)]),
    "shiqiao": ("jiandu_shiqiao", "钱国强", [("许晓梅", True), ("何长林", False)]),
    "nanshan": ("jiandu_nanshan", "蒋春花", [("曹立军", True), ("彭秀珍", False)]),
    "yinxing": ("jiandu_yinxing", "郑文静", [("韩丽", True), ("唐志远", False)]),
    "hepingli": ("jiandu_hepingli", "冯建华", [("邓敏", True), ("萧宏", False)]),
}
PENDING_SLUG = "finance-month"


def _terms(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    start = today.replace(month=3, day=12) - datetime.timedelta(days=365)
    return start, start.replace(year=start.year + 5) - datetime.timedelta(days=1)


def _save(record, user=None):
    record._history_user = user
    record._change_reason = REASON
    record.full_clean()
    record.save()
    return record


def seed_supervision_members() -> None:
    """Before the notices: the villages' finance notices are signed off by these members."""
    User = get_user_model()
    today = timezone.localdate()
    start, end = _terms(today)
    for community in CommunityPage.objects.filter(slug__in=MEMBERS):
        if SupervisionMember.objects.filter(community=community).exists():
            continue
        username, chair, others = MEMBERS[community.slug]
        elected = f"{start.year}年{start.month}月{start.day}日村(居)民会议选举产生"
        common = {"community": community, "term_start": start, "term_end": end}
        _save(
            SupervisionMember(
                name=chair,
                post=SupervisionMember.Post.CHAIR,
                user=User.objects.filter(username=username).first(),
                elected_by=elected,
                **common,
            )
        )
        for name, knows in others:
            _save(
                SupervisionMember(name=name, finance_knowledge=knows, elected_by=elected, **common)
            )
        former_start = start.replace(year=start.year - 5)
        _save(
            SupervisionMember(
                community=community,
                name="赵守义",
                term_start=former_start,
                term_end=start - datetime.timedelta(days=1),
                elected_by="上届村(居)民会议选举产生",
            )
        )


def _chair(community):
    return (
        SupervisionMember.objects.filter(community=community, post="chair")
        .exclude(user=None)
        .select_related("user")
        .first()
    )


def sign_off_seeded(notice: NoticePage, revision) -> None:
    """The demo's published finance notices were signed off before they went up."""
    if not signoff_required(notice):
        return
    community = notice.get_parent().get_parent()
    chair = _chair(community)
    if chair is not None:
        record_outcome(notice, revision, chair.user, FinanceSignOff.Outcome.SIGNED, "账目相符。")


def seed_supervision() -> None:
    """After the notices: a finance notice awaiting sign-off, and a public opinion."""
    today = timezone.localdate()
    xinghua = CommunityPage.objects.filter(slug="xinghua").first()
    if xinghua is None:
        return
    board = NoticeIndexPage.objects.child_of(xinghua).first()
    if board is not None and not NoticePage.objects.child_of(board).filter(slug=PENDING_SLUG):
        month = (today.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
        notice = NoticePage(
            title=f"杏花村{month.month}月财务收支公开",
            slug=PENDING_SLUG,
            category="finance",
            period=f"{month:%Y-%m}",
            summary=f"{month.month}月集体收入和支出明细，经监督委员会审核后公布。",
            display_from=today,
            display_until=today + datetime.timedelta(days=30),
            body=[("paragraph", f"<p>现将{month.month}月村集体财务收支情况公布如下。</p>")],
            live=False,
        )
        board.add_child(instance=notice)
        committee = get_user_model().objects.filter(username="weiyuan_xinghua").first()
        notice.save_revision(user=committee)
    if not SupervisionOpinion.objects.filter(community=xinghua).exists():
        chair = _chair(xinghua)
        _save(
            SupervisionOpinion(
                community=xinghua,
                subject="第三季度财务收支公开",
                text="经核对原始凭证，第三季度收支与账目相符；建议今后在公开中注明道路维修的施工单位。",
                visibility=SupervisionOpinion.Visibility.PUBLIC,
                issued_on=today - datetime.timedelta(days=3),
                author=chair.user if chair else None,
            ),
            chair.user if chair else None,
        )
