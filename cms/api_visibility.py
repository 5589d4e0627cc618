"""What callers of Wagtail's API v3 may see of pages, images and documents.

Wagtail lists every image and document outside a restricted collection. Committees upload
attachments while a notice is still a draft (a 低保 list before its 公示, say), so both endpoints
list what cms.media_access.visible() allows: files a page a resident can reach refers to, and a
token holder's own scope. Wagtail's public pages queryset keeps live pages below an unpublished
one; anonymous callers see only reachable ones (cms.visibility).
"""

from wagtail.api.v3.routers import pages
from wagtail.documents.api.v3 import router as documents
from wagtail.images.api.v3 import router as images

from cms.media_access import visible
from cms.visibility import hidden_q


def _narrowed(original):
    def queryset(request):
        return visible(original(request), getattr(request, "user", None))

    queryset.__wrapped__ = original
    return queryset


def _reachable_pages(original):
    """Anonymous callers of the pages endpoints (listing, detail, find, child_of…) see only pages a
    resident can reach: Wagtail's public queryset keeps live pages below an unpublished one."""

    def queryset(request, *args, **kwargs):
        qs = original(request, *args, **kwargs)
        if getattr(request, "user", None) is not None and request.user.is_authenticated:
            return qs
        return qs.exclude(hidden_q())

    queryset.__wrapped__ = original
    return queryset


def install() -> None:
    """Replace the queryset helpers both v3 routers call per request (see cms/urls.py)."""

    if not hasattr(documents.get_documents_queryset, "__wrapped__"):
        documents.get_documents_queryset = _narrowed(documents.get_documents_queryset)
    if not hasattr(images.get_images_queryset, "__wrapped__"):
        images.get_images_queryset = _narrowed(images.get_images_queryset)
    if not hasattr(pages.get_pages_queryset, "__wrapped__"):
        pages.get_pages_queryset = _reachable_pages(pages.get_pages_queryset)
