"""check_vote: one row per boundary, per body, per text of the law and per matter. Codes of refusals
(errors) and warnings are asserted exactly; D18 is judged by the 2018 texts, D25 by the 2025 ones."""

import datetime
import re
from dataclasses import replace

import pytest

from community import law
from community.procedures import (
    GroupSize,
    Register,
    Vote,
    VotePurpose,
    check_filing,
    check_vote,
    errors,
    legal_basis,
)

D18 = datetime.date(2023, 6, 20)
D25 = datetime.date(2026, 6, 20)
DAY = datetime.timedelta(days=1)
LAST_2018_DAY = datetime.date(2025, 12, 31)
FIRST_2025_DAY = datetime.date(2026, 1, 1)
COVENANT, DECISION, DELIBERATION = (
    VotePurpose.COVENANT,
    VotePurpose.DECISION,
    VotePurpose.DELIBERATION,
)


def _vote(base: dict, kw: dict) -> Vote:
    day = kw.get("meeting_date", base["meeting_date"])
    base = {
        **base,
        "notice_date": day - 10 * DAY,
        "party_discussed_on": day - 20 * DAY,
        "party_body": "杏花村党总支委员会",
    }
    return Vote(**{**base, **kw})


def village(**kw) -> Vote:
    base = dict(
        meeting_kind="village_assembly", community_kind="village", eligible=830, present=416,
        votes_for=300, households=600, households_represented=0, women_present=200,
        meeting_date=D25,
    )  # fmt: skip
    return _vote(base, kw)


def reps(**kw) -> Vote:
    base = dict(
        meeting_kind="village_representatives", community_kind="village", eligible=45,
        present=30, votes_for=16, women_present=15, authorised=True, meeting_date=D25,
        purpose=DECISION,
    )  # fmt: skip
    return _vote(base, kw)


def group(**kw) -> Vote:
    base = dict(
        meeting_kind="village_group", community_kind="village", eligible=60, present=40,
        votes_for=21, households=30, women_present=20, meeting_date=D25, purpose=DECISION,
        group="第三村民小组",
    )  # fmt: skip
    return _vote(base, kw)


def residents(**kw) -> Vote:
    base = dict(
        meeting_kind="residents_assembly", community_kind="urban", eligible=120, present=61,
        votes_for=31, women_present=30, meeting_date=D25,
    )  # fmt: skip
    return _vote(base, kw)


def residents_reps(**kw) -> Vote:
    base = dict(
        meeting_kind="residents_representatives", community_kind="urban", eligible=30,
        present=20, votes_for=11, women_present=10, authorised=True, meeting_date=D25,
    )  # fmt: skip
    return _vote(base, kw)


def codes(vote):
    found = check_vote(vote)
    return {v.code for v in errors(found)}, {v.code for v in found if v.warning}


BOTH = pytest.mark.parametrize("day", [D18, D25], ids=["2018", "2025"])


