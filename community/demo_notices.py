"""Demo notices (村务/居务公开) and experiences (经验做法) for the demo district; idempotent."""

import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone
from wagtail.models import Page

from community.demo_profiles import profile_of
from community.demo_supervision import sign_off_seeded
from community.disclosure.catalogue import ITEM_OF_CATEGORY
from community.disclosure.periods import QUARTER, period_of
from community.models import (
    CommunityPage,
    DisclosureItem,
    ExperienceFeature,
    ExperienceIndexPage,
    ExperiencePage,
    ExperienceTheme,
    NoticeIndexPage,
    NoticePage,
    Role,
)

EXPERIENCES = [
    (
        "xinghua",
        "hongbai",
        "红白理事会让婚丧事办得简朴体面",
        "杏花村成立红白理事会，把红白喜事简办写进村规民约，一年为村民节省开支三十余万元。",
        ["hongbai-lishihui", "yishi-xieshang"],
        ["移风易俗"],
        [
            "<p>杏花村过去红白喜事攀比成风。2023年修订村规民约时，村民代表会议讨论通过了红白喜事简办标准，"
            "并推选五位德高望重的老人组成红白理事会。</p>",
            "<p>理事会为办事家庭提供流程指导，一年来全村婚丧事平均花费下降四成。</p>",
        ],
        True,
    ),
    (
        "xinghua",
        "points",
        "积分制管理激发村民参与",
        "环境卫生、志愿服务和参与议事都能攒积分，积分可在村超市兑换日用品。",
        ["jifen-zhi", "zhiyuan-fuwu"],
        ["积分超市"],
        ["<p>村两委制定积分细则，经村民代表会议通过后实施。每月公示积分排行。</p>"],
        False,
    ),
    (
        "yinxing",
        "yishi",
        "楼栋议事会：小事不出楼栋",
        "银杏社区在每个楼栋推选议事代表，电梯加装、停车等难题在楼栋议事会上协商解决。",
        ["yishi-xieshang", "wangge-zhili"],
        [],
        ["<p>社区把协商议事下沉到楼栋，由网格员召集，居民代表、物业和业委会共同参加。</p>"],
        True,
    ),
    (
        "hepingli",
        "elderly",
        "老旧小区适老化改造",
        "和平里社区通过居民协商确定扶手、坡道等适老化改造项目。",
        ["shilaohua"],
        ["老旧小区"],
        ["<p>社区先征集老年居民的需求，再召开协商会确定改造清单和顺序。</p>"],
        False,
    ),
]


def _committee_user(community: CommunityPage):

    role = Role.objects.filter(kind=Role.Kind.COMMITTEE, page=community).first()
    return get_user_model().objects.filter(groups=role.group).first() if role else None


def seed_notices() -> None:
    """Each community's four notices, from its profile (community/demo_profiles.py)."""
    today = timezone.localdate()
    for community in CommunityPage.objects.order_by("path"):
        board = NoticeIndexPage.objects.child_of(community).first()
        profile = profile_of(community)
        if board is None or profile is None or NoticePage.objects.child_of(board).exists():
            continue
        user = _committee_user(community)
        for item in profile.notices:
            display_from = today + datetime.timedelta(days=item.start)
            body = [("paragraph", p) for p in item.paragraphs]
            if item.table:
                body.append(("table", item.table))
            notice = NoticePage(
                title=item.title,
                slug=item.slug,
                category=item.category,
                summary=item.summary,
                display_from=display_from,
                display_until=display_from + datetime.timedelta(days=item.days)
                if item.days
                else None,
                body=body,
                # A notice whose 公示期 began before today was put up then (the fifteen days count
                # from a notice's first publication: NoticePage.first_publication_refusal).
                first_published_at=_put_up(display_from) if display_from < today else None,
            )
            key = ITEM_OF_CATEGORY.get((item.category, community.kind))
            notice.disclosure_items = list(DisclosureItem.objects.filter(key=key))
            notice.period = _period(item, display_from)
            board.add_child(instance=notice)
            revision = notice.save_revision(user=user)
            sign_off_seeded(notice, revision)
            revision.publish()


def _put_up(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(9)))


def _period(item, display_from: datetime.date) -> str:
    """The quarter a notice discloses: a quarter's accounts are published after it ends (the
    demo's 第三季度财务收支公开 in the fourth quarter), anything else in the quarter it starts."""
    quarter = period_of(display_from, QUARTER)
    return (quarter.previous() if item.category == "finance" else quarter).code


def seed_experiences(home: Page) -> None:
    if not ExperienceIndexPage.objects.exists():
        index = ExperienceIndexPage(
            title="示范经验",
            slug="experiences",
            intro="<p>全区村(社区)基层治理的好做法，供各村(社区)学习借鉴。</p>",
        )
        home.add_child(instance=index)
        index.save_revision().publish()
    district = get_user_model().objects.filter(username="minzheng").first()
    for community_slug, slug, title, summary, themes, tags, paragraphs, featured in EXPERIENCES:
        community = CommunityPage.objects.filter(slug=community_slug).first()
        if (
            community is None
            or ExperiencePage.objects.child_of(community).filter(slug=slug).exists()
        ):
            continue
        page = ExperiencePage(
            title=title, slug=slug, summary=summary, body=[("paragraph", p) for p in paragraphs]
        )
        page.themes = list(ExperienceTheme.objects.filter(slug__in=themes))
        page.tags.add(*tags)
        community.add_child(instance=page)
        page.save_revision(user=_committee_user(community)).publish()
        if featured:
            feature = ExperienceFeature(
                page=page, featured_by=district, reason="做法可复制、成效明显"
            )
            feature._history_user = district
            feature._change_reason = "设为示范"
            feature.save()
