"""The tally a public record prints says the body the quorum was counted on: a 居民会议 of 居民小组
representatives or a meeting reached through the households route is not "49 of 6930 adults"."""

from community.models import CovenantRevision

COUNTS = {"votes_for": 45, "votes_against": 1, "abstentions": 3}


def test_a_meeting_of_group_representatives_counts_the_representatives():
    vote = CovenantRevision(
        meeting_kind="residents_assembly", eligible=6930, group_representatives=54, present=49,
        **COUNTS,
    )  # fmt: skip
    assert vote.tally == "应到居民小组代表 54 人，到会 49 人；赞成 45，反对 1，弃权 3"


def test_the_households_route_shows_the_households_represented():
    vote = CovenantRevision(
        meeting_kind="village_assembly", eligible=1672, present=430, households=606,
        households_represented=420, **COUNTS,
    )  # fmt: skip
    assert vote.tally == (
        "应到 1672 人，到会 430 人，代表 606 户中的 420 户；赞成 45，反对 1，弃权 3"
    )


def test_a_plain_meeting_is_unchanged():
    vote = CovenantRevision(
        meeting_kind="village_assembly", eligible=1686, present=900, households=612,
        households_represented=0, **COUNTS,
    )  # fmt: skip
    assert vote.tally == "应到 1686 人，到会 900 人；赞成 45，反对 1，弃权 3"
