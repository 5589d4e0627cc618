"""Answers are records too: deleting one needs a reason and leaves a row in the audit log (who,
why, when, what it said); the answers a covenant revision relied on stay once it has left 征集民意;
and no other path deletes an answer without that trace."""

import csv
import io

import pytest
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db import transaction

from community.models import CovenantRevision
from consultation.models import AnswerDeletion, CommunityFormPage, CommunityFormSubmission
from tests.consultation.test_forms import ANSWER, make_form, post

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()


def delete_url(page, *submissions) -> str:
    ids = "&".join(f"selected-submissions={s.pk}" for s in submissions)
    return f"/admin/forms/submissions/{page.pk}/delete/?{ids}"


@pytest.fixture
def answered(client, xinghua):
    page = make_form(xinghua)
    post(client, page, {**ANSWER, "您的建议": "村口路灯不亮，晚上看不见路。"})
    return page, CommunityFormSubmission.objects.get(page=page)


def test_delete_without_a_reason_is_refused(client, committee_xinghua, answered):
    page, answer = answered
    client.force_login(committee_xinghua)
    confirm = client.get(delete_url(page, answer))
    assert confirm.status_code == 200 and "删除原因" in confirm.content.decode()
    for reason in ("", "   "):
        response = client.post(delete_url(page, answer), {"reason": reason})
        assert response.status_code == 200 and "须写明原因" in response.content.decode()
    assert CommunityFormSubmission.objects.filter(pk=answer.pk).exists()
    assert not AnswerDeletion.objects.exists()


def test_delete_with_a_reason_leaves_an_audit_row(
    client, committee_xinghua, district_staff, answered
):
    page, answer = answered
    client.force_login(committee_xinghua)
    response = client.post(delete_url(page, answer), {"reason": "同一居民重复提交"}, follow=True)
    assert "已删除 1 条回复" in response.content.decode()
    assert not CommunityFormSubmission.objects.filter(pk=answer.pk).exists()
    listing = client.get(f"/admin/forms/submissions/{page.pk}/").content.decode()
    assert "村口路灯不亮" not in listing

    client.force_login(district_staff)
    export = client.get(
        "/admin/review/audit/", {"model": "consultation.answerdeletion", "export": "csv"}
    )
    (row,) = csv.DictReader(io.StringIO(b"".join(export.streaming_content).decode("utf-8-sig")))
    assert row["操作人"].endswith("（weiyuan_xinghua）") and row["原因"] == "同一居民重复提交"
    assert row["时间"] and row["村/社区"] == "杏花村"
    assert f"第 {answer.pk} 号回复" in row["记录"] and "村口路灯不亮" in row["记录"]
    assert "13812341234" not in row["记录"]  # a summary of what it said, not who said it


def test_answers_a_revision_relied_on_cannot_be_deleted(client, committee_xinghua, xinghua):
    revision = CovenantRevision.objects.get(community=xinghua, stage="vote")
    form = CommunityFormPage.objects.get(covenant_revision=revision)
    answers = list(form.get_submissions())
    assert answers
    client.force_login(committee_xinghua)
    confirm = client.get(delete_url(form, *answers)).content.decode()
    assert "依规保存，不能删除" in confirm
    response = client.post(delete_url(form, *answers), {"reason": "清理"}, follow=True)
    assert "审议表决" in response.content.decode() and "不能删除" in response.content.decode()
    assert form.get_submissions().count() == len(answers)
    assert not AnswerDeletion.objects.exists()


def test_answers_of_a_revision_still_soliciting_may_be_deleted(client, committee_xinghua, xinghua):
    revision = CovenantRevision.objects.get(community=xinghua, stage="vote")
    CovenantRevision.objects.filter(pk=revision.pk).update(stage="soliciting")
    form = CommunityFormPage.objects.get(covenant_revision=revision)
    answer = form.get_submissions().first()
    client.force_login(committee_xinghua)
    client.post(delete_url(form, answer), {"reason": "测试数据"})
    assert not CommunityFormSubmission.objects.filter(pk=answer.pk).exists()


def test_no_other_path_deletes_an_answer(answered):
    _page, answer = answered
    with pytest.raises(PermissionDenied), transaction.atomic():
        answer.delete()
    with pytest.raises(PermissionDenied), transaction.atomic():
        CommunityFormSubmission.objects.filter(pk=answer.pk).delete()
    assert CommunityFormSubmission.objects.filter(pk=answer.pk).exists()


@pytest.mark.parametrize("value", ["abc", "48_not", "-1"])
def test_a_value_that_is_no_answer_id_is_a_client_error(client, committee_xinghua, answered, value):
    page, answer = answered
    client.force_login(committee_xinghua)
    url = f"/admin/forms/submissions/{page.pk}/delete/?selected-submissions={value}"
    assert client.get(url).status_code == 400
    both = f"{delete_url(page, answer)}&selected-submissions={value}"
    assert client.post(both, {"reason": "重复提交"}).status_code == 400
    assert CommunityFormSubmission.objects.filter(pk=answer.pk).exists()
