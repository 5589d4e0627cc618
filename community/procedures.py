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
from django.utils import timezone

from cms.display import local_date
from community.law import Provision, provision, versions_of

GUIDANCE = "民政部等七部门《关于做好村规民约和居民公约工作的指导意见》"


class MeetingKind(StrEnum):
    VILLAGE_ASSEMBLY = "village_assembly"
    VILLAGE_REPRESENTATIVES = "village_representatives"
    VILLAGE_GROUP = "village_group"
    RESIDENTS_ASSEMBLY = "residents_assembly"
    RESIDENTS_REPRESENTATIVES = "residents_representatives"

    @property
    def label(self) -> str:
        return MEETING_LABELS[self]


MEETING_LABELS = {
    MeetingKind.VILLAGE_ASSEMBLY: "村民会议",
    MeetingKind.VILLAGE_REPRESENTATIVES: "村民代表会议",
    MeetingKind.VILLAGE_GROUP: "村民小组会议",
    MeetingKind.RESIDENTS_ASSEMBLY: "居民会议",
    MeetingKind.RESIDENTS_REPRESENTATIVES: "居民代表会议",
}
ASSEMBLIES = (MeetingKind.VILLAGE_ASSEMBLY, MeetingKind.RESIDENTS_ASSEMBLY)
REPRESENTATIVES = (MeetingKind.VILLAGE_REPRESENTATIVES, MeetingKind.RESIDENTS_REPRESENTATIVES)
# The rule (community.law key) that holds each body's quorum and majority.
BODY_RULE = {
    MeetingKind.VILLAGE_ASSEMBLY: "village.assembly",
    MeetingKind.VILLAGE_REPRESENTATIVES: "village.representatives",
    MeetingKind.VILLAGE_GROUP: "village.group",
    MeetingKind.RESIDENTS_ASSEMBLY: "urban.assembly",
    MeetingKind.RESIDENTS_REPRESENTATIVES: "urban.representatives",
}


class VotePurpose(StrEnum):
    """What a vote decides, which chooses the rules it must keep (VOTE_RULES)."""

    COVENANT = "covenant"  # 村规民约、居民公约
    DECISION = "decision"  # a 四议两公开 major matter
    DELIBERATION = "deliberation"  # a consultation's vote
    EVALUATION = "evaluation"  # 民主评议 of the committee's members (village §38, urban §37)


# Which bodies may vote, by community kind and purpose; a 村民小组会议 decides one group's matters.
_ALL = {
    "village": (
        MeetingKind.VILLAGE_ASSEMBLY, MeetingKind.VILLAGE_REPRESENTATIVES, MeetingKind.VILLAGE_GROUP
    ),
    "urban": (MeetingKind.RESIDENTS_ASSEMBLY, MeetingKind.RESIDENTS_REPRESENTATIVES),
}  # fmt: skip
MEETINGS_FOR = {
    VotePurpose.COVENANT: {
        "village": (MeetingKind.VILLAGE_ASSEMBLY, MeetingKind.VILLAGE_REPRESENTATIVES),
        "urban": (MeetingKind.RESIDENTS_ASSEMBLY, MeetingKind.RESIDENTS_REPRESENTATIVES),
    },
    VotePurpose.DECISION: _ALL,
    VotePurpose.DELIBERATION: _ALL,
    # "接受村民会议或者村民代表会议……的民主评议": the assembly or its representatives, no group.
    VotePurpose.EVALUATION: {
        "village": (MeetingKind.VILLAGE_ASSEMBLY, MeetingKind.VILLAGE_REPRESENTATIVES),
        "urban": (MeetingKind.RESIDENTS_ASSEMBLY, MeetingKind.RESIDENTS_REPRESENTATIVES),
    },
}


class MatterKind(StrEnum):
    """What a decision is about: a few matters carry a special majority of another law."""

    ORDINARY = "ordinary"
    LAND_PLAN = "land_plan"
    LAND_ADJUSTMENT = "land_adjustment"
    LAND_OUTSIDERS = "land_outsiders"
    COLLECTIVE_ASSETS = "collective_assets"

    @property
    def label(self) -> str:
        return MATTER_LABELS[self]


