"""A 422 from the API (our routers and Wagtail's endpoints) is problem+json with type, title and
status, and each refused parameter has a code, where it is, and a message in Chinese (issue 15)."""

import pytest

from community.models import CovenantPage
from consultation.models import CommunityFormPage

pytestmark = pytest.mark.django_db


def _problem(response, status=422) -> dict:
    assert response.status_code == status
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["type"] and body["title"] and body["status"] == status
    assert not body["detail"].isascii()
    return body


def _errors(body) -> dict:
    """loc → (code, message); every message in Chinese."""
    for error in body["errors"]:
        assert error["code"] and not error["msg"].isascii(), error
        assert error["message"] == error["msg"] and error["field"] == error["loc"][-1]
    return {tuple(e["loc"]): (e["code"], e["msg"]) for e in body["errors"]}


@pytest.fixture
def covenant(xinghua):
    return CovenantPage.objects.child_of(xinghua).get()


@pytest.mark.parametrize(
    ("query", "loc", "code"),
    [
        ({"from": "abc", "to": "1"}, ("query", "from"), "int_parsing"),
        ({"from": "１２", "to": "x"}, ("query", "to"), "int_parsing"),
        ({"to": "1"}, ("query", "from"), "missing"),
        ({"from": "0", "to": "1"}, ("query", "from"), "greater_than_equal"),
        ({"from": "=1+1", "to": "1"}, ("query", "from"), "int_parsing"),
    ],
)
def test_a_bad_diff_parameter_is_named_with_a_code_in_chinese(client, covenant, query, loc, code):
    body = _problem(client.get(f"/api/v3/covenants/{covenant.pk}/diff/", query))
    assert _errors(body)[loc][0] == code


def test_a_version_of_another_covenant_is_refused_by_field(client, covenant):
    known = covenant.versions().first().pk
    body = _problem(
        client.get(f"/api/v3/covenants/{covenant.pk}/diff/", {"from": known, "to": 99999})
    )
    errors = _errors(body)
    assert errors[("query", "to")][0] == "unknown_version" and "99999" in errors[("query", "to")][1]


def test_a_bad_path_id_and_wagtails_own_parameters_answer_alike(client):
    assert (
        _errors(_problem(client.get("/api/v3/covenants/abc/versions/")))[("path", "page_id")][0]
        == "int_parsing"
    )
    assert (
        _errors(_problem(client.get("/api/v3/pages/", {"limit": "abc"})))[("query", "limit")][0]
        == "int_parsing"
    )


def test_a_refused_answer_is_problem_json_with_a_code_per_field(client, xinghua):
    form = CommunityFormPage.objects.descendant_of(xinghua).live().first()
    url = f"/api/v3/forms/{form.pk}/submissions/"
    body = _problem(client.post(url, {"answers": 3}, content_type="application/json"))
    assert _errors(body)[("body", "payload", "answers")][0] == "dict_type"
    body = _problem(client.post(url, {"answers": {}}, content_type="application/json"))
    assert body["code"] and body["errors"]
    assert all(e["code"] == "required" and e["field"] and e["message"] for e in body["errors"])
