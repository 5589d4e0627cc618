"""Idempotent answers (issue 18, item 3): a mini-program that retries with its Idempotency-Key,
and a resident who clicks 提交 twice or retries after a dropped connection, store one answer and
are answered what the first try was; a key or token used for a different answer is refused
clearly, and nothing typed is lost. Concurrent tries with one key: tests/test_i18_sqlite_concurrency.py."""

import datetime
import re
import uuid
from unittest import mock

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.utils import timezone

from consultation.idempotency import TOKEN_FIELD
from consultation.models import AnswerReceipt, CommunityFormSubmission, RateCounter
from tests.consultation.test_bad_text import answers
from tests.consultation.test_forms import ANSWER, field_names, make_form

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()


def submit(client, page, data, key=None, **extra):
    headers = {} if key is None else {"Idempotency-Key": key}
    return client.post(
        f"/api/v3/forms/{page.pk}/submissions/",
        {"answers": data, **extra},
        content_type="application/json",
        headers=headers,
    )


def stored(page) -> int:
    return CommunityFormSubmission.objects.filter(page=page).count()


# --- the API's Idempotency-Key ------------------------------------------------------------------


def test_retry_with_same_key_and_body_is_answered_as_the_first_and_stores_one_row(client, yinxing):
    page = make_form(yinxing)
    key = str(uuid.uuid4())
    first = submit(client, page, answers(page), key)
    again = submit(client, page, answers(page), key)
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json() and "Idempotent-Replayed" not in first
    assert again["Idempotent-Replayed"] == "true"
    assert stored(page) == 1
    assert AnswerReceipt.objects.get().submission_id == first.json()["id"]


def test_same_key_with_a_different_answer_is_refused_and_stores_nothing(client, yinxing):
    page = make_form(yinxing)
    key = str(uuid.uuid4())
    assert submit(client, page, answers(page), key).status_code == 201
    other = submit(client, page, answers(page, 您的建议="另一条建议。"), key)
    assert other.status_code == 422
    assert other["Content-Type"] == "application/problem+json"
    assert other.json()["code"] == "idempotency_key_reused"
    assert stored(page) == 1


@pytest.mark.parametrize(
    "key",
    ["", " ", "a" * 201, "with space", "中文键", "tab\tkey", "\x7f"],
    ids=["empty", "blank", "201-chars", "space", "non-ascii", "tab", "del"],
)
def test_malformed_key_is_400_with_a_code_and_stores_nothing(client, yinxing, key):
    page = make_form(yinxing)
    response = submit(client, page, answers(page), key.encode().decode("latin-1"))
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["code"] == "idempotency_key_invalid"
    assert stored(page) == 0 and not AnswerReceipt.objects.exists()


@pytest.mark.parametrize("key", ["a", "a" * 200, "01J9Z3-~!#$%&'*+.^_`|:;<>=?@[]{}()/\\\""])
def test_any_visible_ascii_key_up_to_200_characters_is_taken(client, yinxing, key):
    page = make_form(yinxing)
    assert submit(client, page, answers(page), key).status_code == 201
    assert submit(client, page, answers(page), key).status_code == 201
    assert stored(page) == 1


def test_a_replay_is_never_counted_by_the_rate_limit(client, yinxing, settings):
    settings.FORM_RATE_LIMIT = (1, 3600)
    page = make_form(yinxing)
    key = str(uuid.uuid4())
    assert submit(client, page, answers(page), key).status_code == 201
    for _ in range(3):
        assert submit(client, page, answers(page), key).status_code == 201  # not 429
    assert RateCounter.objects.get().count == 1
    assert submit(client, page, answers(page), str(uuid.uuid4())).status_code == 429
    assert stored(page) == 1


def test_a_refused_answer_leaves_its_key_free_for_the_corrected_one(client, yinxing):
    page = make_form(yinxing)
    key = str(uuid.uuid4())
    wrong = submit(client, page, answers(page, 手机号码="1381234"), key)
    assert wrong.status_code == 422 and wrong.json()["code"] == "invalid"
    assert not AnswerReceipt.objects.exists()
    assert submit(client, page, answers(page), key).status_code == 201
    assert stored(page) == 1


