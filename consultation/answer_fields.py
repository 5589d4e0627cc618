"""The form fields a resident's answer goes through beyond Django's own: numbers typed as a phone
keyboard or an input method gives them (full-width １２．５, spaces) are read as the ASCII number
they mean and stored so (the mobile number field is in cms/fields.py, as community's forms take
one too); and the builder's type list, which offers the committee only the types that fit
residents (FORM_EXTRA_FIELD_TYPES allows the others)."""

from django import forms
from django.conf import settings

from cms.fields import ascii_digits

# Types Wagtail's builder has that a resident cannot see (隐藏字段) or would not know how to fill
# (a bare URL): offered only where the setting names them; stored fields of these types still work.
EXTRA_TYPES = frozenset({"hidden", "url"})


def allowed_types() -> frozenset[str]:
    return frozenset(getattr(settings, "FORM_EXTRA_FIELD_TYPES", ()))


def offered(field_type: str) -> bool:
    """Whether the builder offers this type for a new field."""
    return field_type not in EXTRA_TYPES or field_type in allowed_types()


class DigitsMixin:
    def to_python(self, value):
        return super().to_python(ascii_digits(value))


class NumberField(DigitsMixin, forms.DecimalField):
    pass


class DateField(DigitsMixin, forms.DateField):
    pass


class DateTimeField(DigitsMixin, forms.DateTimeField):
    pass


class FieldTypeSelect(forms.Select):
    """The builder's type list: the types that fit residents, and the field's own type whatever it
    is, so that a stored field of another type is shown as what it is and keeps working."""

    def optgroups(self, name, value, attrs=None):
        current = {str(v) for v in value if v}
        groups = super().optgroups(name, value, attrs)
        return [
            (group, [o for o in options if o["value"] in current or offered(o["value"])], index)
            for group, options, index in groups
        ]
