"""Deleting residents' answers: only with a reason, each leaving an AnswerDeletion in the audit log
(who, when, why, what it said), and never the answers a covenant revision relied on once it has
left 征集民意. `delete_answers` is the only way; a delete by any other path (Wagtail's own view, a
shell, a queryset) is refused at the model layer."""

from __future__ import annotations

import contextvars
from collections.abc import Iterator
from contextlib import contextmanager

from django import forms
from django.contrib import messages
from django.core.exceptions import BadRequest, PermissionDenied
from django.db import transaction
from django.db.models.signals import pre_delete
from django.shortcuts import get_object_or_404, redirect
from wagtail.contrib.forms.utils import get_forms_for_user
from wagtail.contrib.forms.views import DeleteSubmissionsView
from wagtail.models import Page

from cms.ids import parse_id
from cms.text import displayable, validate_text
from community.models import CovenantRevision, Stage
from consultation.models import AnswerDeletion, CommunityFormPage, CommunityFormSubmission

SUMMARY_LENGTH = 120
REASON_REQUIRED = "删除表单回复须写明原因，删除记录进入审计日志。"
RELIED_ON = (
    "“{title}”的回复是公约修订征集民意的依据，该修订已进入“{stage}”阶段，依规保存，不能删除。"
)
OTHER_PATH = "表单回复只能在回复列表中选择后删除，并写明原因。"

_sanctioned = contextvars.ContextVar("answer_deletion_sanctioned", default=False)


class DeletionRefused(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def relied_on_by(form: CommunityFormPage) -> CovenantRevision | None:
    """The revision that relies on this form's answers, once it has passed 征集民意: its stage is
    past soliciting, or it was withdrawn after its opinions were summarised."""
    revision = form.covenant_revision
    if revision is None or revision.stage == Stage.SOLICITING:
        return None
    if revision.stage == Stage.WITHDRAWN and not revision.opinions_summary:
        return None
    return revision


def summary(submission: CommunityFormSubmission, form: CommunityFormPage) -> str:
    """What the answer said, for the audit log: its free-text answers, never a phone number."""
    kinds = {f.clean_name: f.field_type for f in form.get_form_fields()}
    text = " / ".join(
        str(displayable(value))
        for name, value in submission.form_data.items()
        if kinds.get(name) in ("singleline", "multiline") and value
    )
    if len(text) > SUMMARY_LENGTH:
        text = f"{text[:SUMMARY_LENGTH]}…"
    return f"{form.title} · 第 {submission.pk} 号回复：{text or '（无文字内容）'}"


def delete_answers(form: CommunityFormPage, submissions, user, reason: str) -> int:
    """Delete these answers of `form`, or raise DeletionRefused saying why not."""
    reason = (reason or "").strip()
    if not reason:
        raise DeletionRefused(REASON_REQUIRED)
    revision = relied_on_by(form)
    if revision is not None:
        raise DeletionRefused(
            RELIED_ON.format(title=form.title, stage=revision.get_stage_display())
        )
    community = form.get_parent()
    submissions = list(submissions)
    with transaction.atomic(), _sanction():
        for submission in submissions:
            record = AnswerDeletion(
                community_id=community.pk,
                form=form,
                answer_id=submission.pk,
                submitted_at=submission.submit_time,
                summary=summary(submission, form),
                reason=reason,
            )
            record._history_user = user
            record._change_reason = reason
            record.save()
        CommunityFormSubmission.objects.filter(pk__in=[s.pk for s in submissions]).delete()
    return len(submissions)


@contextmanager
def _sanction() -> Iterator[None]:
    token = _sanctioned.set(True)
    try:
        yield
    finally:
        _sanctioned.reset(token)


def refuse_unrecorded_delete(sender, instance, **kwargs):
    if not _sanctioned.get():
        raise PermissionDenied(OTHER_PATH)


def connect() -> None:
    pre_delete.connect(
        refuse_unrecorded_delete, sender=CommunityFormSubmission, dispatch_uid="answers-recorded"
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label="删除原因",
        max_length=500,
        validators=[validate_text],
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="例如：同一居民重复提交；测试数据。删除记录（原因、操作人、时间、回复摘要）进入审计日志。",
        error_messages={"required": REASON_REQUIRED},
    )


class CommunityDeleteSubmissionsView(DeleteSubmissionsView):
    """Wagtail's confirmation of deleting answers, asking for the reason, under Wagtail's own URL
    (consultation/wagtail_hooks.py registers it first); the deletion is delete_answers()'s."""

    template_name = "consultation/admin/confirm_delete_submissions.html"

    def dispatch(self, request, *args, **kwargs):
        # Wagtail's scope check, then ours instead of its delete-on-any-POST.
        if not get_forms_for_user(request.user).filter(id=kwargs["page_id"]).exists():
            raise PermissionDenied
        self.page = get_object_or_404(Page, id=kwargs["page_id"]).specific
        self.submissions = self.get_queryset()
        self.reason_form = ReasonForm(request.POST if request.method == "POST" else None)
        if request.method == "POST" and self.reason_form.is_valid():
            reason = self.reason_form.cleaned_data["reason"]
            try:
                count = delete_answers(self.page, self.submissions, request.user, reason)
            except DeletionRefused as refusal:
                messages.error(request, refusal.message)
            else:
                messages.success(request, f"已删除 {count} 条回复，删除记录已进入审计日志。")
            return redirect(self.get_success_url())
        return self.get(request, *args, **kwargs)

    def get_queryset(self):
        """The selected answers; a value that is no answer's id is the client's error (400)."""
        ids = [parse_id(value) for value in self.request.GET.getlist("selected-submissions")]
        if None in ids:
            raise BadRequest("selected-submissions must be answer ids")
        return self.page.get_submissions().filter(id__in=ids)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["reason_form"] = self.reason_form
        context["relied_on"] = relied_on_by(self.page)
        return context