def test_a_replay_is_answered_after_the_form_has_closed(client, yinxing):
    page = make_form(yinxing)
    key = str(uuid.uuid4())
    first = submit(client, page, answers(page), key)
    page.closes_at = timezone.now() - datetime.timedelta(minutes=1)
    page.save_revision().publish()
    again = submit(client, page, answers(page), key)
    assert again.status_code == 201 and again.json() == first.json()
    assert submit(client, page, answers(page), str(uuid.uuid4())).status_code == 409


def test_keys_are_per_form(client, yinxing, xinghua):
    page = make_form(yinxing)
    other = make_form(xinghua)
    key = str(uuid.uuid4())
    assert submit(client, page, answers(page), key).status_code == 201
    assert submit(client, other, answers(other), key).status_code == 201
    assert stored(page) == stored(other) == 1


def test_keys_are_not_per_client_address(client, yinxing):
    """A phone that moves from Wi-Fi to 4G between two tries keeps its key."""
    page = make_form(yinxing)
    key = str(uuid.uuid4())
    url = f"/api/v3/forms/{page.pk}/submissions/"
    body = {"answers": answers(page)}
    for address in ("10.0.0.1", "10.0.0.2"):
        response = client.post(
            url, body, content_type="application/json", REMOTE_ADDR=address,
            headers={"Idempotency-Key": key},
        )  # fmt: skip
        assert response.status_code == 201
    assert stored(page) == 1


def test_without_a_key_every_post_is_a_new_answer(client, yinxing):
    page = make_form(yinxing)
    assert submit(client, page, answers(page)).status_code == 201
    assert submit(client, page, answers(page)).status_code == 201
    assert stored(page) == 2 and not AnswerReceipt.objects.exists()


def test_receipts_past_their_time_are_purged_and_the_key_then_stores_anew(client, yinxing):
    page = make_form(yinxing)
    key = str(uuid.uuid4())
    submit(client, page, answers(page), key)
    submit(client, page, answers(page), "kept")
    AnswerReceipt.objects.filter(key=key).update(
        created_at=timezone.now() - datetime.timedelta(hours=24, minutes=1)
    )
    call_command("purge_answer_receipts", stdout=mock.MagicMock())
    assert list(AnswerReceipt.objects.values_list("key", flat=True)) == ["kept"]
    assert submit(client, page, answers(page), key).status_code == 201
    assert stored(page) == 3


def test_an_expired_receipt_not_yet_purged_is_not_replayed(client, yinxing):
    page = make_form(yinxing)
    key = str(uuid.uuid4())
    first = submit(client, page, answers(page), key)
    AnswerReceipt.objects.update(created_at=timezone.now() - datetime.timedelta(hours=25))
    again = submit(client, page, answers(page), key)
    assert again.status_code == 201 and again.json() != first.json()
    assert stored(page) == 2 and AnswerReceipt.objects.count() == 1


def test_a_receipt_keeps_no_answer_only_a_digest(client, yinxing):
    page = make_form(yinxing)
    submit(client, page, answers(page), "k1")
    receipt = AnswerReceipt.objects.get()
    assert "13812341234" not in str(receipt.__dict__)
    assert re.fullmatch(r"[0-9a-f]{64}", receipt.digest)


# --- the site's form: a one-time token ----------------------------------------------------------


def token_of(response) -> str:
    match = re.search(r'name="answer_token" value="([^"]+)"', response.content.decode())
    assert match, "the form carries no one-time token"
    return match.group(1)


def page_post(client, page, data, token):
    names = field_names(page)
    body = {names.get(k, k): v for k, v in data.items()}
    if token is not None:
        body[TOKEN_FIELD] = token
    return client.post(page.url, body)


