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
from django.http import QueryDict

from cms import ratelimit
from cms.ratelimit import period_words
from cms.text import INVALID_TEXT_MESSAGE, displayable, text_problem
from cms.visibility import is_reachable

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
    },
    statuses={
        Code.CLOSED: 409,
        Code.LOGIN_REQUIRED: 409,
        Code.HONEYPOT: 422,
        Code.RATE_LIMITED: 429,
        Code.INVALID: 422,
        Code.UNKNOWN_FIELD: 422,
    },
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
) -> Accepted | Refused:
    """Store one answer, or say why not. `client` is ratelimit.client_key() of the request.

    A refusal never touches what is stored: answers already given stay as they are."""
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
