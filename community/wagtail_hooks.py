from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from wagtail import hooks
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from cms.visibility import under
from community import admin_scope  # noqa: F401 (registers the admin scope's hooks)
from community.admin_views import revision_urls
from community.covenant_admin import RoleMenuItem, revision_admin
from community.evaluation_admin import evaluation_urls
from community.experience_admin import PERMISSION, experience_urls
from community.models import (
    CommunityPage,
    CovenantRevision,
    DisclosureItem,
    Evaluation,
    EvaluationRating,
    ExperienceTheme,
    FinanceSignOff,
    SupervisionMember,
    SupervisionOpinion,
    SupervisionReport,
)
from community.models.covenant import PUBLISH_REFUSED, CovenantPage
from community.models.guard import ALIAS_REFUSED
from community.opinion_admin import opinion_urls
from community.register_admin import register_urls
from community.review import hooks as review_desk_hooks  # noqa: F401
from community.review.hooks import DeskMenuItem
from community.supervision import hooks as supervision_hooks  # noqa: F401
from community.supervision.views import supervision_urls


@hooks.register("after_create_page")
def create_community_sections(request, page):
    if isinstance(page.specific, CommunityPage):
        page.specific.ensure_sections()


@hooks.register("after_copy_page")
def create_sections_for_copied_community(request, page, new_page):
    if isinstance(new_page.specific, CommunityPage):
        new_page.specific.ensure_sections()


@hooks.register("before_publish_page")
def refuse_direct_covenant_publish(request, page):
    """The editor's publish button is hidden for covenants; a forged POST lands here."""

    if isinstance(page.specific, CovenantPage):
        messages.error(request, PUBLISH_REFUSED)
        return redirect("wagtailadmin_pages:edit", page.pk)
    return None


@hooks.register("register_admin_urls")
def covenant_admin_urls():
    return [*opinion_urls(), *revision_urls(), *register_urls(), *supervision_urls()]


@hooks.register("register_admin_menu_item")
def covenant_menu():
    items = [
        RoleMenuItem(
            "待审核与备案", reverse("community_review_queue"), icon_name="tasks", order=100
        ),
        RoleMenuItem(
            "全部修订", revision_admin.url_helper.index_url, icon_name="list-ul", order=200
        ),
        RoleMenuItem("发起修订", reverse("community_start_list"), icon_name="plus", order=300),
        RoleMenuItem(
            "人口与代表登记册", reverse("community_register_list"), icon_name="group", order=400
        ),
    ]
    return SubmenuMenuItem("公约修订", Menu(items=items), icon_name="doc-full", order=250)


@hooks.register("register_admin_menu_item")
def supervision_menu():
    return RoleMenuItem("监督委员会", reverse("supervision_overview"), icon_name="view", order=260)


@hooks.register("before_delete_page")
def keep_pages_with_covenant_history(request, page):
    """Deleting a community or township would take covenant procedures with it: refuse."""

    if CovenantRevision.objects.filter(covenant__path__startswith=page.path).exists():
        messages.error(
            request, "该页面下有公约修订记录，依规永久保存，不能删除。可以取消发布或移动页面。"
        )
        return redirect("wagtailadmin_explore", page.get_parent().pk)
    return None


# The records a community's supervision and evaluation leave (their community is PROTECT).
SUPERVISION_RECORDS = (
    SupervisionMember,
    SupervisionOpinion,
    SupervisionReport,
    FinanceSignOff,
    Evaluation,
    EvaluationRating,
)
SUPERVISION_KEPT = (
    "该页面下有监督委员会或民主评议的记录（成员、监督意见、反映问题、民主理财审核、民主评议），"
    "依规永久保存，不能删除。可以取消发布或移动页面。"
)


def has_supervision_records(pages) -> bool:
    paths = [page.path for page in pages]
    if not paths:
        return False
    return any(
        model.objects.filter(under(paths, "community__")).exists() for model in SUPERVISION_RECORDS
    )


@hooks.register("before_delete_page")
def keep_pages_with_supervision_records(request, page):
    """Deleting a community (or the township above it) would fail on its supervision and
    evaluation records: refused with the reason instead."""

    if has_supervision_records([page]):
        messages.error(request, SUPERVISION_KEPT)
        return redirect("wagtailadmin_explore", page.get_parent().pk)
    return None


@hooks.register("before_bulk_action")
def keep_pages_with_supervision_records_in_bulk(
    request, action_type, objects, action_class_instance
):
    if action_type != "delete" or not has_supervision_records(objects):
        return None
    messages.error(request, SUPERVISION_KEPT)
    return redirect("wagtailadmin_explore", objects[0].get_parent().pk)


@hooks.register("before_copy_page")
def refuse_covenant_aliases(request, page):
    """An alias would follow the covenant's publication outside the procedure: refused here
    with a message (the covenant's save refuses it on every other path, the API's included)."""

    if request.method != "POST" or not request.POST.get("alias"):
        return None
    covenants = CovenantPage.objects.filter(pk=page.pk)
    if request.POST.get("copy_subpages"):
        covenants = CovenantPage.objects.descendant_of(page, inclusive=True)
    if covenants.exists():
        messages.error(request, ALIAS_REFUSED)
        return redirect("wagtailadmin_explore", page.get_parent().pk)
    return None


@hooks.register("register_admin_urls")
def experience_feature_urls():

    return experience_urls()


class FeatureMenuItem(MenuItem):
    def is_shown(self, request):

        return request.user.has_perm(PERMISSION)


@hooks.register("register_admin_menu_item")
def experience_feature_menu():
    return FeatureMenuItem(
        "示范经验", reverse("community_experience_features"), icon_name="pick", order=120
    )


# The controlled list of experience themes: administrators may add one (committees pick from it).
register_snippet(ExperienceTheme)


class DisclosureItemViewSet(SnippetViewSet):
    """公开目录: the law's items (built in, which district staff may only switch off or reorder)
    and the district's local ones (docs/disclosure.md)."""

    model = DisclosureItem
    icon = "list-ul"
    menu_label = "公开目录"
    list_display = ["name", "scope", "schedule", "basis", "active"]
    list_filter = ["scope", "schedule", "active"]
    ordering = ["sort_order", "pk"]


register_snippet(DisclosureItemViewSet)


@hooks.register("register_admin_urls")
def evaluation_admin_urls():
    return evaluation_urls()


@hooks.register("register_admin_menu_item")
def evaluation_menu():
    return DeskMenuItem("民主评议", reverse("evaluation_list"), icon_name="list-ul", order=275)