def test_each_rendering_of_the_form_carries_its_own_token_and_is_never_page_cached(
    client, yinxing, settings
):
    settings.PAGE_CACHE_SECONDS = 300
    page = make_form(yinxing)
    first, second = client.get(page.url), client.get(page.url)
    assert token_of(first) != token_of(second)
    assert second.get("X-Page-Cache") != "hit"


def test_double_submit_stores_one_answer_and_shows_the_same_thank_you_page(client, yinxing):
    page = make_form(yinxing)
    token = token_of(client.get(page.url))
    first = page_post(client, page, ANSWER, token)
    again = page_post(client, page, ANSWER, token)
    assert first.status_code == again.status_code == 200
    assert "已收到" in first.content.decode() and "已收到" in again.content.decode()
    assert stored(page) == 1


def test_a_page_replay_is_not_counted_by_the_rate_limit(client, yinxing, settings):
    settings.FORM_RATE_LIMIT = (1, 3600)
    page = make_form(yinxing)
    token = token_of(client.get(page.url))
    page_post(client, page, ANSWER, token)
    again = page_post(client, page, ANSWER, token)
    assert again.status_code == 200 and "已收到" in again.content.decode()
    assert RateCounter.objects.get().count == 1


def test_token_reused_for_a_different_answer_is_refused_and_the_new_answer_kept_on_screen(
    client, yinxing
):
    page = make_form(yinxing)
    token = token_of(client.get(page.url))
    page_post(client, page, ANSWER, token)
    changed = page_post(client, page, {**ANSWER, "您的建议": "路灯坏了三盏。"}, token)
    html = changed.content.decode()
    assert "您已从这个页面提交过一份回答" in html and "路灯坏了三盏。" in html
    assert stored(page) == 1
    # Sent again from the page just shown (its new token), it is a second answer.
    resent = page_post(client, page, {**ANSWER, "您的建议": "路灯坏了三盏。"}, token_of(changed))
    assert "已收到" in resent.content.decode()
    assert stored(page) == 2


@pytest.mark.parametrize(
    "forged", ["", "abc", "12.xyz:1abc:forged"], ids=["empty", "junk", "forged"]
)
def test_token_not_issued_by_us_is_refused_clearly_and_nothing_typed_is_lost(
    client, yinxing, forged
):
    page = make_form(yinxing)
    response = page_post(client, page, ANSWER, forged)
    html = response.content.decode()
    assert response.status_code == 200 and "表单页面已失效" in html
    assert ANSWER["您的建议"] in html and ANSWER["手机号码"] in html
    assert stored(page) == 0 and not AnswerReceipt.objects.exists()
    assert "已收到" in page_post(client, page, ANSWER, token_of(response)).content.decode()


def test_token_of_another_form_is_refused(client, yinxing, xinghua):
    page = make_form(yinxing)
    other = make_form(xinghua)
    response = page_post(client, page, ANSWER, token_of(client.get(other.url)))
    assert "表单页面已失效" in response.content.decode()
    assert stored(page) == stored(other) == 0


def test_token_older_than_the_receipts_replays_its_answer_but_never_stores_a_new_one(
    client, yinxing
):
    page = make_form(yinxing)
    token = token_of(client.get(page.url))
    page_post(client, page, ANSWER, token)
    later = timezone.now().timestamp() + 25 * 3600
    with mock.patch("time.time", return_value=later):
        again = page_post(client, page, ANSWER, token)
        assert "已收到" in again.content.decode()  # its receipt is still there: the thank-you
        stale = token_of(client.get(page.url))
    old = token_of(client.get(page.url))
    with mock.patch("time.time", return_value=later):
        refused = page_post(client, page, ANSWER, old)
        assert "表单页面已失效" in refused.content.decode()
        assert "已收到" in page_post(client, page, ANSWER, stale).content.decode()
    assert stored(page) == 2


def test_a_post_without_a_token_is_taken_as_before(client, yinxing):
    page = make_form(yinxing)
    assert "已收到" in page_post(client, page, ANSWER, None).content.decode()
    assert stored(page) == 1 and not AnswerReceipt.objects.exists()
