"""Form fields every surface that takes a resident's words shares: the mobile number, however a
phone keyboard or an input method typed it (full-width １３８００１３８０００, spaces, hyphens), read
as the 11 ASCII digits it means and stored so (consultation's forms and queries, community's
opinions on a covenant draft)."""

import re
import unicodedata

from django import forms
from django.core.validators import RegexValidator

MOBILE = RegexValidator(
    r"^1[3-9]\d{9}$", "请填写 11 位手机号码，例如 13812341234。", code="invalid_mobile"
)
SEPARATORS = re.compile(r"[\s\-‐‑‒–—]")


def ascii_digits(value):
    """Full-width digits, letters and punctuation as their ASCII forms (NFKC): １２．５ → 12.5."""
    return unicodedata.normalize("NFKC", value) if isinstance(value, str) else value


class MobileField(forms.CharField):
    """An 11-digit mobile number however it was typed (138 0013 8000, １３８００１３８０００), stored
    as its 11 ASCII digits."""

    default_validators = [MOBILE]
    typed_length = 20  # what the box takes: 11 digits with the spaces and hyphens people type

    def widget_attrs(self, widget):
        return {**super().widget_attrs(widget), "maxlength": str(self.typed_length)}

    def to_python(self, value):
        value = super().to_python(ascii_digits(value))
        return SEPARATORS.sub("", value)
