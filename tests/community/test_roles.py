import pytest
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission

from community.models import CommunityPage, Role
from community.roles import COMMITTEE_PAGE_ACTIONS, orphan_groups, sync_roles

pytestmark = pytest.mark.django_db


def _snapshot():
    return (
        sorted(Group.objects.values_list("pk", "name")),
        sorted(GroupPagePermission.objects.values_list("group", "page", "permission")),
        sorted(GroupCollectionPermission.objects.values_list("group", "collection", "permission")),
        sorted(Group.permissions.through.objects.values_list("group", "permission")),
        sorted(Role.objects.values_list("group", "kind", "page", "collection")),
        sorted(Collection.objects.values_list("pk", "name", "path")),
    )


def test_sync_roles_twice_changes_nothing():
    before = _snapshot()
    report = sync_roles()
    assert not report.changed, report
    assert _snapshot() == before


def test_every_community_and_township_has_its_group():
    names = set(Group.objects.values_list("name", flat=True))
    for community in CommunityPage.objects.all():
        assert f"委员会:{community.title}" in names
    assert {"审核:柳溪镇", "审核:东城街道", "区民政"} <= names


def test_committee_holds_exactly_the_declared_page_permissions(xinghua):
    group = Group.objects.get(name="委员会:杏花村")
    perms = GroupPagePermission.objects.filter(group=group)
    assert {p.page_id for p in perms} == {xinghua.pk}
    assert {p.permission.codename for p in perms} == {f"{a}_page" for a in COMMITTEE_PAGE_ACTIONS}
    assert "bulk_delete_page" not in {p.permission.codename for p in perms}


def test_reviewers_and_district_hold_no_page_permissions():
    for name in ("审核:柳溪镇", "审核:东城街道", "区民政"):
        assert not GroupPagePermission.objects.filter(group__name=name).exists()
        assert Group.objects.get(name=name).permissions.filter(codename="access_admin").exists()


def test_committee_uploads_into_its_own_collection_under_its_township():
    role = Role.objects.get(group__name="委员会:杏花村")
    assert role.collection.name == "杏花村"
    assert role.collection.get_parent().name == "柳溪镇"
    codenames = set(
        GroupCollectionPermission.objects.filter(group=role.group).values_list(
            "permission__codename", flat=True
        )
    )
    assert codenames == {
        "add_image", "change_image", "choose_image",
        "add_document", "change_document", "choose_document",
    }  # fmt: skip


def test_sync_repairs_missing_and_removes_extra_permissions(xinghua, shiqiao):
    group = Group.objects.get(name="委员会:杏花村")
    GroupPagePermission.objects.filter(group=group, permission__codename="publish_page").delete()
    GroupPagePermission.objects.create(
        group=group, page=shiqiao, permission=Permission.objects.get(codename="change_page")
    )
    group.permissions.add(Permission.objects.get(codename="delete_user"))

    report = sync_roles()

    assert report.changed
    perms = GroupPagePermission.objects.filter(group=group)
    assert {p.page_id for p in perms} == {xinghua.pk}
    assert perms.filter(permission__codename="publish_page").exists()
    assert not group.permissions.filter(codename="delete_user").exists()


def test_sync_recreates_a_deleted_group(xinghua):
    Group.objects.filter(name="委员会:杏花村").delete()
    sync_roles()
    role = Role.objects.get(kind=Role.Kind.COMMITTEE, page=xinghua)
    assert role.group.name == "委员会:杏花村"


def test_publishing_a_new_title_renames_group_and_collection_without_a_second_group(xinghua):
    group_pk = Group.objects.get(name="委员会:杏花村").pk
    xinghua.title = "杏花岭村"
    xinghua.save_revision().publish()
    group = Group.objects.get(pk=group_pk)
    assert group.name == "委员会:杏花岭村"
    assert group.role.collection.name == "杏花岭村"
    assert not Group.objects.filter(name="委员会:杏花村").exists()


def test_same_title_in_another_township_gets_a_distinct_group(dongcheng):
    twin = CommunityPage(title="杏花村", slug="xinghua", households=50, adult_residents=120)
    dongcheng.add_child(instance=twin)
    assert (
        Role.objects.get(kind=Role.Kind.COMMITTEE, page=twin).group.name
        == "委员会:杏花村（东城街道）"
    )
    assert (
        Role.objects.get(group__name="委员会:杏花村").page.specific.get_parent().title == "柳溪镇"
    )


def test_a_hand_made_group_of_the_same_name_is_adopted(liuxi):
    Group.objects.create(name="委员会:枫林村")
    community = CommunityPage(title="枫林村", slug="fenglin", households=100, adult_residents=260)
    liuxi.add_child(instance=community)
    assert Group.objects.filter(name="委员会:枫林村").count() == 1
    assert Role.objects.get(kind=Role.Kind.COMMITTEE, page=community).group.name == "委员会:枫林村"


def test_group_of_a_deleted_community_is_reported_not_deleted(liuxi):
    community = CommunityPage(title="枫林村", slug="fenglin", households=100, adult_residents=260)
    liuxi.add_child(instance=community)
    community.delete()
    assert Group.objects.filter(name="委员会:枫林村").exists()
    assert orphan_groups() == ["委员会:枫林村", "监督委员会:枫林村"]


def test_sync_roles_command_says_when_nothing_changed(capsys):
    call_command("sync_roles")
    assert "无需改动" in capsys.readouterr().out


def test_community_scope_queryset(
    committee_xinghua, reviewer_liuxi, reviewer_dongcheng, district_staff, django_user_model
):
    def slugs(user):
        return set(CommunityPage.objects.for_user(user).values_list("slug", flat=True))

    assert slugs(committee_xinghua) == {"xinghua"}
    assert slugs(reviewer_liuxi) == {"xinghua", "shiqiao", "nanshan"}
    assert slugs(reviewer_dongcheng) == {"yinxing", "hepingli"}
    assert len(slugs(district_staff)) == 5
    assert slugs(django_user_model(username="nobody")) == set()
