"""Uploaded files on an S3-compatible object store (MEDIA_STORAGE_URL, docs/deployment.md).

Aliyun OSS, Tencent COS, Huawei OBS and MinIO all speak S3, so django-storages' S3 backend serves
them all. The bucket stays private: objects are written without an ACL (the bucket's own, private,
applies) and `url()` names the app's `/media/<name>`, never the bucket, so every link to a file goes
through the check of cms/media_access.py; that view streams the object, or, with
MEDIA_PRESIGNED_SECONDS, redirects to a presigned URL valid that long, after the check. Failures of
the store become `StoreError` (cms/storage.py): a Chinese message on the upload form, a 503 when a
file cannot be read.
"""

from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError
from django.conf import settings
from django.utils.encoding import filepath_to_uri
from storages.backends.s3 import S3Storage

from cms.storage import FAILED, FULL, READ_ONLY, UNREACHABLE, StoreError

# S3 error codes that tell the editor something more useful than "the store failed".
_CODE_KINDS = {
    "AccessDenied": READ_ONLY,
    "QuotaExceeded": FULL,
    "EntityTooLarge": FULL,
    "NoSuchBucket": FAILED,
    "SlowDown": UNREACHABLE,
    "ServiceUnavailable": UNREACHABLE,
    "InternalError": UNREACHABLE,
}


def _store_error(error: Exception) -> StoreError:
    if isinstance(error, ClientError):
        code = error.response.get("Error", {}).get("Code", "")
        return StoreError(_CODE_KINDS.get(code, FAILED), str(error))
    return StoreError(UNREACHABLE, str(error))  # no answer: connection refused, timeout, DNS


class MediaS3Storage(S3Storage):
    # Two uploads named 通知.pdf are two objects (django-storages overwrites by default).
    file_overwrite = False
    default_acl = None
    querystring_auth = True

    def __init__(self, **options):
        timeouts = {
            "connect_timeout": options.pop("connect_timeout", 3),
            "read_timeout": options.pop("read_timeout", 20),
        }
        if "client_config" not in options:
            # Short timeouts and one retry: an unreachable store costs seconds, not minutes.
            options["client_config"] = Config(
                s3={"addressing_style": options.get("addressing_style")},
                signature_version=options.get("signature_version") or "s3v4",
                retries={"max_attempts": 2, "mode": "standard"},
                **timeouts,
            )
        super().__init__(**options)

    def url(self, name, parameters=None, expire=None, http_method=None):
        """The app's own URL of the file (cms/media_access.py checks every fetch)."""
        return settings.MEDIA_URL + filepath_to_uri(name)

    def presigned_url(self, name: str, seconds: int) -> str:
        """A URL of the object in the bucket, valid for `seconds`: only after the access check."""
        try:
            return super().url(name, expire=seconds)
        except (BotoCoreError, ClientError) as error:
            raise _store_error(error) from error

    def save(self, name, content, max_length=None):
        # Storage.save asks exists() for a free name before _save writes: both reach the store.
        try:
            return super().save(name, content, max_length=max_length)
        except (BotoCoreError, ClientError) as error:
            raise _store_error(error) from error

    def _open(self, name, mode="rb"):
        try:
            return super()._open(name, mode)
        except (BotoCoreError, ClientError) as error:
            raise _store_error(error) from error

    def exists(self, name):
        try:
            return super().exists(name)
        except (BotoCoreError, ClientError) as error:
            raise _store_error(error) from error

    def get_modified_time(self, name):
        try:
            return super().get_modified_time(name)
        except (BotoCoreError, ClientError) as error:
            raise _store_error(error) from error
