"""The statutes the procedures rest on, as dated data (docs/covenants.md § The rule table).

One row per rule per text of a law: the law, its version, the day that text came into force, the
article, and the rule's parameters. A check asks `provision(key, on=meeting_date)` and gets the row
in force on the meeting's day, so a vote of 2023 is judged and cited by the 2018 texts and one of
2026 by the 2025 texts, and a corrected article number is one edit here. A meeting before a key's
earliest row is judged by that row: the 2018 amendments changed neither these articles' numbers nor
their rules (the 2010 village text and the 1989 urban text read the same), and the land-contracting
rule of the 2009 text is the one 2018 renumbered.

No request, no ORM: community.procedures reads this, and the docs' table is generated from ROWS
(tests/community/test_law_table.py keeps the two in step).
"""

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

VILLAGE_LAW = "村民委员会组织法"
URBAN_LAW = "城市居民委员会组织法"
LAND_LAW = "农村土地承包法"
COLLECTIVE_LAW = "农村集体经济组织法"

# The days the texts came into force.
VILLAGE_2018 = datetime.date(2018, 12, 29)
URBAN_2018 = datetime.date(2018, 12, 29)
LAND_2018 = datetime.date(2019, 1, 1)
COLLECTIVE_2024 = datetime.date(2025, 5, 1)
ORGANIC_2025 = datetime.date(2026, 1, 1)  # both organic laws, as amended / revised on 2025-10-28


@dataclass(frozen=True)
class Provision:
    key: str  # the rule, e.g. "village.assembly"
    law: str
    version: str  # as the law's own history names it: "2025年修正", "2025年修订"
    in_force_from: datetime.date
    article: str  # "第二十六条", with the paragraph or item where the rule is one of several
    summary: str  # the rule in a line (a paraphrase), as the docs print it
    params: Mapping[str, object] = field(default_factory=dict, hash=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "params", MappingProxyType(dict(self.params)))

    @property
    def citation(self) -> str:
        return f"{self.law}（{self.version}）{self.article}"

    def __str__(self) -> str:
        return self.citation

    def as_dict(self) -> dict:
        """As the API and the exports serve it."""
        return {
            "rule": self.key,
            "law": self.law,
            "version": self.version,
            "in_force_from": self.in_force_from,
            "article": self.article,
            "citation": self.citation,
            "summary": self.summary,
        }


def _village(key, version, since, article, summary, **params) -> Provision:
    return Provision(f"village.{key}", VILLAGE_LAW, version, since, article, summary, params)


def _urban(key, version, since, article, summary, **params) -> Provision:
    return Provision(f"urban.{key}", URBAN_LAW, version, since, article, summary, params)


V18, V25 = "2018年修正", "2025年修正"
U18, U25 = "2018年修正", "2025年修订"

NOTICE = "召开村民会议应当提前十日通知村民"
VILLAGE_ASSEMBLY = (
    "村民会议应有本村十八周岁以上村民的过半数，或者本村三分之二以上的户的代表参加，"
    "所作决定经到会人员的过半数通过"
)
VILLAGE_REPRESENTATIVES = (
    "村民代表会议有三分之二以上的组成人员参加方可召开，所作决定经到会人员的过半数同意"
)
VILLAGE_COMPOSITION = (
    "村民代表应占村民代表会议组成人员的五分之四以上，妇女村民代表应占组成人员的三分之一以上"
)
VILLAGE_GROUP = (
    "村民小组会议应有本组十八周岁以上村民的三分之二以上，或者本组三分之二以上的户的代表参加，"
    "所作决定经到会人员的过半数同意"
)

