"""Who answers a resident's query and who decides an escalated one (issue 16, item 6): the
committee of the notice's community answers; the township's reviewer (and district staff) records
the outcome once the query is escalated, overdue or disputed, exactly once; supervisors, reviewers
and district staff read; another village's committee sees nothing. Exports, the report."""

import datetime
import io

import openpyxl
import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from community.models import Notification
from community.review.figures import Period
from consultation import desk
from consultation.models import NoticeQuery
from consultation.queries import escalate_due
from tests.consultation import queries_helpers
from tests.consultation.queries_helpers import MOBILE, NAME, answered, make_query

pytestmark = pytest.mark.django_db
notice = queries_helpers.notice
supervisor_xinghua = queries_helpers.supervisor_xinghua

TODAY = timezone.localdate


def _detail(query) -> str:
    return reverse("consultation_query_detail", args=(query.pk,))


def _answer(client, query, text="已公布明细。"):
    return client.post(
        _detail(query),
        {
            "action": "answer",
            "public_question": query.question,
            "answer": text,
            "answered_on": TODAY().isoformat(),
        },
    )


def _decide(client, query, outcome="order_publish"):
    return client.post(
        _detail(query),
        {
            "action": "outcome",
            "outcome": outcome,
            "outcome_text": "经核实，应公布补助名单。",
            "outcome_on": TODAY().isoformat(),
        },
    )


def refused(response) -> bool:
    """Wagtail's admin answers a PermissionDenied with a redirect to the dashboard and a message."""
    return response.status_code == 403 or (
        response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home")
    )


@pytest.fixture
def query(notice, xinghua):
    return make_query(notice, xinghua)


@pytest.fixture
def overdue(notice, xinghua):
    received = timezone.now() - datetime.timedelta(days=20)
    return make_query(
        notice, xinghua, received_at=received, due_on=TODAY() - datetime.timedelta(days=10)
    )


# Answering


def test_the_committee_answers_and_sees_who_asked(client, query, committee_xinghua):
    client.force_login(committee_xinghua)
    page = client.get(_detail(query)).content.decode()
    assert NAME in page and MOBILE in page and "答复查询" in page
    assert _answer(client, query)["Location"] == _detail(query)
    query.refresh_from_db()
    assert query.answer == "已公布明细。" and query.answered_by == committee_xinghua
    assert query.history.latest().history_user == committee_xinghua


@pytest.mark.parametrize("who", ["reviewer_liuxi", "district_staff", "supervisor_xinghua"])
def test_readers_read_but_cannot_answer(client, query, who, request):
    client.force_login(request.getfixturevalue(who))
    page = client.get(_detail(query))
    assert page.status_code == 200 and query.question in page.content.decode()
    assert "答复查询" not in page.content.decode()
    assert refused(_answer(client, query))
    query.refresh_from_db()
    assert query.answer == ""


@pytest.mark.parametrize("who", ["reviewer_liuxi", "supervisor_xinghua"])
def test_reviewers_and_supervisors_never_see_the_name_or_mobile(client, query, who, request):
    client.force_login(request.getfixturevalue(who))
    page = client.get(_detail(query)).content.decode()
    assert NAME not in page and MOBILE not in page


def test_district_staff_see_who_asked(client, query, district_staff):
    client.force_login(district_staff)
    assert MOBILE in client.get(_detail(query)).content.decode()


@pytest.mark.parametrize("who", ["committee_shiqiao", "reviewer_dongcheng"])
def test_another_community_or_township_sees_nothing(client, query, who, request):
    client.force_login(request.getfixturevalue(who))
    assert client.get(_detail(query)).status_code == 404
    assert _answer(client, query).status_code == 404
    assert query.question not in client.get(reverse("consultation_queries")).content.decode()


def test_the_list_is_scoped_and_filtered(client, query, overdue, committee_xinghua):
    client.force_login(committee_xinghua)
    listing = reverse("consultation_queries")
    body = client.get(listing).content.decode()
    assert body.count(_detail(query)) == 1 and body.count(_detail(overdue)) == 1
    body = client.get(listing, {"status": "overdue"}).content.decode()
    assert _detail(overdue) in body and _detail(query) not in body


def test_the_list_costs_the_same_for_5_and_50(client, notice, xinghua, committee_xinghua):
    client.force_login(committee_xinghua)
    counts = []
    for n in (5, 45):
        for _ in range(n):
            make_query(notice, xinghua)
        client.get(reverse("consultation_queries"))
        with CaptureQueriesContext(connection) as captured:
            client.get(reverse("consultation_queries"))
        counts.append(len(captured))
    assert counts[0] == counts[1]


