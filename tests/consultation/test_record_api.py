"""The consultation record endpoint (consultation/api.py): public data only, files as URLs."""

import pytest

from consultation.models import ConsultationPage

pytestmark = pytest.mark.django_db


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
