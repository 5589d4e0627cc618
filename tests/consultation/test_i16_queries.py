"""A resident questions a disclosure (issue 16, item 6): the form under every notice, its rules
(consent, honeypot, rate limit, text), the deadline, the private follow-up, and what the public
reads (the answer, never who asked)."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from community.models import Notification
from community.models.settings import district_settings
from consultation.models import NoticeQuery
from tests.consultation import queries_helpers
from tests.consultation.queries_helpers import MOBILE, NAME, answered, make_query, post_query

pytestmark = pytest.mark.django_db
notice = queries_helpers.notice


def test_every_notice_shows_the_query_form(client, notice):
    body = client.get(notice.url).content.decode()
    assert "对此公开有疑问" in body
    assert f'action="{reverse("notice_query_ask", args=(notice.pk,))}"' in body
    assert 'name="website"' in body  # the honeypot


def test_a_resident_asks_and_gets_a_private_followup_link(client, notice, committee_xinghua):
    response = post_query(client, notice)
    assert response.status_code == 303
    query = NoticeQuery.objects.filter(notice=notice).get()
    assert response["Location"] == reverse("notice_query_followup", args=(query.token,)) + "?new=1"
    assert len(query.token) >= 32
    page = client.get(response["Location"])
    body = page.content.decode()
    assert "查询已提交" in body and query.token in body
    assert page["X-Robots-Tag"].startswith("noindex") and page["Referrer-Policy"] == "same-origin"
    assert "no-cache" in page["Cache-Control"] or "max-age=0" in page["Cache-Control"]
    note = Notification.objects.get(
        recipient=committee_xinghua,
        kind="query_received",
        link=reverse("consultation_query_detail", args=(query.pk,)),
    )
    assert notice.title in note.message


def test_a_wrong_token_finds_nothing(client):
    assert client.get(reverse("notice_query_followup", args=("x" * 32,))).status_code == 404
    assert client.get("/_query/" + "a" * 500 + "/").status_code == 404


def test_the_deadline_is_the_district_setting_from_the_day_received(client, notice):
    settings_row = district_settings()
    settings_row.query_answer_days = 3
    settings_row.save()
    post_query(client, notice)
    query = NoticeQuery.objects.filter(notice=notice).get()
    assert query.due_on == timezone.localdate() + datetime.timedelta(days=3)


def test_a_name_or_mobile_needs_consent(client, notice):
    response = post_query(client, notice, name=NAME)
    assert response.status_code == 422
    assert "请勾选同意" in response.content.decode()
    assert NAME in response.content.decode()  # what was typed is shown again
    assert not NoticeQuery.objects.filter(notice=notice).exists()
    post_query(client, notice, mobile=MOBILE)
    assert not NoticeQuery.objects.filter(notice=notice).exists()
    post_query(client, notice, name=NAME, mobile=MOBILE, consent="on")
    assert NoticeQuery.objects.filter(notice=notice).get().consent


def test_anonymous_queries_need_no_consent(client, notice):
    assert post_query(client, notice).status_code == 303
    assert NoticeQuery.objects.filter(notice=notice).get().consent is False


def test_full_width_mobile_is_stored_as_ascii_and_a_wrong_one_refused(client, notice):
    post_query(client, notice, mobile="１３７ ００００-１１１１", consent="on")
    assert NoticeQuery.objects.filter(notice=notice).get().mobile == MOBILE
    response = post_query(client, notice, mobile="12345", consent="on")
    assert "11 位手机号码" in response.content.decode()
    assert NoticeQuery.objects.filter(notice=notice).count() == 1


def test_the_honeypot_refuses_a_bot(client, notice):
    response = post_query(client, notice, website="http://spam.example")
    assert response.status_code == 422
    assert "请勿填写" in response.content.decode()
    assert not NoticeQuery.objects.filter(notice=notice).exists()


def test_the_rate_limit_of_forms_holds_for_queries(client, notice, settings):
    settings.FORM_RATE_LIMIT = (2, 3600)
    assert post_query(client, notice).status_code == 303
    assert post_query(client, notice, question="").status_code == 422  # refused: not counted
    assert post_query(client, notice).status_code == 303
    response = post_query(client, notice)
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert "提交太频繁" in response.content.decode()
    assert NoticeQuery.objects.filter(notice=notice).count() == 2


@pytest.mark.parametrize(
    ("question", "message"),
    [
        ("", "请写下您对这条公示的疑问"),
        ("   ", "请写下您对这条公示的疑问"),
        ("有\x00空字符", "无法识别的字符"),
        ("控制\x07字符", "无法识别的字符"),
        ("长" * 100_000, "最多 1000 个字"),
    ],
)
def test_bad_text_is_refused_with_a_chinese_message(client, notice, question, message):
    response = post_query(client, notice, question=question)
    assert response.status_code in (400, 422)
    if response.status_code == 422:
        assert message in response.content.decode()
    assert not NoticeQuery.objects.filter(notice=notice).exists()


def test_a_bad_name_is_refused(client, notice):
    response = post_query(client, notice, name="名" * 51, consent="on")
    assert "最多 50 个字" in response.content.decode()
    assert not NoticeQuery.objects.filter(notice=notice).exists()


def test_a_formula_is_stored_as_the_text_typed(client, notice):
    post_query(client, notice, question="=1+1")
    assert NoticeQuery.objects.filter(notice=notice).get().question == "=1+1"


def test_a_post_from_another_site_is_refused(client, notice):
    response = client.post(
        reverse("notice_query_ask", args=(notice.pk,)),
        {"question": "问"},
        HTTP_ORIGIN="https://evil.example",
        HTTP_SEC_FETCH_SITE="cross-site",
    )
    assert response.status_code == 403
    assert not NoticeQuery.objects.filter(notice=notice).exists()


def test_a_draft_or_unknown_notice_takes_no_query(client, notice, committee_xinghua):
    notice.unpublish()
    assert post_query(client, notice).status_code == 404
    assert client.post("/_query/notice/99999999999999999999/", {"question": "x"}).status_code in (
        400,
        404,
    )
    assert not NoticeQuery.objects.filter(notice=notice).exists()


def test_the_answer_is_public_without_who_asked(client, notice, xinghua, committee_xinghua):
    query = answered(notice, xinghua, committee_xinghua, text="明细见附件第二页。")
    for url in (notice.url, notice.url + "print/"):
        body = client.get(url).content.decode()
        assert query.question in body and "明细见附件第二页。" in body, url
        assert NAME not in body and MOBILE not in body, url
    assert "提交查询" not in client.get(notice.url + "print/").content.decode()


def test_unanswered_queries_are_not_public(client, notice, xinghua):
    make_query(notice, xinghua, question="尚未答复的问题")
    assert "尚未答复的问题" not in client.get(notice.url).content.decode()


def test_the_committee_may_redact_the_question_before_it_is_published(
    client, notice, xinghua, committee_xinghua
):
    query = make_query(notice, xinghua, question="我是钱晓梅，住3组，想问补助名单")
    client.force_login(committee_xinghua)
    client.post(
        reverse("consultation_query_detail", args=(query.pk,)),
        {
            "action": "answer",
            "public_question": "想问补助名单",
            "answer": "名单已公示。",
            "answered_on": timezone.localdate().isoformat(),
        },
    )
    client.logout()
    body = client.get(notice.url).content.decode()
    assert "想问补助名单" in body and "住3组" not in body
    query.refresh_from_db()
    assert query.question.startswith("我是钱晓梅")  # the original is kept
    questions = list(query.history.values_list("public_question", flat=True))
    assert "想问补助名单" in questions


def test_history_never_holds_the_name_or_mobile(notice, xinghua, committee_xinghua):
    query = answered(notice, xinghua, committee_xinghua)
    fields = {f.name for f in query.history.model._meta.get_fields()}
    assert not {"name", "mobile", "token"} & fields


def test_the_resident_reads_the_answer_and_may_dispute_once(
    client, notice, xinghua, committee_xinghua, reviewer_liuxi
):
    query = answered(notice, xinghua, committee_xinghua, text="钱已用于修路。")
    url = reverse("notice_query_followup", args=(query.token,))
    body = client.get(url).content.decode()
    assert "钱已用于修路。" in body and "对答复有异议" in body
    assert client.post(url, {"reason": ""}).status_code == 200  # a reason is required
    assert not NoticeQuery.objects.filter(notice=notice).get().disputed_at
    assert client.post(url, {"reason": "路没有修。"}).status_code == 303
    query.refresh_from_db()
    assert query.disputed_at and query.escalation == NoticeQuery.Escalation.DISPUTED
    link = reverse("consultation_query_detail", args=(query.pk,))
    notes = Notification.objects.filter(recipient=reviewer_liuxi, kind="query_escalated", link=link)
    assert notes.count() == 1
    client.post(url, {"reason": "再次异议"})
    query.refresh_from_db()
    assert query.dispute_reason == "路没有修。"
    assert "提交异议" not in client.get(url).content.decode()


def test_an_unanswered_query_cannot_be_disputed(client, notice, xinghua):
    query = make_query(notice, xinghua)
    url = reverse("notice_query_followup", args=(query.token,))
    assert "提交异议" not in client.get(url).content.decode()
    client.post(url, {"reason": "没人回"})
    query.refresh_from_db()
    assert query.disputed_at is None


def _notice_page_queries(client, notice, count):
    client.get(notice.url)  # warm up: site, settings
    with CaptureQueriesContext(connection) as captured:
        response = client.get(notice.url)
    assert response.content.decode().count("<strong>答：</strong>") == count
    return len(captured)


def test_the_notice_page_costs_the_same_for_5_and_50_queries(
    client, notice, xinghua, committee_xinghua
):
    for _ in range(5):
        answered(notice, xinghua, committee_xinghua)
    five = _notice_page_queries(client, notice, 5)
    for _ in range(45):
        answered(notice, xinghua, committee_xinghua)
    fifty = _notice_page_queries(client, notice, 50)
    assert five == fifty
