from django.contrib import messages
from django.contrib.auth import get_user_model
from django.shortcuts import redirect
from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.widgets import Button

from cms import history, logins
from cms.printable import PrintableMixin


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
