"""check_vote: one row per boundary. Codes of refusals (errors) and warnings are asserted exactly."""

import datetime

import pytest

from community.procedures import Vote, check_filing, check_vote, errors

D = datetime.date(2026, 6, 20)
NOTICE = D - datetime.timedelta(days=10)


def village(**kw) -> Vote:
    base = dict(
        meeting_kind="village_assembly", community_kind="village", eligible=830, present=416,
        votes_for=300, households=600, households_represented=0, women_present=200,
        meeting_date=D, notice_date=NOTICE,
    )  # fmt: skip
    return Vote(**{**base, **kw})


def reps(**kw) -> Vote:
    base = dict(
        meeting_kind="village_representatives", community_kind="village", eligible=45,
        present=30, votes_for=16, women_present=15, authorised=True,
    )  # fmt: skip
    return Vote(**{**base, **kw})


def residents(**kw) -> Vote:
    base = dict(
        meeting_kind="residents_assembly", community_kind="urban", eligible=120, present=61,
        votes_for=31, women_present=30,
    )  # fmt: skip
    return Vote(**{**base, **kw})


def codes(vote):
    found = check_vote(vote)
    return {v.code for v in errors(found)}, {v.code for v in found if v.warning}


@pytest.mark.parametrize(
    ("vote", "refused", "warned"),
    [
        # 村民会议: present > 1/2 of 830 adults
        (village(present=415, votes_for=300), {"quorum"}, set()),  # exactly half
        (village(present=416, votes_for=300), set(), set()),  # half + 1
        (village(eligible=831, present=415, votes_for=300), {"quorum"}, set()),  # < half, odd
        (village(eligible=831, present=416, votes_for=300), set(), set()),
        # ... or households represented >= 2/3 of 600 households (以上 includes the boundary)
        (village(present=300, votes_for=200, households_represented=400, women_present=99), set(), {"women_present"}),
        (village(present=300, votes_for=200, households_represented=399, women_present=100), {"quorum"}, set()),
        (village(present=300, votes_for=200, households=601, households_represented=401, women_present=100), set(), set()),
        (village(present=300, votes_for=200, households=601, households_represented=400, women_present=100), {"quorum"}, set()),
        # zero attendance
        (village(present=0, votes_for=0, women_present=0), {"quorum", "majority"}, set()),
        # majority: votes for > 1/2 of those present
        (village(present=416, votes_for=208), {"majority"}, set()),  # exactly half
        (village(present=416, votes_for=209), set(), set()),
        (village(present=417, votes_for=208), {"majority"}, set()),
        (village(present=417, votes_for=209), set(), set()),
        # 10-day notice
        (village(notice_date=D - datetime.timedelta(days=9)), {"notice"}, set()),
        (village(notice_date=None), {"notice_missing"}, set()),
        # 村民代表会议: present >= 2/3 of 45 members = 30
        (reps(present=29, votes_for=16, women_present=10), {"quorum"}, set()),
        (reps(present=30), set(), set()),
        (reps(eligible=46, present=30, women_present=10), {"quorum"}, set()),  # 2/3 of 46 = 30.67
        (reps(eligible=46, present=31, votes_for=16, women_present=11), set(), set()),
        (reps(present=30, votes_for=15), {"majority"}, set()),
        (reps(authorised=False), {"authorisation"}, set()),
        # 居民会议: present > 1/2 of the body
        (residents(present=60, votes_for=31), {"quorum"}, set()),
        (residents(present=61, votes_for=31), set(), set()),
        (residents(present=61, votes_for=30), {"majority"}, set()),
        # women present < 1/3: a warning, never a refusal
        (residents(present=90, votes_for=50, women_present=29), set(), {"women_present"}),
        (residents(present=90, votes_for=50, women_present=30), set(), set()),
        # consistency
        (residents(votes_for=40, votes_against=20, abstentions=2), {"votes_exceed_present"}, set()),
        (residents(votes_for=31, votes_against=20, abstentions=10), set(), set()),  # = present
        (residents(present=121, votes_for=70), {"present_exceeds_eligible"}, set()),
        (village(households_represented=601), {"households_exceed_total"}, set()),
        (residents(women_present=62), {"women_exceed_present"}, set()),
        (residents(present=-1), {"negative"}, set()),
        (residents(eligible=0, present=0, votes_for=0, women_present=0), {"no_eligible"}, set()),
        # the meeting must suit the community
        (village(community_kind="urban"), {"meeting_kind"}, set()),
        (residents(community_kind="village"), {"meeting_kind"}, set()),
    ],
)  # fmt: skip
def test_vote_rules(vote, refused, warned):
    assert codes(vote) == (refused, warned)


def test_refusal_names_the_rule_and_the_numbers():
    (violation,) = check_vote(village(present=412, votes_for=300, women_present=140))
    assert violation.message.startswith("到会 412 人，未超过本村 18 周岁以上村民 830 人的半数")
    assert violation.message.endswith("（村民委员会组织法第二十二条）。")


def test_majority_message():
    (violation,) = errors(check_vote(residents(votes_for=30)))
    assert (
        violation.message
        == "赞成 30 票，未超过到会 61 人的半数，草案未获通过（城市居民委员会组织法第十条）。"
    )


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
    found = check_filing(D, D + datetime.timedelta(days=days))
    if code is None:
        assert found == []
    else:
        assert [(v.code, v.warning) for v in found] == [(code, warning)]
