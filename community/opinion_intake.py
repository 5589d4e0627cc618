"""A resident's opinion on a covenant draft, from the draft page's form or the API: both call
`receive(window, data, client)` and only turn its result into HTML or JSON.

The checks run in the order of the other resident inputs (consultation.answers, consultation.queries):
window open → honeypot → rate limit → text and fields. The rate limit is the forms' own
(cms/ratelimit.py: the same client key, FORM_RATE_LIMIT, only stored opinions count). An opinion
names its article by the block id of the window's saved draft, and the article's number there is
recorded with it (article_label), so it follows the article when the numbers change. Nothing is
stored on a refusal."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from django import forms
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from cms import ratelimit
from cms.fields import MobileField
from cms.text import check_text_fields
from community.models import CovenantPage
from community.models.opinion import NAME_MAX, OPINION_MAX, CommentWindow, Opinion
from community.models.outline import Article

HONEYPOT = "website"  # a field people do not see; anything in it was typed by a bot


class Code(StrEnum):
    CLOSED = "closed"  # before opens_on or after closes_on
    HONEYPOT = "honeypot"
    RATE_LIMITED = "rate_limited"
    INVALID = "invalid"  # at least one field failed (errors say which)


STATUSES = {Code.CLOSED: 409, Code.HONEYPOT: 422, Code.RATE_LIMITED: 429, Code.INVALID: 422}
MESSAGES = {
    Code.CLOSED: "{detail}",
    Code.HONEYPOT: "提交未被接受：请不要填写“请勿填写”一栏。",
    Code.RATE_LIMITED: (
        "提交太频繁：本网络地址 {period}内已提交 {limit} 份（同一村的居民可能共用一个网络地址）。"
        "这条意见没有保存，请约 {minutes} 分钟后再提交。"
    ),
    Code.INVALID: "请检查填写的内容。",
}
RECEIVED_PENDING = "意见已收到，经村(居)委会审核后公开。"
RECEIVED_PUBLIC = "意见已收到，已公开。"
CONSENT_MESSAGE = "留下姓名或手机号码的，请勾选同意村(居)委会用于联系；不愿留下的，可以不填。"
UNKNOWN_ARTICLE = (
    "征求意见稿中没有这一条（可能已调整）：请回到草案，在要提意见的条文下点“对本条提意见”。"
)


def _length(limit: int) -> str:
    return f"太长：最多 {limit} 个字。"


def window_words(window: CommentWindow, day=None) -> str:
    """When residents may comment, as the page and a refusal say it."""
    day = day or timezone.localdate()
    span = f"{window.opens_on:%Y年%-m月%-d日}至{window.closes_on:%Y年%-m月%-d日}"
    if day < window.opens_on:
        return f"草案将于{window.opens_on:%Y年%-m月%-d日}开始征求意见（{span}），届时可以提意见。"
    if day > window.closes_on:
        return f"草案征求意见已于{window.closes_on:%Y年%-m月%-d日}结束（{span}），不再接收意见。"
    return f"草案征求意见中：{span}。"


def draft_text(window: CommentWindow) -> CovenantPage:
    """The window's saved draft (its title, preamble and body), as an unsaved page: the draft
    residents read, never the live text nor a later edit. Read from the revision's content
    (loaded with the window), without the queries of as_object()."""
    return CovenantPage.text_from(window.draft.content)


class OpinionForm(forms.Form):
    article = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)
    text = forms.CharField(
        label="您的意见",
        max_length=OPINION_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "请写下您的意见。", "max_length": _length(OPINION_MAX)},
        help_text=f"最多 {OPINION_MAX} 字。意见经审核后在草案下公开，不显示您的姓名和电话。",
    )
    name = forms.CharField(
        label="姓名",
        max_length=NAME_MAX,
        required=False,
        error_messages={"max_length": _length(NAME_MAX)},
    )
    mobile = MobileField(label="手机号码", required=False)
    consent = forms.BooleanField(
        label="我同意村(居)委会使用我留下的姓名和手机号码联系我（不公开）", required=False
    )
    website = forms.CharField(label="请勿填写", required=False)

    def __init__(self, *args, window: CommentWindow, articles: dict[str, Article], **kwargs):
        super().__init__(*args, **kwargs)
        self.window = window
        self.articles = articles
        check_text_fields(self)
        self.fields["website"].widget.attrs.update(tabindex="-1", autocomplete="off")
        if window.allow_anonymous:
            self.fields["name"].label = "姓名（选填）"
            self.fields["mobile"].label = "手机号码（选填）"
        else:
            for name in ("name", "mobile"):
                self.fields[name].required = True
            self.fields["name"].error_messages["required"] = "本次征求意见须留姓名（不公开）。"
            self.fields["mobile"].error_messages["required"] = (
                "本次征求意见须留手机号码（不公开）。"
            )

    def clean_text(self):
        text = self.cleaned_data["text"].strip()
        if not text:
            raise forms.ValidationError("请写下您的意见。", code="required")
        return text

    def clean_article(self):
        article_id = self.cleaned_data["article"]
        if article_id and article_id not in self.articles:
            raise forms.ValidationError(UNKNOWN_ARTICLE, code="unknown_article")
        return article_id

    def clean(self):
        data = super().clean()
        if (data.get("name") or data.get("mobile")) and not data.get("consent"):
            self.add_error("consent", forms.ValidationError(CONSENT_MESSAGE, code="consent"))
        return data


@dataclass(frozen=True)
class FieldError:
    field: str
    code: str
    message: str


@dataclass(frozen=True)
class Received:
    opinion: Opinion

    @property
    def message(self) -> str:
        return RECEIVED_PUBLIC if self.opinion.is_public else RECEIVED_PENDING


@dataclass(frozen=True)
class Refused:
    code: Code
    message: str
    status: int
    errors: tuple[FieldError, ...] = ()
    retry_after: int | None = None
    form: OpinionForm | None = None


def _refuse(code: Code, *, detail="", retry_after=None, errors=(), form=None) -> Refused:
    limit, window = settings.FORM_RATE_LIMIT
    message = MESSAGES[code].format(
        detail=detail,
        minutes=-(-(retry_after or window) // 60),
        limit=limit,
        period=ratelimit.period_words(window),
    )
    return Refused(code, message, STATUSES[code], tuple(errors), retry_after, form)


def articles_of(window: CommentWindow) -> dict[str, Article]:
    return {a.id: a for a in draft_text(window).articles()}


def receive(
    window: CommentWindow, data, client: str, *, articles: dict[str, Article] | None = None
) -> Received | Refused:
    """Store one resident's opinion on the window's draft, or say why not. `data` is a QueryDict
    (the page's POST) or a dict of the same keys (article, text, name, mobile, consent, website);
    `client` is ratelimit.client_key() of the request."""
    articles = articles_of(window) if articles is None else articles
    form = OpinionForm(data, window=window, articles=articles)
    if not window.is_open():
        return _refuse(Code.CLOSED, detail=window_words(window), form=form)
    if data.get(HONEYPOT):
        error = FieldError(HONEYPOT, Code.HONEYPOT, "请勿填写此项。")
        return _refuse(Code.HONEYPOT, errors=(error,), form=form)
    key = f"opinion:{client}"
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
    opinion = _store(window, form.cleaned_data, articles)
    ratelimit.count(key)
    return Received(opinion)


def _store(window: CommentWindow, data: dict, articles: dict[str, Article]) -> Opinion:
    article = articles.get(data["article"])
    now = timezone.now()
    given = bool(data["name"] or data["mobile"])
    opinion = Opinion(
        revision=window.revision,
        community_id=window.community_id,
        draft_id=window.draft_id,
        article_id=article.id if article else "",
        article_label=article.label if article else "",
        text=data["text"],
        source=Opinion.Source.ONLINE,
        received_on=timezone.localdate(now),
        received_at=now,
        name=data["name"],
        mobile=data["mobile"],
        consent=bool(data["consent"] and given),
        status=Opinion.Status.APPROVED if window.publish_at_once else Opinion.Status.PENDING,
    )
    if window.publish_at_once:
        opinion.moderated_at = now  # published by the window's setting, by no one
    opinion._change_reason = "居民网上提交意见" + (
        "（设置为提交即公开）" if window.publish_at_once else ""
    )
    with transaction.atomic():
        opinion.save()
    return opinion
