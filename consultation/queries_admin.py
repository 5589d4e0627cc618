"""Residents' queries in the admin: one list scoped by the policy (committee: its community;
supervisors: theirs; reviewers: their township's; district: all), exportable, and one page per
query where the community's committee answers and, once it is escalated, the township's reviewer
records the outcome. Everyone else who may read it only reads. A resident's name and mobile are
shown and exported only to those who may read personal data (PERSONAL_DATA_READERS)."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone

from cms import exports
from cms.ids import parse_id
from community.permissions import policy_for
from community.review.registry import history_registry
from consultation.models.queries import NoticeQuery
from consultation.queries import (
    FROZEN_MESSAGE,
    AnswerForm,
    OutcomeForm,
    answer,
    may_answer,
    may_record_outcome,
    record_outcome,
    remedy_citation,
)

FILTERS = {
    "open": ("待答复", lambda qs, today: qs.filter(answered_on=None, due_on__gte=today)),
    "overdue": ("逾期未答复", lambda qs, today: qs.filter(answered_on=None, due_on__lt=today)),
    "escalated": ("已转乡镇(街道)", lambda qs, today: qs.exclude(escalated_at=None)),
    "pending_outcome": (
        "转办待处理",
        lambda qs, today: qs.exclude(escalated_at=None).filter(outcome=""),
    ),
    "answered": ("已答复", lambda qs, today: qs.exclude(answered_on=None)),
}
LIST_LIMIT = 500


def _scoped(user):
    return NoticeQuery.objects.for_user(user).select_related("notice", "community")


def _get(user, query_id) -> NoticeQuery:
    query = _scoped(user).filter(pk=parse_id(query_id) or 0).first()
    if query is None:
        raise Http404("没有这条查询，或不在您的管辖范围。")
    return query


def export_rows(queries, user):
    """The export's header and rows: name and mobile only where the user may read personal data."""
    policy = policy_for(user)
    personal = policy.is_district() or policy.has_committee_role()
    header = [
        "村/社区", "公示", "收到时间", "答复期限", "状态", "查询内容", "公开的查询内容", "答复",
        "答复日期", "异议理由", "转办原因", "转办时间", "处理结果", "处理意见", "处理日期", "法律依据",
    ]  # fmt: skip
    if personal:
        header += ["姓名", "手机号码"]
    rows = []
    for q in queries:
        row = [
            q.community.title, q.notice.title, q.received_at, q.due_on, q.status_label, q.question,
            q.public_question, q.answer, q.answered_on, q.dispute_reason, q.get_escalation_display(),
            q.escalated_at, q.get_outcome_display(), q.outcome_text, q.outcome_on, q.outcome_basis,
        ]  # fmt: skip
        if personal:
            shown = policy.may_see_personal_names(q.community)
            row += [q.name if shown else "", q.mobile if shown else ""]
        rows.append(row)
    return header, rows


def query_list(request):
    policy = policy_for(request.user)
    policy.require_desk()
    today = timezone.localdate()
    queries = _scoped(request.user)
    chosen = request.GET.get("status", "")
    if chosen in FILTERS:
        queries = FILTERS[chosen][1](queries, today)
    fmt = request.GET.get("export")
    if fmt in (exports.CSV, exports.XLSX):
        header, rows = export_rows(queries, request.user)
        return exports.response(fmt, exports.dated("居民查询"), header, rows)
    context = {
        "page_title": "居民查询",
        "header_icon": "help",
        "queries": queries[:LIST_LIMIT],
        "filters": [(key, label) for key, (label, _) in FILTERS.items()],
        "chosen": chosen,
        "today": today,
    }
    return TemplateResponse(request, "consultation/admin/queries.html", context)


def query_detail(request, query_id: int):
    policy = policy_for(request.user)
    policy.require_desk()
    query = _get(request.user, query_id)
    today = timezone.localdate()
    committee = may_answer(request.user, query)
    can_answer = committee and not query.answer_frozen
    can_decide = may_record_outcome(request.user, query) and bool(query.escalated_at)
    answer_form = AnswerForm(
        query=query,
        initial={
            "public_question": query.shown_question,
            "answer": query.answer,
            "answered_on": query.answered_on or today,
        },
    )
    outcome_form = OutcomeForm(
        initial={
            "outcome": query.outcome,
            "outcome_text": query.outcome_text,
            "outcome_on": query.outcome_on or today,
        }
    )
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "answer":
            policy.require(committee, "只有本村(社区)的村(居)民委员会可以答复查询。")
            if not can_answer:  # a state, not a permission: say so on the query's own page
                messages.error(request, FROZEN_MESSAGE)
                return redirect("consultation_query_detail", query.pk)
            answer_form = AnswerForm(request.POST, query=query)
            if answer_form.is_valid():
                answer(query, request.user, answer_form.cleaned_data)
                messages.success(
                    request, "答复已保存，并已在公示下公开（不显示查询人的姓名和电话）。"
                )
                return redirect("consultation_query_detail", query.pk)
        elif action == "outcome":
            policy.require(can_decide, "只有该村(社区)所在乡镇(街道)的审核人员可以记录处理结果。")
            outcome_form = OutcomeForm(request.POST)
            if outcome_form.is_valid():
                record_outcome(query, request.user, outcome_form.cleaned_data)
                messages.success(request, "处理结果已记录。")
                return redirect("consultation_query_detail", query.pk)
        else:
            policy.require(False)
        messages.error(request, "未保存：请检查填写的内容。")
    elif committee and query.answer_frozen:
        messages.info(request, FROZEN_MESSAGE)
    entry = history_registry.for_model(NoticeQuery)
    context = {
        "page_title": f"居民查询：{query.notice.title}",
        "header_icon": "help",
        "query": query,
        "personal": policy.may_see_personal_names(query.community),
        "can_answer": can_answer,
        "can_decide": can_decide,
        "answer_form": answer_form,
        "outcome_form": outcome_form,
        "citation": remedy_citation(query, today),
        "history_url": entry.history_url(query.pk) if entry else "",
        "overdue": query.is_overdue(today),
    }
    return TemplateResponse(request, "consultation/admin/query_detail.html", context)


def admin_urls():
    return [
        path("queries/", query_list, name="consultation_queries"),
        path("queries/<int:query_id>/", query_detail, name="consultation_query_detail"),
    ]
