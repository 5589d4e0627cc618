"""Files of drafts are private (issue 13, item 1): a file no reachable page refers to is served by no
URL to anyone outside its community's scope; committees list and choose only their own collection,
reviewers and district staff read their scope without changing it."""

import io

import PIL.Image
import pytest
from django.core.cache import cache
from django.core.files.base import ContentFile
from wagtail.documents.models import Document
from wagtail.images.models import Image
from wagtail.models import PageViewRestriction

from community.models import ExperiencePage, NoticeIndexPage, NoticePage, Role

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_cached_renditions():
    """Wagtail caches renditions by image id; ids come back after each test's rollback."""
    cache.clear()


def _png(name="x.png") -> ContentFile:
    buf = io.BytesIO()
    PIL.Image.new("RGB", (40, 30), "red").save(buf, "PNG")
    return ContentFile(buf.getvalue(), name=name)


def _collection(community):
    return Role.objects.get(kind=Role.Kind.COMMITTEE, page=community).collection


@pytest.fixture
def draft(xinghua, committee_xinghua, django_capture_on_commit_callbacks):
    """A draft notice of 杏花村 with its 低保 list attached, uploaded into 杏花村's collection."""
    with django_capture_on_commit_callbacks(execute=True):
        document = Document.objects.create(
            title="低保名单",
            file=ContentFile(b"%PDF secret", "dibao.pdf"),
            collection=_collection(xinghua),
            uploaded_by_user=committee_xinghua,
        )
        board = NoticeIndexPage.objects.child_of(xinghua).get()
        notice = NoticePage(
            title="低保公示", slug="dibao", live=False, attachments=[("document", document)]
        )
        board.add_child(instance=notice)
        notice.save_revision(user=committee_xinghua)
    return {"document": document, "notice": notice}


def _publish(page, user, callbacks):
    with callbacks(execute=True):
        page.get_latest_revision().publish(user=user)
    page.refresh_from_db()


def _media(document) -> str:
    return f"/media/{document.file.name}"


