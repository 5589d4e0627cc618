from django.contrib import messages
from django.contrib.auth import get_user_model
from django.http import Http404
from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import path, reverse
from django.utils.html import format_html
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.widgets import Button
from wagtail.documents.api.admin.views import DocumentsAdminAPIViewSet
from wagtail.images.api.admin.views import ImagesAdminAPIViewSet

from cms import history, logins
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


@hooks.register("register_admin_urls")
def login_lockout_urls():
    return [path("login-lockouts/", logins.lockouts, name="gongzhi_login_lockouts")]


class LockoutsMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(logins.UNLOCK_PERMISSION)


@hooks.register("register_settings_menu_item")
def login_lockouts_menu():
    return LockoutsMenuItem(
        "登录锁定", reverse("gongzhi_login_lockouts"), icon_name="lock", order=900
    )


@hooks.register("before_delete_user")
def keep_users_who_acted(request, user):
    """The audit trail names who acted: such a user is deactivated, never deleted."""
    if history.has_acted(user):
        messages.error(request, history.REFUSED)
        return redirect("wagtailusers_users:edit", user.pk)
    return None


@hooks.register("before_bulk_action")
def keep_users_who_acted_in_bulk(request, action_type, objects, action_class_instance):
    if action_type == "delete" and any(
        isinstance(obj, get_user_model()) and history.has_acted(obj) for obj in objects
    ):
        messages.error(request, history.REFUSED)
        return redirect("wagtailusers_users:index")
    return None


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


@hooks.register("construct_page_action_menu")
def publish_first(menu_items, request, context):
    """Where the user may publish, 发布 is the editor's visible button and 保存草稿 moves under the
    ▲: a committee member publishes notices, agendas and forms, and Wagtail's default (save draft
    first) hid the action they came for. The menu lists publish only where the page's permissions
    allow it (covenants go through their procedure), so this only reorders."""
    for index, item in enumerate(menu_items):
        if item.name == "action-publish":
            menu_items.insert(0, menu_items.pop(index))
            return


@hooks.register("insert_global_admin_css")
def editor_css():
    return format_html('<link rel="stylesheet" href="{}">', static("cms/editor.css"))


@hooks.register("insert_global_admin_js")
def admin_js():
    return format_html('<script src="{}" defer></script>', static("cms/admin.js"))