def test_an_answer_in_the_future_or_empty_is_refused(client, query, committee_xinghua):
    client.force_login(committee_xinghua)
    tomorrow = (TODAY() + datetime.timedelta(days=1)).isoformat()
    for data in (
        {"answer": "x", "answered_on": tomorrow},
        {"answer": "", "answered_on": TODAY().isoformat()},
        {"answer": "有\x00", "answered_on": TODAY().isoformat()},
        {"answer": "x", "answered_on": "２０２６年"},
    ):
        response = client.post(
            _detail(query), {"action": "answer", "public_question": query.question, **data}
        )
        assert response.status_code == 200 and "未保存" in response.content.decode()
    query.refresh_from_db()
    assert query.answered_on is None


# Escalation


def test_an_overdue_query_goes_to_the_township_once(overdue, query, reviewer_liuxi):
    assert escalate_due() == 1
    assert escalate_due() == 0
    call_command("escalate_queries", stdout=io.StringIO())
    overdue.refresh_from_db()
    assert overdue.escalation == NoticeQuery.Escalation.OVERDUE and overdue.escalated_at
    notes = Notification.objects.filter(
        recipient=reviewer_liuxi, kind="query_escalated", link=_detail(overdue)
    )
    assert notes.count() == 1
    query.refresh_from_db()
    assert query.escalated_at is None  # not yet due


def test_a_query_answered_in_time_is_not_escalated(overdue, committee_xinghua):
    overdue.answered_on = TODAY()
    overdue.answer = "迟了一点。"
    overdue.save()
    assert escalate_due() == 0


def test_the_township_records_the_outcome_with_the_remedy_article(client, overdue, reviewer_liuxi):
    escalate_due()
    client.force_login(reviewer_liuxi)
    page = client.get(_detail(overdue)).content.decode()
    assert "村民委员会组织法（2025年修正）第三十六条" in page
    assert _decide(client, overdue)["Location"] == _detail(overdue)
    overdue.refresh_from_db()
    assert overdue.get_outcome_display() == "责令依法公布"
    assert overdue.outcome_basis == "村民委员会组织法（2025年修正）第三十六条"
    assert overdue.outcome_by == reviewer_liuxi


def test_no_outcome_before_escalation(client, query, reviewer_liuxi):
    client.force_login(reviewer_liuxi)
    assert refused(_decide(client, query))


@pytest.mark.parametrize("who", ["committee_xinghua", "supervisor_xinghua"])
def test_only_the_township_decides(client, overdue, who, request):
    escalate_due()
    client.force_login(request.getfixturevalue(who))
    assert refused(_decide(client, overdue))
    overdue.refresh_from_db()
    assert overdue.outcome == ""


def test_another_township_cannot_decide(client, overdue, reviewer_dongcheng):
    escalate_due()
    client.force_login(reviewer_dongcheng)
    assert _decide(client, overdue).status_code == 404


def test_district_staff_may_decide(client, overdue, district_staff):
    escalate_due()
    client.force_login(district_staff)
    assert _decide(client, overdue, "upheld")["Location"] == _detail(overdue)


def test_a_bad_outcome_is_refused(client, overdue, reviewer_liuxi):
    escalate_due()
    client.force_login(reviewer_liuxi)
    assert "未保存" in _decide(client, overdue, "dismissed").content.decode()


# Exports and the report


def _xlsx(response):
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    return [[c.value for c in row] for row in sheet.iter_rows()]


def test_committee_exports_include_the_mobile(client, notice, xinghua, committee_xinghua):
    answered(notice, xinghua, committee_xinghua, question="=1+1")
    client.force_login(committee_xinghua)
    response = client.get(reverse("consultation_queries"), {"export": "csv"})
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "手机号码" in text and MOBILE in text
    assert "'=1+1" in text  # a formula stays text
    rows = _xlsx(client.get(reverse("consultation_queries"), {"export": "xlsx"}))
    assert MOBILE in rows[1]


@pytest.mark.parametrize("who", ["reviewer_liuxi", "supervisor_xinghua"])
def test_other_exports_have_no_name_or_mobile(client, query, who, request):
    client.force_login(request.getfixturevalue(who))
    response = client.get(reverse("consultation_queries"), {"export": "csv"})
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert query.question in text
    assert MOBILE not in text and NAME not in text and "手机号码" not in text


def test_the_report_counts_queries_and_escalations(notice, xinghua):
    communities = type(xinghua).objects.filter(pk=xinghua.pk)
    period = Period(TODAY() - datetime.timedelta(days=30), TODAY())
    received = desk.queries_received(communities, period)
    escalated = desk.queries_escalated(communities, period)
    make_query(notice, xinghua)
    make_query(notice, xinghua, due_on=TODAY() - datetime.timedelta(days=1))
    escalate_due()
    assert desk.queries_received(communities, period) == received + 2
    assert desk.queries_escalated(communities, period) == escalated + 1
