"""Answering a form through the API, as a mini-program that read only the OpenAPI document."""

import datetime

import pytest
from django.core.cache import cache
from django.utils import timezone

from consultation.models import CommunityFormSubmission
from tests.consultation.test_bad_text import answers as good_answers
from tests.consultation.test_forms import make_form

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()


def submit(client, page, answers, **extra):
    return client.post(
        f"/api/v3/forms/{page.pk}/submissions/",
        {"answers": answers, **extra},
        content_type="application/json",
    )


def names(client, page):
    schema = client.get(f"/api/v3/forms/{page.pk}/").json()
    return {f["label"]: f for f in schema["fields"]}, schema


def test_schema_gives_what_a_client_needs_to_render(client, yinxing):
    page = make_form(yinxing)
    fields, schema = names(client, page)
    assert schema["is_open"] and schema["purpose_label"] == "议题征集"
    assert fields["手机号码"]["type"] == "mobile" and fields["手机号码"]["max_length"] == 11
    assert [c["value"] for c in fields["满意度"]["choices"]] == ["1", "2", "3", "4", "5"]
    assert fields["您的建议"]["required"] is True
    assert (
        "/api/v3/forms/{page_id}/submissions/" in client.get("/api/v3/openapi.json").json()["paths"]
    )


def test_valid_answer_is_201_and_pinned(client, yinxing):
    page = make_form(yinxing)
    fields, _ = names(client, page)
    response = submit(client, page, {
        fields["您的建议"]["name"]: "增加夜间巡逻。", fields["手机号码"]["name"]: "13912345678",
        fields["满意度"]["name"]: 5, fields["同意为回访使用手机号码"]["name"]: True,
    })  # fmt: skip
    assert response.status_code == 201
    submission = CommunityFormSubmission.objects.get(pk=response.json()["id"])
    assert submission.page_revision_id == page.live_revision_id


def test_invalid_answer_is_422_per_field(client, yinxing):
    page = make_form(yinxing)
    fields, _ = names(client, page)
    response = submit(client, page, {fields["手机号码"]["name"]: "12345", "nonexistent": "x"})
    assert response.status_code == 422
    errors = {(e["field"], e["code"]) for e in response.json()["errors"]}
    assert (fields["您的建议"]["name"], "required") in errors
    assert (fields["手机号码"]["name"], "invalid_mobile") in errors
    assert (fields["同意为回访使用手机号码"]["name"], "required") in errors
    assert ("nonexistent", "unknown_field") in errors
    assert not CommunityFormSubmission.objects.filter(page=page).exists()


def test_closed_form_is_409_with_when(client, yinxing):
    page = make_form(yinxing, closes_at=timezone.now() - datetime.timedelta(days=1))
    response = submit(client, page, {})
    assert response.status_code == 409 and "截止" in response.json()["detail"]


def test_rate_limited_is_429_with_retry_after(client, yinxing, settings):
    settings.FORM_RATE_LIMIT = (2, 600)
    page = make_form(yinxing)
    for _ in range(2):
        assert submit(client, page, {}).status_code == 422  # refused: not counted
        assert submit(client, page, good_answers(page)).status_code == 201
    response = submit(client, page, good_answers(page))
    assert response.status_code == 429 and response["Retry-After"] == "600"


def test_honeypot_is_422(client, yinxing):
    page = make_form(yinxing)
    response = submit(client, page, {}, website="http://spam")
    assert response.status_code == 422 and response.json()["errors"][0]["code"] == "honeypot"


def test_unpublished_form_is_404(client, yinxing):
    page = make_form(yinxing)
    page.unpublish()
    assert client.get(f"/api/v3/forms/{page.pk}/").status_code == 404
    assert submit(client, page, {}).status_code == 404
