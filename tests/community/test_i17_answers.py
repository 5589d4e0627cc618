"""Issue 17: every opinion answered, the real count by source, and 提请审核 waiting for answers."""

import pytest
from django.urls import reverse

from community import opinions
from community import transitions as t
from community.models import CommentWindow, CovenantPage, Opinion, Stage
from community.steps import ProcedureError
from tests.community.covenant_helpers import article, chapter, edit_draft, freeze_today
from tests.community.desk_opinion_helpers import (
    FIVE_ARTICLES,
    TODAY,
    open_revision,
    resident_opinion,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    freeze_today(monkeypatch, TODAY)


@pytest.fixture
def revision(shiqiao, committee_shiqiao):
    return open_revision(shiqiao, committee_shiqiao)


def _code(excinfo) -> set[str]:
    return {v.code for v in excinfo.value.violations}


def _approved(revision, *args, **kwargs):
    return resident_opinion(revision, *args, status=Opinion.Status.APPROVED, **kwargs)


def test_answer_with_reason_and_article(revision, committee_shiqiao):
    opinion = opinions.answer(
        _approved(revision), committee_shiqiao, answer="adopted", reason="已写入第五条。",
        adopted_in="a5",
    )  # fmt: skip
    assert (opinion.answer, opinion.adopted_in, opinion.answered_by) == (
        "adopted", "a5", committee_shiqiao,
    )  # fmt: skip
    assert opinion.history.latest().history_change_reason == "答复：采纳"
    opinions.answer(opinion, committee_shiqiao, answer="not_adopted", reason="与上位法不符。")
    assert opinion.adopted_in == ""
    assert opinion.history.latest().history_change_reason == "修改答复：不采纳"


@pytest.mark.parametrize("status", [Opinion.Status.PENDING, Opinion.Status.REJECTED])
def test_only_approved_opinions_are_answered(revision, committee_shiqiao, status):
    opinion = resident_opinion(revision, status=status)
    with pytest.raises(ProcedureError) as excinfo:
        opinions.answer(opinion, committee_shiqiao, answer="explained", reason="已说明。")
    assert _code(excinfo) == {"not_approved"}


@pytest.mark.parametrize(
    ("values", "code"),
    [
        ({"answer": "", "reason": "理由"}, "answer_missing"),
        ({"answer": "maybe", "reason": "理由"}, "answer_missing"),
        ({"answer": "explained", "reason": "  "}, "answer_reason_missing"),
        ({"answer": "adopted", "reason": "理由"}, "adopted_in_missing"),
        ({"answer": "partly", "reason": "理由", "adopted_in": "nope"}, "adopted_in_unknown"),
    ],
)
def test_answer_refusals(revision, committee_shiqiao, values, code):
    opinion = _approved(revision)
    with pytest.raises(ProcedureError) as excinfo:
        opinions.answer(opinion, committee_shiqiao, **values)
    assert _code(excinfo) == {code}
    opinion.refresh_from_db()
    assert opinion.answer == ""


def test_adopted_in_is_an_article_of_the_latest_saved_draft(revision, committee_shiqiao):
    """An article added to the draft after the window opened can take an opinion up; one the
    draft no longer has cannot."""
    opinion = _approved(revision)
    body = [FIVE_ARTICLES[0], chapter("c2", "移风易俗", article("a6", "新增：遛狗须牵绳。"))]
    edit_draft(CovenantPage.objects.get(pk=revision.covenant_id), committee_shiqiao, body)
    opinions.answer(
        opinion, committee_shiqiao, answer="partly", reason="部分吸收。", adopted_in="a6"
    )
    with pytest.raises(ProcedureError) as excinfo:
        opinions.answer(opinion, committee_shiqiao, answer="adopted", reason="是", adopted_in="a5")
    assert _code(excinfo) == {"adopted_in_unknown"}


def test_answer_through_the_page(client, revision, committee_shiqiao):
    opinion = _approved(revision)
    client.force_login(committee_shiqiao)
    url = reverse("community_opinion", args=(revision.pk, opinion.pk))
    response = client.post(url, {"action": "answer", "answer": "adopted", "answer_reason": "采纳"})
    assert "请选择草案中吸收这条意见的条文" in response.content.decode()
    response = client.post(
        url, {"action": "answer", "answer": "adopted", "answer_reason": "采纳", "adopted_in": "a5"}
    )
    assert response.status_code == 302
    opinion.refresh_from_db()
    assert opinion.get_answer_display() == "采纳"


# The real count


def test_count_by_source_counts_every_opinion(revision, committee_shiqiao):
    resident_opinion(revision)
    _approved(revision)
    resident_opinion(revision, status=Opinion.Status.REJECTED)
    resident_opinion(revision, source="meeting", status=Opinion.Status.APPROVED)
    count = opinions.opinion_count(revision)
    assert (count.total, count.recorded) == (4, True)
    assert count.by_source == [("网上提交", 3), ("座谈会", 1)]


def test_count_without_records_is_the_typed_number(shiqiao, committee_shiqiao):
    revision = open_revision(shiqiao, committee_shiqiao)
    revision.opinions_received = 64
    count = opinions.opinion_count(revision)
    assert (count.total, count.recorded, count.by_source) == (64, False, [])


def test_revision_page_shows_the_real_count(client, revision, committee_shiqiao):
    resident_opinion(revision)
    resident_opinion(revision, source="box", status=Opinion.Status.APPROVED)
    client.force_login(committee_shiqiao)
    html = client.get(reverse("community_revision_detail", args=(revision.pk,))).content.decode()
    assert "收到意见：2 条" in html and "意见箱 1 条" in html


# 提请审核 waits for the answers


def _submit(revision, committee):
    revision.refresh_from_db()
    if revision.stage == Stage.SOLICITING:
        t.begin_drafting(revision, committee)
    return t.submit_for_review(revision, committee, submitted_on=TODAY)


def test_submit_refused_while_an_approved_opinion_is_unanswered(revision, committee_shiqiao):
    _approved(revision, "a5")
    _approved(revision, "a3")
    _approved(revision, "a1", answer="explained")
    with pytest.raises(ProcedureError) as excinfo:
        _submit(revision, committee_shiqiao)
    (violation,) = excinfo.value.violations
    assert violation.code == "opinions_unanswered"
    assert "2 条" in violation.message and "第三条" in violation.message  # first in the draft


def test_submit_refused_while_an_opinion_is_pending(revision, committee_shiqiao):
    resident_opinion(revision, "a5")
    with pytest.raises(ProcedureError) as excinfo:
        _submit(revision, committee_shiqiao)
    assert _code(excinfo) == {"opinions_pending"}
    assert "1 条" in excinfo.value.violations[0].message


def test_submit_passes_once_every_opinion_is_moderated_and_answered(revision, committee_shiqiao):
    resident_opinion(revision, status=Opinion.Status.REJECTED)  # rejected: no answer owed
    _approved(revision, answer="explained")
    assert _submit(revision, committee_shiqiao).stage == Stage.REVIEW


def test_submit_passes_when_the_window_does_not_require_answers(revision, committee_shiqiao):
    CommentWindow.objects.filter(revision=revision).update(answers_required=False)
    resident_opinion(revision)
    _approved(revision)
    assert _submit(revision, committee_shiqiao).stage == Stage.REVIEW


def test_submit_page_shows_the_refusal(client, revision, committee_shiqiao):
    _approved(revision)
    t.begin_drafting(revision, committee_shiqiao)
    client.force_login(committee_shiqiao)
    url = reverse("community_revision_step", args=(revision.pk, "submit"))
    response = client.post(url, {"submitted_on": TODAY.isoformat()})
    assert "还有 1 条已公开的意见未答复（首条在第五条）" in response.content.decode()
