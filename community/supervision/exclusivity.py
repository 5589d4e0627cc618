"""Members of a community's committee may not sit on its supervision committee (village 2025
第三十七条, urban 2025 第三十六条: 村(居)民委员会成员及其近亲属不得担任其成员).

The rule holds on every path that puts a user into a group: Wagtail's user forms say it on the
groups field (users.py); `m2m_changed` refuses it for everything else (a script, the shell,
`group.user_set.add`). Close relatives are not known to the platform: the township checks them
when it keeps the member list."""

from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db.models.signals import m2m_changed
from django.utils import timezone

from community.law import provision
from community.models import CommunityPage, Role

EXCLUSIVE = frozenset({Role.Kind.COMMITTEE, Role.Kind.SUPERVISOR})


def citation(community: CommunityPage) -> str:
    today = timezone.localdate()
    row = provision(f"{community.kind}.supervision", on=today) or provision(
        "village.supervision", on=today
    )
    return row.citation


def message(community: CommunityPage) -> str:
    body = "村民委员会" if community.kind == CommunityPage.Kind.VILLAGE else "居民委员会"
    board = "村务监督委员会" if community.kind == CommunityPage.Kind.VILLAGE else "居务监督委员会"
    return (
        f"同一用户不能同时担任{community.title}的{body}成员和{board}成员"
        f"（{citation(community)}：{body}成员及其近亲属不得担任{board}成员）。"
    )


def conflicts(group_ids: Iterable[int]) -> list[CommunityPage]:
    """The communities for which these groups hold both the committee and the supervision role."""
    kinds_by_page: dict[int, set[str]] = {}
    pairs = Role.objects.filter(group_id__in=list(group_ids), kind__in=EXCLUSIVE)
    for kind, page_id in pairs.values_list("kind", "page_id"):
        kinds_by_page.setdefault(page_id, set()).add(kind)
    both = [page_id for page_id, kinds in kinds_by_page.items() if kinds == EXCLUSIVE]
    return list(CommunityPage.objects.filter(pk__in=both).order_by("path"))


def refuse_conflicting(group_ids: Iterable[int]) -> None:
    found = conflicts(group_ids)
    if found:
        raise ValidationError([message(community) for community in found], code="exclusive_roles")


def _check_group_add(sender, instance, action, reverse, model, pk_set, **kwargs):
    if action != "pre_add" or not pk_set:
        return
    if not reverse:  # user.groups.add(group, ...)
        held = set(instance.groups.values_list("pk", flat=True))
        refuse_conflicting(held | set(pk_set))
        return
    # group.user_set.add(user, ...): each user with the groups they hold and this one
    for user_id in pk_set:
        held = set(Group.objects.filter(user__pk=user_id).values_list("pk", flat=True))
        refuse_conflicting(held | {instance.pk})


def connect() -> None:
    m2m_changed.connect(
        _check_group_add,
        sender=get_user_model().groups.through,
        dispatch_uid="supervision_exclusive_roles",
    )
