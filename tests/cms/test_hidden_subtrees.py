"""An unpublished or restricted community hides its whole subtree: every route of every page below it
answers 404 (or Wagtail's login/password prompt, for a restriction), it leaves every listing, search
and API endpoint, and its forms take no answers (issue 13, item 2)."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from wagtail.models import PageViewRestriction

from community.models import CovenantPage, NoticePage
from consultation.answers import API, Answers, Code, Refused, accept
from consultation.models import CommunityFormSubmission, ConsultationPage
from tests.consultation.test_forms import ANSWER, field_names, make_form, post

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()


@pytest.fixture
def subtree(xinghua):
    form = make_form(xinghua)
    return {
        "community": xinghua,
        "notice": NoticePage.objects.descendant_of(xinghua).get(slug="finance-q3"),
        "covenant": CovenantPage.objects.child_of(xinghua).get(),
        "agenda": ConsultationPage.objects.descendant_of(xinghua).get(slug="topic-5"),
        "form": form,
    }


def _hide(how, community):
    if how == "unpublished":
        community.unpublish()
    else:
        PageViewRestriction.objects.create(
            page=community, restriction_type="password", password="x"
        )


def _api_answer(client, page):
    names = field_names(page)
    answers = {names[k]: v for k, v in ANSWER.items() if k != "同意为回访使用手机号码"}
    answers[names["同意为回访使用手机号码"]] = True
    return client.post(
        f"/api/v3/forms/{page.pk}/submissions/",
        {"answers": answers},
        content_type="application/json",
    )


def _listed(client, path, pk) -> bool:
    offset = 0
    while True:
        data = client.get(path, {"limit": 20, "offset": offset}).json()
        if pk in [item["id"] for item in data["items"]]:
            return True
        offset += 20
        if offset >= data["count"]:
            return False


# Each route: how to call it. A route is hidden when it answers 404, or, below a restricted
# ancestor, Wagtail's own prompt for the password (the HTML routes) without any page's title.
ROUTES = {
    "page": lambda c, s: c.get(s["notice"].url),
    "print": lambda c, s: c.get(f"{s['notice'].url}print/"),
    "qr.png": lambda c, s: c.get(f"{s['notice'].url}qr.png"),
    "qr.svg": lambda c, s: c.get(f"{s['notice'].url}qr.svg"),
    "covenant versions": lambda c, s: c.get(f"{s['covenant'].url}versions/"),
    "agenda page": lambda c, s: c.get(s["agenda"].url),
    "form page": lambda c, s: c.get(s["form"].url),
    "api detail": lambda c, s: c.get(f"/api/v3/pages/{s['notice'].pk}/"),
    "api find": lambda c, s: c.get(
        "/api/v3/pages/find/", {"html_path": s["notice"].url_path[len("/home") :]}, follow=True
    ),
    "api covenant versions": lambda c, s: c.get(f"/api/v3/covenants/{s['covenant'].pk}/versions/"),
    "api consultation record": lambda c, s: c.get(
        f"/api/v3/consultations/{s['agenda'].pk}/record/"
    ),
    "api form schema": lambda c, s: c.get(f"/api/v3/forms/{s['form'].pk}/"),
}
PROMPTED = {"page", "print", "covenant versions", "agenda page", "form page"}


@pytest.mark.parametrize("how", ["unpublished", "restricted"])
@pytest.mark.parametrize("route", list(ROUTES))
def test_every_route_below_a_hidden_community_is_hidden(client, subtree, how, route):
    assert ROUTES[route](client, subtree).status_code == 200  # reachable before
    _hide(how, subtree["community"])
    response = ROUTES[route](client, subtree)
    if how == "restricted" and route in PROMPTED:
        body = response.content.decode()
        assert response.status_code == 200 and 'name="password"' in body
        titles = [subtree[k].title for k in ("notice", "covenant", "agenda", "form")]
        assert not [t for t in titles if t in body]
    else:
        assert response.status_code == 404, response.content[:200]


@pytest.mark.parametrize("how", ["unpublished", "restricted"])
@pytest.mark.parametrize(
    "listing",
    [
        ("notice", "/api/v3/pages/?type=community.NoticePage"),
        ("form", "/api/v3/pages/?type=consultation.CommunityFormPage"),
        ("agenda", "/api/v3/pages/"),
    ],
)
def test_pages_below_a_hidden_community_leave_the_api_listings(client, subtree, how, listing):
    key, path = listing
    assert _listed(client, path, subtree[key].pk)
    _hide(how, subtree["community"])
    assert not _listed(client, path, subtree[key].pk)


@pytest.mark.parametrize("how", ["unpublished", "restricted"])
def test_pages_below_a_hidden_community_leave_search(client, subtree, how):
    notice = subtree["notice"]
    assert notice.url in client.get("/search/", {"q": notice.title}).content.decode()
    _hide(how, subtree["community"])
    assert notice.url not in client.get("/search/", {"q": notice.title}).content.decode()


@pytest.mark.parametrize("how", ["unpublished", "restricted"])
def test_forms_below_a_hidden_community_refuse_answers(client, subtree, how):
    form = subtree["form"]
    _hide(how, subtree["community"])
    html = post(client, form, ANSWER)
    assert html.status_code in ((404,) if how == "unpublished" else (200, 302, 404))
    assert _api_answer(client, form).status_code == 404
    assert not CommunityFormSubmission.objects.filter(page=form).exists()


@pytest.mark.parametrize("how", ["unpublished", "restricted"])
def test_the_answer_pipeline_itself_refuses_a_hidden_form(subtree, how):
    """Whatever surface calls it: accept() asks whether the page can be reached."""
    form = subtree["form"]
    _hide(how, subtree["community"])
    names = field_names(form)
    data = {names[k]: v for k, v in ANSWER.items()}
    result = accept(form, Answers.from_json(data), "test-client", AnonymousUser(), API)
    assert isinstance(result, Refused) and result.code == Code.CLOSED
    assert not CommunityFormSubmission.objects.filter(page=form).exists()
