"""The answer API is for answers: JSON only, no browser post from another site's page unless its
origin is allowed, and a rate limit that forged X-Forwarded-For entries and several workers (each
with its own local-memory cache) do not get around."""

import pytest
from django.core.cache import cache
from django.test import RequestFactory

from cms.ratelimit import client_key
from consultation.models import CommunityFormSubmission, RateCounter
from tests.consultation.test_bad_text import answers
from tests.consultation.test_forms import ANSWER, make_form, post

pytestmark = pytest.mark.django_db


def url(page) -> str:
    return f"/api/v3/forms/{page.pk}/submissions/"


def submit(client, page, content_type="application/json", **headers):
    return client.post(
        url(page), {"answers": answers(page)}, content_type=content_type, headers=headers
    )


def stored(page) -> int:
    return CommunityFormSubmission.objects.filter(page=page).count()


@pytest.mark.parametrize(
    "content_type", ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data"]
)
def test_only_json_is_an_answer(client, yinxing, content_type):
    page = make_form(yinxing)
    body = '{"answers": {}}'
    response = client.post(url(page), body, content_type=content_type)
    assert response.status_code == 415
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["status"] == 415 and stored(page) == 0


@pytest.mark.parametrize(
    "headers",
    [
        {"Origin": "https://evil.example", "Sec-Fetch-Site": "cross-site"},
        {"Origin": "https://evil.example"},  # an older browser: Origin only
        {"Sec-Fetch-Site": "cross-site"},
        {"Origin": "null", "Sec-Fetch-Site": "cross-site"},  # a sandboxed frame
    ],
)
def test_a_page_of_another_site_cannot_post_answers(client, yinxing, headers):
    page = make_form(yinxing)
    response = submit(client, page, **headers)
    assert response.status_code == 403 and response.json()["status"] == 403
    assert stored(page) == 0


@pytest.mark.parametrize(
    "headers",
    [
        {},  # a mini-program, curl: no browser
        {"Origin": "http://testserver", "Sec-Fetch-Site": "same-origin"},
        {"Origin": "http://testserver"},
        {"Origin": "https://h5.example.cn", "Sec-Fetch-Site": "cross-site"},  # allowed below
    ],
)
def test_the_site_an_allowed_origin_and_clients_that_are_no_browser_may(
    client, yinxing, settings, headers
):
    settings.ANSWER_ALLOWED_ORIGINS = ["https://h5.example.cn"]
    page = make_form(yinxing)
    assert submit(client, page, **headers).status_code == 201


@pytest.mark.parametrize(
    "proxies, forwarded, client",
    [
        (0, "1.1.1.1", "10.0.0.1"),  # no proxy: the header is the client's own words
        (1, "1.1.1.1", "1.1.1.1"),
        (1, "6.6.6.6, 1.1.1.1", "1.1.1.1"),  # the client wrote 6.6.6.6 itself
        (2, "6.6.6.6, 1.1.1.1, 172.16.0.2", "1.1.1.1"),
        (2, "1.1.1.1", "1.1.1.1"),  # fewer entries than proxies: the leftmost one there is
        (1, "", "10.0.0.1"),
    ],
)
def test_the_client_is_what_the_trusted_proxies_saw(settings, proxies, forwarded, client):
    settings.TRUSTED_PROXY_COUNT = proxies
    request = RequestFactory().post("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=forwarded)
    assert client_key(request) == client


def test_forged_forwarded_entries_do_not_evade_the_limit(client, yinxing, settings):
    settings.FORM_RATE_LIMIT = (5, 600)
    settings.USE_X_FORWARDED_FOR = True  # one proxy, as deployed behind nginx
    settings.TRUSTED_PROXY_COUNT = 1
    page = make_form(yinxing)
    statuses = [
        submit(client, page, **{"X-Forwarded-For": f"9.9.9.{n}, 1.1.1.1"}).status_code
        for n in range(12)
    ]
    assert statuses == [201] * 5 + [429] * 7 and stored(page) == 5


def test_the_count_is_shared_by_workers_with_their_own_caches(client, yinxing, settings):
    """Two workers with local-memory caches see different caches: clearing it before each answer
    is what the second worker sees. The count lives in the database, so the limit holds."""
    settings.FORM_RATE_LIMIT = (5, 600)
    page = make_form(yinxing)
    statuses = []
    for _ in range(12):
        cache.clear()
        statuses.append(post(client, page, ANSWER).status_code)
    assert statuses == [200] * 5 + [429] * 7 and stored(page) == 5
    assert RateCounter.objects.get().count == 5  # the refused ones are not counted
