from django.http import Http404
from wagtail import hooks
from wagtail.admin.widgets import Button
from wagtail.documents.api.admin.views import DocumentsAdminAPIViewSet
from wagtail.images.api.admin.views import ImagesAdminAPIViewSet

from cms.media_access import may_fetch, readable
from cms.printable import PrintableMixin
from cms.visibility import under_unpublished


@hooks.register("before_serve_page")
def hide_below_unpublished(page, request, serve_args, serve_kwargs):
    """A page below an unpublished page is not served, on any of its routes (print/, versions/,
    a form's POST): Wagtail checks only the page itself. Restrictions above it Wagtail checks."""
    if under_unpublished(page):
        raise Http404


@hooks.register("register_page_header_buttons")
def notice_board_buttons(page, user, view_name, next_url=None):
    """For pages that go on the notice board: the print view and the QR code, from the editor."""
    specific = page.specific_deferred
    if not isinstance(specific, PrintableMixin) or not page.live:
        return
    url = page.url
    yield Button("打印版（A4）", url=f"{url}print/", icon_name="doc-full", priority=90,
                 attrs={"target": "_blank", "rel": "noopener"})  # fmt: skip
    yield Button(
        "下载二维码（PNG）", url=f"{url}qr.png?download=1", icon_name="download", priority=91
    )
    yield Button(
        "下载二维码（SVG）", url=f"{url}qr.svg?download=1", icon_name="download", priority=92
    )


@hooks.register("before_serve_document")
def serve_only_visible_documents(document, request):
    """/documents/<id>/<name>: a file no reachable page uses, outside the caller's scope, is a 404
    (cms/media_access.py)."""
    if not may_fetch(request.user, document):
        raise Http404


class ScopedImagesAdminAPI(ImagesAdminAPIViewSet):
    def get_queryset(self):
        return readable(super().get_queryset(), self.request.user)


class ScopedDocumentsAdminAPI(DocumentsAdminAPIViewSet):
    def get_queryset(self):
        return readable(super().get_queryset(), self.request.user)


@hooks.register("construct_admin_api", order=100)  # after Wagtail's images and documents
def scope_admin_media_api(router):
    """/admin/api/main/images/ and documents/ list only the user's scope, as the choosers do."""
    router.register_endpoint("images", ScopedImagesAdminAPI)
    router.register_endpoint("documents", ScopedDocumentsAdminAPI)
