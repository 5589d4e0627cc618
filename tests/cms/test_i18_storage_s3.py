"""Media on an S3-compatible object store (issue 18, item 6), against a real S3 server on loopback:
moto's server (`python -m moto.server`, from the dev extra), started once for this module.

Uploads go through Wagtail's own admin views; the bucket stays private (no object carries a public
grant, and no link names the bucket); files of drafts are refused to anonymous callers and served
to their committee, streamed by the app or, with MEDIA_PRESIGNED_SECONDS, through a presigned
redirect issued only after the check; a store out of reach is a Chinese message on the upload form
(no row) and a 503 when a file is fetched, never a 500.
"""

import io
import os
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import boto3
import PIL.Image
import pytest
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.core.files.uploadedfile import SimpleUploadedFile
from wagtail.documents.models import Document
from wagtail.images.models import Image

from cms import settings as project_settings
from cms.storage import MESSAGES, UNREACHABLE
from community.models import NoticeIndexPage, NoticePage, Role

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]
PUBLIC_GROUPS = {
    "http://acs.amazonaws.com/groups/global/AllUsers",
    "http://acs.amazonaws.com/groups/global/AuthenticatedUsers",
}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def s3_endpoint():
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 30
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            if time.monotonic() > deadline or server.poll() is not None:
                server.kill()
                pytest.fail("moto's S3 server did not start")
            time.sleep(0.1)
    yield f"http://127.0.0.1:{port}"
    server.terminate()
    server.wait(timeout=10)


def _url(endpoint: str, bucket: str) -> str:
    return f"s3://testkey:test%2Fsecret@{bucket}/gongzhi?endpoint_url={endpoint}&region=cn-north-1&addressing_style=path"


@pytest.fixture
def bucket(s3_endpoint, settings):
    """A fresh private bucket, the default storage of this test (as MEDIA_STORAGE_URL sets it)."""
    name = f"media-{uuid.uuid4().hex[:12]}"
    client = boto3.client(
        "s3",
        endpoint_url=s3_endpoint,
        region_name="cn-north-1",
        aws_access_key_id="testkey",
        aws_secret_access_key="test/secret",
    )
    client.create_bucket(
        Bucket=name, CreateBucketConfiguration={"LocationConstraint": "cn-north-1"}
    )
    settings.STORAGES = {
        **settings.STORAGES,
        "default": project_settings._media_storage(_url(s3_endpoint, name)),
    }
    cache.clear()  # Wagtail caches renditions by image id; ids come back after each rollback
    return {"name": name, "client": client}


def _keys(bucket) -> list[str]:
    listing = bucket["client"].list_objects_v2(Bucket=bucket["name"])
    return sorted(entry["Key"] for entry in listing.get("Contents", []))


def _png() -> bytes:
    buf = io.BytesIO()
    PIL.Image.new("RGB", (320, 240), "green").save(buf, "PNG")
    return buf.getvalue()


@pytest.fixture
def collection(xinghua):
    return Role.objects.get(kind=Role.Kind.COMMITTEE, page=xinghua).collection


def _read(response) -> bytes:
    return b"".join(response.streaming_content)


def test_media_storage_url_names_bucket_prefix_credentials_endpoint_and_region():
    options = project_settings._media_storage(
        "s3://AKID:se%2Fcret@gongzhi-media/site?endpoint_url=https://oss-cn-hangzhou.aliyuncs.com"
        "&region=cn-hangzhou&addressing_style=virtual&connect_timeout=2"
    )
    assert options == {
        "BACKEND": "cms.storage_s3.MediaS3Storage",
        "OPTIONS": {
            "bucket_name": "gongzhi-media",
            "location": "site",
            "access_key": "AKID",
            "secret_key": "se/cret",
            "region_name": "cn-hangzhou",
            "connect_timeout": 2.0,
            "endpoint_url": "https://oss-cn-hangzhou.aliyuncs.com",
            "addressing_style": "virtual",
        },
    }
    assert project_settings._media_storage("") == {"BACKEND": "cms.storage.MediaFileSystemStorage"}
    for bad in ("http://bucket", "s3://", "s3://bucket?acl=public-read"):
        with pytest.raises(ImproperlyConfigured):
            project_settings._media_storage(bad)


def test_an_image_uploaded_in_the_admin_lands_in_the_bucket_with_its_rendition(
    client, bucket, collection, committee_xinghua
):
    client.force_login(committee_xinghua)
    data = _png()
    response = client.post(
        "/admin/images/add/",
        {
            "title": "公示栏照片",
            "file": SimpleUploadedFile("gongshi.png", data, "image/png"),
            "collection": collection.pk,
        },
    )
    assert response.status_code == 302
    image = Image.objects.get(title="公示栏照片")
    assert (image.width, image.height, image.file_size) == (320, 240, len(data))
    key = f"gongzhi/{image.file.name}"
    assert key in _keys(bucket)
    body = bucket["client"].get_object(Bucket=bucket["name"], Key=key)["Body"].read()
    assert body == data

    rendition = image.get_rendition("fill-100x100")
    assert f"gongzhi/{rendition.file.name}" in _keys(bucket)
    assert rendition.url == f"/media/{rendition.file.name}"  # the app's URL, never the bucket's

    # No page uses the image yet: private to its committee.
    assert client.get(rendition.url).status_code == 200
    assert _read(client.get(image.file.url)) == data
    client.logout()
    assert client.get(rendition.url).status_code == 404
    assert client.get(image.file.url).status_code == 404

    for stored in (image.file.name, rendition.file.name):
        grants = bucket["client"].get_object_acl(Bucket=bucket["name"], Key=f"gongzhi/{stored}")
        assert not {g["Grantee"].get("URI") for g in grants["Grants"]} & PUBLIC_GROUPS


