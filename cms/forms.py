"""The admin's login form with every label in the user's language.

Wagtail 8.0's ``LoginForm`` declares its password field without a label, so Django derives one
from the field name and the zh-hans login page says "Password" in English next to 用户名.
"""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms.auth import LoginForm as WagtailLoginForm


class LoginForm(WagtailLoginForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["password"].label = _("Password")  # Django's own catalogue: 密码