@BOTH
@pytest.mark.parametrize(
    ("vote", "refused", "warned"),
    [
        # 村民会议 quorum: > 1/2 of adults, or household representatives of >= 2/3 of households
        (village(present=416), set(), set()),
        (village(present=415), {"quorum"}, set()),
        (village(present=300, votes_for=200, households_represented=400), set(), set()),
        (village(present=300, votes_for=200, households_represented=399), {"quorum"}, set()),
        # majority: > 1/2 of those present
        (village(votes_for=209), set(), set()),
        (village(votes_for=208), {"majority"}, set()),
        (village(notice_date=None), {"notice_missing"}, set()),
        # 村民代表会议: >= 2/3 of members present, > 1/2 of them in favour, authorised
        (reps(present=30), set(), set()),
        (reps(present=29, women_present=10), {"quorum"}, set()),
        (reps(votes_for=15), {"majority"}, set()),
        (reps(authorised=False), {"authorisation"}, set()),
        # 村民小组会议: >= 2/3 of the group's adults or of its households
        (group(present=40), set(), set()),
        (group(present=39), {"quorum"}, set()),
        (group(present=30, votes_for=16, households_represented=20), set(), set()),
        (group(present=30, votes_for=16, households_represented=19), {"quorum"}, set()),
        # 居民会议: > 1/2 of adults or of household representatives
        (residents(present=61), set(), set()),
        (residents(present=60, votes_for=31), {"quorum"}, set()),
        (residents(present=50, votes_for=26, households=90, households_represented=46), set(), set()),
        (residents(present=50, votes_for=26, households=90, households_represented=45), {"quorum"}, set()),
        (residents(votes_for=30), {"majority"}, set()),
        # women present < 1/3: a warning, never a refusal
        (village(present=420, women_present=139), set(), {"women_present"}),
        (village(present=420, women_present=140), set(), set()),
        # consistency
        (residents(votes_for=40, votes_against=20, abstentions=2), {"votes_exceed_present"}, set()),
        (residents(votes_for=31, votes_against=20, abstentions=10), set(), set()),  # = present
        (residents(present=121, votes_for=70), {"present_exceeds_eligible"}, set()),
        (village(households_represented=601), {"households_exceed_total"}, set()),
        (residents(women_present=62), {"women_exceed_present"}, set()),
        (residents(present=-1), {"negative"}, set()),
        (residents(eligible=0, present=0, votes_for=0, women_present=0), {"no_eligible"}, set()),
        # the meeting must suit the community and the purpose
        (village(community_kind="urban"), {"meeting_kind"}, set()),
        (residents(community_kind="village"), {"meeting_kind"}, set()),
        (group(purpose=COVENANT), {"meeting_kind"}, set()),
        (group(group=" "), {"group_missing"}, set()),
    ],
)  # fmt: skip
def test_rules_both_texts_share(vote, refused, warned, day):
    """The rules the 2018 and 2025 texts share, judged on a day of each."""
    notice = None if vote.notice_date is None else day - 10 * DAY
    dated = replace(vote, meeting_date=day, notice_date=notice, party_discussed_on=day - 20 * DAY)
    assert codes(dated) == (refused, warned)


@pytest.mark.parametrize(
    ("vote", "refused", "warned"),
    [
        # notice: 2018 ten days, no exception
        (village(meeting_date=D18, notice_date=D18 - 10 * DAY), set(), set()),
        (village(meeting_date=D18, notice_date=D18 - 9 * DAY), {"notice"}, set()),
        (village(meeting_date=D18, notice_date=D18 - 9 * DAY, short_notice_reason="防汛"), {"notice"}, set()),
        # 2025: 遇有特殊情况 a short notice with its reason is a warning for the reviewer
        (village(notice_date=D25 - 9 * DAY), {"notice"}, set()),
        (village(notice_date=D25 - 2 * DAY, short_notice_reason="台风过境需紧急决定"), set(), {"short_notice"}),
        (village(notice_date=D25 - 2 * DAY, short_notice_reason="   "), {"notice"}, set()),
        (village(notice_date=D25 + DAY), {"notice_after_meeting"}, set()),
        # urban: no notice rule in 2018, ten days (or a reason) in 2025
        (residents(meeting_date=D18, notice_date=None), set(), set()),
        (residents(notice_date=None), {"notice_missing"}, set()),
        (residents(notice_date=D25 - 3 * DAY), {"notice"}, set()),
        (residents(notice_date=D25 - 3 * DAY, short_notice_reason="小区停水抢修"), set(), {"short_notice"}),
        # the 居民会议 of 居民小组 representatives: 2018 only
        (residents(meeting_date=D18, eligible=3000, present=21, votes_for=11, women_present=7, group_representatives=40), set(), set()),
        (residents(meeting_date=D18, eligible=3000, present=20, votes_for=11, women_present=7, group_representatives=40), {"quorum"}, set()),
        (residents(eligible=3000, present=21, votes_for=11, women_present=7, group_representatives=40), {"group_route_gone"}, set()),
        # the 居民代表会议: none before 2026; >= 2/3 present, > 1/2 of those present, authorised
        (residents_reps(meeting_date=D18), {"body_not_in_force"}, set()),
        (residents_reps(meeting_date=LAST_2018_DAY), {"body_not_in_force"}, set()),
        (residents_reps(meeting_date=FIRST_2025_DAY), set(), set()),
        (residents_reps(present=20), set(), set()),
        (residents_reps(present=19, votes_for=10, women_present=7), {"quorum"}, set()),
        (residents_reps(votes_for=10), {"majority"}, set()),
        (residents_reps(authorised=False), {"authorisation"}, set()),
        # Party organisation first: from 2026-01-01, for covenants and decisions
        (village(party_discussed_on=None, party_body=""), {"party_missing", "party_body_missing"}, set()),
        (village(party_discussed_on=D25 + DAY), {"party_after_vote"}, set()),
        (village(party_discussed_on=D25), set(), set()),
        (village(meeting_date=LAST_2018_DAY, party_discussed_on=None, party_body=""), set(), set()),
        (village(meeting_date=FIRST_2025_DAY, party_discussed_on=None, party_body=""), {"party_missing", "party_body_missing"}, set()),
        (reps(party_discussed_on=None, party_body=""), {"party_missing"}, set()),  # a decision: the date
        (residents_reps(party_discussed_on=None), {"party_missing"}, set()),
        (group(party_discussed_on=None), set(), set()),  # one group's matter
        (residents(party_discussed_on=None, purpose=DELIBERATION), set(), set()),
    ],
)  # fmt: skip
def test_rules_by_text(vote, refused, warned):
    assert codes(vote) == (refused, warned)


