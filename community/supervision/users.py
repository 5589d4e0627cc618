"""Wagtail's user create and edit forms, refusing on the groups field a user who would hold the
committee and the supervision role of the same community (exclusivity.py holds every other path)."""

from django.core.exceptions import ValidationError
from wagtail.users.forms import UserCreationForm, UserEditForm
from wagtail.users.views.users import UserViewSet as WagtailUserViewSet

from community.supervision.exclusivity import refuse_conflicting


class ExclusiveRolesMixin:
    def clean(self):
        cleaned = super().clean()
        groups = cleaned.get("groups")
        if groups is not None:
            try:
                refuse_conflicting(group.pk for group in groups)
            except ValidationError as error:
                self.add_error("groups", error)
        return cleaned


class SupervisionUserCreationForm(ExclusiveRolesMixin, UserCreationForm):
    class Meta(UserCreationForm.Meta):
        pass


class SupervisionUserEditForm(ExclusiveRolesMixin, UserEditForm):
    class Meta(UserEditForm.Meta):
        pass


class UserViewSet(WagtailUserViewSet):
    def get_form_class(self, for_update=False):
        return SupervisionUserEditForm if for_update else SupervisionUserCreationForm
