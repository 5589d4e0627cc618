"""The covenant procedure's rules as plain functions over values (docs/covenants.md).

No request, no ORM: `clean()`, the admin and the API call these and show what they return.
Integer arithmetic only, so no rounding ever decides a vote. A vote's rules are composed per
purpose (VOTE_RULES) from one function per rule, so a purpose leaves a rule out rather than its
callers dropping what the rule found.
"""

import datetime
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from enum import StrEnum

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError


@dataclass(frozen=True)
class Citation:
    law: str
    version: str
    article: str

    def __str__(self) -> str:
        return f"{self.law}{self.article}"


# Every threshold's source, as data: a corrected article number is one edit here.
LAW = {
    "village_notice": Citation("村民委员会组织法", "2018", "第二十一条"),
    "village_assembly": Citation("村民委员会组织法", "2018", "第二十二条"),
    "village_representatives": Citation("村民委员会组织法", "2018", "第二十六条"),
    "village_covenant": Citation("村民委员会组织法", "2018", "第二十七条"),
    "residents_assembly": Citation("城市居民委员会组织法", "2018", "第十条"),
    "guidance": Citation("民政部等七部门《关于做好村规民约和居民公约工作的指导意见》", "2018", ""),
}

NOTICE_DAYS = 10


class MeetingKind(StrEnum):
    VILLAGE_ASSEMBLY = "village_assembly"
    VILLAGE_REPRESENTATIVES = "village_representatives"
    RESIDENTS_ASSEMBLY = "residents_assembly"

    @property
    def label(self) -> str:
        return MEETING_LABELS[self]


MEETING_LABELS = {
    MeetingKind.VILLAGE_ASSEMBLY: "村民会议",
    MeetingKind.VILLAGE_REPRESENTATIVES: "村民代表会议",
    MeetingKind.RESIDENTS_ASSEMBLY: "居民会议",
}
MEETINGS_FOR = {
    "village": (MeetingKind.VILLAGE_ASSEMBLY, MeetingKind.VILLAGE_REPRESENTATIVES),
    "urban": (MeetingKind.RESIDENTS_ASSEMBLY,),
}


@dataclass(frozen=True)
class Violation:
    code: str
    message: str
    field: str | None = None
    warning: bool = False  # shown to the reviewer, does not refuse


def errors(violations: list[Violation]) -> list[Violation]:
    return [v for v in violations if not v.warning]


def as_validation_error(
    violations: Iterable[Violation], fields: Collection[str], default: str | None = None
) -> ValidationError:
    """The refusals (warnings never refuse) as Django's errors by field, the one form a form's
    `add_error(None, ...)` and a model's `clean()` both take: a violation on a field the form or
    model does not have goes under `default`, or among the non-field errors."""
    by_field: dict[str, list[str]] = {}
    for violation in errors(list(violations)):
        field = violation.field if violation.field in fields else default
        by_field.setdefault(field or NON_FIELD_ERRORS, []).append(violation.message)
    return ValidationError(by_field)


class VotePurpose(StrEnum):
    """What a vote decides, which chooses the rules it must keep (VOTE_RULES)."""

    COVENANT = "covenant"  # 村规民约、居民公约
    DECISION = "decision"  # a 四议两公开 major matter
    DELIBERATION = "deliberation"  # a consultation's vote


@dataclass(frozen=True)
class Vote:
    meeting_kind: str
    community_kind: str  # "village" | "urban"
    eligible: int  # 应到: adults 18+, the representatives' body, or the residents' body
    present: int
    votes_for: int
    votes_against: int = 0
    abstentions: int = 0
    households: int = 0
    households_represented: int = 0
    women_present: int = 0
    meeting_date: datetime.date | None = None
    notice_date: datetime.date | None = None
    authorised: bool = False  # a 村民会议 authorised its 代表会议 to adopt the covenant
    purpose: VotePurpose = VotePurpose.COVENANT


Rule = Callable[[Vote], list[Violation]]


def _kind(vote: Vote) -> MeetingKind:
    return MeetingKind(vote.meeting_kind)


def _place(vote: Vote) -> str:
    return "本村" if vote.community_kind == "village" else "本社区"


def _law(vote: Vote) -> Citation:
    """The article a quorum or a majority of this meeting rests on."""
    return LAW[_kind(vote).value]


# Preconditions: each stage that finds something ends the check (no quorum over negative counts).