MATTER_LABELS = {
    MatterKind.ORDINARY: "一般事项",
    MatterKind.LAND_PLAN: "土地承包方案",
    MatterKind.LAND_ADJUSTMENT: "承包期内调整承包地",
    MatterKind.LAND_OUTSIDERS: "土地发包给本集体经济组织以外的单位或个人",
    MatterKind.COLLECTIVE_ASSETS: "集体财产和成员权益（村委会代行集体经济组织职能）",
}
LAND_RULE = {
    MatterKind.LAND_PLAN: "land.plan",
    MatterKind.LAND_ADJUSTMENT: "land.adjustment",
    MatterKind.LAND_OUTSIDERS: "land.outsiders",
}


@dataclass(frozen=True)
class GroupSize:
    name: str
    adults: int
    households: int


@dataclass(frozen=True)
class Register:
    """A community's register on the day a vote was judged: the quorum bases (docs/covenants.md)."""

    adult_residents: int
    households: int
    committee_members: int = 0
    representatives: int = 0  # 村(居)民代表, committee members not included
    women_representatives: int = 0
    groups: tuple[GroupSize, ...] = ()
    source: str = ""

    @property
    def members(self) -> int:
        """The representatives' assembly: committee members and representatives."""
        return self.committee_members + self.representatives

    def group(self, name: str) -> GroupSize | None:
        return next((g for g in self.groups if g.name == name), None)


@dataclass(frozen=True)
class Violation:
    code: str
    message: str
    field: str | None = None
    warning: bool = False  # shown to the reviewer, does not refuse
    provision: Provision | None = None  # the rule's row in community.law, where a law holds it


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


@dataclass(frozen=True)
class Vote:
    meeting_kind: str
    community_kind: str  # "village" | "urban"
    eligible: int  # 应到: adults 18+, the representatives' body, or the group's adults
    present: int
    votes_for: int
    votes_against: int = 0
    abstentions: int = 0
    households: int = 0
    households_represented: int = 0
    women_present: int = 0
    group_representatives: int = 0  # a 2018 居民会议 of 居民小组 representatives: how many
    meeting_date: datetime.date | None = None
    notice_date: datetime.date | None = None
    short_notice_reason: str = ""  # 遇有特殊情况 (2025 texts): why the notice was short
    authorised: bool = False  # the assembly's recorded authorisation of its representatives
    delegated_covenant_allowed: bool = False  # district setting: a 村民代表会议 may adopt one
    party_discussed_on: datetime.date | None = None  # 党组织研究讨论 (2025 texts)
    party_body: str = ""
    matter: str = MatterKind.ORDINARY
    group: str = ""  # the 村民小组 a 村民小组会议 decides for
    register: Register | None = None
    purpose: VotePurpose = VotePurpose.COVENANT

    @property
    def day(self) -> datetime.date:
        """The day whose law judges the vote: the meeting's, or today for an undated one."""
        return self.meeting_date or timezone.localdate()

    @property
    def kind(self) -> MeetingKind:
        return MeetingKind(self.meeting_kind)

    def law(self, key: str) -> Provision | None:
        return provision(key, self.day)

    @property
    def body_law(self) -> Provision | None:
        """The article that holds this meeting's quorum and majority on its day."""
        return self.law(BODY_RULE[self.kind])


Rule = Callable[[Vote], list[Violation]]


def _place(vote: Vote) -> str:
    return "本村" if vote.community_kind == "village" else "本社区"


def _scope(vote: Vote) -> str:
    return "village" if vote.community_kind == "village" else "urban"


