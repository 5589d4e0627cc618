"""A revision's opinions in the admin: the comment window, the list (pending first, filtered by
article, status and source, exported through cms/exports.py), one page per opinion where the
committee moderates and answers, the offline entry, and the reviewer's notes by article.

Everyone who may see the revision reads; only its committee changes (community.opinions). The
resident's own words, name and mobile are shown and exported to the committee only: reviewers,
supervisors and district staff read what the public reads (the redaction), and nothing of an
opinion not published."""

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Case, IntegerField, Value, When
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from cms import exports
from cms.ids import parse_id
from community import opinions
from community.models import CovenantRevision, Opinion
from community.opinion_forms import (
    AnswerForm,
    ModerationForm,
    NoteForm,
    OfflineForm,
    WindowForm,
    article_choices,
)
from community.permissions import policy_for
from community.review.registry import history_registry
from community.steps import CLOSED_STAGES, ProcedureError

PER_PAGE = 50
WHOLE = "whole"  # the article filter's value for opinions on the whole draft
WINDOW_DAYS = 30  # the form's suggested length of a window (the committee sets its own)
PENDING_FIRST = Case(
    When(status=Opinion.Status.PENDING, then=Value(0)),
    default=Value(1),
    output_field=IntegerField(),
)


def _revision(request, pk: int) -> CovenantRevision:
    policy_for(request.user).require_desk()
    revisions = CovenantRevision.objects.for_user(request.user).select_related(
        "covenant", "community"
    )
    return get_object_or_404(revisions, pk=pk)


def _context(request, revision, title: str, **extra) -> dict:
    return {
        "page_title": f"{title} · {revision}",
        "header_icon": "comment",
        "revision": revision,
        "committee": opinions.may_moderate(request.user, revision),
        **extra,
    }


def window_view(request, pk: int):
    revision = _revision(request, pk)
    if not opinions.may_moderate(request.user, revision):
        raise PermissionDenied(opinions.COMMITTEE_ONLY)
    window = opinions.window_of(revision)
    draft = opinions.latest_draft(revision)
    offer_latest = bool(window and draft and draft.pk != window.draft_id)
    if window:
        initial = {
            "opens_on": window.opens_on,
            "closes_on": window.closes_on,
            "allow_anonymous": window.allow_anonymous,
            "publish_at_once": window.publish_at_once,
            "answers_required": window.answers_required,
        }
    else:
        today = timezone.localdate()
        initial = {
            "opens_on": today,
            "closes_on": today + datetime.timedelta(days=WINDOW_DAYS),
            "allow_anonymous": True,
            "answers_required": True,
        }
    form = WindowForm(request.POST or None, initial=initial, offer_latest=offer_latest)
    if request.method == "POST" and form.is_valid():
        try:
            opinions.save_window(revision, request.user, **form.cleaned_data)
        except ProcedureError as error:
            error.apply_to(form)
        else:
            messages.success(request, "草案征求意见的设置已保存。")
            return redirect("community_revision_detail", revision.pk)
    context = _context(
        request, revision, "草案征求意见", form=form, window=window, draft=draft,
        offer_latest=offer_latest, submit_label="保存设置",
    )  # fmt: skip
    return TemplateResponse(request, "community/admin/opinion_form.html", context)


def _filtered(request, revision, articles):
    """The revision's opinions, pending first, narrowed by the filters the listing declares
    (any other parameter is ignored)."""
    chosen = {
        "article": request.GET.get("article"),
        "status": request.GET.get("status", ""),
        "source": request.GET.get("source", ""),
    }
    found = revision.opinions.all()
    article = chosen["article"]
    if article == WHOLE:
        found = found.filter(article_id="")
    elif article in articles:
        found = found.filter(article_id=article)
    else:
        chosen["article"] = ""
    if chosen["status"] in Opinion.Status.values:
        found = found.filter(status=chosen["status"])
    if chosen["source"] in Opinion.Source.values:
        found = found.filter(source=chosen["source"])
    return found.order_by(PENDING_FIRST, "received_on", "pk"), chosen


