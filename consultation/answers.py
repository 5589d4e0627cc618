"""One answer pipeline for every surface that takes a resident's answers to a form: the site's own
HTML page and the JSON API of the mini-program. Both ask the same questions in the same order
(window → login → honeypot → rate limit → text → validation) and only put the result into HTML or JSON,
so that a rule added here holds everywhere, and a status or a wait time never depends on wording.

This module does not import the models: CommunityFormPage.serve() calls it, so the models import
it at load time, and the page's own methods (window_message, get_form, process_form_submission)
are all it needs."""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import transaction
from django.http import QueryDict

from cms import ratelimit
from cms.ratelimit import period_words
from cms.text import INVALID_TEXT_MESSAGE, displayable, text_problem
from cms.visibility import is_reachable
from consultation import idempotency
from consultation.idempotency import Once, Replayed

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
    from django.forms import BaseForm
    from django.utils.datastructures import MultiValueDict

    from consultation.models import CommunityFormPage, CommunityFormSubmission

HONEYPOT = "website"  # a field people do not see; anything in it was typed by a bot


class Code(StrEnum):
    CLOSED = "closed"  # outside opens_at..closes_at
    LOGIN_REQUIRED = "login_required"
    HONEYPOT = "honeypot"
    RATE_LIMITED = "rate_limited"
    INVALID = "invalid"  # at least one field failed validation (errors say which)
    UNKNOWN_FIELD = "unknown_field"  # every field was fine, but the client named one we lack
    KEY_REUSED = "idempotency_key_reused"  # the key already carried a different answer
    TOKEN_INVALID = "answer_token_invalid"  # the page's one-time token is not ours, or too old


@dataclass(frozen=True)
class Surface:
    """How one surface words each refusal, and the HTTP status it answers it with.

    Messages are templates: {detail} is the page's own sentence (when it opens or closed); for the
    rate limit, {minutes} is the wait before answering again (what is left of the window), {limit}
    and {period} the limit it met (FORM_RATE_LIMIT: 60 份, 1 小时). A code with no status is
    answered 200: the page is shown again with what the resident typed."""

    name: str
    messages: dict[Code, str]
    statuses: dict[Code, int]
    accepted: int = 200  # the status of an accepted answer, and of its replays


API = Surface(
    "api",
    messages={
        Code.CLOSED: "{detail}",
        Code.LOGIN_REQUIRED: "本表单需要登录后填写。",
        Code.HONEYPOT: "提交未被接受。",
        Code.RATE_LIMITED: (
            "提交太频繁：本网络地址 {period}内已提交 {limit} 份回答。这份回答没有保存，"
            "请约 {minutes} 分钟后再试。"
        ),
        Code.INVALID: "请检查填写的内容。",
        Code.UNKNOWN_FIELD: "请检查填写的内容。",
        Code.KEY_REUSED: (
            "这个 Idempotency-Key 已用于另一份不同的回答。新的回答请使用新的键；这份回答没有保存。"
        ),
    },
    statuses={
        Code.CLOSED: 409,
        Code.LOGIN_REQUIRED: 409,
        Code.HONEYPOT: 422,
        Code.RATE_LIMITED: 429,
        Code.INVALID: 422,
        Code.UNKNOWN_FIELD: 422,
        Code.KEY_REUSED: 422,
    },
    accepted=201,
)

PAGE = Surface(
    "page",
    messages={
        Code.CLOSED: "{detail}",
        Code.LOGIN_REQUIRED: "本表单需要登录后填写，请联系村(居)委会。",
        Code.HONEYPOT: "提交未被接受：请不要填写“请勿填写”一栏。",
        # True whatever was sent before: this answer was not saved; the earlier ones stay.
        Code.RATE_LIMITED: (
            "提交太频繁：本网络地址 {period}内已提交 {limit} 份回答（同一村的居民可能共用一个"
            "网络地址）。这份回答没有保存，请约 {minutes} 分钟后再提交。"
        ),
        # The form itself says what is wrong, next to each field.
        Code.INVALID: "",
        Code.UNKNOWN_FIELD: "",
        # The earlier answer stays; this one is still on the page, ready to be sent as a new one.
        Code.KEY_REUSED: (
            "您已从这个页面提交过一份回答，这次的内容与上次不同，因此没有保存。您填写的内容"
            "保留在下面：如确实要再提交一份新的回答，请核对后再次点击“提交”。"
        ),
        Code.TOKEN_INVALID: (
            "这份表单页面已失效（打开超过 24 小时，或不是从本站打开的），回答没有保存。您填写的"
            "内容保留在下面，请核对后再次点击“提交”。"
        ),
    },
    statuses={Code.RATE_LIMITED: 429},
)

