from django.contrib import messages
from django.shortcuts import redirect
from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.widgets import Button

from community.permissions import policy_for
from consultation.dashboard import ConsultationTodoPanel
from consultation.deletion import CommunityDeleteSubmissionsView
from consultation.models import (
    CommunityFormPage,
    ConsultationPage,
    Deliberation,
    ImplementationUpdate,
    NoticeQuery,
)
from consultation.proposals import proposal_urls
from consultation.queries_admin import admin_urls as query_admin_urls
from consultation.records_admin import ConsultationRecordsGroup


def _keep_as_draft(page) -> None:
    """Wagtail's create view adds a new page live before asking this hook; a refusal keeps it a draft."""
    if page.pk and page.first_published_at is None and page.live_revision_id is None:
        type(page).objects.filter(pk=page.pk).update(live=False)


@hooks.register("before_publish_page")
def keep_the_notice_period(request, page):
    """The draft is already saved; publishing waits until the notice period can be kept."""
    page = page.specific
    if isinstance(page, ConsultationPage):
        found = page.notice_violations()
        if found:
            _keep_as_draft(page)
            messages.error(request, f"未发布：{found[0].message}草稿已保存。")
            return redirect("wagtailadmin_pages:edit", page.pk)
    return None


ConsultationRecordsGroup().register_with_wagtail()


@hooks.register("register_page_header_buttons")
def record_buttons_for_agenda(page, user, view_name, next_url=None):
    """One click from an agenda to its deliberation record or a new implementation update."""

    if not isinstance(page.specific_deferred, ConsultationPage):
        return
    community_id = page.get_parent().get_parent().pk
    if not policy_for(user).committee_communities().filter(pk=community_id).exists():
        return
    create = reverse("consultation_deliberation_modeladmin_create")
    yield Button(
        "新建协商记录", url=f"{create}?agenda={page.pk}", icon_name="clipboard-list", priority=80
    )
    create = reverse("consultation_implementationupdate_modeladmin_create")
    yield Button("新建落实反馈", url=f"{create}?agenda={page.pk}", icon_name="tasks", priority=81)


@hooks.register("before_delete_page")
def keep_pages_with_consultation_records(request, page):
    """Records point at their agenda; deleting the agenda (or a community above it) is refused."""

    agendas = ConsultationPage.objects.filter(path__startswith=page.path).values("pk")
    if NoticeQuery.objects.filter(notice__path__startswith=page.path).exists():
        messages.error(request, "该页面下的公示有居民查询，依规保存，不能删除。可以取消发布。")
        return redirect("wagtailadmin_explore", page.get_parent().pk)
    if any(
        model.objects.filter(agenda__in=agendas).exists()
        for model in (Deliberation, ImplementationUpdate)
    ):
        messages.error(request, "该页面下有协商记录或落实反馈，依规保存，不能删除。可以取消发布。")
        return redirect("wagtailadmin_explore", page.get_parent().pk)
    return None


@hooks.register("construct_homepage_panels")
def add_consultation_todo_panel(request, panels):

    policy = policy_for(request.user)
    if policy.has_committee_role() and not policy.superuser:
        panels.append(ConsultationTodoPanel(request.user))


@hooks.register("before_bulk_action")
def keep_the_notice_period_in_bulk(request, action_type, objects, action_class_instance):
    """Bulk publish from the explorer refuses the same agendas the editor refuses, with a message."""
    if action_type != "publish":
        return None
    for page in objects:
        page = (
            page.get_latest_revision_as_object()
            if isinstance(page.specific, ConsultationPage)
            else None
        )
        if page is not None and (found := page.notice_violations()):
            messages.error(request, f"未发布“{page.title}”：{found[0].message}")
            return redirect("wagtailadmin_explore", page.get_parent().pk)
    return None


@hooks.register("before_publish_page")
def require_consent_for_personal_data(request, page):
    """The rule is the model's (CommunityFormPage.clean refuses publishing such a form on every
    path); the editor asks it first, to keep the draft and say why instead of failing."""
    page = page.specific
    problem = isinstance(page, CommunityFormPage) and page.publication_problem()
    if problem:
        messages.error(request, f"未发布：{problem}草稿已保存。")
        return redirect("wagtailadmin_pages:edit", page.pk)
    return None


@hooks.register("before_bulk_action")
def require_consent_in_bulk(request, action_type, objects, action_class_instance):
    """Bulk publish from the explorer refuses, with a message, the forms the model refuses, as the
    latest revision of each (and of each draft form below, when descendants are published too)."""
    if action_type != "publish":
        return None
    form = action_class_instance.cleaned_form
    pages = [page for page in objects if isinstance(page.specific_deferred, CommunityFormPage)]
    if form is not None and form.cleaned_data.get("include_descendants"):
        for page in objects:
            pages += CommunityFormPage.objects.descendant_of(page).not_live()
    for page in pages:
        latest = page.specific.get_latest_revision_as_object()
        if problem := latest.publication_problem():
            messages.error(request, f"未发布“{latest.title}”：{problem}")
            return redirect("wagtailadmin_explore", page.get_parent().pk)
    return None


@hooks.register("register_admin_urls")
def proposal_admin_urls():

    return proposal_urls()


@hooks.register("register_admin_urls")
def answer_deletion_url():
    """Wagtail's own URL for deleting answers, answered by the view that asks for a reason: this
    app's hooks are registered before wagtail.contrib.forms' (INSTALLED_APPS), so it matches first."""
    return [
        path(
            "forms/submissions/<int:page_id>/delete/",
            CommunityDeleteSubmissionsView.as_view(),
            name="consultation_delete_submissions",
        )
    ]


@hooks.register("register_admin_menu_item")
def proposals_menu_item():

    class CommitteeMenuItem(MenuItem):
        def is_shown(self, request):
            return policy_for(request.user).committee_communities().exists()

    return CommitteeMenuItem(
        "居民提议", reverse("consultation_proposals"), icon_name="mail", order=255
    )


@hooks.register("register_admin_urls")
def notice_query_urls():
    return query_admin_urls()


@hooks.register("register_admin_menu_item")
def notice_queries_menu_item():
    """Residents' queries: every role reads its scope's; the committee answers, the township decides."""

    class DeskMenuItem(MenuItem):
        def is_shown(self, request):
            return policy_for(request.user).may_use_desk()

    return DeskMenuItem("居民查询", reverse("consultation_queries"), icon_name="help", order=256)
