"""Our routers in Wagtail's API v3: listed in the OpenAPI document, public data only."""

import pytest

from community.models import CovenantPage
from consultation.models import ConsultationPage
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


def test_covenant_versions_newest_first_with_vote_and_filing(client, xinghua):
    covenant = CovenantPage.objects.child_of(xinghua).get()
    data = client.get(f"/api/v3/covenants/{covenant.pk}/versions/").json()
    assert [v["label"] for v in data] == ["2023年修订", "2019年版"]
    assert [v["in_force"] for v in data] == [True, False]
    assert (
        data[0]["filing_number"] == "柳民备〔2023〕4号" and data[0]["households_represented"] == 420
    )


def test_covenant_diff_with_numbers_and_segments(client, xinghua):
    covenant = CovenantPage.objects.child_of(xinghua).get()
    new, old = client.get(f"/api/v3/covenants/{covenant.pk}/versions/").json()
    data = client.get(
        f"/api/v3/covenants/{covenant.pk}/diff/", {"from": old["id"], "to": new["id"]}
    ).json()
    assert data["summary"] == {"added": 1, "removed": 0, "changed": 1, "moved": 1}
    changed = next(c for c in data["changes"] if c["kind"] == "changed")
    assert changed["new"]["label"] == "第五条"
    assert {"op": "insert", "text": "十五"} in changed["segments"]
    moved = next(c for c in data["changes"] if c["moved"])
    assert (moved["old"]["label"], moved["new"]["label"]) == ("第六条", "第十条")


def test_diff_with_unknown_versions_is_422(client, xinghua):
    covenant = CovenantPage.objects.child_of(xinghua).get()
    response = client.get(f"/api/v3/covenants/{covenant.pk}/diff/", {"from": 999999, "to": 1})
    assert response.status_code == 422
    assert "不是这份公约已公布的版本" in response.content.decode()
    assert (
        client.get(f"/api/v3/covenants/{covenant.pk}/diff/", {"from": "x", "to": 1}).status_code
        == 422
    )


def test_draft_covenant_is_404_everywhere(client, shiqiao, committee_shiqiao):
    covenant = make_covenant(shiqiao, committee_shiqiao)
    for url in (
        f"/api/v3/covenants/{covenant.pk}/versions/",
        f"/api/v3/covenants/{covenant.pk}/diff/?from=1&to=2",
    ):
        assert client.get(url).status_code == 404


def test_consultation_record_is_public_data_only(client, xinghua):
    agenda = ConsultationPage.objects.descendant_of(xinghua).get(slug="topic-5")
    response = client.get(f"/api/v3/consultations/{agenda.pk}/record/")
    data = response.json()
    assert data["status"] == "done"
    assert [u["status"] for u in data["updates"]] == ["in_progress", "done"]
    assert data["records"][0]["opinions"][0]["speaker_category"] == "户籍居民"
    body = response.content.decode()
    assert "王秀英" not in body and "张国强" not in body and "speaker_name" not in body


def test_unpublished_record_is_not_in_the_api(client, shiqiao, committee_shiqiao):
    from django.utils import timezone

    from consultation.models import Deliberation

    agenda = ConsultationPage.objects.descendant_of(shiqiao).get(slug="topic-2")
    Deliberation.objects.create(
        agenda=agenda, held_at=timezone.now(), chair="王", recorder="周", outcome="草稿意见"
    )
    body = client.get(f"/api/v3/consultations/{agenda.pk}/record/").content.decode()
    assert "草稿意见" not in body


def test_tree_pages_serve_what_residents_see(client, xinghua):
    data = client.get(f"/api/v3/pages/{xinghua.pk}/").json()
    assert (data["households"], data["adult_residents"], data["committee_display_name"]) == (
        612,
        1686,
        "杏花村村民委员会",
    )
    assert data["public_decisions"][0]["title"] == "村集体闲置厂房对外出租"
    home = client.get(f"/api/v3/pages/{xinghua.get_parent().get_parent().pk}/").json()
    assert "清河区民政局" in home["civil_affairs_contact"]


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


def test_record_serves_update_photos_and_documents_as_urls_in_constant_queries(
    client, shiqiao, committee_shiqiao
):
    import io

    import PIL.Image
    from django.core.files.base import ContentFile
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone
    from wagtail.documents.models import Document
    from wagtail.images.models import Image

    from consultation.models import ImplementationUpdate

    agenda = ConsultationPage.objects.descendant_of(shiqiao).get(slug="topic-1")
    url = f"/api/v3/consultations/{agenda.pk}/record/"

    def add_update(n):
        buf = io.BytesIO()
        PIL.Image.new("RGB", (1200, 900), "red").save(buf, "PNG")
        image = Image.objects.create(
            title=f"照片{n}", file=ContentFile(buf.getvalue(), f"p{n}.png")
        )
        document = Document.objects.create(title=f"文件{n}", file=ContentFile(b"x", f"d{n}.pdf"))
        update = ImplementationUpdate.objects.create(
            agenda=agenda,
            date=timezone.localdate(),
            text=f"进展{n}",
            photos=[("image", image)],
            documents=[("document", document)],
        )
        update.publish(committee_shiqiao)

    def count():
        client.get(url)  # renditions are made on the first request
        with CaptureQueriesContext(connection) as queries:
            data = client.get(url).json()
        return len(queries), data

    add_update(0)
    small, data = count()
    photo = data["updates"][-1]["photos"][0]
    assert photo["url"].startswith("http://testserver/media/images/") and photo["width"] == 800
    assert data["updates"][-1]["documents"][0]["url"].endswith(".pdf")
    for n in range(1, 6):
        add_update(n)
    large, data = count()
    assert len(data["updates"]) >= 6 and large == small
