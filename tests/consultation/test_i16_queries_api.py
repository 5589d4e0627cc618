"""A mini-program asks about a notice and reads its answered queries (issue 16, item 6): the same
rules as the site's form, problem+json with field codes, never who asked."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from consultation.models import NoticeQuery
from tests.consultation import queries_helpers
from tests.consultation.queries_helpers import MOBILE, NAME, answered, make_query

pytestmark = pytest.mark.django_db
notice = queries_helpers.notice


def _url(notice) -> str:
    return f"/api/v3/notices/{notice.pk}/queries/"


def _post(client, notice, body, **headers):
    return client.post(_url(notice), body, content_type="application/json", **headers)


def test_asking_by_api_returns_the_followup_address(client, notice):
    response = _post(
        client,
        notice,
        {"question": "补助名单在哪？", "mobile": "１３７００００１１１１", "consent": True},
    )
    assert response.status_code == 201
    data = response.json()
    query = NoticeQuery.objects.filter(notice=notice).get()
    assert data["id"] == query.pk and query.token in data["followup_url"]
    assert query.mobile == MOBILE


@pytest.mark.parametrize(
    ("body", "field", "code"),
    [
        ({"question": ""}, "question", "required"),
        ({"question": "问", "name": NAME}, "consent", "consent"),
        ({"question": "问", "mobile": "123", "consent": True}, "mobile", "invalid_mobile"),
        ({"question": "长" * 100_000}, "question", "max_length"),
        ({"question": "有\x00"}, "question", "invalid_text"),
    ],
)
def test_refusals_name_the_field_and_code(client, notice, body, field, code):
    response = _post(client, notice, body)
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    errors = response.json()["errors"]
    assert any(e["field"] == field and e["code"] == code for e in errors), errors
    assert all(not e["message"].isascii() for e in errors)
    assert not NoticeQuery.objects.filter(notice=notice).exists()


def test_a_lone_surrogate_or_unknown_field_is_refused(client, notice):
    raw = '{"question": "a\\ud800b"}'
    response = client.post(_url(notice), raw, content_type="application/json")
    assert response.status_code == 422
    assert _post(client, notice, {"question": "问", "mobil": MOBILE}).status_code == 422
    assert not NoticeQuery.objects.filter(notice=notice).exists()


def test_the_honeypot_and_the_rate_limit(client, notice, settings):
    response = _post(client, notice, {"question": "问", "website": "x"})
    assert response.status_code == 422 and response.json()["code"] == "honeypot"
    settings.FORM_RATE_LIMIT = (1, 600)
    assert _post(client, notice, {"question": "问"}).status_code == 201
    response = _post(client, notice, {"question": "问"})
    assert response.status_code == 429 and response["Retry-After"]
    assert NoticeQuery.objects.filter(notice=notice).count() == 1


def test_json_only_and_not_from_another_site(client, notice):
    assert client.post(_url(notice), {"question": "问"}).status_code == 415
    response = _post(client, notice, {"question": "问"}, HTTP_ORIGIN="https://evil.example")
    assert response.status_code == 403


def test_a_draft_notice_is_not_found(client, notice):
    notice.unpublish()
    assert _post(client, notice, {"question": "问"}).status_code == 404
    assert client.get(_url(notice)).status_code == 404


def test_answered_queries_are_listed_without_who_asked(client, notice, xinghua, committee_xinghua):
    query = answered(notice, xinghua, committee_xinghua, text="已张贴。")
    make_query(notice, xinghua, question="未答复的问题")
    response = client.get(_url(notice))
    data = response.json()
    assert data["count"] == 1
    assert data["items"][0]["question"] == query.question
    assert data["items"][0]["answer"] == "已张贴。"
    body = response.content.decode("unicode_escape")
    assert NAME not in body and MOBILE not in body and query.token not in body


def test_the_listing_costs_the_same_for_5_and_50(client, notice, xinghua, committee_xinghua):
    counts = []
    for n in (5, 45):
        for _ in range(n):
            answered(notice, xinghua, committee_xinghua)
        with CaptureQueriesContext(connection) as captured:
            client.get(_url(notice))
        counts.append(len(captured))
    assert counts[0] == counts[1]


def test_openapi_lists_both(client):
    paths = client.get("/api/v3/openapi.json").json()["paths"]
    assert {"get", "post"} <= set(paths["/api/v3/notices/{page_id}/queries/"])
