"""The draft's opinions on the API (issue 17, items 2 and 7): listing the public ones, sending one."""

import datetime
import json

import pytest
from django.utils import timezone

from community.models import Opinion
from tests.community.opinion_helpers import covenant_in_force, made_here, open_window, opinion

pytestmark = pytest.mark.django_db


@pytest.fixture
def covenant(shiqiao, committee_shiqiao, reviewer_liuxi):
    return covenant_in_force(shiqiao, committee_shiqiao, reviewer_liuxi)


@pytest.fixture
def window(covenant, committee_shiqiao):
    return open_window(covenant, committee_shiqiao)


def _url(covenant) -> str:
    return f"/api/v3/covenants/{covenant.pk}/opinions/"


def _post(client, covenant, body, **headers):
    return client.post(_url(covenant), json.dumps(body), content_type="application/json", **headers)


def test_sending_an_opinion(client, window, covenant):
    response = _post(client, covenant, {"article_id": "a5", "text": "建议写明投放时间。"})
    assert response.status_code == 201
    data = response.json()
    assert data["status"] == "pending" and "审核后公开" in data["message"]
    stored = Opinion.objects.get(pk=data["id"])
    assert (stored.article_id, stored.article_label, stored.source) == ("a5", "第五条", "online")


def test_refusals_have_codes_fields_and_statuses(client, window, covenant, settings):
    bad = _post(client, covenant, {"article_id": "zz", "text": "好"})
    assert bad.status_code == 422 and bad["Content-Type"] == "application/problem+json"
    assert bad.json()["errors"][0]["field"] == "article_id"
    assert bad.json()["errors"][0]["code"] == "unknown_article"
    consent = _post(client, covenant, {"text": "好", "mobile": "１３７００００１１１１"}).json()
    assert [e["code"] for e in consent["errors"]] == ["consent"]
    assert _post(client, covenant, {"text": "好", "phone": "1"}).status_code == 422  # unknown key
    assert _post(client, covenant, {"text": "a\ud800"}).status_code in (400, 422)
    assert _post(client, covenant, {"text": "长" * 100_000}).status_code == 422
    assert _post(client, covenant, {"text": "好", "website": "x"}).json()["code"] == "honeypot"
    plain = client.post(_url(covenant), "text=好", content_type="text/plain")
    assert plain.status_code == 415
    assert (
        _post(client, covenant, {"text": "好"}, HTTP_SEC_FETCH_SITE="cross-site").status_code == 403
    )
    settings.FORM_RATE_LIMIT = (1, 600)
    assert _post(client, covenant, {"text": "一"}).status_code == 201
    limited = _post(client, covenant, {"text": "二"})
    assert limited.status_code == 429 and int(limited["Retry-After"]) > 0
    assert limited.json()["code"] == "rate_limited"
    assert made_here().count() == 1


def test_closed_window_is_409_and_no_window_404(
    client, covenant, committee_shiqiao, shiqiao, reviewer_liuxi
):
    assert _post(client, covenant, {"text": "好"}).status_code == 404
    assert client.get(_url(covenant)).status_code == 404
    today = timezone.localdate()
    open_window(covenant, committee_shiqiao, opens_on=today - datetime.timedelta(days=30),
                closes_on=today - datetime.timedelta(days=1))  # fmt: skip
    response = _post(client, covenant, {"text": "好"})
    assert response.status_code == 409 and response.json()["code"] == "closed"


def test_the_listing_serves_public_opinions_and_answers_only(client, window, covenant):
    opinion(window, "a5", "意见一", answer="adopted", answer_reason="理由", adopted_in="a6",
            name="钱晓梅", mobile="13700001111")  # fmt: skip
    opinion(window, "a5", "原文SECRETORIGINAL", public_text="删去电话后的意见")
    opinion(window, "a5", "SECRETPENDING", status=Opinion.Status.PENDING)
    opinion(window, "a5", "SECRETREJECTED", status=Opinion.Status.REJECTED, reject_reason="abuse")
    opinion(window, "gone", "对已删条文")
    response = client.get(_url(covenant))
    body = response.content.decode("unicode_escape")
    assert response.status_code == 200
    for secret in ("SECRET", "钱晓梅", "13700001111"):
        assert secret not in body
    data = response.json()
    assert data["count"] == 3 and data["is_open"] and data["revision"] == window.revision_id
    first = data["items"][0]
    assert first["article_label"] == "第五条" and first["answer"]["label"] == "采纳"
    assert first["answer"]["adopted_in_label"] == "第六条"
    assert data["items"][1]["text"] == "删去电话后的意见"
    assert data["items"][2]["in_draft"] is False and data["items"][2]["article_label"] == "第九条"
    assert data["not_published"] == [{"reason": "abuse", "count": 1}]


def test_nothing_is_listed_before_the_window_opens(client, covenant, committee_shiqiao):
    today = timezone.localdate()
    window = open_window(covenant, committee_shiqiao, opens_on=today + datetime.timedelta(days=2),
                         closes_on=today + datetime.timedelta(days=9))  # fmt: skip
    opinion(window, "a5", "EARLY")
    data = client.get(_url(covenant)).json()
    assert data["items"] == [] and data["count"] == 0 and not data["is_open"]


def test_both_endpoints_are_in_the_openapi_document(client):
    paths = client.get("/api/v3/openapi.json").json()["paths"]
    ops = paths["/api/v3/covenants/{page_id}/opinions/"]
    assert set(ops) >= {"get", "post"}
    assert ops["post"]["summary"].endswith("(对草案提意见)")
    assert {"201", "409", "422", "429"} <= set(ops["post"]["responses"])


@pytest.mark.parametrize("body", [b"{not json", b'{"text": "\\xed\\xa0\\x80"}', b"\xff\xfe"])
def test_a_body_that_is_no_json_is_refused_in_chinese_with_a_code(client, window, covenant, body):
    """Ninja's own refusal says "Cannot parse request body" and no code; nothing is stored."""
    response = client.post(_url(covenant), body, content_type="application/json")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    data = response.json()
    assert data["detail"] == "请求内容不是有效的 JSON，请检查后重新提交。"
    assert [(e["code"], e["field"]) for e in data["errors"]] == [("json_invalid", "body")]
    assert not made_here().exists()
