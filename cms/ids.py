"""Primary keys as they arrive in URLs and forms: digits within a database integer, or nothing.

A value beyond the database's integer is not an id of anything. Handed to the ORM it is an
`OverflowError` on SQLite (for page types, whose key is a one-to-one link Django does not range-
check) and `bigint out of range` on PostgreSQL: a 500 where the answer is "no such row".
"""

import re

from django import forms
from django_filters import ModelChoiceFilter
from django_filters.fields import ModelChoiceField

MAX_ID = 2_147_483_647
_DIGITS = re.compile(r"[0-9]{1,10}")


def parse_id(value) -> int | None:
    """`value` as a primary key (1 to MAX_ID), or None when it cannot be one."""
    text = str(value).strip() if value is not None else ""
    if not _DIGITS.fullmatch(text):
        return None
    number = int(text)
    return number if 1 <= number <= MAX_ID else None


class IdModelChoiceField(ModelChoiceField):
    """A model choice whose submitted value must look like an id before the database sees it."""

    def to_python(self, value):
        if value not in self.empty_values and parse_id(value) is None:
            raise forms.ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice"
            )
        return super().to_python(value)


class IdModelChoiceFilter(ModelChoiceFilter):
    field_class = IdModelChoiceField
