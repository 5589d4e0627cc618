"""Who may use the review desk at all, as the permission policy answers it (anyone holding a
managed role, and site administrators); what each of them sees is scoped by
`CommunityPage.objects.for_user`."""

from community.permissions import policy_for


def is_desk_user(user) -> bool:
    return policy_for(user).may_use_desk()


def require_desk_user(user) -> None:
    policy_for(user).require(is_desk_user(user))


def is_district(user) -> bool:
    return policy_for(user).is_district()