def export_rows(revision, found, user, articles) -> tuple[list, list]:
    """The export's header and rows: the resident's own words, name and mobile only for the
    committee; for everyone else, only what the public reads."""
    committee = opinions.may_moderate(user, revision)
    header = [
        "编号", "条文", "提意见时的条号", "来源", "收到日期", "状态", "不予公开的理由",
        "公开的意见内容", "答复", "答复理由", "采纳于条文", "答复时间",
    ]  # fmt: skip
    if committee:
        header += ["意见原文", "姓名", "手机号码", "同意用于联系"]
    rows = []
    for o in found:
        shown = o.shown_text if committee or o.is_public else ""
        row = [
            o.pk, opinions.label_in(articles, o.article_id, o.article_label), o.article_label,
            o.get_source_display(), o.received_on, o.get_status_display(),
            o.get_reject_reason_display(), shown, o.get_answer_display(), o.answer_reason,
            opinions.label_in(articles, o.adopted_in) if o.adopted_in else "", o.answered_at,
        ]  # fmt: skip
        if committee:
            row += [o.text, o.name, o.mobile, o.consent]
        rows.append(row)
    return header, rows


def opinion_list(request, pk: int):
    revision = _revision(request, pk)
    articles = opinions.articles_of(opinions.latest_draft(revision))
    found, chosen = _filtered(request, revision, articles)
    fmt = request.GET.get("export")
    if fmt in (exports.CSV, exports.XLSX):
        header, rows = export_rows(revision, found, request.user, articles)
        name = exports.dated(f"{revision.community.title}-{revision.covenant.title}-草案意见")
        return exports.response(fmt, name, header, rows)
    page = Paginator(found, PER_PAGE).get_page(request.GET.get("p"))
    for o in page.object_list:
        o.current_label = opinions.label_in(articles, o.article_id, o.article_label)
    context = _context(
        request, revision, "草案意见",
        page=page,
        count=opinions.opinion_count(revision),
        window=opinions.window_of(revision),
        chosen=chosen,
        article_choices=[(WHOLE, label) if not v else (v, label) for v, label in article_choices(articles)],
        statuses=Opinion.Status.choices,
        sources=Opinion.Source.choices,
        query=request.GET.urlencode(),
    )  # fmt: skip
    return TemplateResponse(request, "community/admin/opinion_list.html", context)


def _opinion(revision, opinion_id) -> Opinion:
    found = revision.opinions.filter(pk=parse_id(opinion_id) or 0).first()
    if found is None:
        raise Http404("没有这条意见。")
    found.revision = revision
    return found


def opinion_detail(request, pk: int, opinion_id: int):
    revision = _revision(request, pk)
    opinion = _opinion(revision, opinion_id)
    committee = opinions.may_moderate(request.user, revision)
    articles = opinions.articles_of(opinions.latest_draft(revision))
    moderation = ModerationForm(initial={"public_text": opinion.shown_text})
    answer_form = AnswerForm(
        initial={
            "answer": opinion.answer,
            "answer_reason": opinion.answer_reason,
            "adopted_in": opinion.adopted_in,
        },
        articles=articles,
    )
    if request.method == "POST":
        if not committee:
            raise PermissionDenied(opinions.COMMITTEE_ONLY)
        action = request.POST.get("action")
        try:
            if action == "answer":
                answer_form = AnswerForm(request.POST, articles=articles)
                if answer_form.is_valid():
                    data = answer_form.cleaned_data
                    opinions.answer(
                        opinion, request.user, answer=data["answer"],
                        reason=data["answer_reason"], adopted_in=data["adopted_in"],
                    )  # fmt: skip
                    messages.success(request, "答复已保存，并在意见采纳情况说明中公开。")
                    return redirect("community_opinion", revision.pk, opinion.pk)
            elif action in ("approve", "reject", "redact"):
                moderation = ModerationForm(request.POST)
                if moderation.is_valid():
                    _moderate(opinion, request.user, action, moderation.cleaned_data)
                    messages.success(request, MODERATED[action])
                    return redirect("community_opinion", revision.pk, opinion.pk)
            else:
                raise Http404
        except ProcedureError as error:
            error.apply_to(answer_form if action == "answer" else moderation)
        messages.error(request, "未保存：请检查填写的内容。")
    entry = history_registry.for_model(Opinion)
    context = _context(
        request, revision, "草案意见",
        opinion=opinion,
        article_label=opinions.label_in(articles, opinion.article_id, opinion.article_label),
        adopted_label=opinions.label_in(articles, opinion.adopted_in) if opinion.adopted_in else "",
        moderation=moderation,
        answer_form=answer_form,
        history_url=entry.history_url(opinion.pk),
        is_open=revision.stage not in CLOSED_STAGES,
    )  # fmt: skip
    return TemplateResponse(request, "community/admin/opinion_detail.html", context)


