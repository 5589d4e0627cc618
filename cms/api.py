"""What every router of our headless API shares: ids that cannot overflow the database, and the
problem responses (Wagtail's problem+json or our own `detail`/`errors`), so each endpoint
declares the same error shapes in OpenAPI."""

from typing import Annotated, Any

from ninja import Schema
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