def test_a_draft_attachment_is_served_only_while_its_page_is_reachable(
    client, draft, committee_xinghua, xinghua, django_capture_on_commit_callbacks
):
    document, notice = draft["document"], draft["notice"]
    assert client.get(document.url).status_code == 404
    assert client.get(_media(document)).status_code == 404
    _publish(notice, committee_xinghua, django_capture_on_commit_callbacks)
    response = client.get(document.url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == b"%PDF secret"
    response = client.get(_media(document))
    assert response.status_code == 200 and b"".join(response.streaming_content) == b"%PDF secret"
    with django_capture_on_commit_callbacks(execute=True):
        notice.unpublish()
    assert client.get(document.url).status_code == 404
    assert client.get(_media(document)).status_code == 404


def test_a_published_attachment_goes_private_with_its_community(
    client, draft, committee_xinghua, xinghua, django_capture_on_commit_callbacks
):
    document = draft["document"]
    _publish(draft["notice"], committee_xinghua, django_capture_on_commit_callbacks)
    assert client.get(document.url).status_code == 200
    restriction = PageViewRestriction.objects.create(
        page=xinghua, restriction_type="password", password="x"
    )
    assert client.get(document.url).status_code == 404
    restriction.delete()
    xinghua.unpublish()
    assert client.get(document.url).status_code == 404
    assert client.get(_media(document)).status_code == 404


def test_only_known_files_are_served_from_media(client, settings, draft):
    assert client.get("/media/../cms/settings.py").status_code == 404
    assert client.get("/media/other/whatever.txt").status_code == 404


def _chooser(client) -> str:
    return client.get("/admin/documents/chooser/").json()["html"]


def _admin_listing(client, kind) -> list[str]:
    return [item["title"] for item in client.get(f"/admin/api/main/{kind}/").json()["items"]]


def test_another_committee_cannot_list_choose_or_fetch_a_draft_file(
    client, draft, committee_shiqiao, yinxing
):
    document = draft["document"]
    for user in (committee_shiqiao, yinxing_committee(yinxing)):
        client.force_login(user)
        assert "低保名单" not in _admin_listing(client, "documents")
        assert "低保名单" not in _chooser(client)
        assert "低保名单" not in client.get("/admin/documents/").content.decode()
        assert "低保名单" not in client.get("/api/v3/documents/").content.decode()
        assert client.get(document.url).status_code == 404
        assert client.get(_media(document)).status_code == 404


def yinxing_committee(yinxing):
    return Role.objects.get(kind=Role.Kind.COMMITTEE, page=yinxing).group.user_set.first()


def test_the_committee_works_with_its_own_draft_files(client, draft, committee_xinghua):
    document = draft["document"]
    client.force_login(committee_xinghua)
    assert "低保名单" in _admin_listing(client, "documents")
    assert "低保名单" in _chooser(client)
    assert client.get(document.url).status_code == 200
    assert client.get(_media(document)).status_code == 200
    assert client.get(f"/admin/documents/edit/{document.pk}/").status_code == 200


@pytest.mark.parametrize("reader", ["reviewer_liuxi", "district_staff"])
def test_reviewers_and_district_staff_read_their_scope_without_changing_it(
    client, draft, reader, request
):
    document = draft["document"]
    client.force_login(request.getfixturevalue(reader))
    assert "低保名单" in _admin_listing(client, "documents")
    assert client.get(document.url).status_code == 200
    assert client.get(_media(document)).status_code == 200
    assert client.get(f"/admin/documents/edit/{document.pk}/").status_code in (302, 403)
    assert client.get(f"/admin/documents/delete/{document.pk}/").status_code in (302, 403)
    client.post(f"/admin/documents/delete/{document.pk}/")
    assert Document.objects.filter(pk=document.pk).exists()


def test_a_reviewer_of_another_township_sees_nothing(client, draft, reviewer_dongcheng):
    document = draft["document"]
    client.force_login(reviewer_dongcheng)
    assert "低保名单" not in _admin_listing(client, "documents")
    assert client.get(document.url).status_code == 404
    assert client.get(_media(document)).status_code == 404


def _experience(community, user, images, callbacks, slug="photos"):
    with callbacks(execute=True):
        page = ExperiencePage(title="照片墙", slug=slug, summary="做法", live=False)
        page.body = [
            ("image", {"image": image, "alt_text": image.title, "decorative": False})
            for image in images
        ]
        community.add_child(instance=page)
        page.save_revision(user=user)
    return page


def _images(community, user, n, prefix):
    return [
        Image.objects.create(
            title=f"{prefix}{i}",
            file=_png(f"{prefix}{i}.png"),
            collection=_collection(community),
            uploaded_by_user=user,
        )
        for i in range(n)
    ]


def test_images_and_renditions_follow_their_page(
    client, xinghua, committee_xinghua, django_capture_on_commit_callbacks
):
    image = _images(xinghua, committee_xinghua, 1, "img")[0]
    page = _experience(xinghua, committee_xinghua, [image], django_capture_on_commit_callbacks)
    rendition = image.get_rendition("width-20")
    urls = [f"/media/{image.file.name}", rendition.url]
    assert [client.get(u).status_code for u in urls] == [404, 404]
    assert client.get("/admin/api/main/images/").status_code in (302, 401, 403)
    _publish(page, committee_xinghua, django_capture_on_commit_callbacks)
    html = client.get(page.url).content.decode()
    rendered = [u for u in html.split('src="')[1:] if u.startswith("/media/images/")]
    assert rendered, "the page renders its image from /media/"
    assert client.get(rendered[0].split('"')[0]).status_code == 200
    assert [client.get(u).status_code for u in urls] == [200, 200]
    with django_capture_on_commit_callbacks(execute=True):
        page.unpublish()
    assert [client.get(u).status_code for u in urls] == [404, 404]


def test_the_check_costs_the_same_for_a_page_of_20_images(
    client,
    xinghua,
    committee_xinghua,
    django_capture_on_commit_callbacks,
    django_assert_max_num_queries,
):
    """Serving a page does no check per image; serving one image file is a fixed handful of queries."""
    counts = {}
    for n in (1, 20):
        images = _images(xinghua, committee_xinghua, n, f"n{n}-")
        page = _experience(
            xinghua, committee_xinghua, images, django_capture_on_commit_callbacks, slug=f"p{n}"
        )
        _publish(page, committee_xinghua, django_capture_on_commit_callbacks)
        client.get(page.url)  # renditions made once
        with django_assert_max_num_queries(40) as page_queries:
            assert client.get(page.url).status_code == 200
        url = images[-1].get_rendition("width-800").url
        with django_assert_max_num_queries(5) as file_queries:
            assert client.get(url).status_code == 200
        counts[n] = (len(page_queries), len(file_queries))
    assert counts[1] == counts[20], counts
