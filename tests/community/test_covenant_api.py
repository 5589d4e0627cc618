"""The covenant through Wagtail's API v3: numbered text, current version, and no publishing."""

import pytest
from wagtail.models import APIToken

from community.models import CovenantPage
from tests.community.covenant_helpers import make_covenant

pytestmark = pytest.mark.django_db


def test_api_serves_numbered_articles_and_current_version(client, xinghua):
    covenant = CovenantPage.objects.child_of(xinghua).get()
    data = client.get(f"/api/v3/pages/{covenant.pk}/").json()
    chapters = data["numbered_text"]
    assert [c["label"] for c in chapters][:2] == ["第一章", "第二章"]
    assert chapters[0]["articles"][0]["label"] == "第一条"
    assert chapters[0]["articles"][0]["html"].startswith("<p>本村规民约适用于")
    assert data["current_version"]["label"] == "2023年修订"
    assert data["current_version"]["filing_number"] == "柳民备〔2023〕4号"


def test_api_shows_the_voted_text_not_the_pending_draft(client, xinghua):
    covenant = CovenantPage.objects.child_of(xinghua).get()
    text = str(client.get(f"/api/v3/pages/{covenant.pk}/").json()["numbered_text"])
    assert "文明养犬" not in text  # in the 2026 draft awaiting its vote, not in force


def test_draft_covenant_is_not_in_the_public_api(client, shiqiao, committee_shiqiao):
    covenant = make_covenant(shiqiao, committee_shiqiao)
    assert client.get(f"/api/v3/pages/{covenant.pk}/").status_code == 404


@pytest.mark.parametrize("username", ["weiyuan_shiqiao", "root"])
def test_api_publish_action_is_refused(
    client, shiqiao, committee_shiqiao, django_user_model, username
):
    covenant = make_covenant(shiqiao, committee_shiqiao)
    if username == "root":
        django_user_model.objects.create_superuser("root", password="x")
    _token, key = APIToken.create_token(
        user=django_user_model.objects.get(username=username), name="t"
    )
    response = client.post(
        f"/api/v3/pages/{covenant.pk}/actions/publish/",
        content_type="application/json",
        data={},
        HTTP_AUTHORIZATION=f"Bearer {key}",
    )
    assert response.status_code in (403, 400), response.content
    assert not CovenantPage.objects.get(pk=covenant.pk).live
