"""An upload the media disk refuses (issue 18, item 6): full, read-only, or a storage that raises.
Every Wagtail upload view answers with a Chinese message on its form, creates no image or document,
and leaves no file behind (no 0-byte file, no partial one), never a 500.

Full and read-only are real where the suite runs as root (CI): a 16 KiB tmpfs mounted on MEDIA_ROOT
is full, the same tmpfs remounted read-only is read-only (chmod 0555 would not stop root). As
another user, a read-only directory is chmod 0555, and the full disk is skipped (no mount).
"""

import errno
import io
import os
import subprocess
from pathlib import Path

import PIL.Image
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from wagtail.documents.models import Document
from wagtail.images.models import Image

from cms import storage
from cms.storage import MESSAGES, MediaFileSystemStorage
from community.models import Role

pytestmark = pytest.mark.django_db


def _png(size=(200, 200)) -> bytes:
    buf = io.BytesIO()
    PIL.Image.frombytes("RGB", size, os.urandom(size[0] * size[1] * 3)).save(buf, "PNG")
    return buf.getvalue()


def _files(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


@pytest.fixture
def editor(client, committee_xinghua, xinghua):
    client.force_login(committee_xinghua)
    return Role.objects.get(kind=Role.Kind.COMMITTEE, page=xinghua).collection


def _upload_image(client, collection, multiple=False):
    data = _png()
    if multiple:
        upload = SimpleUploadedFile("公示照片.png", data, "image/png")
        return client.post(
            "/admin/images/multiple/add/", {"files[]": upload, "collection": collection.pk}
        )
    upload = SimpleUploadedFile("公示照片.png", data, "image/png")
    return client.post(
        "/admin/images/add/", {"title": "公示照片", "file": upload, "collection": collection.pk}
    )


def _upload_document(client, collection, multiple=False):
    upload = SimpleUploadedFile("低保名单.txt", b"x" * 64 * 1024, "text/plain")
    if multiple:
        return client.post(
            "/admin/documents/multiple/add/", {"files[]": upload, "collection": collection.pk}
        )
    return client.post(
        "/admin/documents/add/", {"title": "低保名单", "file": upload, "collection": collection.pk}
    )


UPLOADS = [
    pytest.param(_upload_image, Image, False, id="image"),
    pytest.param(_upload_image, Image, True, id="image-multiple"),
    pytest.param(_upload_document, Document, False, id="document"),
    pytest.param(_upload_document, Document, True, id="document-multiple"),
]


def _assert_refused(response, model, before: int, message: str, media: Path):
    assert response.status_code == 200
    if response["Content-Type"].startswith("application/json"):
        assert response.json() == {"success": False, "error_message": message}
    else:
        assert message in response.content.decode()
    assert model.objects.count() == before
    if media.exists():
        assert _files(media) == []


@pytest.mark.parametrize(("upload", "model", "multiple"), UPLOADS)
def test_an_upload_to_a_storage_that_raises_enospc_is_refused_in_chinese(
    client, editor, settings, upload, model, multiple
):
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": f"{__name__}.FullStorage"}}
    before = model.objects.count()
    response = upload(client, editor, multiple)
    _assert_refused(response, model, before, MESSAGES[storage.FULL], Path(settings.MEDIA_ROOT))


class FullStorage(MediaFileSystemStorage):
    """A storage that is not ours to clean up after: its _save raises the OSError itself."""

    def _save(self, name, content):
        raise OSError(errno.ENOSPC, "No space left on device")


@pytest.mark.parametrize(("upload", "model", "multiple"), UPLOADS)
def test_a_disk_that_fills_up_mid_write_leaves_no_partial_file(
    client, editor, settings, monkeypatch, upload, model, multiple
):
    def half_then_full(out, content):
        out.write(next(iter(content.chunks()))[:1000])
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(storage, "_write_chunks", half_then_full)
    before = model.objects.count()
    response = upload(client, editor, multiple)
    media = Path(settings.MEDIA_ROOT)
    _assert_refused(response, model, before, MESSAGES[storage.FULL], media)
    assert media.exists()  # the directories were made: the write itself failed


def _mount_tmpfs(target: Path, size: str) -> bool:
    if os.geteuid() != 0:
        return False
    target.mkdir(parents=True, exist_ok=True)
    return (
        subprocess.run(
            ["mount", "-t", "tmpfs", "-o", f"size={size},mode=755", "tmpfs", str(target)],
            capture_output=True,
        ).returncode
        == 0
    )


@pytest.fixture
def full_media(settings):
    media = Path(settings.MEDIA_ROOT)
    if not _mount_tmpfs(media, "16k"):
        pytest.skip("a full disk needs a tmpfs mount (root)")
    yield media
    subprocess.run(["umount", "-l", str(media)], check=True)


@pytest.fixture
def read_only_media(settings):
    media = Path(settings.MEDIA_ROOT)
    if _mount_tmpfs(media, "1m"):
        subprocess.run(["mount", "-o", "remount,ro", str(media)], check=True)
        yield media
        subprocess.run(["umount", "-l", str(media)], check=True)
        return
    if os.geteuid() == 0:
        pytest.skip("root without mount: no real read-only directory")
    media.mkdir(parents=True)
    media.chmod(0o555)
    yield media
    media.chmod(0o755)


@pytest.mark.parametrize(("upload", "model", "multiple"), UPLOADS)
def test_an_upload_to_a_full_disk_is_refused_and_leaves_nothing(
    client, editor, full_media, upload, model, multiple
):
    before = model.objects.count()
    response = upload(client, editor, multiple)
    _assert_refused(response, model, before, MESSAGES[storage.FULL], full_media)
    assert _files(full_media) == []
    assert list(full_media.rglob(".upload-*")) == []


@pytest.mark.parametrize(("upload", "model", "multiple"), UPLOADS)
def test_an_upload_to_a_read_only_disk_is_refused_and_leaves_nothing(
    client, editor, read_only_media, upload, model, multiple
):
    before = model.objects.count()
    response = upload(client, editor, multiple)
    _assert_refused(response, model, before, MESSAGES[storage.READ_ONLY], read_only_media)
    assert _files(read_only_media) == []


@pytest.mark.parametrize(("upload", "model", "multiple"), UPLOADS)
def test_an_upload_that_fits_is_stored_with_no_temporary_file_left(
    client, editor, settings, upload, model, multiple
):
    before = model.objects.count()
    response = upload(client, editor, multiple)
    assert response.status_code in (200, 302)
    assert model.objects.count() == before + 1
    stored = model.objects.latest("pk")
    media = Path(settings.MEDIA_ROOT)
    assert stored.file.name in _files(media)
    assert [f for f in _files(media) if ".upload-" in f] == []
    assert (media / stored.file.name).stat().st_size == stored.file_size > 0
