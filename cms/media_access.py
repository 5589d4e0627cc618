"""Who may fetch an uploaded file: one question for every way out (docs/site.md, files).

A committee uploads a notice's attachment (a 低保 list before its 公示) while the notice is a draft,
so a file is public only while something a resident can reach refers to it: a page that
cms.visibility calls reachable, or a record an app registers here (a published 落实反馈 of a
reachable agenda). "Refers to" is Wagtail's reference index (its "usage"), never our own reading
of bodies. Anyone else sees a file only inside their scope: Wagtail's collection permissions
(choose or change), which community.roles gives each role over its community's or township's
collection. The admin API lists `readable()`; the document serve view, `/media/` (originals,
renditions, documents) and the public API's image and document endpoints all ask `visible()`.
"""

import mimetypes
import posixpath
from collections.abc import Callable

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.files.storage import default_storage
from django.db.models import BigIntegerField, CharField, Model, Q, QuerySet
from django.db.models.functions import Cast
from django.http import (
    FileResponse,
    Http404,
    HttpResponse,
    HttpResponseNotModified,
    HttpResponseRedirect,
)
from django.utils.cache import patch_cache_control
from django.utils.http import http_date
from django.views.static import was_modified_since
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page, ReferenceIndex
from wagtail.permissions import policy_registry

from cms.visibility import hidden_q, reachable

# Holders of files besides pages: model → the rows of it a resident can reach, given hidden_q().
_holders: dict[type[Model], Callable[[Q], QuerySet]] = {
    Page: lambda hidden: reachable(Page.objects.all(), hidden),
}

# What the user may work with or read in the admin: Wagtail's collection permissions.
SCOPE_ACTIONS = ("choose", "change")


def register_holder(model: type[Model], public_rows: Callable[[Q], QuerySet]) -> None:
    """Files a `model` row refers to are public while the row is in `public_rows(hidden_q())`."""
    _holders[model] = public_rows


def public_ids(model: type[Model]) -> QuerySet:
    """Primary keys of `model` rows a reachable page or registered holder refers to (as integers:
    the search backends filter on `pk__in`, never on an annotation)."""
    hidden = hidden_q()
    holders = Q(pk__in=[])
    for holder, public_rows in _holders.items():
        keys = public_rows(hidden).annotate(key=Cast("pk", CharField())).values("key")
        holders |= Q(
            base_content_type=ContentType.objects.get_for_model(holder), object_id__in=keys
        )
    return (
        ReferenceIndex.objects.filter(
            holders, to_content_type=ContentType.objects.get_for_model(model)
        )
        .annotate(object_pk=Cast("to_object_id", BigIntegerField()))
        .values_list("object_pk", flat=True)
        .distinct()
    )


def readable(queryset: QuerySet, user) -> QuerySet:
    """The files of `queryset` in the user's scope (nothing for anonymous callers)."""
    policy = policy_registry.get_by_type(queryset.model)
    scope = policy.instances_user_has_any_permission_for(user, SCOPE_ACTIONS)
    return queryset.filter(pk__in=scope.values("pk"))


def visible(queryset: QuerySet, user) -> QuerySet:
    """The files of `queryset` this user may fetch: public ones, and those in the user's scope."""
    public = Q(pk__in=public_ids(queryset.model))
    if user is None or not user.is_authenticated:
        return queryset.filter(public)
    policy = policy_registry.get_by_type(queryset.model)
    scope = policy.instances_user_has_any_permission_for(user, SCOPE_ACTIONS)
    return queryset.filter(public | Q(pk__in=scope.values("pk")))


def may_fetch(user, file: Model) -> bool:
    return visible(type(file).objects.filter(pk=file.pk), user).exists()


def _owner(name: str) -> Model | None:
    """The image or document a stored file name belongs to (an original, a rendition, a document)."""
    image_model = get_image_model()
    if name.startswith("original_images/"):
        return image_model.objects.filter(file=name).first()
    if name.startswith("images/"):
        rendition = (
            image_model.get_rendition_model()
            .objects.filter(file=name)
            .select_related("image")
            .first()
        )
        return rendition.image if rendition else None
    if name.startswith("documents/"):
        return get_document_model().objects.filter(file=name).first()
    return None


def serve_media(request, path: str) -> HttpResponse:
    """`MEDIA_URL<path>`: an uploaded file, if the caller may fetch its image or document; 404
    otherwise, and for any file that is neither. With MEDIA_ACCEL_REDIRECT set, the web server
    sends the bytes (X-Accel-Redirect); MEDIA_ROOT itself must never be exposed (docs/deployment.md).
    On an object store (MEDIA_STORAGE_URL) the bytes are streamed from the private bucket, or with
    MEDIA_PRESIGNED_SECONDS the caller is redirected to a presigned URL, after the same check."""
    name = posixpath.normpath(path).lstrip("/")
    if name != path or name.startswith(".."):
        raise Http404
    owner = _owner(name)
    if owner is None or not may_fetch(request.user, owner) or not default_storage.exists(name):
        raise Http404
    modified = default_storage.get_modified_time(name).timestamp()
    if not was_modified_since(request.META.get("HTTP_IF_MODIFIED_SINCE"), modified):
        response = HttpResponseNotModified()
    elif settings.MEDIA_PRESIGNED_SECONDS and hasattr(default_storage, "presigned_url"):
        # The object store's private bucket, for this caller, for a few seconds (cms/storage_s3.py).
        response = HttpResponseRedirect(
            default_storage.presigned_url(name, settings.MEDIA_PRESIGNED_SECONDS)
        )
    elif prefix := getattr(settings, "MEDIA_ACCEL_REDIRECT", ""):
        response = HttpResponse(
            content_type=mimetypes.guess_type(name)[0] or "application/octet-stream"
        )
        response["X-Accel-Redirect"] = prefix.rstrip("/") + "/" + name
    else:
        response = FileResponse(default_storage.open(name))
    response["Last-Modified"] = http_date(modified)
    # Whether a file is public changes with a page's publish: caches ask again every time.
    if request.user.is_authenticated:
        patch_cache_control(response, no_cache=True, private=True)
    else:
        patch_cache_control(response, no_cache=True)
    return response
