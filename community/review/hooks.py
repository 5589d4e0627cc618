"""Admin wiring of the review desk: its URLs under /admin/review/, its menu, and the home panels."""

from django.urls import include, path, reverse
from wagtail import hooks
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem

from community.permissions import policy_for
from community.review.panels import panels_for


class DeskMenuItem(MenuItem):
    def is_shown(self, request):
        return policy_for(request.user).may_use_desk()


@hooks.register("register_admin_urls")
def review_desk_urls():
    return [path("review/", include("community.review.urls"))]


@hooks.register("register_admin_menu_item")
def review_desk_menu():
    items = [
        DeskMenuItem("审计日志", reverse("review_audit"), icon_name="history", order=100),
        DeskMenuItem("逾期未公开", reverse("review_disclosures"), icon_name="warning", order=150),
        DeskMenuItem("统计与报表", reverse("review_report"), icon_name="table", order=200),
        DeskMenuItem("通知", reverse("review_inbox"), icon_name="mail", order=300),
    ]
    return SubmenuMenuItem("审阅台", Menu(items=items), icon_name="view", order=270)


@hooks.register("construct_homepage_panels")
def review_desk_panels(request, panels):

    panels.extend(panels_for(request.user))
