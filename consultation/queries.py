"""Residents' queries about a notice: asking (the site's form and the API call `ask`, in the same
order as the answer pipeline: notice reachable → honeypot → rate limit → text → validation),
the committee's answer, the resident's dispute, escalation to the township and its outcome.

Every rule is here, so the page, the API, the admin and the daily command only turn a result into
HTML or JSON. Permissions are asked of the policy (community/permissions.py)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Page

from cms import cache, ratelimit
from cms.fields import MobileField
from cms.ratelimit import period_words
from cms.text import check_text_fields
from cms.visibility import is_reachable
from community.law import provision
from community.models import CommunityPage, Notification, Role
from community.models.settings import district_settings
from community.permissions import COMMUNITY_DEPTH, DISTRICT, REVIEWER, policy_for
from community.review.notifications import members, notify_users
from consultation.answers import HONEYPOT, Code, FieldError, Refused
from consultation.models.queries import (
    ANSWER_MAX,
    NAME_MAX,
    QUESTION_MAX,
    REASON_MAX,
    NoticeQuery,
)

CONSENT_MESSAGE = "留下姓名或手机号码的，请勾选同意村(居)委会用于联系答复；不愿留下的，可以不填。"
MESSAGES = {
    Code.CLOSED: "这条公示已不再公开，无法提出查询。",
    Code.HONEYPOT: "提交未被接受：请不要填写“请勿填写”一栏。",
    Code.RATE_LIMITED: (
        "提交太频繁：本网络地址 {period}内已提交 {limit} 份（同一村的居民可能共用一个网络地址）。"
        "这次没有保存，请约 {minutes} 分钟后再提交。"
    ),
    Code.INVALID: "请检查填写的内容。",
}
STATUSES = {Code.CLOSED: 404, Code.HONEYPOT: 422, Code.RATE_LIMITED: 429, Code.INVALID: 422}


def _length(limit: int) -> str:
    return f"太长：最多 {limit} 个字。"


class QueryForm(forms.Form):
    question = forms.CharField(
        label="您的疑问",
        max_length=QUESTION_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "required": "请写下您对这条公示的疑问。",
            "max_length": _length(QUESTION_MAX),
        },
        help_text=f"最多 {QUESTION_MAX} 字。问题和答复会在本公示下公开，不显示您的姓名和电话。",
    )
    name = forms.CharField(
        label="姓名（选填）",
        max_length=NAME_MAX,
        required=False,
        error_messages={"max_length": _length(NAME_MAX)},
    )
    mobile = MobileField(label="手机号码（选填）", required=False)
    consent = forms.BooleanField(
        label="我同意村(居)委会使用我留下的姓名和手机号码联系我答复（不公开）", required=False
    )
    website = forms.CharField(label="请勿填写", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        check_text_fields(self)
        self.fields["website"].widget.attrs.update(tabindex="-1", autocomplete="off")

    def clean(self):
        data = super().clean()
        if (data.get("name") or data.get("mobile")) and not data.get("consent"):
            self.add_error("consent", forms.ValidationError(CONSENT_MESSAGE, code="consent"))
        return data


class DisputeForm(forms.Form):
    reason = forms.CharField(
        label="异议理由",
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "请写明对答复有什么异议。", "max_length": _length(REASON_MAX)},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        check_text_fields(self)


@dataclass(frozen=True)
class Asked:
    query: NoticeQuery


def _refuse(code: Code, *, retry_after: int | None = None, errors=(), form=None) -> Refused:
    limit, window = settings.FORM_RATE_LIMIT
    message = MESSAGES[code].format(
        minutes=-(-(retry_after or window) // 60), limit=limit, period=period_words(window)
    )
    field = errors[0].field if errors else None
    return Refused(
        code, message, STATUSES[code], field=field, errors=tuple(errors),
        retry_after=retry_after, form=form,
    )  # fmt: skip


def community_of(notice) -> CommunityPage:
    return CommunityPage.objects.get(path=notice.path[: notice.steplen * COMMUNITY_DEPTH])


def township_id(community: CommunityPage) -> int | None:
    path = community.path[: -community.steplen]
    return Page.objects.filter(path=path).values_list("pk", flat=True).first()


def admin_link(query: NoticeQuery) -> str:
    return reverse("consultation_query_detail", args=(query.pk,))


def ask(notice, data: QueryDict, client: str) -> Asked | Refused:
    """Store one query on `notice` (a NoticePage), or say why not; nothing is stored on refusal."""
    form = QueryForm(data)
    if not notice.live or not is_reachable(notice):
        return _refuse(Code.CLOSED, form=form)
    if data.get(HONEYPOT):
        error = FieldError(HONEYPOT, Code.HONEYPOT, "请勿填写此项。")
        return _refuse(Code.HONEYPOT, errors=(error,), form=form)
    key = f"query:{client}"
    retry_after = ratelimit.wait(key)
    if retry_after is not None:
        return _refuse(Code.RATE_LIMITED, retry_after=retry_after, form=form)
    if not form.is_valid():
        errors = [
            FieldError(name, error.code or "invalid", " ".join(error.messages))
            for name, field_errors in form.errors.as_data().items()
            for error in field_errors
        ]
        return _refuse(Code.INVALID, errors=errors, form=form)
    query = _store(notice, form.cleaned_data)
    ratelimit.count(key)
    return Asked(query)


def _store(notice, data: dict) -> NoticeQuery:
    community = community_of(notice)
    now = timezone.now()
    days = district_settings().query_answer_days
    with transaction.atomic():
        query = NoticeQuery(
            notice=notice,
            community=community,
            question=data["question"],
            name=data["name"],
            mobile=data["mobile"],
            consent=bool(data["consent"] and (data["name"] or data["mobile"])),
            received_at=now,
            due_on=timezone.localdate(now) + datetime.timedelta(days=days),
        )
        query._change_reason = "居民提出查询"
        query.save()
        notify_users(
            members(Role.Kind.COMMITTEE, community.pk),
            Notification.Kind.QUERY_RECEIVED,
            f"{community.title}：居民对公示《{notice.title}》提出查询，"
            f"请于{query.due_on:%Y年%-m月%-d日}前答复。",
            event_key=f"notice-query:{query.pk}:received",
            link=admin_link(query),
        )
    return query


# The committee's answer


def may_answer(user, query: NoticeQuery) -> bool:
    return policy_for(user).is_committee_of(query.community)


def may_record_outcome(user, query: NoticeQuery) -> bool:
    """The notice's township reviewers (and district staff, site administrators by the policy)."""
    return policy_for(user).may_act_as(query.community, {REVIEWER, DISTRICT})


