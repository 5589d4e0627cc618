"""Promote a resident's proposal (a 议题征集 answer) to a draft agenda, without copying who sent it."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.html import escape

from cms.text import displayable
from community.permissions import policy_for, within
from consultation.models import (
    CommunityFormPage,
    CommunityFormSubmission,
    ConsultationIndexPage,
    ConsultationPage,
)


def _scope(user) -> Q:
    return within(policy_for(user).committee_communities())


def proposal_text(submission: CommunityFormSubmission) -> str:
    """The proposal itself: the answers to free-text questions, never a phone number or address."""
    page = submission.page.specific
    kinds = {f.clean_name: f.field_type for f in page.get_form_fields()}
    return "\n".join(
        str(displayable(value))
        for name, value in submission.form_data.items()
        if kinds.get(name) in ("multiline", "singleline") and value
    )


def promote(submission: CommunityFormSubmission, user) -> ConsultationPage:
    form_page = submission.page.specific
    community = form_page.get_parent()
    index = ConsultationIndexPage.objects.child_of(community).get()
    text = proposal_text(submission)
    title = (text.splitlines() or ["居民提议"])[0][:40]
    agenda = ConsultationPage(
        title=title,
        slug=f"proposal-{submission.pk}",
        background="".join(f"<p>{escape(line)}</p>" for line in text.splitlines()),
        from_proposal=True,
        live=False,
        owner=user,
    )
    index.add_child(instance=agenda)
    agenda.save_revision(user=user)
    submission.promoted_to = agenda
    submission.save(update_fields=["promoted_to"])
    return agenda


def proposals(request):
    forms = CommunityFormPage.objects.filter(
        _scope(request.user), purpose=CommunityFormPage.Purpose.TOPICS
    )
    submissions = (
        CommunityFormSubmission.objects.filter(page__in=forms.values("pk"))
        .select_related("promoted_to")
        .order_by("-submit_time")[:200]
    )
    rows = [(s, proposal_text(s)) for s in submissions]
    context = {"page_title": "居民提议（议题征集）", "header_icon": "mail", "rows": rows}
    return TemplateResponse(request, "consultation/admin/proposals.html", context)


def promote_view(request, submission_id: int):
    forms = CommunityFormPage.objects.filter(_scope(request.user))
    submission = get_object_or_404(
        CommunityFormSubmission, pk=submission_id, page__in=forms.values("pk")
    )
    if request.method != "POST":
        raise PermissionDenied
    if submission.promoted_to_id:
        messages.info(request, "这条提议已经转为协商议题。")
        return redirect("wagtailadmin_pages:edit", submission.promoted_to_id)
    agenda = promote(submission, request.user)
    messages.success(
        request, "已生成协商议题草稿（未复制提议人的任何个人信息），请补充时间、地点后发布。"
    )
    return redirect("wagtailadmin_pages:edit", agenda.pk)


def proposal_urls():
    return [
        path("proposals/", proposals, name="consultation_proposals"),
        path("proposals/<int:submission_id>/promote/", promote_view, name="consultation_promote"),
    ]