@pytest.fixture
def draft_document(client, bucket, collection, committee_xinghua, xinghua):
    """A 低保 list uploaded through Wagtail's multiple upload, attached to a draft notice."""
    client.force_login(committee_xinghua)
    response = client.post(
        "/admin/documents/multiple/add/",
        {
            "files[]": SimpleUploadedFile("dibao.pdf", b"%PDF secret", "application/pdf"),
            "collection": collection.pk,
        },
    )
    assert response.json()["success"] is True
    document = Document.objects.get(pk=response.json()["doc_id"])
    board = NoticeIndexPage.objects.child_of(xinghua).get()
    notice = NoticePage(
        title="低保公示", slug="dibao-s3", live=False, attachments=[("document", document)]
    )
    board.add_child(instance=notice)
    notice.save_revision(user=committee_xinghua)
    client.logout()
    return {"document": document, "notice": notice}


def test_a_draft_document_in_the_bucket_is_refused_anonymously_and_served_to_its_committee(
    client, bucket, draft_document, committee_xinghua, django_capture_on_commit_callbacks
):
    document, notice = draft_document["document"], draft_document["notice"]
    assert f"gongzhi/{document.file.name}" in _keys(bucket)
    media_url = f"/media/{document.file.name}"
    assert client.get(document.url).status_code == 404
    assert client.get(media_url).status_code == 404

    client.force_login(committee_xinghua)
    assert _read(client.get(document.url)) == b"%PDF secret"
    assert _read(client.get(media_url)) == b"%PDF secret"
    client.logout()

    with django_capture_on_commit_callbacks(execute=True):
        notice.get_latest_revision().publish(user=committee_xinghua)
    assert _read(client.get(document.url)) == b"%PDF secret"
    assert _read(client.get(media_url)) == b"%PDF secret"


def test_a_presigned_redirect_is_issued_only_after_the_check_and_expires_soon(
    client, settings, bucket, draft_document, committee_xinghua
):
    settings.MEDIA_PRESIGNED_SECONDS = 60
    media_url = f"/media/{draft_document['document'].file.name}"
    assert client.get(media_url).status_code == 404

    client.force_login(committee_xinghua)
    response = client.get(media_url)
    assert response.status_code == 302
    target = response["Location"]
    assert target.startswith(settings.STORAGES["default"]["OPTIONS"]["endpoint_url"])
    assert parse_qs(urlsplit(target).query)["X-Amz-Expires"] == ["60"]
    assert response["Cache-Control"] == "no-cache, private"
    with urllib.request.urlopen(target, timeout=10) as fetched:
        assert fetched.read() == b"%PDF secret"


@pytest.fixture
def unreachable(settings):
    """The object store's endpoint is a loopback port nobody listens on."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": project_settings._media_storage(
            _url(f"http://127.0.0.1:{_free_port()}", "gone")
        ),
    }


@pytest.mark.parametrize(
    ("url", "model", "field"),
    [
        ("/admin/images/add/", Image, "file"),
        ("/admin/images/multiple/add/", Image, "files[]"),
        ("/admin/documents/add/", Document, "file"),
        ("/admin/documents/multiple/add/", Document, "files[]"),
    ],
)
def test_an_upload_to_an_unreachable_store_is_refused_in_chinese_and_quickly(
    client, unreachable, collection, committee_xinghua, url, model, field
):
    client.force_login(committee_xinghua)
    upload = SimpleUploadedFile(
        "a.png" if model is Image else "a.pdf",
        _png() if model is Image else b"%PDF",
        "image/png" if model is Image else "application/pdf",
    )
    before = model.objects.count()
    started = time.monotonic()
    response = client.post(url, {"title": "照片", field: upload, "collection": collection.pk})
    assert time.monotonic() - started < 10
    assert response.status_code == 200
    message = MESSAGES[UNREACHABLE]
    if field == "files[]":
        assert response.json() == {"success": False, "error_message": message}
    else:
        assert message in response.content.decode()
    assert model.objects.count() == before


def test_a_file_the_store_cannot_give_back_is_a_503_not_a_500(
    client, unreachable, collection, committee_xinghua
):
    image = Image.objects.create(
        title="旧照片", file="original_images/old.png", width=10, height=10, collection=collection
    )
    client.force_login(committee_xinghua)
    response = client.get(f"/media/{image.file.name}")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "文件存储暂时连不上" in response.content.decode()


def test_the_environment_variable_switches_the_default_storage_in_a_fresh_process():
    probe = (
        "import django; django.setup(); from django.core.files.storage import storages; "
        "s = storages['default']; print(type(s).__name__, getattr(s, 'bucket_name', '-'))"
    )
    env = {k: v for k, v in os.environ.items() if k != "MEDIA_STORAGE_URL"}
    env["DJANGO_SETTINGS_MODULE"] = "cms.settings"
    plain = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert plain.stdout.split() == ["MediaFileSystemStorage", "-"], plain.stderr
    env["MEDIA_STORAGE_URL"] = (
        "s3://gongzhi-media?endpoint_url=http://127.0.0.1:9&region=cn-north-1"
    )
    s3 = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert s3.stdout.split() == ["MediaS3Storage", "gongzhi-media"], s3.stderr
