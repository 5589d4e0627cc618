"""Text the product accepts and stores: well-formed Unicode without control characters. A lone
surrogate ("a\\ud800b", which JSON can spell) cannot be encoded as UTF-8, so PostgreSQL refuses it
and every page showing a stored one fails; NUL and the other C0 controls are no text anyone types.
Tab, line feed and carriage return are text. Every surface that takes text refuses the rest with
`validate_text` (a Django validator) or `text_problem`; `displayable` shows a row stored before
that rule without failing."""

from __future__ import annotations

import re
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import ProhibitNullCharactersValidator
from django.db import models
from wagtail.admin.forms.models import register_form_field_override
from wagtail.admin.widgets import AdminAutoHeightTextInput

INVALID_TEXT = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff]")
INVALID_TEXT_MESSAGE = "含有无法识别的字符（如控制字符或残缺的编码），请删除后重新填写。"
REPLACEMENT = "\ufffd"


def text_problem(value: Any) -> str | None:
    """The Chinese message when `value` (a string, or a list of them) holds a character that is
    not text; None when it is fine or not text at all."""
    values = value if isinstance(value, list | tuple) else [value]
    if any(isinstance(v, str) and INVALID_TEXT.search(v) for v in values):
        return INVALID_TEXT_MESSAGE
    return None


def validate_text(value: Any) -> None:
    problem = text_problem(value)
    if problem:
        raise ValidationError(problem, code="invalid_text")


def displayable(value: Any) -> Any:
    """`value` with every character that is not text replaced by U+FFFD (strings, and the strings
    in lists and dicts); anything else as it is."""
    if isinstance(value, str):
        return INVALID_TEXT.sub(REPLACEMENT, value)
    if isinstance(value, list):
        return [displayable(v) for v in value]
    if isinstance(value, dict):
        return {displayable(k): displayable(v) for k, v in value.items()}
    return value


def refuse_bad_text(field) -> None:
    """This form field refuses bad text with our one message. Django's own NUL check is dropped:
    validate_text covers NUL, and Django's zh-hans message for it is garbled ("不允许是用空字符串"),
    so a NUL showed two errors, one of them wrong."""
    field.validators = [
        v for v in field.validators if not isinstance(v, ProhibitNullCharactersValidator)
    ]
    field.validators.append(validate_text)


def check_text_fields(form) -> None:
    """Every field of this form instance refuses bad text with a form error in Chinese (a form's
    fields are its own copies, so the class is not changed)."""
    for field in form.fields.values():
        refuse_bad_text(field)


def check_admin_text_fields() -> None:
    """Every text field of every Wagtail admin model form (pages, snippets, records) refuses bad
    text. Wagtail's own override of a plain TextField (its auto-height widget) is kept: the
    registry holds one override per field class. Called from CmsConfig.ready()."""
    register_form_field_override(models.CharField, override={"validators": [validate_text]})
    register_form_field_override(models.TextField, override={"validators": [validate_text]})
    register_form_field_override(
        models.TextField,
        override={"widget": AdminAutoHeightTextInput, "validators": [validate_text]},
        exact_class=True,
    )
