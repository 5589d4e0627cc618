"""What every router of our headless API shares: ids that cannot overflow the database, and the
problem responses (Wagtail's problem+json or our own `detail`/`errors`), so each endpoint
declares the same error shapes in OpenAPI; and the guard every endpoint that takes a resident's
words puts first (`answers_only`: JSON only, no post from another site's page)."""

import functools
from http import HTTPStatus
from typing import Annotated, Any
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest, JsonResponse
from ninja import Schema
from ninja.errors import HttpError
from ninja.errors import ValidationError as NinjaValidationError
from pydantic import Field
from pydantic import ValidationError as PydanticValidationError
from wagtail.api.v3.errors import problem_response

from cms.ids import MAX_ID

# Ids beyond a database integer are simply not found (422 from validation), never a server error.
PageId = Annotated[int, Field(ge=1, le=MAX_ID)]


class ProblemSchema(Schema):
    """Errors: Wagtail's problem+json (type, title, status, detail) or ours (detail, errors)."""

    type: str | None = None
    title: str | None = None
    status: int | None = None
    detail: Any = None
    errors: list[Any] = []


# 400: a parameter refused before any handler runs (cms/input_guard.py: NUL, out-of-range ids).
PROBLEMS = {400: ProblemSchema, 404: ProblemSchema, 422: ProblemSchema}
# An endpoint taking a resident's words (answers_only): also 403 (another site's page), 409 (not
# open), 415 (not JSON), 429 (rate limited).
SUBMISSION_PROBLEMS = dict.fromkeys((400, 403, 404, 409, 415, 422, 429), ProblemSchema)


def problem(status: int, detail: str, **extra) -> JsonResponse:
    """A problem+json response (RFC 9457) whose title is the status's phrase; `extra` adds our
    members (code, errors)."""
    body = {"type": "about:blank", "title": HTTPStatus(status).phrase, "status": status,
            "detail": detail, **extra}  # fmt: skip
    return JsonResponse(body, status=status, content_type="application/problem+json")


def cross_site(request: HttpRequest) -> bool:
    """Whether a browser sent this from a page of another site that ANSWER_ALLOWED_ORIGINS does
    not name. A browser says so in Sec-Fetch-Site, or at least in Origin; a mini-program or any
    other client that is no browser sends neither, and is not a page another site can borrow."""
    origin = request.headers.get("Origin")
    fetch_site = request.headers.get("Sec-Fetch-Site")
    if origin is None and fetch_site is None:
        return False
    if origin is not None and origin in settings.ANSWER_ALLOWED_ORIGINS:
        return False
    if fetch_site is not None:
        return fetch_site not in ("same-origin", "none")
    return urlsplit(origin).netloc != request.get_host()


def answers_only(view):
    """An endpoint that takes a resident's words (a form's answers, a query, an opinion) takes
    JSON from the site itself, an allowed origin, or a client that is no browser, checked before
    the body is read: a text/plain post is what a page on another site may send without asking
    (no CORS preflight), so it is never taken for an answer."""

    @functools.wraps(view)
    def checked(request, *args, **kwargs):
        if request.content_type != "application/json":
            return problem(415, "请以 application/json 提交。")
        if cross_site(request):
            return problem(403, "不接受其他网站页面代为提交的答复。")
        return view(request, *args, **kwargs)

    return checked


# A parameter or body the API's validation refused (422): Wagtail's problem+json, each error with
# its code (`type`, pydantic's: int_parsing, missing…), where (`loc`) and a message in Chinese.
VALIDATION_MESSAGES = {
    "missing": "必须填写。",
    "int_parsing": "应为整数。",
    "int_type": "应为整数。",
    "int_from_float": "应为整数。",
    "float_parsing": "应为数字。",
    "float_type": "应为数字。",
    "bool_parsing": "应为 true 或 false。",
    "bool_type": "应为 true 或 false。",
    "string_type": "应为文本。",
    "string_too_short": "太短，至少 {min_length} 个字符。",
    "string_too_long": "太长，最多 {max_length} 个字符。",
    "greater_than_equal": "不能小于 {ge}。",
    "greater_than": "应大于 {gt}。",
    "less_than_equal": "不能大于 {le}。",
    "less_than": "应小于 {lt}。",
    "dict_type": "应为对象（名称与值）。",
    "list_type": "应为列表。",
    "literal_error": "应为以下之一：{expected}。",
    "enum": "应为以下之一：{expected}。",
    "date_parsing": "应为日期（YYYY-MM-DD）。",
    "date_from_datetime_parsing": "应为日期（YYYY-MM-DD）。",
    "datetime_parsing": "应为日期时间（ISO 8601）。",
    "datetime_from_date_parsing": "应为日期时间（ISO 8601）。",
    "json_invalid": "不是有效的 JSON。",
    "model_attributes_type": "应为对象。",
    "value_error": "取值无效。",
    "assertion_error": "取值无效。",
    # Refused before validation by cms/input_guard.py (400), in the same shape.
    "invalid_characters": "含有无法处理的字符（NUL 或不成对的代理项）。",
    "invalid_encoding": "不是有效的 UTF-8 编码。",
    "out_of_range": "数值超出范围。",
    "too_long": "太长，最多 {max_length} 个字符。",
}
VALIDATION_DETAIL = "请求的参数或内容有误，见 errors。"
# django-ninja refuses a body it cannot parse (not JSON, or not UTF-8) with HttpError(400) and this
# English text (ninja/params/models.py, "… (the parser's error)" under DEBUG).
NINJA_UNPARSED = "Cannot parse request body"
UNPARSED_DETAIL = "请求内容不是有效的 JSON，请检查后重新提交。"


def chinese_error(error: dict) -> dict:
    """One validation error as served: code, where, a Chinese message (ours kept as written)."""
    code = error.get("type") or "invalid"
    loc = list(error.get("loc") or [])
    template = VALIDATION_MESSAGES.get(code)
    if template is None:
        msg = error.get("msg") or "取值无效。"
        msg = msg if not msg.isascii() else "取值无效。"
    else:
        try:
            msg = template.format(**(error.get("ctx") or {}))
        except (KeyError, IndexError):
            msg = template
    # Wagtail's keys (type, loc, msg) and those of the answer endpoint's errors (code, field,
    # message), so a client reads every 422 the same way.
    return {"type": code, "loc": loc, "msg": msg,
            "code": code, "field": str(loc[-1]) if loc else None, "message": msg}  # fmt: skip


def install_problems(api) -> None:
    """Every 422 of the API (Wagtail's endpoints and our routers) with Chinese messages."""

    @api.exception_handler(NinjaValidationError)
    @api.exception_handler(PydanticValidationError)
    def validation_problem(request, exc):
        raw = exc.errors if isinstance(exc, NinjaValidationError) else exc.errors()
        return problem_response(
            status=422, detail=VALIDATION_DETAIL, errors=[chinese_error(e) for e in raw]
        )

    @api.exception_handler(HttpError)
    def http_problem(request, exc):
        """Wagtail's own handler (problem+json with the error's text), except ninja's refusal of
        a body it cannot parse: that is a client's mistake, said in Chinese, with a code."""
        if exc.status_code == 400 and str(exc).startswith(NINJA_UNPARSED):
            error = chinese_error({"type": "json_invalid", "loc": ["body"]})
            return problem_response(status=400, detail=UNPARSED_DETAIL, errors=[error])
        return problem_response(status=exc.status_code, detail=str(exc))
