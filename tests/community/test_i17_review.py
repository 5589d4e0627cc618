"""Issue 17: the township reviewer reads each article's opinions and answers beside the diff, and
leaves notes by article that the committee reads when the draft comes back."""

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from community import opinions
from community import transitions as t
from community.models import ArticleNote, CovenantPage, Opinion
from community.steps import ProcedureError
from tests.community.covenant_helpers import article, chapter, edit_draft, freeze_today
from tests.community.desk_opinion_helpers import (
    FIVE_ARTICLES,
    TODAY,
    many_opinions,
    open_revision,
    resident_opinion,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    freeze_today(monkeypatch, TODAY)


@pytest.fixture
def revision(shiqiao, committee_shiqiao):
    return open_revision(shiqiao, committee_shiqiao, answers_required=False)


def _submitted(revision, committee):
    revision.refresh_from_db()
    t.begin_drafting(revision, committee)
    return t.submit_for_review(revision, committee, submitted_on=TODAY)


def _article_html(html: str, article_id: str) -> str:
    """The diff's item of one article, up to the next one."""
    start = html.index(f'id="article-{article_id}"')
    end = html.find('<li class="change ', start)
    return html[start : end if end > 0 else html.index("</ol>\n  </div>", start)]


def test_reviewer_sees_the_opinion_and_answer_beside_the_fifth_article(
    client, revision, committee_shiqiao, reviewer_liuxi
):
    resident_opinion(
        revision, "a5", "建议写明犬只伤人的赔偿责任。", status=Opinion.Status.APPROVED,
        answer="explained",
    )  # fmt: skip
    resident_opinion(revision, "a5", "待审核的话", status=Opinion.Status.PENDING)
    resident_opinion(revision, "a5", "骂人的话", status=Opinion.Status.REJECTED)
    _submitted(revision, committee_shiqiao)
    client.force_login(reviewer_liuxi)
    for url in (
        reverse("community_revision_step", args=(revision.pk, "review")),
        reverse("community_revision_detail", args=(revision.pk,)),
    ):
        html = client.get(url).content.decode()
        beside = _article_html(html, "a5")
        assert "第五条" in beside and "建议写明犬只伤人的赔偿责任。" in beside
        assert "答复：已说明" in beside and "待审核 1 条" in beside and "不予公开 1 条" in beside
        assert "待审核的话" not in html and "骂人的话" not in html


def test_review_pages_do_not_grow_with_opinions(client, revision, committee_shiqiao, superuser):
    _submitted(revision, committee_shiqiao)
    client.force_login(superuser)
    urls = [
        reverse("community_revision_step", args=(revision.pk, "review")),
        reverse("community_revision_detail", args=(revision.pk,)),
    ]
    counts = []
    for n in (5, 495):
        many_opinions(revision, n)
        row = []
        for url in urls:
            client.get(url)
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(url).status_code == 200
            row.append(len(ctx))
        counts.append(row)
    assert counts[0] == counts[1]


# Notes by article


def test_reviewer_leaves_a_note_on_an_article(client, revision, committee_shiqiao, reviewer_liuxi):
    _submitted(revision, committee_shiqiao)
    client.force_login(reviewer_liuxi)
    response = client.post(
        reverse("community_article_note", args=(revision.pk,)),
        {"article_id": "a5", "text": "“束犬链”宜改为“牵引绳”。", "next": "review"},
    )
    assert response["Location"].endswith("/review/#proposed-diff")
    note = ArticleNote.objects.get(revision=revision)
    assert (note.article_label, note.author, note.draft_id) == (
        "第五条", reviewer_liuxi, revision.draft_revision_id,
    )  # fmt: skip
    html = client.get(reverse("community_revision_step", args=(revision.pk, "review"))).content
    assert "“束犬链”宜改为“牵引绳”。" in _article_html(html.decode(), "a5")


def test_a_note_on_the_whole_draft(revision, committee_shiqiao, reviewer_liuxi):
    _submitted(revision, committee_shiqiao)
    note = opinions.add_note(revision, reviewer_liuxi, article_id="", text="整体合法。")
    assert note.article_label == "" and note.history.get().history_change_reason.endswith(
        "草案整体）"
    )


@pytest.mark.parametrize("who", ["committee_shiqiao", "reviewer_dongcheng", "district_staff"])
def test_only_the_townships_reviewer_writes_notes(request, revision, committee_shiqiao, who):
    _submitted(revision, committee_shiqiao)
    with pytest.raises(PermissionDenied):
        opinions.add_note(revision, request.getfixturevalue(who), article_id="a5", text="意见")


def test_notes_only_at_review(revision, reviewer_liuxi):
    with pytest.raises(ProcedureError) as excinfo:
        opinions.add_note(revision, reviewer_liuxi, article_id="a5", text="意见")
    assert excinfo.value.violations[0].code == "stage"


def test_note_on_an_article_not_in_the_draft_is_refused(
    revision, committee_shiqiao, reviewer_liuxi
):
    _submitted(revision, committee_shiqiao)
    with pytest.raises(ProcedureError) as excinfo:
        opinions.add_note(revision, reviewer_liuxi, article_id="zz", text="意见")
    assert excinfo.value.violations[0].code == "article_unknown"


def test_committee_reads_the_notes_when_the_draft_is_returned_and_on_resubmission(
    client, revision, committee_shiqiao, reviewer_liuxi
):
    _submitted(revision, committee_shiqiao)
    opinions.add_note(revision, reviewer_liuxi, article_id="a5", text="罚则不宜过重。")
    client.force_login(committee_shiqiao)
    url = reverse("community_revision_detail", args=(revision.pk,))
    assert "罚则不宜过重。" not in client.get(url).content.decode()  # still under review
    t.review(revision, reviewer_liuxi, passed=False, opinion="请修改第五条。", reviewed_on=TODAY)
    assert "罚则不宜过重。" in _article_html(client.get(url).content.decode(), "a5")
    body = [*FIVE_ARTICLES[:1], chapter("c2", "移风易俗", article("a5", "犬只出户时须用牵引绳。"))]
    edit_draft(CovenantPage.objects.get(pk=revision.covenant_id), committee_shiqiao, body)
    t.submit_for_review(revision, committee_shiqiao, submitted_on=TODAY)
    html = client.get(url).content.decode()
    assert "罚则不宜过重。" in html and "针对此前提请审核的草案" in html