def test_the_issue_households_story():
    """1,700 of 3,120 households represented adopts, 应到 left at the adults' number."""
    vote = residents(eligible=5800, present=1700, votes_for=900, women_present=800, households=3120, households_represented=1700)  # fmt: skip
    assert codes(vote) == (set(), set())
    assert codes(replace(vote, meeting_date=D18, notice_date=None)) == (set(), set())
    assert codes(replace(vote, households_represented=1560)) == ({"quorum"}, set())


@pytest.mark.parametrize(
    ("vote", "refused", "warned"),
    [
        # a covenant: the 村民会议's; a 村民代表会议 only where the district allows it, authorised
        (reps(purpose=COVENANT), {"covenant_body"}, set()),
        (reps(purpose=COVENANT, delegated_covenant_allowed=True), set(), set()),
        (reps(purpose=COVENANT, delegated_covenant_allowed=True, authorised=False), {"authorisation"}, set()),
        (reps(purpose=COVENANT, meeting_date=D18, delegated_covenant_allowed=True), set(), set()),
        # an urban 公约 by an authorised 居民代表会议 (2025 第三十条)
        (residents_reps(), set(), set()),
        (residents_reps(authorised=False), {"authorisation"}, set()),
    ],
)  # fmt: skip
def test_who_adopts_a_covenant(vote, refused, warned):
    assert codes(vote) == (refused, warned)


@pytest.mark.parametrize(
    ("vote", "refused"),
    [
        # land: 2/3 of ALL members of the 村民会议 (830 → 554) or of all 村民代表 (45 → 30)
        *[
            (village(matter=m, present=600, votes_for=554, purpose=DECISION), set())
            for m in ("land_plan", "land_adjustment", "land_outsiders")
        ],
        *[
            (village(matter=m, present=600, votes_for=553, purpose=DECISION), {"special_majority"})
            for m in ("land_plan", "land_adjustment", "land_outsiders")
        ],
        (reps(matter="land_plan", present=45, votes_for=30), set()),
        (reps(matter="land_plan", present=45, votes_for=29), {"special_majority"}),
        # with a register, of all 村民代表 (38 without the 7 committee members → 26)
        (reps(matter="land_plan", present=45, votes_for=26, register=Register(830, 600, 7, 38, 15)), set()),
        (reps(matter="land_plan", present=45, votes_for=25, register=Register(830, 600, 7, 38, 15)), {"special_majority"}),
        (village(matter="ordinary", present=600, votes_for=301, purpose=DECISION), set()),
        # collective assets, from 2025-05-01: 2/3 of members present and 2/3 of all in favour
        (village(matter="collective_assets", present=554, votes_for=554, purpose=DECISION), set()),
        (village(matter="collective_assets", present=553, votes_for=553, purpose=DECISION), {"special_quorum", "special_majority"}),
        (village(matter="collective_assets", present=600, votes_for=553, purpose=DECISION), {"special_majority"}),
        (reps(matter="collective_assets", present=45, votes_for=30), set()),
        (reps(matter="collective_assets", present=45, votes_for=29), {"special_majority"}),
        (village(matter="collective_assets", present=600, votes_for=301, purpose=DECISION, meeting_date=datetime.date(2025, 4, 30)), set()),
        (village(matter="collective_assets", present=600, votes_for=301, purpose=DECISION, meeting_date=datetime.date(2025, 5, 1)), {"special_majority"}),
        # only an assembly or its representatives decide these
        (group(matter="land_adjustment", present=60, votes_for=60), {"matter_body"}),
        (residents(matter="land_plan", purpose=DECISION), {"matter_body"}),
    ],
)  # fmt: skip
def test_special_majorities(vote, refused):
    assert codes(vote)[0] == refused