class AnswerForm(forms.Form):
    public_question = forms.CharField(
        label="公开的查询内容",
        max_length=QUESTION_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "请填写公开的查询内容。", "max_length": _length(QUESTION_MAX)},
        help_text="答复后与答复一起在公示下公开。可删去其中的姓名、电话等个人信息；原文保留在记录中。",
    )
    answer = forms.CharField(
        label="答复",
        max_length=ANSWER_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": "请填写答复内容。", "max_length": _length(ANSWER_MAX)},
    )
    answered_on = forms.DateField(
        label="答复日期",
        error_messages={"required": "请填写答复日期。", "invalid": "请填写日期，例如 2026-12-02。"},
    )

    def __init__(self, *args, query: NoticeQuery, **kwargs):
        super().__init__(*args, **kwargs)
        self.query = query
        check_text_fields(self)

    def clean_answered_on(self):
        day = self.cleaned_data["answered_on"]
        if day > timezone.localdate():
            raise forms.ValidationError("答复日期不能晚于今天。", code="future")
        if day < timezone.localdate(self.query.received_at):
            raise forms.ValidationError("答复日期不能早于收到查询的日期。", code="before_received")
        return day


FROZEN_MESSAGE = "乡镇(街道)已对这条答复记录处理结果，答复不能再修改。"


def answer(query: NoticeQuery, user, data: dict) -> None:
    """Store the committee's answer; the notice page (cached) is dropped only when what it shows
    changes, so that residents' questions alone never empty the page cache."""
    if not may_answer(user, query):
        raise PermissionDenied("只有本村(社区)的村(居)民委员会可以答复查询。")
    if query.answer_frozen:
        raise PermissionDenied(FROZEN_MESSAGE)
    first = not query.is_answered
    shown = query.public_fields()
    query.public_question = (
        "" if data["public_question"] == query.question else data["public_question"]
    )
    query.answer = data["answer"]
    query.answered_on = data["answered_on"]
    query.answered_by = user
    query._history_user = user
    query._change_reason = "答复查询" if first else "修改答复"
    query.save()
    if query.public_fields() != shown:
        cache.invalidate()


