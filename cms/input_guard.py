"""Requests carrying input that no view could use are refused with 400 before any view runs.

Each kind is a whole class of server errors found by probing:

- Bytes that are not UTF-8 (`%ED%A0%80`, a surrogate's bytes; `%FF`) in the query string or an
  urlencoded form: Django decodes them into U+FFFD and the view would store a changed text
  without a word. Refused as a whole, so nothing changed is ever stored.
- Text no database stores or no one types (cms/text.py): NUL (PostgreSQL refuses it in every
  string), the other control characters and lone surrogates, in
  any query-string key or value and any form field's name. Form *values* are each form's own
  business (the answer pipeline refuses them with a field error).
- Query-string values that are whole numbers beyond a 64-bit integer (a 20-digit "id"): no
  database column holds one, and SQLite cannot even bind it (`OverflowError` in every admin
  filter and model choice that looks an id up: Django range-checks only some lookups).
- Query-string values longer than MAX_QUERY_VALUE (2,000 characters): no link of the site or the
  admin makes one, and SQLite refuses a LIKE pattern over 50,000 bytes (a search box given 100k
  characters was a 500 on every admin listing).
- A form post without a field the form's own script always sends (a StreamField's `body-count`):
  Wagtail's block widgets read such keys from `request.POST` unguarded. A missing key of the
  request's own data (`MultiValueDictKeyError`) is the client's error, so it is a 400.
- On the API, numbers beyond a database integer where the OpenAPI document declares an integer
  (`?offset=99999999999999999999`, `/api/v3/pages/<20 digits>/`): Wagtail's own endpoints declare
  `int` without bounds and hand the number to the database. The document is the one list of
  parameters and their types, for our routers and Wagtail's alike.

The API answers `application/problem+json` (as Wagtail's handlers do); other paths Django's 400
page (templates/400.html).
"""

import re
from functools import cache
from urllib.parse import unquote_to_bytes

from django.core.exceptions import BadRequest
from django.utils.datastructures import MultiValueDictKeyError
from wagtail.api.v3.errors import problem_response
from wagtail.api.v3.urls import api

from cms.api import VALIDATION_DETAIL, chinese_error
from cms.ids import MAX_ID
from cms.text import INVALID_TEXT

API_PREFIX = "/api/v3/"
MAX_QUERY_VALUE = 2_000
MAX_BIGINT = 2**63 - 1
_INTEGER = re.compile(r"[+-]?\d+")


def unstorable(text: str) -> bool:
    """Whether `text` holds a character that is not text (cms/text.py's one rule: NUL, another
    control character but tab, LF and CR, a lone surrogate)."""
    return INVALID_TEXT.search(text) is not None


def _only_integer(schema: dict) -> bool:
    kinds = {s.get("type") for s in schema.get("anyOf", [schema])}
    return "integer" in kinds and kinds <= {"integer", "null"}


def _path_pattern(template: str) -> re.Pattern:
    """`/api/v3/pages/{id}/` → a pattern with a named group per path parameter."""
    parts = re.split(r"\{(\w+)\}", template)
    regex = "".join(re.escape(p) if i % 2 == 0 else f"(?P<{p}>[^/]+)" for i, p in enumerate(parts))
    return re.compile(f"^{regex}$")


@cache
def _integer_parameters() -> list[tuple[re.Pattern, dict[str, set[str]], dict[str, set[str]]]]:
    """(path pattern, {method: integer path parameters}, {method: integer query parameters}) for
    every path of the OpenAPI document, read once per process (every router is mounted by then)."""
    table = []
    for template, operations in api.get_openapi_schema()["paths"].items():
        path_ints: dict[str, set[str]] = {}
        query_ints: dict[str, set[str]] = {}
        for method, operation in operations.items():
            for parameter in operation.get("parameters", []):
                if _only_integer(parameter.get("schema", {})):
                    into = path_ints if parameter["in"] == "path" else query_ints
                    into.setdefault(method.upper(), set()).add(parameter["name"])
        table.append((_path_pattern(template), path_ints, query_ints))
    return table


