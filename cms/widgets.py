"""Form widgets shared by the admin's own forms."""

from django import forms


class DateInput(forms.DateInput):
    """The browser's date picker (<input type="date">), which reads and writes ISO dates only.
    Django's DateInput renders a date in the active language's format (zh-hans: 2026/06/30),
    which the picker cannot read: it shows an empty field, and saving the form erases the date."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")
