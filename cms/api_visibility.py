"""What anonymous callers of Wagtail's image and document endpoints may list.

Wagtail lists every image and document outside a restricted collection. Committees upload
attachments while a notice is still a draft (a 低保 list before its 公示, say), so for callers
without a token we narrow both endpoints to files that a live, public page refers to, as the
reference index (Wagtail's "usage") records it. Token holders keep Wagtail's behaviour.
"""

from django.contrib.contenttypes.models import ContentType
from django.db.models import BigIntegerField, CharField
from django.db.models.functions import Cast
from wagtail.documents import get_document_model
from wagtail.documents.api.v3 import router as documents
from wagtail.images import get_image_model
from wagtail.images.api.v3 import router as images
from wagtail.models import Page, ReferenceIndex


def published_ids(model):
    """Primary keys of `model` rows referred to by live pages that need no login or password (as
    integers: the search backends filter on `pk__in`, never on an annotation)."""
    public_pages = Page.objects.live().public().annotate(key=Cast("pk", CharField())).values("key")
    return (
        ReferenceIndex.objects.filter(
            base_content_type=ContentType.objects.get_for_model(Page),
            object_id__in=public_pages,
            to_content_type=ContentType.objects.get_for_model(model),
        )
        .annotate(object_pk=Cast("to_object_id", BigIntegerField()))
        .values_list("object_pk", flat=True)
        .distinct()
    )


def _narrowed(original, model):
    def queryset(request):
        qs = original(request)
        if getattr(request, "user", None) is not None and request.user.is_authenticated:
            return qs
        return qs.filter(pk__in=published_ids(model))

    queryset.__wrapped__ = original
    return queryset


def install() -> None:
    """Replace the queryset helpers both v3 routers call per request (see cms/urls.py)."""

    if not hasattr(documents.get_documents_queryset, "__wrapped__"):
        documents.get_documents_queryset = _narrowed(
            documents.get_documents_queryset, get_document_model()
        )
    if not hasattr(images.get_images_queryset, "__wrapped__"):
        images.get_images_queryset = _narrowed(images.get_images_queryset, get_image_model())