def _at_least(share: tuple[int, int], total: int) -> int:
    """The smallest count that is `share` (a/b) of `total` or more: 2/3 of 10 is 7."""
    a, b = share
    return -(-a * total // b)


# Preconditions: each stage that finds something ends the check (no quorum over negative counts).


def meeting_kind_known(v: Vote) -> list[Violation]:
    if v.meeting_kind in MeetingKind._value2member_map_:
        return []
    allowed = "、".join(k.label for k in MEETINGS_FOR[v.purpose][v.community_kind])
    return [Violation("meeting_kind_missing", f"请选择会议类型（{allowed}）。", "meeting_kind")]


def meeting_kind_suits_community(v: Vote) -> list[Violation]:
    allowed_kinds = MEETINGS_FOR[v.purpose][v.community_kind]
    if v.kind in allowed_kinds:
        return []
    allowed = "、".join(k.label for k in allowed_kinds)
    what = "公约" if v.purpose is VotePurpose.COVENANT else "事项"
    return [
        Violation(
            "meeting_kind",
            f"{_place(v)}的{what}只能由{allowed}表决，不能由{v.kind.label}表决。",
            "meeting_kind",
        )
    ]


def body_exists_on_day(v: Vote) -> list[Violation]:
    """A body the law of the meeting's day did not have cannot have voted (居民代表会议 before 2026)."""
    if v.body_law is not None:
        return []
    first = versions_of(BODY_RULE[v.kind])[0]
    return [
        Violation(
            "body_not_in_force",
            f"{v.kind.label}自 {local_date(first.in_force_from)} 起才有法律依据（{first}）；"
            f"{local_date(v.day)}的会议不能由{v.kind.label}表决。",
            "meeting_kind",
            provision=first,
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
            ("group_representatives", "居民小组代表人数", v.group_representatives),
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


def _households_route(v: Vote, share: tuple[int, int]) -> bool:
    """Household representatives of `share` of the households or more (2/3 以上), or, for
    (1, 2), more than half of them (过半数)."""
    if not v.households:
        return False
    a, b = share
    if (a, b) == (1, 2):
        return 2 * v.households_represented > v.households
    return b * v.households_represented >= a * v.households


def group_named(v: Vote) -> list[Violation]:
    """A 村民小组会议 decides one group's matters: which group is on record."""
    if v.kind is not MeetingKind.VILLAGE_GROUP or v.group.strip():
        return []
    return [Violation("group_missing", "请填写由村民小组会议决定的村民小组名称。", "group_name")]


def quorum(v: Vote) -> list[Violation]:
    kind, law = v.kind, v.body_law
    if kind is MeetingKind.VILLAGE_ASSEMBLY:
        if 2 * v.present > v.eligible or _households_route(v, (2, 3)):
            return []
        message = (
            f"到会 {v.present} 人，未超过本村 18 周岁以上村民 {v.eligible} 人的半数；"
            f"到会代表 {v.households_represented} 户，也未达到本村 {v.households} 户的三分之二"
        )
    elif kind is MeetingKind.VILLAGE_GROUP:
        if 3 * v.present >= 2 * v.eligible or _households_route(v, (2, 3)):
            return []
        message = (
            f"到会 {v.present} 人，未达到本村民小组 18 周岁以上村民 {v.eligible} 人的三分之二；"
            f"到会代表 {v.households_represented} 户，也未达到本组 {v.households} 户的三分之二"
        )
    elif kind in REPRESENTATIVES:
        if 3 * v.present >= 2 * v.eligible:
            return []
        message = f"到会 {v.present} 人，未达到{kind.label}组成人员 {v.eligible} 人的三分之二"
    else:
        routes = law.params["routes"]
        if v.group_representatives and "group_representatives" not in routes:
            return [
                Violation(
                    "group_route_gone",
                    f"{local_date(v.day)}的居民会议由全体十八周岁以上居民或者户的代表参加，"
                    f"不再由居民小组选举的代表参加（{law}）；请按到会人数或到会代表户数登记。",
                    "group_representatives",
                    provision=law,
                )
            ]
        by_groups = v.group_representatives and 2 * v.present > v.group_representatives
        if 2 * v.present > v.eligible or _households_route(v, (1, 2)) or by_groups:
            return []
        message = (
            f"到会 {v.present} 人，未超过本社区 18 周岁以上居民 {v.eligible} 人的半数；"
            f"到会代表 {v.households_represented} 户，也未超过本社区 {v.households} 户的半数"
        )
        if v.group_representatives:
            message += f"；也未超过居民小组选举的代表 {v.group_representatives} 人的半数"
    return [Violation("quorum", f"{message}（{law}）。", "present", provision=law)]


def notice_kept(v: Vote) -> list[Violation]:
    """An assembly is announced ten days ahead; since 2026 遇有特殊情况 a short notice is
    allowed with its reason on record (a warning for the reviewer, shown on the public record)."""
    law = v.law(f"{_scope(v)}.notice")
    if v.kind not in ASSEMBLIES or not v.meeting_date or law is None:
        return []
    days_needed = law.params["days"]
    body = v.kind.label
    if v.notice_date is None:
        return [
            Violation(
                "notice_missing",
                f"请填写会议通知日期：{body}应提前{days_needed}日通知（{law}）。",
                "notice_date",
                provision=law,
            )
        ]
    days = (v.meeting_date - v.notice_date).days
    if days < 0:
        return [
            Violation(
                "notice_after_meeting",
                f"会议通知日期 {local_date(v.notice_date)} 晚于会议日期。",
                "notice_date",
            )
        ]
    if days >= days_needed:
        return []
    short = f"会议通知于 {local_date(v.notice_date)} 发出，距会议仅 {days} 天"
    if not law.params["short_notice"]:
        return [
            Violation(
                "notice",
                f"{short}，应提前{days_needed}日通知（{law}）。",
                "notice_date",
                provision=law,
            )
        ]
    if not v.short_notice_reason.strip():
        return [
            Violation(
                "notice",
                f"{short}，应提前{days_needed}日通知；遇有特殊情况临时通知的，"
                f"请填写临时通知的理由（{law}）。",
                "short_notice_reason",
                provision=law,
            )
        ]
    return [
        Violation(
            "short_notice",
            f"临时通知：{short}，理由：{v.short_notice_reason.strip()}（{law}）。",
            "short_notice_reason",
            warning=True,
            provision=law,
        )
    ]


def representatives_authorised(v: Vote) -> list[Violation]:
    """A representatives' assembly decides only what its assembly authorised it to."""
    if v.kind not in REPRESENTATIVES or v.authorised:
        return []
    law = v.law(f"{_scope(v)}.authorisation")
    assembly = "村民会议" if v.community_kind == "village" else "居民会议"
    return [
        Violation(
            "authorisation",
            f"{v.kind.label}只能讨论决定{assembly}授权的事项；请登记{assembly}的授权决议"
            f"（会议名称、日期或文号）（{law}）。",
            "authorisation",
            provision=law,
        )
    ]


def covenant_body(v: Vote) -> list[Violation]:
    """The 村规民约 is the 村民会议's to adopt (village 2025 §31, 2018 §27): its 代表会议 votes on
    one only where the district allows an authorised 代表会议 to. An urban 居民会议 may authorise
    its 居民代表会议 to adopt the 公约 (2025 §30)."""
    if v.kind is not MeetingKind.VILLAGE_REPRESENTATIVES or v.delegated_covenant_allowed:
        return []
    law = v.law("village.covenant")
    return [
        Violation(
            "covenant_body",
            f"村规民约由村民会议制定和修改（{law}），本区未允许由经授权的村民代表会议表决村规民约；"
            "请召开村民会议表决。",
            "meeting_kind",
            provision=law,
        )
    ]


def party_first(v: Vote) -> list[Violation]:
    """Since 2026 a matter for either assembly goes first to the Party organisation."""
    law = v.law(f"{_scope(v)}.party")
    if law is None or v.kind is MeetingKind.VILLAGE_GROUP:
        return []
    found = []
    if v.party_discussed_on is None:
        found.append(
            Violation(
                "party_missing",
                f"请填写党组织研究讨论的日期：{law.summary}（{law}）。",
                "party_discussed_on",
                provision=law,
            )
        )
    elif v.meeting_date and v.party_discussed_on > v.meeting_date:
        found.append(
            Violation(
                "party_after_vote",
                f"党组织研究讨论日期 {local_date(v.party_discussed_on)} 晚于会议日期，"
                f"应当先经党组织研究讨论（{law}）。",
                "party_discussed_on",
                provision=law,
            )
        )
    if v.purpose is VotePurpose.COVENANT and not v.party_body.strip():
        found.append(
            Violation(
                "party_body_missing",
                f"请填写研究讨论的党组织（例如：村党总支委员会）（{law}）。",
                "party_body",
                provision=law,
            )
        )
    return found


def majority(v: Vote) -> list[Violation]:
    if 2 * v.votes_for > v.present:
        return []
    law = v.body_law
    return [
        Violation(
            "majority",
            f"赞成 {v.votes_for} 票，未超过到会 {v.present} 人的半数，未获通过（{law}）。",
            "votes_for",
            provision=law,
        )
    ]


def special_majority(v: Vote) -> list[Violation]:
    """Land contracting and collective assets: two thirds of all members, not of those present."""
    matter = MatterKind(v.matter)
    if matter is MatterKind.ORDINARY:
        return []
    if v.community_kind != "village" or v.kind is MeetingKind.VILLAGE_GROUP:
        return [
            Violation(
                "matter_body",
                f"“{matter.label}”须由村民会议或者村民代表会议决定，不能由{v.kind.label}决定。",
                "meeting_kind",
            )
        ]
    if matter in LAND_RULE:
        law = v.law(LAND_RULE[matter])
    else:
        rule = "collective.assembly" if v.kind in ASSEMBLIES else "collective.representatives"
        law = v.law(rule)
        if law is None:  # before 2025-05-01: the ordinary quorum and majority
            return []
    # Of all members of the 村民会议, or of all 村民代表 (the register's, committee members not
    # among them) at a 代表会议: the statutes count the body, not those present.
    base = v.eligible
    if v.kind in REPRESENTATIVES and v.register is not None and v.register.representatives:
        base = v.register.representatives
    body = "村民会议全体组成人员" if v.kind in ASSEMBLIES else "全体村民代表"
    needed = _at_least((2, 3), base)
    found = []
    if law.key == "collective.assembly" and 3 * v.present < 2 * v.eligible:
        found.append(
            Violation(
                "special_quorum",
                f"到会 {v.present} 人，未达到全体成员 {v.eligible} 人的三分之二"
                f"（{_at_least((2, 3), v.eligible)} 人）（{law}）。",
                "present",
                provision=law,
            )
        )
    if 3 * v.votes_for < 2 * base:
        found.append(
            Violation(
                "special_majority",
                f"“{matter.label}”须经{body}的三分之二以上同意：赞成 {v.votes_for} 票，"
                f"未达到 {base} 人的三分之二（{needed} 票）（{law}）。",
                "votes_for",
                provision=law,
            )
        )
    return found


def women_share(v: Vote) -> list[Violation]:
    if not v.present or 3 * v.women_present >= v.present:
        return []
    return [
        Violation(
            "women_present",
            f"到会女性 {v.women_present} 人，不足到会人数 {v.present} 人的三分之一"
            f"（{GUIDANCE}：表决应有一定比例的妇女参加）。",
            "women_present",
            warning=True,
        )
    ]


def composition(v: Vote) -> list[Violation]:
    """A representatives' assembly as its register says it is composed (warnings)."""
    if v.kind not in REPRESENTATIVES or v.register is None or not v.register.members:
        return []
    law = v.law(f"{_scope(v)}.composition")
    if law is None:
        return []
    r, found = v.register, []
    if 5 * r.representatives < 4 * r.members:
        found.append(
            Violation(
                "composition_representatives",
                f"登记的{v.kind.label}组成人员 {r.members} 人中，代表 {r.representatives} 人，"
                f"不足五分之四（{law}）。",
                "eligible",
                warning=True,
                provision=law,
            )
        )
    if law.params["women"] and 3 * r.women_representatives < r.members:
        found.append(
            Violation(
                "composition_women",
                f"登记的妇女村民代表 {r.women_representatives} 人，不足组成人员 {r.members} 人的"
                f"三分之一（{law}）。",
                "eligible",
                warning=True,
                provision=law,
            )
        )
    return found


def eligible_matches_register(v: Vote) -> list[Violation]:
    """应到 is the register's, not a free number: a difference is shown to the reviewer."""
    r = v.register
    if r is None:
        return []
    if v.kind in REPRESENTATIVES:
        expected, what = r.members, f"{v.kind.label}组成人员"
    elif v.kind is MeetingKind.VILLAGE_GROUP:
        group = r.group(v.group)
        if group is None and r.groups:
            return [
                Violation(
                    "group_unknown",
                    f"登记册中没有村民小组“{v.group}”，请核实。",
                    "group",
                    warning=True,
                )
            ]
        if group is None:  # a register without groups: nothing to compare
            return []
        expected, what = group.adults, f"{group.name}18周岁以上村民"
    elif v.group_representatives:
        return []
    else:
        expected, what = r.adult_residents, "18周岁以上村(居)民"
    found = []
    if v.eligible != expected:
        found.append(
            Violation(
                "eligible_differs",
                f"应到人数 {v.eligible} 与登记册的{what} {expected} 人不一致，请审核人员核实。",
                "eligible",
                warning=True,
            )
        )
    households = r.households
    if v.kind is MeetingKind.VILLAGE_GROUP and r.group(v.group):
        households = r.group(v.group).households
    if v.households and v.kind not in REPRESENTATIVES and v.households != households:
        found.append(
            Violation(
                "households_differs",
                f"总户数 {v.households} 与登记册的 {households} 户不一致，请审核人员核实。",
                "households",
                warning=True,
            )
        )
    return found


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
            if errors(found):
                break
        return found


PRECONDITIONS: tuple[tuple[Rule, ...], ...] = (
    (meeting_kind_known,),
    (meeting_kind_suits_community,),
    (body_exists_on_day,),
    (no_negative_counts,),
    (someone_eligible,),
    (votes_within_present, present_within_eligible, households_within_total, women_within_present),
    (group_named,),
)
WARNINGS: tuple[Rule, ...] = (women_share, composition, eligible_matches_register)
# A covenant: every rule, who may adopt it included.
covenant_vote_rules = VoteCheck(
    (
        *PRECONDITIONS,
        (covenant_body, representatives_authorised, party_first, notice_kept),
        (quorum, majority, *WARNINGS),
    )
)
# A 四议两公开 decision: the same quorum and majority, the authorisation of a 代表会议, the Party
# organisation first, and the special majorities of land and collective assets.
decision_vote_rules = VoteCheck(
    (
        *PRECONDITIONS,
        (representatives_authorised, party_first, notice_kept),
        (quorum, majority, special_majority, *WARNINGS),
    )
)
# A consultation's vote: a vote that fails its majority is a result to record, not an error.
deliberation_vote_rules = VoteCheck((*PRECONDITIONS, (notice_kept,), (quorum, *WARNINGS)))

# A 民主评议: the meeting's quorum and notice; the law itself names the 代表会议 as an evaluating
# body, so no authorisation, and each member's ratings are tallied apart (models/evaluation.py).
evaluation_vote_rules = VoteCheck((*PRECONDITIONS, (notice_kept,), (quorum, *WARNINGS)))

VOTE_RULES = {
    VotePurpose.COVENANT: covenant_vote_rules,
    VotePurpose.EVALUATION: evaluation_vote_rules,
    VotePurpose.DECISION: decision_vote_rules,
    VotePurpose.DELIBERATION: deliberation_vote_rules,
}


def check_vote(vote: Vote) -> list[Violation]:
    """Every violation of the rules for what the vote decides, each naming its law."""
    return VOTE_RULES[vote.purpose](vote)


def legal_basis(vote: Vote) -> list[Provision]:
    """The articles a vote was judged by on its day, as its public record prints them: the body's
    quorum and majority, who may adopt a covenant, the authorisation, the notice, the Party
    organisation's discussion and a special majority."""
    if vote.meeting_kind not in MeetingKind._value2member_map_:
        return []
    scope, kind = _scope(vote), vote.kind
    keys = [BODY_RULE[kind]]
    if vote.purpose is VotePurpose.COVENANT:
        keys.append(f"{scope}.covenant")
    if vote.purpose is VotePurpose.EVALUATION:
        keys.append(f"{scope}.evaluation")
    elif kind in REPRESENTATIVES:
        keys.append(f"{scope}.authorisation")
    if kind in ASSEMBLIES:
        keys.append(f"{scope}.notice")
    if (
        vote.purpose not in (VotePurpose.DELIBERATION, VotePurpose.EVALUATION)
        and kind is not MeetingKind.VILLAGE_GROUP
    ):
        keys.append(f"{scope}.party")
    matter = MatterKind(vote.matter)
    if matter in LAND_RULE:
        keys.append(LAND_RULE[matter])
    elif matter is MatterKind.COLLECTIVE_ASSETS:
        keys.append("collective.assembly" if kind in ASSEMBLIES else "collective.representatives")
    found = [vote.law(key) for key in keys]
    unique = dict.fromkeys(p for p in found if p is not None)
    return list(unique)


def check_filing(
    vote_date: datetime.date, filing_date: datetime.date, max_days: int = 10
) -> list[Violation]:
    """Filing follows the vote; later than `max_days` after it is a warning (local practice)."""
    days = (filing_date - vote_date).days
    if days < 0:
        return [
            Violation(
                "filing_before_vote",
                f"备案日期 {local_date(filing_date)} 早于表决日期 {local_date(vote_date)}。",
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
