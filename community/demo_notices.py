"""Demo notices (村务/居务公开) and experiences (经验做法) for the demo district; idempotent."""

import datetime
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone
from wagtail.models import Page

from community.models import (
    CommunityPage,
    ExperienceFeature,
    ExperienceIndexPage,
    ExperiencePage,
    ExperienceTheme,
    NoticeIndexPage,
    NoticePage,
    Role,
)

# (slug, title, category, days from today to display_from, length in days or None, summary, body paragraphs)
NOTICES = [
    (
        "finance-q3",
        "{name}第三季度财务收支公开",
        "finance",
        -5,
        30,
        "第三季度集体收入、支出明细，请村(居)民监督。",
        [
            "<p>根据村务公开有关规定，现将本季度财务收支情况公布如下。如有疑问，请于公示期内向监督委员会反映。</p>"
        ],
    ),
    (
        "party-fees",
        "党员缴纳党费情况公示",
        "party",
        -2,
        15,
        "本年度党员党费缴纳情况。",
        ["<p>全体党员已按规定足额缴纳本年度党费，现予公示。</p>"],
    ),
    (
        "hongbai",
        "关于移风易俗、红白喜事简办的倡议",
        "affairs",
        -60,
        20,
        "倡导红白喜事简办，反对大操大办和高价彩礼。",
        [
            "<p>为推进移风易俗，经红白理事会提议、村(居)民代表会议讨论，倡议大家红白喜事简办新办："
            "婚事宴席不超过10桌，丧事不搭棚、不请乐队，礼金不超过200元。</p>",
            "<p>红白理事会成员名单和联系方式附后，办事前请先告知理事会。</p>",
        ],
    ),
    (
        "low-income",
        "2026年低保对象评议结果公示",
        "government",
        -1,
        7,
        "经民主评议，拟确定的低保对象名单。",
        [
            "<p>经户申请、入户调查、民主评议，拟确定下列家庭为低保对象。公示期内如有异议，请向乡镇(街道)民政办反映。</p>"
        ],
    ),
]

FINANCE_TABLE = {
    "caption": "第三季度收支明细（单位：元）",
    "columns": [
        {"type": "text", "heading": "项目"},
        {"type": "amount", "heading": "收入"},
        {"type": "amount", "heading": "支出"},
    ],
    "rows": [
        {"values": ["集体土地租金", Decimal("86000.00"), Decimal("0.00")]},
        {"values": ["道路维修", Decimal("0.00"), Decimal("32400.50")]},
        {"values": ["卫生保洁", Decimal("0.00"), Decimal("12000.00")]},
    ],
}

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
    today = timezone.localdate()
    for community in CommunityPage.objects.order_by("path"):
        board = NoticeIndexPage.objects.child_of(community).first()
        if board is None or NoticePage.objects.child_of(board).exists():
            continue
        user = _committee_user(community)
        for slug, title, category, start, days, summary, paragraphs in NOTICES:
            display_from = today + datetime.timedelta(days=start)
            body = [("paragraph", p) for p in paragraphs]
            if category == "finance":
                body.append(("table", FINANCE_TABLE))
            notice = NoticePage(
                title=title.format(name=community.title),
                slug=slug,
                category=category,
                summary=summary,
                display_from=display_from,
                display_until=display_from + datetime.timedelta(days=days) if days else None,
                body=body,
            )
            board.add_child(instance=notice)
            notice.save_revision(user=user).publish()


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
