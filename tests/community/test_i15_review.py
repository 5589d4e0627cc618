"""Issue 15, item 8: reviewers see what they approve. The verdict form (合法性审查) shows the
proposed text against the version it was drafted from and the opinions solicited; a public vote
record states the count its quorum was met on, so a resident does not read a lawful vote carried
by its household representatives as inquorate."""

import datetime

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from community import transitions as t
from community.models import CovenantRevision
from tests.community.covenant_helpers import (
    BASE_TEXT,
    article,
    chapter,
    edit_draft,
    make_covenant,
)
from tests.community.test_covenant_pages import adopt

pytestmark = pytest.mark.django_db
D = datetime.date
COUNTS = {"votes_for": 400, "votes_against": 10, "abstentions": 10}


@pytest.fixture
def submitted(shiqiao, committee_shiqiao, reviewer_liuxi) -> CovenantRevision:
    """A draft submitted for review; the version in force (2023) says 二十 where it says 十五."""
    covenant = make_covenant(shiqiao, committee_shiqiao)
    adopt(covenant, committee_shiqiao, reviewer_liuxi, "2023年版", 2023)
    rev = t.start_revision(
        covenant, committee_shiqiao, reason="新增垃圾分类条款", started_on=D(2026, 4, 1)
    )
    t.record_opinions(rev, committee_shiqiao, received=37, summary="多数村民赞成减少宴席桌数。")
    rev = t.begin_drafting(rev, committee_shiqiao)
    changed = [
        *BASE_TEXT[:1],
        chapter(
            "c2", "移风易俗",
            article("a3", "红白喜事从简办理，婚事宴席不超过十五桌。"),
            article("a4", "倡导文明祭扫，不在山林焚烧纸钱。"),
        ),
    ]  # fmt: skip
    edit_draft(covenant, committee_shiqiao, changed)
    return t.submit_for_review(rev, committee_shiqiao, submitted_on=D(2026, 5, 10))


def test_the_verdict_form_shows_the_diff_and_the_opinions(client, submitted, reviewer_liuxi):
    client.force_login(reviewer_liuxi)
    url = reverse("community_revision_step", args=(submitted.pk, "review"))
    html = client.get(url).content.decode()
    # The verdict's form (the diff above it holds the per-article note forms since issue 17).
    form_at = html.rindex('<form method="post"', 0, html.index('name="opinion"'))
    before_form = html[:form_at]
    assert "条文对照（与此前现行版本相比）" in before_form
    assert "<del>二十</del>" in before_form and "<ins>十五</ins>" in before_form
    assert "意见征集情况" in before_form
    assert "37" in before_form and "多数村民赞成减少宴席桌数。" in before_form
    assert 'name="opinion"' in html[form_at:]


def test_the_verdict_form_still_gives_its_verdict(client, submitted, reviewer_liuxi):
    client.force_login(reviewer_liuxi)
    url = reverse("community_revision_step", args=(submitted.pk, "review"))
    response = client.post(url, {"passed": "1", "opinion": "合法。", "reviewed_on": "2026-05-20"})
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.stage == "vote" and submitted.review_passed is True


def _record(**fields) -> CovenantRevision:
    return CovenantRevision(meeting_date=D(2026, 6, 20), **COUNTS, **fields)


@pytest.mark.parametrize(
    ("fields", "basis"),
    [
        (
            dict(meeting_kind="village_assembly", eligible=1686, present=900, households=612),
            "到会 900 人 / 应到 1686 人",
        ),
        (
            dict(
                meeting_kind="village_assembly", eligible=1672, present=430, households=606,
                households_represented=420,
            ),
            "到会户代表 420 户 / 总户数 606 户",
        ),
        (
            dict(meeting_kind="village_representatives", eligible=45, present=38),
            "到会代表 38 人 / 应到 45 人",
        ),
        (
            dict(
                meeting_kind="residents_assembly", eligible=6930, present=300, households=2400,
                households_represented=1300,
            ),
            "到会户代表 1300 户 / 总户数 2400 户",
        ),
        (dict(meeting_kind="village_assembly", eligible=1686, present=100, households=612), ""),
    ],
    ids=["persons", "households", "representatives", "urban-households", "not-met"],
)  # fmt: skip
def test_the_record_states_the_quorum_basis_it_met(fields, basis):
    assert _record(**fields).quorum_basis == basis


def test_a_group_representatives_meeting_states_the_representatives():
    record = CovenantRevision(
        meeting_kind="residents_assembly", meeting_date=D(2019, 3, 1), eligible=6930,
        group_representatives=54, present=49, **COUNTS,
    )  # fmt: skip
    assert record.quorum_basis == "到会 49 人 / 居民小组代表 54 人"


def test_the_public_vote_record_prints_the_quorum_basis():
    record = _record(
        meeting_kind="village_assembly", eligible=1672, present=430, households=606,
        households_represented=420,
    )  # fmt: skip
    html = render_to_string("community/includes/vote_basis.html", {"record": record})
    assert "达到法定人数：到会户代表 420 户 / 总户数 606 户" in html


def test_the_published_versions_state_their_quorum_basis(client, xinghua):
    """杏花村's 2023 version was carried by 420 of 606 households, with 430 of 1672 adults."""
    adopted = CovenantRevision.objects.filter(community=xinghua, stage="published")
    covenant = adopted[0].covenant
    versions = client.get(covenant.url + "versions/").content.decode()
    assert "达到法定人数：到会户代表 420 户 / 总户数 606 户" in versions
    in_2023 = adopted.get(version_label="2023年修订")
    page = client.get(f"{covenant.url}versions/{in_2023.pk}/").content.decode()
    assert "达到法定人数：到会户代表 420 户 / 总户数 606 户" in page