FIELD_MESSAGES = {
    Code.HONEYPOT: "请勿填写此项。",
    Code.UNKNOWN_FIELD: "表单中没有这一项。",
}


@dataclass(frozen=True)
class FieldError:
    field: str | None
    code: str
    message: str


MISTYPED_MESSAGE = "回答的格式不对：应为文字、数字、是/否（true/false），或多选时的文字列表。"


@dataclass(frozen=True)
class Answers:
    """What a resident sent, whichever surface it came through.

    `named` is set when the client chose the names itself (JSON): each must then be a field of the
    form, so a typo is not silently dropped. A browser's post also carries its CSRF token, so the
    page's names are not checked."""

    data: QueryDict
    files: MultiValueDict | None = None
    honeypot: str = ""
    named: frozenset[str] | None = None
    # JSON answers that are no form's value (an object, a list of lists, a number JSON cannot
    # hold): refused by name, never stored as their Python spelling ("{'a': 1}", "inf").
    mistyped: frozenset[str] = frozenset()

    @classmethod
    def from_post(cls, post: QueryDict, files: MultiValueDict | None = None) -> Answers:
        return cls(post, files, honeypot=post.get(HONEYPOT, ""))

    @classmethod
    def from_json(cls, answers: Mapping[str, Any], honeypot: str = "") -> Answers:
        """JSON values as a browser would post them: true as "on", lists as repeated values."""
        data = QueryDict(mutable=True)
        mistyped = set()
        for key, value in answers.items():
            if isinstance(value, bool):
                if value:
                    data[key] = "on"
            elif isinstance(value, list) and all(_scalar(v) for v in value):
                data.setlist(key, [str(v) for v in value])
            elif _scalar(value):
                data[key] = str(value)
            elif value is not None:
                mistyped.add(key)
        return cls(data, honeypot=honeypot, named=frozenset(answers), mistyped=frozenset(mistyped))


def _scalar(value: Any) -> bool:
    """A JSON value a form field takes: text, or a finite number (not true/false, not a list)."""
    if isinstance(value, bool):
        return False
    if isinstance(value, float):
        return math.isfinite(value)
    return isinstance(value, (str, int))


@dataclass(frozen=True)
class Accepted:
    submission: CommunityFormSubmission


@dataclass(frozen=True)
class Refused:
    code: Code
    message: str
    status: int
    field: str | None = None
    errors: tuple[FieldError, ...] = ()
    retry_after: int | None = None  # seconds, when asked to wait
    # The bound form, once the answers were read, so that the page can show them again.
    form: BaseForm | None = dataclasses.field(default=None, compare=False, repr=False)


def _refuse(code: Code, surface: Surface, detail: str = "", **extra: Any) -> Refused:
    limit, window = settings.FORM_RATE_LIMIT
    message = surface.messages[code].format(
        detail=detail,
        minutes=math.ceil((extra.get("retry_after") or window) / 60),
        limit=limit,
        period=period_words(window),
    )
    return Refused(code, message, surface.statuses.get(code, 200), **extra)


def check_open(
    page: CommunityFormPage, user: AbstractBaseUser | AnonymousUser, surface: Surface = API
) -> Refused | None:
    """Why this user cannot answer the form now, before reading any answer (a page shows it
    instead of the form)."""
    detail = page.window_message()
    if detail is not None:
        return _refuse(Code.CLOSED, surface, detail)
    if not page.allow_anonymous and not user.is_authenticated:
        return _refuse(Code.LOGIN_REQUIRED, surface)
    return None


def _form_errors(form: BaseForm, named: frozenset[str] | None) -> tuple[FieldError, ...]:
    errors = [
        FieldError(name, error.code or "invalid", " ".join(error.messages))
        for name, field_errors in form.errors.as_data().items()
        for error in field_errors
    ]
    if named is not None:
        unknown = sorted(named - (set(form.fields) - {HONEYPOT}))
        message = FIELD_MESSAGES[Code.UNKNOWN_FIELD]
        errors += [FieldError(name, Code.UNKNOWN_FIELD, message) for name in unknown]
    return tuple(errors)