MODERATED = {
    "approve": "意见已公开。",
    "reject": "已不予公开（理由计入公开的统计）。",
    "redact": "公开的意见内容已保存。",
}


def _moderate(opinion: Opinion, user, action: str, data: dict) -> None:
    """Approve (with the redaction typed beside it), reject with a reason, or redact only."""
    if action == "reject":
        opinions.reject(opinion, user, data["reject_reason"])
        return
    opinions.redact(opinion, user, data["public_text"])
    if action == "approve":
        opinions.approve(opinion, user)


def opinion_new(request, pk: int):
    revision = _revision(request, pk)
    if not opinions.may_moderate(request.user, revision):
        raise PermissionDenied(opinions.COMMITTEE_ONLY)
    window = opinions.window_of(revision)
    if window is None:
        messages.error(request, "请先设置草案征求意见（草案和起止日期），再录入意见。")
        return redirect("community_comment_window", revision.pk)
    form = OfflineForm(request.POST or None, articles=opinions.articles_of(window.draft))
    if request.method == "POST" and form.is_valid():
        try:
            opinion = opinions.enter_offline(revision, request.user, **form.cleaned_data)
        except ProcedureError as error:
            error.apply_to(form)
        else:
            messages.success(request, "意见已录入。")
            return redirect("community_opinion", revision.pk, opinion.pk)
    context = _context(request, revision, "录入线下意见", form=form, submit_label="录入")
    return TemplateResponse(request, "community/admin/opinion_form.html", context)


NOTE_RETURNS = {"review": "community_revision_step", "detail": "community_revision_detail"}


@require_POST
def note_add(request, pk: int):
    revision = _revision(request, pk)
    back = (
        reverse("community_revision_step", args=(revision.pk, "review"))
        if request.POST.get("next") == "review"
        else reverse("community_revision_detail", args=(revision.pk,))
    )
    form = NoteForm(request.POST, articles=opinions.articles_of(revision.draft_revision))
    if form.is_valid():
        try:
            opinions.add_note(revision, request.user, **form.cleaned_data)
        except ProcedureError as error:
            messages.error(request, "；".join(v.message for v in error.violations))
        else:
            messages.success(request, "逐条审查意见已保存，草案退回时村(居)委会可以看到。")
    else:
        messages.error(
            request, "未保存：" + "；".join(e for el in form.errors.values() for e in el)
        )
    return redirect(f"{back}#proposed-diff")


def opinion_urls():
    """Before revision_urls: its `<slug:step>/` would take these paths (a step is named
    "opinions", hence draft-opinions/)."""
    base = "covenants/revisions/<int:pk>/"
    return [
        path(f"{base}comment-window/", window_view, name="community_comment_window"),
        path(f"{base}draft-opinions/", opinion_list, name="community_opinions"),
        path(f"{base}draft-opinions/new/", opinion_new, name="community_opinion_new"),
        path(f"{base}draft-opinions/<int:opinion_id>/", opinion_detail, name="community_opinion"),
        path(f"{base}notes/", note_add, name="community_article_note"),
    ]
