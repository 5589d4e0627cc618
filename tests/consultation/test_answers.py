"""The answer pipeline itself: each refusal from a direct accept(), the order of the checks, and
statuses and waits that follow the refusal's code and FORM_RATE_LIMIT, never the wording."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.http import QueryDict
from django.utils import timezone

from consultation.answers import (
    API,
    HONEYPOT,
    PAGE,
    Accepted,
    Answers,
    Code,
    Refused,
    accept,
    check_open,
)
from consultation.models import CommunityFormSubmission
from tests.consultation.test_forms import ANSWER, field_names, make_form

pytestmark = pytest.mark.django_db
ANONYMOUS = AnonymousUser()


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()


def good(page) -> dict:
    names = field_names(page)
    return {names[label]: value for label, value in ANSWER.items()} | {
        names["同意为回访使用手机号码"]: True
    }


def stored(page) -> int:
    return CommunityFormSubmission.objects.filter(page=page).count()


def test_a_good_answer_is_accepted_and_pinned(yinxing):
    page = make_form(yinxing)
    result = accept(page, Answers.from_json(good(page)), "10.0.0.1", ANONYMOUS)
    assert isinstance(result, Accepted)
    assert result.submission.page_revision_id == page.live_revision_id
    assert HONEYPOT not in result.submission.form_data


def test_closed(yinxing):
    page = make_form(yinxing, closes_at=timezone.now() - datetime.timedelta(hours=1))
    result = accept(page, Answers.from_json(good(page)), "10.0.0.1", ANONYMOUS)
    assert isinstance(result, Refused) and result.code == Code.CLOSED and result.status == 409
    assert result.message == page.window_message() and "截止" in result.message
    assert result.form is None and stored(page) == 0


def test_not_yet_open_is_closed_too(yinxing):
    page = make_form(yinxing, opens_at=timezone.now() + datetime.timedelta(days=1))
    refusal = check_open(page, ANONYMOUS, PAGE)
    assert refusal.code == Code.CLOSED and "开始填写" in refusal.message and refusal.status == 200


def test_login_required(yinxing, django_user_model):
    page = make_form(yinxing, allow_anonymous=False)
    result = accept(page, Answers.from_json(good(page)), "10.0.0.1", ANONYMOUS)
    assert result.code == Code.LOGIN_REQUIRED and result.status == 409
    assert result.message == "本表单需要登录后填写。"
    assert check_open(page, ANONYMOUS, PAGE).message == "本表单需要登录后填写，请联系村(居)委会。"
    resident = django_user_model.objects.create_user("jumin", password="x")
    assert isinstance(accept(page, Answers.from_json(good(page)), "10.0.0.1", resident), Accepted)


def test_honeypot(yinxing):
    page = make_form(yinxing)
    result = accept(page, Answers.from_json(good(page), honeypot="http://spam"), "1", ANONYMOUS)
    assert result.code == Code.HONEYPOT and result.status == 422 and result.field == HONEYPOT
    assert [(e.field, e.code) for e in result.errors] == [(HONEYPOT, "honeypot")]
    assert stored(page) == 0


def test_rate_limited_waits_the_window(yinxing, settings):
    settings.FORM_RATE_LIMIT = (1, 120)
    page = make_form(yinxing)
    assert isinstance(accept(page, Answers.from_json(good(page)), "10.0.0.1", ANONYMOUS), Accepted)
    result = accept(page, Answers.from_json(good(page)), "10.0.0.1", ANONYMOUS, PAGE)
    assert result.code == Code.RATE_LIMITED and result.status == 429 and result.retry_after == 120
    assert "约 2 分钟" in result.message
    assert stored(page) == 1  # what was stored before the refusal stays
    assert isinstance(accept(page, Answers.from_json(good(page)), "10.0.0.2", ANONYMOUS), Accepted)


def test_invalid_gives_each_field_its_error(yinxing):
    page = make_form(yinxing)
    names = field_names(page)
    answers = Answers.from_json({names["手机号码"]: "12345", "nonexistent": "x"})
    result = accept(page, answers, "10.0.0.1", ANONYMOUS)
    assert result.code == Code.INVALID and result.status == 422
    errors = {(e.field, e.code) for e in result.errors}
    assert {(names["您的建议"], "required"), (names["手机号码"], "invalid_mobile")} <= errors
    assert ("nonexistent", "unknown_field") in errors
    assert result.form is not None and result.form.is_bound and stored(page) == 0


def test_unknown_field_alone(yinxing):
    page = make_form(yinxing)
    result = accept(page, Answers.from_json(good(page) | {"typo": "x"}), "10.0.0.1", ANONYMOUS)
    assert result.code == Code.UNKNOWN_FIELD and result.status == 422
    assert [(e.field, e.code) for e in result.errors] == [("typo", "unknown_field")]


def test_a_browser_post_may_carry_more_than_the_fields(yinxing):
    page = make_form(yinxing)
    names = field_names(page)
    post = QueryDict(mutable=True)
    post.update({names[label]: value for label, value in ANSWER.items()})
    post["csrfmiddlewaretoken"] = "token"
    assert isinstance(accept(page, Answers.from_post(post), "10.0.0.1", ANONYMOUS, PAGE), Accepted)


def test_the_window_is_asked_before_the_honeypot(yinxing):
    page = make_form(yinxing, closes_at=timezone.now() - datetime.timedelta(hours=1))
    answers = Answers.from_json({}, honeypot="spam")
    assert accept(page, answers, "10.0.0.1", ANONYMOUS).code == Code.CLOSED


def test_login_is_asked_before_the_honeypot(yinxing):
    page = make_form(yinxing, allow_anonymous=False)
    answers = Answers.from_json({}, honeypot="spam")
    assert accept(page, answers, "10.0.0.1", ANONYMOUS).code == Code.LOGIN_REQUIRED


def test_a_honeypot_does_not_use_up_the_limit(yinxing, settings):
    settings.FORM_RATE_LIMIT = (1, 600)
    page = make_form(yinxing)
    bot = accept(page, Answers.from_json(good(page), honeypot="spam"), "10.0.0.1", ANONYMOUS)
    assert bot.code == Code.HONEYPOT
    assert isinstance(accept(page, Answers.from_json(good(page)), "10.0.0.1", ANONYMOUS), Accepted)


def test_the_limit_is_asked_before_validation_and_counts_only_stored_answers(yinxing, settings):
    settings.FORM_RATE_LIMIT = (1, 600)
    page = make_form(yinxing)
    assert accept(page, Answers.from_json({}), "10.0.0.1", ANONYMOUS).code == Code.INVALID
    assert accept(page, Answers.from_json({}), "10.0.0.1", ANONYMOUS).code == Code.INVALID
    assert isinstance(accept(page, Answers.from_json(good(page)), "10.0.0.1", ANONYMOUS), Accepted)
    assert accept(page, Answers.from_json({}), "10.0.0.1", ANONYMOUS).code == Code.RATE_LIMITED


def test_every_code_is_worded_on_both_surfaces_and_has_its_api_status():
    assert set(PAGE.messages) == set(Code)
    # The one-time token is the HTML form's; the API has the Idempotency-Key instead.
    assert set(API.messages) == set(Code) - {Code.TOKEN_INVALID}
    assert API.statuses == {
        Code.CLOSED: 409,
        Code.LOGIN_REQUIRED: 409,
        Code.HONEYPOT: 422,
        Code.RATE_LIMITED: 429,
        Code.INVALID: 422,
        Code.UNKNOWN_FIELD: 422,
        Code.KEY_REUSED: 422,  # Idempotency-Key sent again with another answer (issue 18)
    }
    assert PAGE.statuses == {Code.RATE_LIMITED: 429}  # the page shows the form again otherwise


def post_twice(client, page):
    names = field_names(page)
    data = {names.get(k, k): v for k, v in ANSWER.items()}
    client.post(page.url, data)
    return client.post(page.url, data)


def test_page_429_follows_the_code_not_the_wording(client, yinxing, settings, monkeypatch):
    settings.FORM_RATE_LIMIT = (1, 120)
    monkeypatch.setitem(PAGE.messages, Code.RATE_LIMITED, "请 {minutes} 分钟后再来。")
    page = make_form(yinxing)
    refused = post_twice(client, page)
    assert refused.status_code == 429 and refused["Retry-After"] == "120"
    assert "请 2 分钟后再来。" in refused.content.decode()
    assert stored(page) == 1


def test_page_names_the_wait_of_the_configured_window(client, yinxing, settings):
    settings.FORM_RATE_LIMIT = (1, 1800)
    page = make_form(yinxing)
    refused = post_twice(client, page)
    assert refused.status_code == 429 and refused["Retry-After"] == "1800"
    assert "约 30 分钟" in refused.content.decode()


def test_api_retry_after_follows_the_window(client, yinxing, settings, monkeypatch):
    settings.FORM_RATE_LIMIT = (1, 90)
    monkeypatch.setitem(API.messages, Code.RATE_LIMITED, "稍后再试。")
    page = make_form(yinxing)
    url = f"/api/v3/forms/{page.pk}/submissions/"
    for _ in range(2):
        response = client.post(url, {"answers": good(page)}, content_type="application/json")
    assert response.status_code == 429 and response["Retry-After"] == "90"
    assert response["Content-Type"] == "application/problem+json"
    assert response.json() == {
        "type": "about:blank", "title": "Too Many Requests", "status": 429,
        "detail": "稍后再试。", "code": "rate_limited", "errors": [],
    }  # fmt: skip