def meeting_kind_known(v: Vote) -> list[Violation]:
    if v.meeting_kind in MeetingKind._value2member_map_:
        return []
    return [
        Violation(
            "meeting_kind_missing",
            "请选择会议类型（村民会议、村民代表会议或居民会议）。",
            "meeting_kind",
        )
    ]


def meeting_kind_suits_community(v: Vote) -> list[Violation]:
    kind = _kind(v)
    if kind in MEETINGS_FOR[v.community_kind]:
        return []
    allowed = "、".join(k.label for k in MEETINGS_FOR[v.community_kind])
    return [
        Violation(
            "meeting_kind",
            f"{_place(v)}的公约只能由{allowed}表决，不能由{kind.label}表决。",
            "meeting_kind",
        )
    ]


def no_negative_counts(v: Vote) -> list[Violation]:
    return [
        Violation("negative", f"{label}不能为负数（填写的是 {value}）。", name)
        for name, label, value in (
            ("eligible", "应到人数", v.eligible),
            ("present", "到会人数", v.present),
            ("votes_for", "赞成票", v.votes_for),
            ("votes_against", "反对票", v.votes_against),
            ("abstentions", "弃权票", v.abstentions),
            ("households", "户数", v.households),
            ("households_represented", "到会代表的户数", v.households_represented),
            ("women_present", "到会女性人数", v.women_present),
        )
        if value < 0
    ]


def someone_eligible(v: Vote) -> list[Violation]:
    if v.eligible == 0:
        return [Violation("no_eligible", "应到人数为 0，无法计算法定人数。", "eligible")]
    return []


def _at_most(value: int, limit: int, code: str, message: str, field: str) -> list[Violation]:
    """A count that cannot exceed another (votes cast ≤ present ≤ eligible, …)."""
    return [] if value <= limit else [Violation(code, message, field)]


def votes_within_present(v: Vote) -> list[Violation]:
    cast = v.votes_for + v.votes_against + v.abstentions
    return _at_most(
        cast, v.present, "votes_exceed_present",
        f"赞成 {v.votes_for}、反对 {v.votes_against}、弃权 {v.abstentions}，"
        f"合计 {cast} 票，超过到会人数 {v.present} 人。",
        "votes_for",
    )  # fmt: skip


def present_within_eligible(v: Vote) -> list[Violation]:
    return _at_most(
        v.present, v.eligible, "present_exceeds_eligible",
        f"到会 {v.present} 人，超过应到 {v.eligible} 人。", "present",
    )  # fmt: skip


def households_within_total(v: Vote) -> list[Violation]:
    return _at_most(
        v.households_represented, v.households, "households_exceed_total",
        f"到会代表 {v.households_represented} 户，超过总户数 {v.households} 户。",
        "households_represented",
    )  # fmt: skip


def women_within_present(v: Vote) -> list[Violation]:
    return _at_most(
        v.women_present, v.present, "women_exceed_present",
        f"到会女性 {v.women_present} 人，超过到会人数 {v.present} 人。", "women_present",
    )  # fmt: skip


# The rules proper, over a vote whose numbers are consistent.


def quorum(v: Vote) -> list[Violation]:
    kind, law = _kind(v), _law(v)
    if kind is MeetingKind.VILLAGE_ASSEMBLY:
        by_people = 2 * v.present > v.eligible
        by_households = v.households > 0 and 3 * v.households_represented >= 2 * v.households
        if by_people or by_households:
            return []
        message = (
            f"到会 {v.present} 人，未超过本村 18 周岁以上村民 {v.eligible} 人的半数；"
            f"到会代表 {v.households_represented} 户，也未达到本村 {v.households} 户的三分之二"
            f"（{law}）。"
        )
    elif kind is MeetingKind.VILLAGE_REPRESENTATIVES:
        if 3 * v.present >= 2 * v.eligible:
            return []
        message = (
            f"到会 {v.present} 人，未达到村民代表会议组成人员 {v.eligible} 人的三分之二（{law}）。"
        )
    else:
        if 2 * v.present > v.eligible:
            return []
        message = f"到会 {v.present} 人，未超过居民会议组成人员 {v.eligible} 人的半数（{law}）。"
    return [Violation("quorum", message, "present")]