REGISTER = Register(
    adult_residents=830, households=600, committee_members=7, representatives=38,
    women_representatives=15, groups=(GroupSize("第三村民小组", 60, 30),),
)  # fmt: skip


@pytest.mark.parametrize(
    ("vote", "warned"),
    [
        (reps(register=REGISTER), set()),
        # representatives >= 4/5 of members: 35 of 45 is 175 < 180
        (reps(register=Register(830, 600, committee_members=10, representatives=35, women_representatives=15)), {"composition_representatives"}),
        (reps(register=Register(830, 600, committee_members=9, representatives=36, women_representatives=15)), set()),
        # women representatives >= 1/3 of members (village only)
        (reps(register=Register(830, 600, 7, 38, women_representatives=14)), {"composition_women"}),
        (residents_reps(register=Register(120, 90, committee_members=5, representatives=25, women_representatives=0)), set()),
        (residents_reps(register=Register(120, 90, committee_members=7, representatives=23)), {"composition_representatives"}),
        # 应到 as the register says
        (village(register=REGISTER), set()),
        (village(register=REGISTER, eligible=800, present=401, votes_for=300), {"eligible_differs"}),
        (village(register=REGISTER, households=590), {"households_differs"}),
        (reps(register=REGISTER, eligible=30, present=20, votes_for=11), {"eligible_differs"}),
        (group(register=REGISTER), set()),
        (group(register=REGISTER, group="第九村民小组"), {"group_unknown"}),
    ],
)  # fmt: skip
def test_register_warnings(vote, warned):
    refused, found = codes(vote)
    assert (refused, found) == (set(), warned)


def _citations(message: str) -> list[str]:
    return re.findall(r"(村民委员会组织法|城市居民委员会组织法)（(\d{4})年修[正订]）", message)


FAILING_VOTES = [
    village(present=415),
    village(votes_for=208),
    village(notice_date=None),
    village(notice_date=None, present=415),
    reps(authorised=False),
    reps(present=29, women_present=10),
    reps(votes_for=15),
    reps(purpose=COVENANT),
    group(present=39),
    residents(present=60, votes_for=31),
    residents(votes_for=30),
    residents_reps(authorised=False),
    residents_reps(present=19, votes_for=10, women_present=7),
    reps(register=Register(830, 600, 10, 35, 10)),
]


@pytest.mark.parametrize("day", [D18, LAST_2018_DAY, FIRST_2025_DAY, D25])
def test_every_message_cites_the_text_of_the_meeting_day(day):
    expected = "2018" if day < FIRST_2025_DAY else "2025"
    seen = 0
    for template in FAILING_VOTES:
        notice = None if template.notice_date is None else day - 10 * DAY
        vote = replace(
            template, meeting_date=day, notice_date=notice, party_discussed_on=day - 20 * DAY
        )
        for violation in check_vote(vote):
            if violation.code == "body_not_in_force":  # names the text that created the body
                continue
            for _, year in _citations(violation.message):
                seen += 1
                assert year == expected, violation.message
            if violation.provision and violation.provision.law.endswith("组织法"):
                assert violation.provision.version.startswith(expected), violation.message
    assert seen >= 10


