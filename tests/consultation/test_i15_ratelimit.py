"""The form rate limit stops scripts, not villages (issue 15, item 7): only accepted answers count,
so a resident who mistyped a few times still answers; the default FORM_RATE_LIMIT lets a whole
village behind one carrier address answer in an hour and stops a script sending hundreds; the
refusal says what is true (this answer was not saved) and when to try again, from the window
actually left. The tests run on the counter the suite uses (the database's RateCounter, the
local-memory cache not being shared), on the page and on the API."""

import datetime
import math

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.utils import timezone

from cms import settings as project_settings
from consultation.answers import PAGE, Accepted, Answers, Code, accept
from consultation.models import CommunityFormSubmission, RateCounter
from tests.consultation.test_bad_text import answers
from tests.consultation.test_forms import ANSWER, make_form, post

pytestmark = pytest.mark.django_db
ANONYMOUS = AnonymousUser()
VILLAGE = "10.0.0.1"  # one carrier NAT address for everyone in the village


@pytest.fixture(autouse=True)
def _default_limit(settings):
    cache.clear()
    settings.FORM_RATE_LIMIT = project_settings.FORM_RATE_LIMIT  # the shipped default


def stored(page) -> int:
    return CommunityFormSubmission.objects.filter(page=page).count()


def api(client, page, data):
    return client.post(
        f"/api/v3/forms/{page.pk}/submissions/", {"answers": data}, content_type="application/json"
    )


def test_mistakes_before_a_good_answer_do_not_use_up_the_limit(client, yinxing, settings):
    settings.FORM_RATE_LIMIT = (5, 600)  # the old default, the walk's setting
    page = make_form(yinxing)
    assert post(client, page, {}).status_code == 200  # empty: the form again, with errors
    for mobile in ["12345", "1381234123", "23812341234", "138123412345"]:
        assert post(client, page, {**ANSWER, "手机号码": mobile}).status_code == 200
    assert stored(page) == 0
    accepted = post(client, page, ANSWER)
    assert accepted.status_code == 200 and "已收到" in accepted.content.decode()
    assert stored(page) == 1


def test_mistakes_on_the_api_do_not_count_either(client, yinxing, settings):
    settings.FORM_RATE_LIMIT = (2, 600)
    page = make_form(yinxing)
    for _ in range(5):
        assert api(client, page, {}).status_code == 422
    assert [api(client, page, answers(page)).status_code for _ in range(3)] == [201, 201, 429]
    assert stored(page) == 2


def test_the_default_lets_a_village_answer_within_an_hour(client, yinxing):
    limit, window = project_settings.FORM_RATE_LIMIT
    assert limit >= 40 and window >= 3600  # 40 residents in one hour behind one address
    page = make_form(yinxing)
    statuses = [post(client, page, ANSWER).status_code for _ in range(40)]
    assert statuses == [200] * 40 and stored(page) == 40


def test_the_default_stops_a_script_sending_hundreds(client, yinxing):
    limit, window = project_settings.FORM_RATE_LIMIT
    assert limit < 100  # hundreds an hour from one address is not a village
    page = make_form(yinxing)
    for _ in range(limit):
        assert isinstance(
            accept(page, Answers.from_json(answers(page)), "127.0.0.1", ANONYMOUS), Accepted
        )
    statuses = [api(client, page, answers(page)).status_code for _ in range(200 - limit)]
    assert set(statuses) == {429} and stored(page) == limit
    refused = api(client, page, answers(page))
    assert 0 < int(refused["Retry-After"]) <= window
    assert RateCounter.objects.get().count == limit  # refusals are not counted either


def test_the_refusal_is_true_and_names_the_time_left(client, yinxing, settings):
    settings.FORM_RATE_LIMIT = (3, 3600)
    page = make_form(yinxing)
    for _ in range(3):
        assert post(client, page, ANSWER).status_code == 200
    # The window opened by the first answer has 17 minutes left (as if 43 minutes had passed).
    RateCounter.objects.update(expires_at=timezone.now() + datetime.timedelta(minutes=17))
    refused = post(client, page, ANSWER)
    text = refused.content.decode()
    assert refused.status_code == 429
    assert 1000 <= int(refused["Retry-After"]) <= 17 * 60
    assert "约 17 分钟后" in text
    assert "没有保存" in text and "已提交的内容不受影响" not in text
    assert "1 小时内" in text and "3 份" in text  # the limit it met, from FORM_RATE_LIMIT
    assert stored(page) == 3
    api_refused = api(client, page, answers(page))
    assert api_refused.status_code == 429
    assert 1000 <= int(api_refused["Retry-After"]) <= 17 * 60
    assert "约 17 分钟后" in api_refused.json()["detail"]
    assert "没有保存" in api_refused.json()["detail"]


def test_the_page_message_is_worded_from_the_refusal(yinxing, settings):
    settings.FORM_RATE_LIMIT = (1, 90)
    page = make_form(yinxing)
    assert isinstance(accept(page, Answers.from_json(answers(page)), VILLAGE, ANONYMOUS), Accepted)
    refused = accept(page, Answers.from_json(answers(page)), VILLAGE, ANONYMOUS, PAGE)
    assert refused.code == Code.RATE_LIMITED and refused.retry_after == 90
    assert "约 2 分钟后" in refused.message and "90 秒内" in refused.message
    assert math.ceil(refused.retry_after / 60) == 2


def test_a_shared_cache_counts_the_same(client, yinxing, settings, tmp_path):
    """A shared cache (Redis in production) holds the count instead of the database; the same
    rules hold there. A file cache is one every process shares, as Redis is."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(tmp_path),
        }
    }
    settings.FORM_RATE_LIMIT = (2, 600)
    page = make_form(yinxing)
    for _ in range(3):
        assert api(client, page, {}).status_code == 422
    statuses = [api(client, page, answers(page)).status_code for _ in range(3)]
    assert statuses == [201, 201, 429] and stored(page) == 2
    refused = api(client, page, answers(page))
    assert 590 <= int(refused["Retry-After"]) <= 600 and "约 10 分钟后" in refused.json()["detail"]
    assert not RateCounter.objects.exists()
