"""Admin forms of our own: the login form, and the image and document upload forms.

Wagtail 8.0's ``LoginForm`` declares its password field without a label, so Django derives one
from the field name and the zh-hans login page says "Password" in English next to 用户名.

The image and document forms (WAGTAILIMAGES_IMAGE_FORM_BASE, WAGTAILDOCS_DOCUMENT_FORM_BASE) write
the uploaded file to the store while they validate, so a store that refuses it (cms/storage.py) is
an error of the file field: every Wagtail upload view (single, multiple, the choosers') shows it in
Chinese and creates no row.
"""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms.auth import LoginForm as WagtailLoginForm
from wagtail.documents.forms import BaseDocumentForm
from wagtail.images.forms import BaseImageForm

from cms.storage import StoreError


class LoginForm(WagtailLoginForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["password"].label = _("Password")  # Django's own catalogue: 密码


class StoresFileWhenValid:
    """Writes a new file to its storage at the end of validation, when nothing else is wrong."""

    def _post_clean(self):
        super()._post_clean()
        file = self.instance.file
        self.stored_name = None
        if self._errors or "file" not in self.changed_data or not file or file._committed:
            return
        try:
            # What FileField.pre_save would do on the model's save, one step earlier.
            file.save(file.name, file.file, save=False)
        except StoreError as error:
            self.add_error("file", error.message)
        except OSError as error:  # a storage other than ours
            self.add_error("file", StoreError.from_os_error(error).message)
        else:
            self.stored_name = self.instance.file.name

    def save(self, commit=True):
        try:
            return super().save(commit=commit)
        except Exception:
            if self.stored_name:  # no row will point at it
                self.instance.file.storage.delete(self.stored_name)
            raise


class ImageForm(StoresFileWhenValid, BaseImageForm):
    pass


class DocumentForm(StoresFileWhenValid, BaseDocumentForm):
    pass
