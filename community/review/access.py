"""Who may use the review desk at all: anyone holding a managed role, and site administrators.
What each of them sees is then scoped by `CommunityPage.objects.for_user`."""

from django.core.exceptions import PermissionDenied

from community.models import Role


def is_desk_user(user) -> bool:
    if not (user and user.is_authenticated and user.is_active):
        return False
    return user.is_superuser or Role.objects.filter(group__user=user).exists()


def require_desk_user(user) -> None:
    if not is_desk_user(user):
        raise PermissionDenied


def is_district(user) -> bool:
    if not (user and user.is_authenticated and user.is_active):
        return False
    return (
        user.is_superuser or Role.objects.filter(group__user=user, kind=Role.Kind.DISTRICT).exists()
    )
