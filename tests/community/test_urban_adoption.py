"""The 2025 城市居民委员会组织法 in the admin, end to end: an urban 公约 adopted by an authorised
居民代表会议 (第二十九条、第三十条), and a 居民会议 adopted on the households route (第二十七条)
without touching 应到."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from community.models import CovenantPage, CovenantRevision, Stage
from tests.community.covenant_helpers import edit_draft, loose_article

pytestmark = pytest.mark.django_db


def post_step(client, revision, step, data, expect_ok=True):
    response = client.post(reverse("community_revision_step", args=(revision.pk, step)), data)
    if expect_ok:
        assert response.status_code == 302, response.content.decode()[-3000:]
        revision.refresh_from_db()
    return response


@pytest.fixture
def committee_yinxing(db):
    return get_user_model().objects.get(username="weiyuan_yinxing")


def _to_vote(client, yinxing, committee, reviewer) -> CovenantRevision:
    covenant = CovenantPage.objects.child_of(yinxing).get(slug="covenant")
    client.force_login(committee)
    client.post(
        reverse("community_start_revision", args=(covenant.pk,)),
        {"reason": "增加电梯加装协商条款", "started_on": "2026-09-01"},
    )
    revision = CovenantRevision.objects.get(covenant=covenant, stage=Stage.SOLICITING)
    post_step(client, revision, "drafting", {"reason": ""})
    draft = covenant.get_latest_revision_as_object()
    body = [{"type": b.block_type, "value": b.value.source, "id": b.id} for b in draft.body]
    edit_draft(
        covenant,
        committee,
        [*body, loose_article("yx-9", "加装电梯的费用分摊由受益居民协商确定。")],
    )
    post_step(client, revision, "submit", {"submitted_on": "2026-10-08"})
    client.force_login(reviewer)
    post_step(
        client, revision, "review", {"passed": "1", "opinion": "合法", "reviewed_on": "2026-10-15"}
    )
    client.force_login(committee)
    return revision


REPS = {
    "meeting_kind": "residents_representatives", "meeting_date": "2026-11-07",
    "party_discussed_on": "2026-10-28", "party_body": "银杏社区党委",
    "eligible": "60", "present": "40", "women_present": "20", "households": "0",
    "households_represented": "0", "group_representatives": "0",
    "votes_for": "21", "votes_against": "10", "abstentions": "9",
}  # fmt: skip


def test_urban_covenant_by_an_authorised_residents_representatives_meeting(
    client, yinxing, committee_yinxing, reviewer_dongcheng
):
    revision = _to_vote(client, yinxing, committee_yinxing, reviewer_dongcheng)
    form = client.get(reverse("community_revision_step", args=(revision.pk, "vote")))
    assert "居民代表会议" in form.content.decode()
    # without the 居民会议's authorisation: refused, citing the 2025 article
    refused = post_step(client, revision, "vote", {**REPS, "authorisation": ""}, expect_ok=False)
    assert "城市居民委员会组织法（2025年修订）第三十条第二款" in refused.content.decode()
    # fewer than 2/3 of the 60 members present (39): refused with 第二十九条
    refused = post_step(
        client, revision, "vote",
        {**REPS, "present": "39", "votes_for": "21", "votes_against": "9", "abstentions": "9",
         "women_present": "19", "authorisation": "2026年3月7日居民会议授权决议"},
        expect_ok=False,
    )  # fmt: skip
    assert (
        "未达到居民代表会议组成人员 60 人的三分之二（城市居民委员会组织法（2025年修订）第二十九条）"
        in (refused.content.decode())
    )
    post_step(client, revision, "vote", {**REPS, "authorisation": "2026年3月7日居民会议授权决议"})
    assert revision.stage == Stage.FILING
    assert revision.authorisation == "2026年3月7日居民会议授权决议"
    assert [p.citation for p in revision.legal_basis][:2] == [
        "城市居民委员会组织法（2025年修订）第二十九条",
        "城市居民委员会组织法（2025年修订）第三十条",
    ]
    client.force_login(reviewer_dongcheng)
    post_step(client, revision, "filing", {"authority": "东城街道办事处", "number": "东街备〔2026〕9号", "filed_on": "2026-11-12"})  # fmt: skip
    client.force_login(committee_yinxing)
    post_step(client, revision, "publish", {"version_label": "2026年第二次修订", "published_on": "2026-11-15", "effective_on": "2026-11-15"})  # fmt: skip
    assert revision.stage == Stage.PUBLISHED
    client.logout()
    versions = client.get(revision.covenant.url + "versions/").content.decode()
    assert "城市居民委员会组织法（2025年修订）第二十九条" in versions
    assert (
        "城市居民委员会组织法（2018年修正）第九条第三款" in versions
    )  # the 2020 and 2024 versions


def test_households_route_adopts_without_touching_eligible(
    client, yinxing, committee_yinxing, reviewer_dongcheng
):
    """1,700 of 3,120 households represented: adopted, 应到 left at the register's adults."""
    revision = _to_vote(client, yinxing, committee_yinxing, reviewer_dongcheng)
    form = client.get(reverse("community_revision_step", args=(revision.pk, "vote"))).content
    assert f'value="{yinxing.adult_residents}"'.encode() in form  # 应到 prefilled, not overwritten
    post_step(
        client, revision, "vote",
        {**REPS, "meeting_kind": "residents_assembly", "notice_date": "2026-10-27",
         "eligible": str(yinxing.adult_residents), "present": "1700", "households": "3120",
         "households_represented": "1700", "women_present": "800", "votes_for": "1500",
         "votes_against": "100", "abstentions": "50"},
    )  # fmt: skip
    assert revision.stage == Stage.FILING
    assert revision.eligible == yinxing.adult_residents
    assert revision.register_snapshot["households"] == 3120