def notice_kept(v: Vote) -> list[Violation]:
    """A 村民会议 is announced ten days ahead; other meetings have no statutory notice."""
    if _kind(v) is not MeetingKind.VILLAGE_ASSEMBLY or not v.meeting_date:
        return []
    if v.notice_date is None:
        return [
            Violation(
                "notice_missing",
                f"请填写会议通知日期：村民会议应提前十天通知（{LAW['village_notice']}）。",
                "notice_date",
            )
        ]
    days = (v.meeting_date - v.notice_date).days
    if days >= NOTICE_DAYS:
        return []
    return [
        Violation(
            "notice",
            f"会议通知于 {v.notice_date:%Y年%m月%d日} 发出，距会议仅 {days} 天，"
            f"应提前十天通知村民（{LAW['village_notice']}）。",
            "notice_date",
        )
    ]


def representatives_authorised(v: Vote) -> list[Violation]:
    """A covenant is the 村民会议's to adopt: its 代表会议 votes on it only when authorised."""
    if _kind(v) is not MeetingKind.VILLAGE_REPRESENTATIVES or v.authorised:
        return []
    return [
        Violation(
            "authorisation",
            "村规民约由村民会议制定和修改；本村未登记村民会议对村民代表会议的授权，"
            f"不能由村民代表会议表决（{LAW['village_covenant']}）。",
            "meeting_kind",
        )
    ]


def majority(v: Vote) -> list[Violation]:
    if 2 * v.votes_for > v.present:
        return []
    return [
        Violation(
            "majority",
            f"赞成 {v.votes_for} 票，未超过到会 {v.present} 人的半数，草案未获通过（{_law(v)}）。",
            "votes_for",
        )
    ]


def women_share(v: Vote) -> list[Violation]:
    if not v.present or 3 * v.women_present >= v.present:
        return []
    return [
        Violation(
            "women_present",
            f"到会女性 {v.women_present} 人，不足到会人数 {v.present} 人的三分之一"
            f"（{LAW['guidance']}：表决应有一定比例的妇女参加）。",
            "women_present",
            warning=True,
        )
    ]


@dataclass(frozen=True)
class VoteCheck:
    """Rules in stages, run in order: a stage that finds anything ends the check, since the
    later rules would only restate it in other numbers."""

    stages: tuple[tuple[Rule, ...], ...]

    def __call__(self, vote: Vote) -> list[Violation]:
        found: list[Violation] = []
        for stage in self.stages:
            for rule in stage:
                found.extend(rule(vote))
            if found:
                break
        return found


PRECONDITIONS: tuple[tuple[Rule, ...], ...] = (
    (meeting_kind_known,),
    (meeting_kind_suits_community,),
    (no_negative_counts,),
    (someone_eligible,),
    (votes_within_present, present_within_eligible, households_within_total, women_within_present),
)
# A covenant: every rule, the 代表会议's authorisation included (村民委员会组织法第二十七条).
covenant_vote_rules = VoteCheck(
    (*PRECONDITIONS, (quorum, notice_kept, representatives_authorised, majority, women_share))
)
# A 四议两公开 decision: the same quorum and majority; an ordinary major matter needs no
# authorisation of the 代表会议.
decision_vote_rules = VoteCheck((*PRECONDITIONS, (quorum, notice_kept, majority, women_share)))
# A consultation's vote: a vote that fails its majority is a result to record, not an error.
deliberation_vote_rules = VoteCheck((*PRECONDITIONS, (quorum, notice_kept, women_share)))

VOTE_RULES = {
    VotePurpose.COVENANT: covenant_vote_rules,
    VotePurpose.DECISION: decision_vote_rules,
    VotePurpose.DELIBERATION: deliberation_vote_rules,
}


def check_vote(vote: Vote) -> list[Violation]:
    """Every violation of the rules for what the vote decides, each naming its law."""
    return VOTE_RULES[vote.purpose](vote)


def check_filing(
    vote_date: datetime.date, filing_date: datetime.date, max_days: int = 10
) -> list[Violation]:
    """Filing follows the vote; later than `max_days` after it is a warning (local practice)."""
    days = (filing_date - vote_date).days
    if days < 0:
        return [
            Violation(
                "filing_before_vote",
                f"备案日期 {filing_date:%Y年%m月%d日} 早于表决日期 {vote_date:%Y年%m月%d日}。",
                "filed_on",
            )
        ]
    if days > max_days:
        return [
            Violation(
                "filing_late",
                f"表决后第 {days} 天才备案，超过 {max_days} 天（多数省份的做法，非法律规定）。",
                "filed_on",
                warning=True,
            )
        ]
    return []
