"""Every image and document URL the API hands out is absolute, wherever it comes from: StreamField
blocks and our routers (the request's host), a page's computed fields (an experience's cover, an
agenda's update photos: API v3 gives them no request, so the site's public address,
WAGTAILADMIN_BASE_URL, as Wagtail's Rendition.full_url). A mini-program cannot resolve a path
against a site it was never told about."""

import io

import PIL.Image
import pytest
from django.core.files.base import ContentFile
from django.utils import timezone
from wagtail.documents.models import Document
from wagtail.images.models import Image

from community.models import ExperiencePage
from consultation.models import ConsultationPage, ImplementationUpdate

pytestmark = pytest.mark.django_db


def _urls(data) -> list[str]:
    if isinstance(data, dict):
        found = [v for k, v in data.items() if k == "url" and isinstance(v, str)]
        return found + [u for v in data.values() for u in _urls(v)]
    if isinstance(data, list):
        return [u for v in data for u in _urls(v)]
    return []


def _image(name):
    buf = io.BytesIO()
    PIL.Image.new("RGB", (1000, 700), "green").save(buf, "PNG")
    return Image.objects.create(title=name, file=ContentFile(buf.getvalue(), f"{name}.png"))


def test_every_media_url_in_the_api_is_absolute(client, settings, xinghua, committee_xinghua):
    experience = ExperiencePage(title="积分超市", slug="points-market", summary="以积分换物品。")
    experience.cover = _image("cover")
    experience.body = [
        ("image", {"image": _image("body"), "alt_text": "积分超市", "decorative": False})
    ]
    xinghua.add_child(instance=experience)
    experience.save_revision(user=committee_xinghua).publish()
    agenda = ConsultationPage.objects.descendant_of(xinghua).live().first()
    update = ImplementationUpdate.objects.create(
        agenda=agenda,
        date=timezone.localdate(),
        text="完工",
        photos=[("image", _image("photo"))],
        documents=[
            ("document", Document.objects.create(title="验收", file=ContentFile(b"x", "a.pdf")))
        ],
    )
    update.publish(committee_xinghua)

    responses = {
        "experience": client.get(f"/api/v3/pages/{experience.pk}/").json(),
        "agenda": client.get(f"/api/v3/pages/{agenda.pk}/").json(),
        "record": client.get(f"/api/v3/consultations/{agenda.pk}/record/").json(),
    }
    urls = {name: _urls(data) for name, data in responses.items()}
    assert len(urls["experience"]) == 2  # cover and body image
    assert len(urls["agenda"]) >= 2 and len(urls["record"]) >= 2  # photo and document
    relative = {
        name: [u for u in found if not u.startswith(("http://", "https://"))]
        for name, found in urls.items()
    }
    assert not any(relative.values()), relative
    assert all(u.startswith("http://testserver/") for u in urls["record"])
    cover = responses["experience"]["cover_image"]["url"]
    assert cover.startswith(settings.WAGTAILADMIN_BASE_URL + "/media/images/")