ROWS: tuple[Provision, ...] = (
    # 村民委员会组织法
    _village("notice", V18, VILLAGE_2018, "第二十一条第二款", NOTICE, days=10, short_notice=False),
    _village(
        "notice", V25, ORGANIC_2025, "第二十五条第二款", NOTICE + "；遇有特殊情况的，可以临时通知",
        days=10, short_notice=True,
    ),
    _village("assembly", V18, VILLAGE_2018, "第二十二条", VILLAGE_ASSEMBLY),
    _village("assembly", V25, ORGANIC_2025, "第二十六条", VILLAGE_ASSEMBLY),
    _village(
        "authorisation", V18, VILLAGE_2018, "第二十四条第二款",
        "村民会议可以授权村民代表会议讨论决定涉及村民利益的事项",
    ),
    _village(
        "authorisation", V25, ORGANIC_2025, "第二十八条第二款",
        "村民会议可以授权村民代表会议讨论决定涉及村民利益的事项",
    ),
    _village("composition", V18, VILLAGE_2018, "第二十五条", VILLAGE_COMPOSITION, women=True),
    _village("composition", V25, ORGANIC_2025, "第二十九条", VILLAGE_COMPOSITION, women=True),
    _village("representatives", V18, VILLAGE_2018, "第二十六条第二款", VILLAGE_REPRESENTATIVES),
    _village("representatives", V25, ORGANIC_2025, "第三十条第二款", VILLAGE_REPRESENTATIVES),
    _village(
        "covenant", V18, VILLAGE_2018, "第二十七条",
        "村民会议可以制定和修改村民自治章程、村规民约，并报乡、民族乡、镇的人民政府备案",
    ),
    _village(
        "covenant", V25, ORGANIC_2025, "第三十一条",
        "村民会议可以制定和修改村民自治章程、村规民约，并报乡、民族乡、镇的人民政府备案",
    ),
    _village("group", V18, VILLAGE_2018, "第二十八条", VILLAGE_GROUP),
    _village("group", V25, ORGANIC_2025, "第三十二条第二款", VILLAGE_GROUP),
    _village(
        "party", V25, ORGANIC_2025, "第二十八条第三款",
        "需由村民会议或者村民代表会议决定的重要事项，应当先经村党组织研究讨论",
    ),
    _village(
        "disclosure", V18, VILLAGE_2018, "第三十条",
        "村务公开：一般事项至少每季度公布一次，财务往来较多的财务收支每月公布，重大事项随时公布",
        min_days=None,
    ),
    _village(
        "disclosure", V25, ORGANIC_2025, "第三十五条",
        "村务公开：一般事项至少每季度公布一次，财务往来较多的财务收支每月公布，重大事项随时公布；"
        "公布的期限不得少于十五日",
        min_days=15,
    ),
    _village(
        "disclosure_remedy", V18, VILLAGE_2018, "第三十一条",
        "不及时公布或者公布不真实的，村民有权向乡镇人民政府或者县级人民政府及其主管部门反映，"
        "有关政府负责调查核实，责令依法公布",
    ),
    _village(
        "disclosure_remedy", V25, ORGANIC_2025, "第三十六条",
        "不及时公布或者公布不真实的，村民有权向乡镇人民政府或者县级人民政府及其主管部门反映，"
        "有关政府负责调查核实，责令依法公布",
    ),
    _village(
        "supervision", V18, VILLAGE_2018, "第三十二条",
        "村务监督机构负责村民民主理财，监督村务公开；村民委员会成员及其近亲属不得担任其成员",
    ),
    _village(
        "supervision", V25, ORGANIC_2025, "第三十七条",
        "村务监督机构负责村民民主理财，监督村务公开；村民委员会成员及其近亲属不得担任其成员",
    ),
    _village(
        "evaluation", V18, VILLAGE_2018, "第三十三条",
        "民主评议每年至少一次，由村务监督机构主持；连续两次被评议不称职的，其职务终止",
        publish=False,
    ),
    _village(
        "evaluation", V25, ORGANIC_2025, "第三十八条",
        "民主评议每年至少一次，由村务监督机构主持；连续两次被评议不称职的，其职务终止",
        publish=False,
    ),
    # 城市居民委员会组织法
    _urban(
        "notice", U25, ORGANIC_2025, "第二十六条第二款",
        "召集居民会议应当提前十日通知居民；遇有特殊情况的，可以临时通知",
        days=10, short_notice=True,
    ),
    _urban(
        "assembly", U18, URBAN_2018, "第九条第三款",
        "居民会议必须有全体十八周岁以上的居民、户的代表或者居民小组选举的代表的过半数出席，"
        "才能举行；会议的决定，由出席人的过半数通过",
        routes=("adults", "households", "group_representatives"),
    ),
    _urban(
        "assembly", U25, ORGANIC_2025, "第二十七条",
        "居民会议应当有全体十八周岁以上的本社区居民或者户的代表的过半数参加，"
        "所作决定经到会人员的过半数通过",
        routes=("adults", "households"),
    ),
    _urban(
        "composition", U25, ORGANIC_2025, "第二十八条",
        "居民代表应当占居民代表会议组成人员的五分之四以上", women=False,
    ),
    _urban(
        "representatives", U25, ORGANIC_2025, "第二十九条",
        "居民代表会议应当有三分之二以上的组成人员参加方可召开，所作决定经到会组成人员的过半数通过",
    ),
    _urban(
        "authorisation", U25, ORGANIC_2025, "第三十条第二款",
        "居民会议可以授权居民代表会议讨论决定居民会议的事项，包括制定或者修改居民公约",
        covenant=True,
    ),
    _urban(
        "covenant", U18, URBAN_2018, "第十五条",
        "居民公约由居民会议讨论制定，报不设区的市、市辖区的人民政府或者它的派出机关备案",
    ),
    _urban(
        "covenant", U25, ORGANIC_2025, "第三十条",
        "居民会议制定或者修改居民自治章程、居民公约，可以授权居民代表会议讨论决定",
    ),
    _urban(
        "party", U25, ORGANIC_2025, "第三十条第四款",
        "需由居民会议或者居民代表会议决定的重要事项，应当先经社区党组织研究讨论",
    ),
    _urban(
        "disclosure", U25, ORGANIC_2025, "第三十四条",
        "居务公开：及时公布七类事项；公布的期限不得少于十五日",
        min_days=15,
    ),
    _urban(
        "disclosure_remedy", U25, ORGANIC_2025, "第三十五条",
        "不及时公布或者公布不真实的，居民有权向区人民政府及其主管部门或者街道办事处反映，"
        "由其负责调查核实，责令依法公布",
    ),
    _urban(
        "supervision", U25, ORGANIC_2025, "第三十六条",
        "社区应当建立居务监督委员会；居民委员会成员及其近亲属不得担任其成员",
    ),
    _urban(
        "evaluation", U25, ORGANIC_2025, "第三十七条",
        "民主评议每年至少一次，由居务监督委员会主持，结果及时向居民公布；连续两次被评议不称职的，"
        "其职务终止",
        publish=True,
    ),
    # 农村土地承包法: consent of two thirds of all members of the 村民会议 or of all 村民代表.
    Provision(
        "land.plan", LAND_LAW, "2018年修正", LAND_2018, "第十九条第三项",
        "承包方案应当经本集体经济组织成员的村民会议三分之二以上成员或者三分之二以上村民代表的同意",
    ),
    Provision(
        "land.adjustment", LAND_LAW, "2018年修正", LAND_2018, "第二十八条第二款",
        "承包期内调整承包地，必须经村民会议三分之二以上成员或者三分之二以上村民代表的同意",
    ),
    Provision(
        "land.outsiders", LAND_LAW, "2018年修正", LAND_2018, "第五十二条第一款",
        "发包给本集体经济组织以外的单位或者个人承包，应当事先经村民会议三分之二以上成员"
        "或者三分之二以上村民代表的同意",
    ),
    # 农村集体经济组织法, which the 村委会 applies where it acts for the organisation
    # (村民委员会组织法 2025 第二十八条第四款).
    Provision(
        "collective.assembly", COLLECTIVE_LAW, "2024年", COLLECTIVE_2024, "第二十七条",
        "成员大会应有三分之二以上的成员参加，作出决定应当经全体成员三分之二以上同意",
    ),
    Provision(
        "collective.representatives", COLLECTIVE_LAW, "2024年", COLLECTIVE_2024, "第二十八条第五款",
        "成员代表大会作出决定，应当经全体成员代表三分之二以上同意",
    ),
)  # fmt: skip

BY_KEY: dict[str, tuple[Provision, ...]] = {}
for row in sorted(ROWS, key=lambda r: r.in_force_from):
    BY_KEY[row.key] = (*BY_KEY.get(row.key, ()), row)

# Rules a later text created: before their first row there is no such rule (no fallback).
CREATED_BY_LATER_TEXT = frozenset(
    {
        "urban.notice",
        "urban.composition",
        "urban.representatives",
        "urban.authorisation",
        "village.party",
        "urban.party",
        "collective.assembly",
        "collective.representatives",
        "urban.disclosure",
        "urban.disclosure_remedy",
        "urban.supervision",
        "urban.evaluation",
    }
)


def provision(key: str, on: datetime.date) -> Provision | None:
    """The row of `key` in force on `on`; None where no text then had the rule."""
    rows = BY_KEY[key]
    in_force = [row for row in rows if row.in_force_from <= on]
    if in_force:
        return in_force[-1]
    return None if key in CREATED_BY_LATER_TEXT else rows[0]


def versions_of(key: str) -> tuple[Provision, ...]:
    return BY_KEY[key]
