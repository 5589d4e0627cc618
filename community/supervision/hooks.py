"""The supervision committee in Wagtail's admin: the editor and bulk publishing ask the 民主理财
guard first (finance.py refuses on every path; here the draft is kept and the reason shown), and
the supervision views' URLs and menu."""

from django.contrib import messages
from django.shortcuts import redirect
from wagtail import hooks

from community.models import NoticePage
from community.supervision.finance import publication_problem


@hooks.register("before_publish_page")
def require_finance_signoff(request, page):
    page = page.specific
    if not isinstance(page, NoticePage):
        return None
    if problem := publication_problem(page, page.latest_revision):
        messages.error(request, f"未发布：{problem}草稿已保存。")
        return redirect("wagtailadmin_pages:edit", page.pk)
    return None


@hooks.register("before_bulk_action")
def require_finance_signoff_in_bulk(request, action_type, objects, action_class_instance):
    if action_type != "publish":
        return None
    notices = [page for page in objects if isinstance(page.specific_deferred, NoticePage)]
    form = action_class_instance.cleaned_form
    if form is not None and form.cleaned_data.get("include_descendants"):
        for page in objects:
            notices += NoticePage.objects.descendant_of(page).filter(has_unpublished_changes=True)
    for page in notices:
        notice = page.specific
        if problem := publication_problem(notice, notice.latest_revision):
            messages.error(request, f"未发布“{notice.title}”：{problem}")
            return redirect("wagtailadmin_explore", notice.get_parent().pk)
    return None
