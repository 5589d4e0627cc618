"""The demo's 民主评议 of last year: every village held one at a 村民代表会议 (results recorded, 杏花村's
published), and 银杏社区 held and published one at its 居民会议. Everyone is rated 称职 or 基本称职.

Recorded by the system (no user: the demo has no supervision committee accounts of its own), and
looked up before it is created, so seeding twice changes nothing. Dates are relative to today."""

import datetime

from django.utils import timezone

from community.evaluations import save_results
from community.models import CommunityPage, Evaluation
from community.models.evaluation import EvaluationRating
from community.models.register import register_of
from community.procedures import MeetingKind

M, H = EvaluationRating.Kind.MEMBER, EvaluationRating.Kind.HIRED

# (name, post, kind, share of 称职 votes in percent, 基本称职 percent, 不称职 percent)
PEOPLE = {
    "xinghua": [
        ("李秀兰", "主任", M, 88, 10, 2),
        ("周德明", "副主任", M, 80, 17, 3),
        ("吴海燕", "委员（妇女）", M, 84, 14, 2),
        ("郑国平", "委员", M, 42, 52, 6),
        ("孙丽华", "委员", M, 76, 20, 4),
        ("钱永康", "报账员", H, 78, 19, 3),
    ],
    "shiqiao": [
        ("王建国", "主任", M, 85, 12, 3),
        ("何晓梅", "副主任", M, 79, 18, 3),
        ("冯志强", "委员", M, 73, 23, 4),
        ("蒋春兰", "委员", M, 81, 16, 3),
        ("韩立军", "文书", H, 70, 26, 4),
    ],
    "nanshan": [
        ("朱卫东", "主任", M, 83, 14, 3),
        ("沈桂芳", "委员（妇女）", M, 86, 12, 2),
        ("杨新华", "委员", M, 77, 19, 4),
        ("许金宝", "护林员", H, 72, 24, 4),
    ],
    "yinxing": [
        ("陈晓燕", "主任", M, 87, 11, 2),
        ("林海涛", "副主任", M, 81, 16, 3),
        ("黄佳琪", "委员", M, 78, 19, 3),
        ("曹振华", "委员", M, 75, 21, 4),
    ],
}
PUBLISHED = {"xinghua", "yinxing"}


def _tallies(present: int, shares: tuple[int, int, int]) -> dict:
    competent, basic = (present * shares[0]) // 100, (present * shares[1]) // 100
    incompetent = min((present * shares[2]) // 100, present - competent - basic)
    return {"competent": competent, "basic": basic, "incompetent": incompetent}


def _meeting(community: CommunityPage, day: datetime.date) -> dict:
    register = register_of(community)
    if community.kind == CommunityPage.Kind.VILLAGE:
        eligible = register.members or community.representatives + 5
        return {
            "meeting_kind": MeetingKind.VILLAGE_REPRESENTATIVES,
            "eligible": eligible,
            "present": eligible - max(1, eligible // 12),
            "women_present": eligible // 3 + 1,
        }
    households = register.households or community.households
    return {
        "meeting_kind": MeetingKind.RESIDENTS_ASSEMBLY,
        "notice_date": day - datetime.timedelta(days=12),
        "eligible": register.adult_residents or community.adult_residents,
        "households": households,
        "households_represented": households // 2 + 40,
        "present": households // 2 + 40,
        "women_present": households // 4 + 20,
    }


def seed_evaluations(today: datetime.date | None = None) -> int:
    today = today or timezone.localdate()
    year = today.year - 1
    day = datetime.date(year, 12, 18)
    created = 0
    for slug, people in PEOPLE.items():
        community = CommunityPage.objects.filter(slug=slug).first()
        if community is None or Evaluation.objects.filter(community=community, year=year).exists():
            continue
        meeting = {"meeting_date": day, **_meeting(community, day)}
        evaluation = Evaluation.objects.create(community=community, year=year)
        ratings = [
            {"name": name, "post": post, "kind": kind, **_tallies(meeting["present"], shares)}
            for name, post, kind, *shares in people
        ]
        published = day + datetime.timedelta(days=3) if slug in PUBLISHED else None
        save_results(evaluation, None, meeting, ratings, published_on=published)
        created += 1
    return created
