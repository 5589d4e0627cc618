"""Where uploaded files go, and what an editor is told when they cannot go there (docs/deployment.md).

An upload that the store refuses (disk full, read-only, an object store out of reach) must be a
clear Chinese message on the upload form, with nothing left behind: no partial file under
MEDIA_ROOT and no image or document row pointing at nothing. The storages raise `StoreError`
instead of an OSError or a client library's exception; the admin's image and document forms
(cms/forms.py) write the file while they validate and turn a `StoreError` into an error of the
file field, so Wagtail's upload views (single, multiple and the choosers') show it and create
nothing. The S3 storage is cms/storage_s3.py.
"""

import errno
import os
import tempfile
from contextlib import suppress

from django.core.files import File
from django.core.files.storage import FileSystemStorage
from django.http import HttpResponse
from wagtail.api.v3.errors import problem_response

FULL = "full"
READ_ONLY = "read_only"
UNREACHABLE = "unreachable"
FAILED = "failed"

MESSAGES = {
    FULL: ("文件没有保存：存储空间已满。请联系系统管理员清理或扩容后再上传。"),
    READ_ONLY: ("文件没有保存：文件存储目前只读，不能写入。请联系系统管理员。"),
    UNREACHABLE: ("文件没有保存：暂时连不上文件存储。请稍后再上传；一直不行请联系系统管理员。"),
    FAILED: ("文件没有保存：文件存储出错。请稍后再上传；一直不行请联系系统管理员。"),
}

_ERRNO_KINDS = {
    errno.ENOSPC: FULL,
    errno.EDQUOT: FULL,
    errno.EFBIG: FULL,
    errno.EROFS: READ_ONLY,
    errno.EACCES: READ_ONLY,
    errno.EPERM: READ_ONLY,
}


class StoreError(Exception):
    """The store did not take (or give back) a file; `kind` picks the message for the editor."""

    def __init__(self, kind: str, detail: str = ""):
        super().__init__(f"{kind}: {detail}" if detail else kind)
        self.kind = kind

    @property
    def message(self) -> str:
        return MESSAGES[self.kind]

    @classmethod
    def from_os_error(cls, error: OSError) -> "StoreError":
        return cls(_ERRNO_KINDS.get(error.errno, FAILED), str(error))


class _Written(File):
    """A file already written next to its destination: Django's FileSystemStorage renames it."""

    def __init__(self, path: str):
        super().__init__(None, os.path.basename(path))
        self._path = path

    def temporary_file_path(self) -> str:
        return self._path


def _write_chunks(out, content) -> None:
    for chunk in content.chunks():
        out.write(chunk.encode() if isinstance(chunk, str) else chunk)


class MediaFileSystemStorage(FileSystemStorage):
    """FileSystemStorage that never leaves a partial file: the bytes go to a hidden temporary file
    in the destination directory, which is renamed into place only once complete (one filesystem,
    so the rename is atomic); on any failure it is removed and a `StoreError` raised."""

    def _save(self, name, content):
        temporary = None
        try:
            directory = os.path.dirname(self.path(name))
            os.makedirs(directory, exist_ok=True)
            fd, temporary = tempfile.mkstemp(prefix=".upload-", dir=directory)
            with os.fdopen(fd, "wb") as out:
                _write_chunks(out, content)
                out.flush()
                os.fsync(out.fileno())
            return super()._save(name, _Written(temporary))
        except OSError as error:
            raise StoreError.from_os_error(error) from error
        finally:
            if temporary is not None:
                with suppress(FileNotFoundError):
                    os.unlink(temporary)


RETRY_AFTER_SECONDS = 30
_UNAVAILABLE_PAGE = (
    '<!doctype html><html lang="zh-hans"><head><meta charset="utf-8">'
    '<meta name="viewport" content="width=device-width, initial-scale=1">'
    "<title>文件暂时取不到</title></head><body><h1>文件暂时取不到</h1>"
    "<p>文件存储暂时连不上，请稍后再试。</p></body></html>"
)


class StoreErrorMiddleware:
    """A file the store cannot give back (an object store out of reach while a page, a rendition or
    a document is served) is a 503 with Retry-After, never a 500: problem+json on the API, a short
    Chinese page elsewhere."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, StoreError):
            return None
        if request.path.startswith("/api/"):
            response = problem_response(status=503, detail="文件存储暂时连不上，请稍后再试。")
        else:
            response = HttpResponse(_UNAVAILABLE_PAGE, status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