def _beyond(value: str, limit: int) -> bool:
    """Whether `value` is a whole number (as the ORM would read it) beyond ±limit."""
    text = value.strip()
    return len(text) < 4300 and _INTEGER.fullmatch(text) is not None and abs(int(text)) > limit


def _out_of_range(value: str) -> bool:
    return _beyond(value, MAX_ID)


def _api_problem(request) -> list[dict]:
    errors = []
    for pattern, path_ints, query_ints in _integer_parameters():
        match = pattern.match(request.path_info)
        if match is None:
            continue
        for name in path_ints.get(request.method, ()):
            if _out_of_range(match.group(name)):
                errors.append({"type": "out_of_range", "loc": ["path", name], "msg": "too large"})
        for name in query_ints.get(request.method, ()):
            for value in request.GET.getlist(name):
                if _out_of_range(value):
                    errors.append(
                        {"type": "out_of_range", "loc": ["query", name], "msg": "too large"}
                    )
        break
    return errors


def _not_utf8(raw: bytes) -> bool:
    """Whether an urlencoded string (a query string, a form body) holds bytes that are not UTF-8."""
    for pair in raw.replace(b"+", b" ").split(b"&"):
        for piece in pair.split(b"=", 1):
            try:
                unquote_to_bytes(piece).decode("utf-8")
            except UnicodeDecodeError:
                return True
    return False


def _query_errors(request) -> list[dict]:
    # WSGI hands the query string over as Latin-1: encoding it back gives the bytes sent.
    if _not_utf8(request.META.get("QUERY_STRING", "").encode("latin-1", "replace")):
        return [{"type": "invalid_encoding", "loc": ["query", ""], "msg": "not UTF-8"}]
    errors = [
        {"type": "invalid_characters", "loc": ["query", key], "msg": "NUL or lone surrogate"}
        for key, values in request.GET.lists()
        if unstorable(key) or any(unstorable(v) for v in values)
    ]
    errors += [
        {"type": "out_of_range", "loc": ["query", key], "msg": "beyond a 64-bit integer"}
        for key, values in request.GET.lists()
        if any(_beyond(v, MAX_BIGINT) for v in values)
    ]
    errors += [
        {
            "type": "too_long",
            "loc": ["query", key],
            "msg": f"over {MAX_QUERY_VALUE} characters",
            "ctx": {"max_length": MAX_QUERY_VALUE},
        }
        for key, values in request.GET.lists()
        if len(key) > MAX_QUERY_VALUE or any(len(v) > MAX_QUERY_VALUE for v in values)
    ]
    # Form field names, on the site and the admin; the API takes JSON, and its answer endpoint
    # refuses any other body itself (415) before reading it.
    if (
        not request.path_info.startswith(API_PREFIX)
        and request.method == "POST"
        and request.content_type
        in (
            "application/x-www-form-urlencoded",
            "multipart/form-data",
        )
    ):
        if request.content_type == "application/x-www-form-urlencoded" and _not_utf8(request.body):
            return [{"type": "invalid_encoding", "loc": ["form", ""], "msg": "not UTF-8"}]
        errors += [
            {"type": "invalid_characters", "loc": ["form", key], "msg": "NUL or lone surrogate"}
            for key in [*request.POST.keys(), *request.FILES.keys()]
            if unstorable(key)
        ]
    return errors


class InputGuardMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        on_api = request.path_info.startswith(API_PREFIX)
        errors = _query_errors(request)
        if on_api and not errors:
            errors = _api_problem(request)
        if errors:
            if on_api:
                return problem_response(
                    status=400, detail=VALIDATION_DETAIL, errors=[chinese_error(e) for e in errors]
                )
            raise BadRequest(
                "; ".join(f"{e['type']} {e['loc'][0]} {e['loc'][1][:40]!r}" for e in errors)
            )
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, MultiValueDictKeyError) and request.method == "POST":
            raise BadRequest(f"missing form field {exception}") from exception
        return None