# The resident's dispute and the escalation to the township


def dispute(query: NoticeQuery, reason: str) -> None:
    """The resident disputes the answer: recorded once, and the query goes to the township."""
    if not query.is_answered or query.disputed_at:
        raise PermissionDenied("只能对已答复的查询提出一次异议。")
    query.disputed_at = timezone.now()
    query.dispute_reason = reason
    query._change_reason = "居民对答复提出异议"
    query.save()
    escalate(query, NoticeQuery.Escalation.DISPUTED)


def escalate(query: NoticeQuery, why: str) -> bool:
    """Send the query to the township's reviewers, once for being overdue and once for the
    dispute (False if it was already sent for that reason). A dispute after an overdue escalation
    goes again: the township's earlier outcome (kept in the history) was about the missing answer,
    not the answer now disputed, so it is cleared for the township to decide anew."""
    disputed = why == NoticeQuery.Escalation.DISPUTED
    if disputed:
        pending = NoticeQuery.objects.filter(pk=query.pk, disputed_at__isnull=False).exclude(
            escalation=why
        )
        changes = {"outcome": "", "outcome_text": "", "outcome_on": None, "outcome_basis": "",
                   "outcome_by": None}  # fmt: skip
    else:
        pending, changes = NoticeQuery.objects.filter(pk=query.pk, escalated_at=None), {}
    with transaction.atomic():
        if not pending.update(escalated_at=timezone.now(), escalation=why, **changes):
            return False
        query.refresh_from_db()
        query._change_reason = f"转乡镇(街道)：{query.get_escalation_display()}"
        query.save()  # a history row for the escalation (update() writes none)
        township = township_id(query.community)
        notify_users(
            members(Role.Kind.REVIEWER, township) if township else [],
            Notification.Kind.QUERY_ESCALATED,
            f"{query.community.title}：居民对公示《{query.notice.title}》的查询"
            f"{query.get_escalation_display()}，请调查核实并记录处理结果。",
            event_key=f"notice-query:{query.pk}:{'disputed' if disputed else 'escalated'}",
            link=admin_link(query),
        )
    return True


def escalate_due(today: datetime.date | None = None) -> int:
    """Escalate every query unanswered past its deadline or disputed but not yet sent (the daily
    command; running it twice sends nothing twice)."""
    today = today or timezone.localdate()
    sent = 0
    for query in NoticeQuery.objects.to_escalate(today).select_related("notice", "community"):
        why = (
            NoticeQuery.Escalation.DISPUTED if query.disputed_at else NoticeQuery.Escalation.OVERDUE
        )
        sent += escalate(query, why)
    return sent


# The township's outcome


def remedy_citation(query: NoticeQuery, on: datetime.date) -> str:
    found = provision(f"{query.community.kind}.disclosure_remedy", on=on)
    return found.citation if found else ""


class OutcomeForm(forms.Form):
    outcome = forms.ChoiceField(
        label="处理结果",
        choices=NoticeQuery.Outcome.choices,
        error_messages={
            "required": "请选择处理结果。",
            "invalid_choice": "请从列表中选择处理结果。",
        },
    )
    outcome_text = forms.CharField(
        label="处理意见",
        max_length=ANSWER_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "required": "请写明调查核实的情况和处理意见。",
            "max_length": _length(ANSWER_MAX),
        },
    )
    outcome_on = forms.DateField(
        label="处理日期",
        error_messages={"required": "请填写处理日期。", "invalid": "请填写日期，例如 2026-12-02。"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        check_text_fields(self)

    def clean_outcome_on(self):
        day = self.cleaned_data["outcome_on"]
        if day > timezone.localdate():
            raise forms.ValidationError("处理日期不能晚于今天。", code="future")
        return day


def record_outcome(query: NoticeQuery, user, data: dict) -> None:
    if not may_record_outcome(user, query):
        raise PermissionDenied("只有该村(社区)所在乡镇(街道)的审核人员可以记录处理结果。")
    if not query.escalated_at:
        raise PermissionDenied("这条查询没有转到乡镇(街道)。")
    query.outcome = data["outcome"]
    query.outcome_text = data["outcome_text"]
    query.outcome_on = data["outcome_on"]
    query.outcome_basis = remedy_citation(query, data["outcome_on"])
    query.outcome_by = user
    query._history_user = user
    query._change_reason = f"乡镇(街道)处理：{query.get_outcome_display()}"
    query.save()
