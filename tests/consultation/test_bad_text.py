"""Bad text is refused, never stored: a lone surrogate, NUL or another control character in any
answer is a 422 naming the field (API) or a form error (page); each field has a length cap; and a
row stored before these rules still shows everywhere an answer is shown."""

import json

import pytest
from django.core.cache import cache
from django.db import connection

from consultation.models import CommunityFormSubmission
from consultation.models.forms import ANSWER_MAX_LENGTH
from tests.consultation.test_forms import ANSWER, field_names, make_form, post

pytestmark = pytest.mark.django_db
BAD = ["a\ud800b", "\udfff", "a\x00b", "a\x07b", "\x1b[31m红"]


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()


def answers(page, **by_label) -> dict:
    names = field_names(page)
    good = {**ANSWER, "同意为回访使用手机号码": True, **by_label}
    return {names[label]: value for label, value in good.items()}


def submit(client, page, data):
    return client.post(
        f"/api/v3/forms/{page.pk}/submissions/", {"answers": data}, content_type="application/json"
    )


def stored(page) -> int:
    return CommunityFormSubmission.objects.filter(page=page).count()


@pytest.mark.parametrize("text", BAD)
@pytest.mark.parametrize("label", ["您的建议", "手机号码", "满意度"])
def test_api_refuses_bad_text_in_any_field(client, yinxing, text, label):
    page = make_form(yinxing)
    response = submit(client, page, answers(page, **{label: text}))
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert {"field": field_names(page)[label], "code": "invalid_text"} in [
        {"field": e["field"], "code": e["code"]} for e in errors
    ]
    assert "无法识别的字符" in errors[0]["message"]
    assert stored(page) == 0


def test_api_refuses_bad_text_in_a_field_name(client, yinxing):
    page = make_form(yinxing)
    response = submit(client, page, {**answers(page), "x\ud800": "1"})
    assert response.status_code == 422 and stored(page) == 0


def test_tabs_and_line_breaks_are_text(client, yinxing):
    page = make_form(yinxing)
    response = submit(client, page, answers(page, 您的建议="第一，\t停车。\r\n第二，照明。"))
    assert response.status_code == 201


def test_page_refuses_nul_with_a_form_error(client, yinxing):
    page = make_form(yinxing)
    response = post(client, page, {**ANSWER, "您的建议": "a\x00b"})
    assert response.status_code == 200 and "无法识别的字符" in response.content.decode()
    assert stored(page) == 0


def test_a_multiline_answer_is_capped(client, yinxing):
    cap = ANSWER_MAX_LENGTH["multiline"]
    page = make_form(yinxing)
    assert submit(client, page, answers(page, 您的建议="长" * cap)).status_code == 201
    for length in (cap + 1, 100_000):
        response = submit(client, page, answers(page, 您的建议="长" * length))
        assert response.status_code == 422
        (error,) = response.json()["errors"]
        assert error["code"] == "max_length" and str(cap) in error["message"]
    schema = client.get(f"/api/v3/forms/{page.pk}/").json()
    assert {f["label"]: f["max_length"] for f in schema["fields"]}["您的建议"] == cap


@pytest.mark.skipif(
    connection.vendor == "postgresql", reason="PostgreSQL cannot store a lone surrogate at all"
)
def test_a_bad_row_stored_earlier_still_shows_everywhere(client, yinxing, superuser):
    page = make_form(yinxing)
    names = field_names(page)
    CommunityFormSubmission.objects.create(
        page=page,
        page_revision_id=page.live_revision_id,
        form_data={names["您的建议"]: "a\ud800b\x00c", names["手机号码"]: "1\ud8001"},
    )
    client.force_login(superuser)
    for url in (
        f"/admin/forms/submissions/{page.pk}/",
        f"/admin/forms/submissions/{page.pk}/results/",
        "/admin/proposals/",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "a\ufffdb\ufffdc" in response.content.decode(), url
    export = client.get(f"/admin/forms/submissions/{page.pk}/?export=csv")
    assert "a\ufffdb\ufffdc" in b"".join(export.streaming_content).decode("utf-8")
    export = client.get(f"/admin/forms/submissions/{page.pk}/?export=xlsx")
    assert export.status_code == 200 and b"".join(export.streaming_content)


@pytest.mark.parametrize("raw", ['{"a": 1}', "[[1, 2]]", "1e999", '[{"x": 1}]', "false"])
def test_api_refuses_a_value_no_form_field_takes(client, yinxing, raw):
    """An object, a nested list or a number beyond JSON's floats is refused by name, never
    stored as its Python spelling ("{'a': 1}", "inf"); false for a text field is no answer."""
    page = make_form(yinxing)
    name = field_names(page)["您的建议"]
    body = json.dumps({"answers": answers(page)}).replace(json.dumps(ANSWER["您的建议"]), raw)
    response = client.post(
        f"/api/v3/forms/{page.pk}/submissions/", body, content_type="application/json"
    )
    assert response.status_code == 422, response.content
    assert name in [e["field"] for e in response.json()["errors"]]
    assert stored(page) == 0