@pytest.mark.parametrize(
    ("vote", "article"),
    [
        (village(meeting_date=D18, present=415), "村民委员会组织法（2018年修正）第二十二条"),
        (village(present=415), "村民委员会组织法（2025年修正）第二十六条"),
        (reps(meeting_date=D18, present=29, women_present=10), "村民委员会组织法（2018年修正）第二十六条第二款"),
        (reps(present=29, women_present=10), "村民委员会组织法（2025年修正）第三十条第二款"),
        (residents(meeting_date=D18, present=60, votes_for=31), "城市居民委员会组织法（2018年修正）第九条第三款"),
        (residents(present=60, votes_for=31), "城市居民委员会组织法（2025年修订）第二十七条"),
        (group(meeting_date=D18, present=39), "村民委员会组织法（2018年修正）第二十八条"),
        (group(present=39), "村民委员会组织法（2025年修正）第三十二条第二款"),
        (residents_reps(present=19, votes_for=10, women_present=7), "城市居民委员会组织法（2025年修订）第二十九条"),
    ],
)  # fmt: skip
def test_quorum_cites_the_article_that_holds_it(vote, article):
    (violation,) = errors(check_vote(vote))
    assert violation.code == "quorum"
    assert violation.message.endswith(f"（{article}）。")


def test_refusal_names_the_rule_and_the_numbers():
    (violation,) = check_vote(village(present=412, votes_for=300, women_present=140))
    assert violation.message.startswith("到会 412 人，未超过本村 18 周岁以上村民 830 人的半数")


def test_majority_message():
    (violation,) = errors(check_vote(residents(votes_for=30)))
    assert violation.message == (
        "赞成 30 票，未超过到会 61 人的半数，未获通过（城市居民委员会组织法（2025年修订）第二十七条）。"
    )


def test_special_majority_message_gives_the_count_needed():
    (violation,) = errors(
        check_vote(village(matter="land_plan", present=600, votes_for=553, purpose=DECISION))
    )
    assert "未达到 830 人的三分之二（554 票）" in violation.message
    assert violation.message.endswith("（农村土地承包法（2018年修正）第十九条第三项）。")


@pytest.mark.parametrize(
    ("vote", "articles"),
    [
        (village(meeting_date=D18), ["第二十二条", "第二十七条", "第二十一条第二款"]),
        (village(), ["第二十六条", "第三十一条", "第二十五条第二款", "第二十八条第三款"]),
        (residents_reps(), ["第二十九条", "第三十条", "第三十条第二款", "第三十条第四款"]),
        (reps(matter="land_plan"), ["第三十条第二款", "第二十八条第二款", "第二十八条第三款", "第十九条第三项"]),
        (residents(meeting_date=D18), ["第九条第三款", "第十五条"]),
    ],
)  # fmt: skip
def test_legal_basis_lists_the_articles_of_the_day(vote, articles):
    assert [p.article for p in legal_basis(vote)] == articles


def test_every_row_is_complete_and_dated():
    for row in law.ROWS:
        assert row.article.startswith("第") and row.summary and row.version
    assert law.provision("village.assembly", LAST_2018_DAY).version == "2018年修正"
    assert law.provision("village.assembly", FIRST_2025_DAY).version == "2025年修正"
    # before a key's earliest row: that row (the earlier texts read the same), unless a later
    # text created the rule
    assert law.provision("village.assembly", datetime.date(2015, 1, 1)).article == "第二十二条"
    assert law.provision("urban.representatives", LAST_2018_DAY) is None
    assert law.provision("collective.assembly", datetime.date(2025, 4, 30)) is None


@pytest.mark.parametrize(
    ("days", "code", "warning"),
    [
        (-1, "filing_before_vote", False),
        (0, None, None),
        (10, None, None),
        (11, "filing_late", True),
    ],
)
def test_filing_deadline(days, code, warning):
    found = check_filing(D25, D25 + datetime.timedelta(days=days))
    if code is None:
        assert found == []
    else:
        assert [(v.code, v.warning) for v in found] == [(code, warning)]