def _bad_text(answers: Answers) -> tuple[FieldError, ...]:
    """Every field whose name or value holds a character that is not text (cms/text.py), whatever
    the field's type (a choice's error would repeat the value), or whose JSON value is no form's
    value: the answer is refused with only these errors, and nothing of it is stored."""
    return tuple(
        FieldError(displayable(name), "invalid_text", INVALID_TEXT_MESSAGE)
        for name, values in answers.data.lists()
        if text_problem(name) or text_problem(values)
    ) + tuple(
        FieldError(displayable(name), "invalid_type", MISTYPED_MESSAGE)
        for name in sorted(answers.mistyped)
    )


def accept(
    page: CommunityFormPage,
    answers: Answers,
    client: str,
    user: AbstractBaseUser | AnonymousUser,
    surface: Surface = API,
    once: Once | None = None,
) -> Accepted | Refused | Replayed:
    """Store one answer, or say why not. `client` is ratelimit.client_key() of the request.

    With `once` (an Idempotency-Key, or the page's one-time token), a retry of an answer already
    stored under that key is answered as the first was (Replayed), before any other question:
    it stores nothing, so it is never counted by the rate limit nor refused by a window that has
    closed since (consultation/idempotency.py).

    A refusal never touches what is stored: answers already given stay as they are."""
    if once is None:
        return _accept(page, answers, client, user, surface)
    with transaction.atomic():
        claimed = idempotency.claim(page.pk, surface.name, once)
        if isinstance(claimed, Replayed):
            return claimed
        if claimed is idempotency.REUSED:
            return _refuse(Code.KEY_REUSED, surface, form=_bound(page, answers, user))
        if once.fresh:
            result = _accept(page, answers, client, user, surface)
        else:
            result = _refuse(Code.TOKEN_INVALID, surface, form=_bound(page, answers, user))
        if isinstance(result, Accepted):
            idempotency.remember(claimed, surface.accepted, result.submission)
        else:
            idempotency.release(claimed)
        return result


def refuse_token(page: CommunityFormPage, answers: Answers, user) -> Refused:
    """A page post whose one-time token this site did not issue for this page."""
    return _refuse(Code.TOKEN_INVALID, PAGE, form=_bound(page, answers, user))


def _bound(page: CommunityFormPage, answers: Answers, user) -> BaseForm:
    """The form with what was sent, to show it again: nothing typed is lost."""
    form = page.get_form(answers.data, answers.files, page=page, user=user)
    form.is_valid()
    return form


def _accept(
    page: CommunityFormPage,
    answers: Answers,
    client: str,
    user: AbstractBaseUser | AnonymousUser,
    surface: Surface,
) -> Accepted | Refused:
    if not is_reachable(page):  # unpublished, or below an unpublished or restricted page
        return _refuse(Code.CLOSED, surface, "本表单已不再公开。")
    refusal = check_open(page, user, surface)
    if refusal is not None:
        return refusal
    form = page.get_form(answers.data, answers.files, page=page, user=user)
    if answers.honeypot:
        error = FieldError(HONEYPOT, Code.HONEYPOT, FIELD_MESSAGES[Code.HONEYPOT])
        return _refuse(Code.HONEYPOT, surface, field=HONEYPOT, errors=(error,), form=form)
    # Asked before validation (a script at the limit costs no form work); counted only once the
    # answer is stored, so a refused one, however often sent, never makes a resident wait.
    key = f"form:{page.pk}:{client}"
    retry_after = ratelimit.wait(key)
    if retry_after is not None:
        return _refuse(Code.RATE_LIMITED, surface, retry_after=retry_after, form=form)
    valid = form.is_valid()
    bad_text = _bad_text(answers)
    errors = bad_text or _form_errors(form, answers.named)
    if errors:
        code = Code.UNKNOWN_FIELD if valid and not bad_text else Code.INVALID
        return _refuse(code, surface, errors=errors, form=form)
    submission = page.process_form_submission(form)
    ratelimit.count(key)
    return Accepted(submission)
