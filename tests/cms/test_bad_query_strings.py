"""No query string (or form key) makes the site answer 500: each probe below was a server error.
The API answers 400 with problem+json; admin views answer 400 or ignore the bad filter."""

import pytest
from django.contrib.auth import get_user_model

from community.models import NoticePage

pytestmark = pytest.mark.django_db

BIG = "9" * 20

ANONYMOUS_PROBES = [
    "/api/v3/images/?search=a",
    "/api/v3/documents/?search=a",
    "/api/v3/pages/?search=%00",
    "/api/v3/pages/?search=%22",
    "/api/v3/pages/?offset=99999999999999999999",
    "/api/v3/pages/?locale=%00",
    "/api/v3/pages/?site=%00",
    "/api/v3/pages/find/?html_path=%00",
    "/experiences/?tag=%00",
]

STAFF_PROBES = [
    ("minzheng", "get", "/admin/consultation/deliberation/?held_at__gte=x", None),
    ("minzheng", "get", "/admin/community/covenantrevision/?updated_at__gte=x", None),
    ("minzheng", "get", "/admin/community/covenantrevision/?township=x", None),
    ("minzheng", "get", "/admin/consultation/deliberation/?q=%00", None),
    ("minzheng", "get", "/admin/consultation/decision/?q=%00", None),
    ("minzheng", "get", "/admin/community/covenantrevision/?q=%00", None),
    ("minzheng", "get", "/admin/api/main/pages/?search=%00", None),
    ("minzheng", "get", "/admin/choose-page/search/?q=%22", None),
    ("minzheng", "get", f"/admin/consultation/deliberation/?community={BIG}", None),
    ("minzheng", "get", f"/admin/review/audit/?community={BIG}", None),
    ("weiyuan_xinghua", "get", f"/admin/consultation/deliberation/create/?agenda={BIG}", None),
    ("minzheng", "post", "/admin/experiences/featured/", {"page": "abc", "action": "feature"}),
    ("weiyuan_xinghua", "post", "notice-edit", {"title": "x", "slug": "x"}),
]


@pytest.fixture
def as_user(client):
    def login(username):
        if username:
            client.force_login(get_user_model().objects.get(username=username))
        return client

    return login


def _is_problem(response) -> bool:
    return response["Content-Type"].startswith("application/problem+json")


@pytest.mark.parametrize(
    "username,method,url,data",
    [(None, "get", url, None) for url in ANONYMOUS_PROBES] + STAFF_PROBES,
)
def test_a_bad_query_string_is_a_client_error(as_user, xinghua, username, method, url, data):
    client = as_user(username)
    if url == "notice-edit":
        notice = NoticePage.objects.descendant_of(xinghua).first()
        url = f"/admin/pages/{notice.pk}/edit/"
    response = getattr(client, method)(url, data) if data else getattr(client, method)(url)
    assert response.status_code < 500, url
    if url.startswith("/api/") and response.status_code >= 400:
        assert _is_problem(response), response.content


@pytest.mark.parametrize(
    "url",
    [
        "/api/v3/pages/?search=%00",
        "/api/v3/pages/?locale=%00",
        "/api/v3/pages/?offset=99999999999999999999",
        "/api/v3/pages/99999999999999999999/",
        "/api/v3/images/?%00=1",
        "/api/v3/pages/?search=" + "a" * 3000,
    ],
)
def test_the_api_says_which_parameter_it_refused(client, url):
    response = client.get(url)
    assert response.status_code == 400
    assert _is_problem(response)
    assert response.json()["errors"][0]["type"] in (
        "invalid_characters",
        "out_of_range",
        "too_long",
    )


@pytest.mark.parametrize("query", ["q=%00", "q=" + "a" * 3000, "%00=1"])
def test_the_site_and_the_admin_answer_a_chinese_400_page(as_user, query):
    for client, url in [(as_user(None), "/search/"), (as_user("minzheng"), "/admin/pages/search/")]:
        response = client.get(f"{url}?{query}")
        assert response.status_code == 400
        assert "请求无法处理" in response.content.decode()


def test_a_form_field_name_with_nul_is_refused(as_user):
    client = as_user("minzheng")
    response = client.post("/admin/experiences/featured/", {"page\x00": "1"})
    assert response.status_code == 400


def test_an_ordinary_search_still_works(client):
    response = client.get("/api/v3/pages/?search=" + "停车" * 10)
    assert response.status_code == 200
