"""Our routers in Wagtail's API v3 as a whole: listed in the OpenAPI document, public data only."""

import pytest

from community.models import CovenantPage
from tests.community.covenant_helpers import make_covenant

pytestmark = pytest.mark.django_db


def test_openapi_lists_our_endpoints(client):
    doc = client.get("/api/v3/openapi.json").json()
    for path in (
        "/api/v3/covenants/{page_id}/versions/",
        "/api/v3/covenants/{page_id}/diff/",
        "/api/v3/consultations/{page_id}/record/",
    ):
        assert path in doc["paths"], path
    assert client.get("/api/v3/docs/").status_code == 200


def test_private_and_draft_pages_never_reach_anonymous_callers(
    client, xinghua, shiqiao, committee_shiqiao
):
    from wagtail.models import PageViewRestriction

    covenant = CovenantPage.objects.child_of(xinghua).get()
    PageViewRestriction.objects.create(page=covenant, restriction_type="password", password="x")
    draft = make_covenant(shiqiao, committee_shiqiao)
    for page in (covenant, draft):
        assert client.get(f"/api/v3/pages/{page.pk}/").status_code == 404
        assert client.get(f"/api/v3/covenants/{page.pk}/versions/").status_code == 404
    listing = client.get("/api/v3/pages/?type=community.CovenantPage").content.decode()
    assert f'"id": {covenant.pk},' not in listing and f'"id": {draft.pk},' not in listing
