"""No query string (or form key) makes the site answer 500: each probe below was a server error.
The API answers 400 with problem+json; admin views answer 400 or ignore the bad filter."""

import pytest
from django.contrib.auth import get_user_model
from django.views import defaults

from community.models import NoticePage
from consultation.models import CommunityFormSubmission
from tests.consultation.test_forms import field_names, make_form

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


@pytest.mark.parametrize(
    "query", ["q=%00", "q=%01", "q=" + "a" * 3000, "%00=1", "q=a%ED%A0%80b", "q=%FF"]
)
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


@pytest.mark.parametrize("value", [b"a%ED%A0%80b", b"a%FF%FEb"])
def test_a_form_post_that_is_not_utf8_is_refused_and_nothing_stored(client, yinxing, value):
    """Django would decode these bytes into U+FFFD and the form would store a changed answer."""
    page = make_form(yinxing)
    name = field_names(page)["您的建议"].encode()
    before = CommunityFormSubmission.objects.count()
    response = client.post(
        page.url, data=name + b"=" + value, content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 400
    assert "请求无法处理" in response.content.decode()
    assert CommunityFormSubmission.objects.count() == before


def test_error_pages_are_chinese_and_need_no_database(client, rf, django_assert_num_queries):
    missing = client.get("/liuxi/no-such-village/")
    assert missing.status_code == 404 and "页面不存在" in missing.content.decode()
    assert 'lang="zh-Hans"' in missing.content.decode()
    with django_assert_num_queries(0):
        failed = defaults.server_error(rf.get("/"))
    assert failed.status_code == 500 and "服务器出错" in failed.content.decode()
