"""Community endpoints of the headless API (community/api.py) and the tree's page fields: covenant
versions and diffs, what residents see of a community."""

import pytest

from community.models import CovenantPage
from tests.community.covenant_helpers import make_covenant

pytestmark = pytest.mark.django_db


def test_covenant_versions_newest_first_with_vote_and_filing(client, xinghua):
    covenant = CovenantPage.objects.child_of(xinghua).get()
    data = client.get(f"/api/v3/covenants/{covenant.pk}/versions/").json()
    assert [v["label"] for v in data] == ["2023年修订", "2019年版"]
    assert [v["in_force"] for v in data] == [True, False]
    assert (
        data[0]["filing_number"] == "柳民备〔2023〕4号" and data[0]["households_represented"] == 420
    )


def test_covenant_diff_with_numbers_and_segments(client, xinghua):
    covenant = CovenantPage.objects.child_of(xinghua).get()
    new, old = client.get(f"/api/v3/covenants/{covenant.pk}/versions/").json()
    data = client.get(
        f"/api/v3/covenants/{covenant.pk}/diff/", {"from": old["id"], "to": new["id"]}
    ).json()
    assert data["summary"] == {"added": 1, "removed": 0, "changed": 1, "moved": 1}
    changed = next(c for c in data["changes"] if c["kind"] == "changed")
    assert changed["new"]["label"] == "第五条"
    assert {"op": "insert", "text": "十五"} in changed["segments"]
    moved = next(c for c in data["changes"] if c["moved"])
    assert (moved["old"]["label"], moved["new"]["label"]) == ("第六条", "第十条")


def test_diff_with_unknown_versions_is_422(client, xinghua):
    covenant = CovenantPage.objects.child_of(xinghua).get()
    response = client.get(f"/api/v3/covenants/{covenant.pk}/diff/", {"from": 999999, "to": 1})
    assert response.status_code == 422
    assert "不是这份公约已公布的版本" in response.content.decode()
    assert (
        client.get(f"/api/v3/covenants/{covenant.pk}/diff/", {"from": "x", "to": 1}).status_code
        == 422
    )


def test_draft_covenant_is_404_everywhere(client, shiqiao, committee_shiqiao):
    covenant = make_covenant(shiqiao, committee_shiqiao)
    for url in (
        f"/api/v3/covenants/{covenant.pk}/versions/",
        f"/api/v3/covenants/{covenant.pk}/diff/?from=1&to=2",
    ):
        assert client.get(url).status_code == 404


def test_tree_pages_serve_what_residents_see(client, xinghua):
    data = client.get(f"/api/v3/pages/{xinghua.pk}/").json()
    assert (data["households"], data["adult_residents"], data["committee_display_name"]) == (
        612,
        1686,
        "杏花村村民委员会",
    )
    assert {d["title"] for d in data["public_decisions"]} == {
        "村集体闲置厂房对外出租", "第二轮土地承包到期后延长三十年实施方案"
    }  # fmt: skip
    home = client.get(f"/api/v3/pages/{xinghua.get_parent().get_parent().pk}/").json()
    assert "清河区民政局" in home["civil_affairs_contact"]
