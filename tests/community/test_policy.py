"""The one permission policy (community/permissions.py): what each role may do in its own and in
other communities, site administrators, and roles read once per user object."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser, Group
from django.db import connection
from django.test.utils import CaptureQueriesContext

from community.models import CommunityPage, Role
from community.permissions import COMMITTEE, DISTRICT, REVIEWER, SUPERVISOR, policy_for

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("user", "community", "kinds"),
    [
        ("committee_xinghua", "xinghua", {COMMITTEE}),
        ("committee_xinghua", "shiqiao", set()),
        ("committee_xinghua", "yinxing", set()),
        ("reviewer_liuxi", "xinghua", {REVIEWER}),
        ("reviewer_liuxi", "shiqiao", {REVIEWER}),
        ("reviewer_liuxi", "yinxing", set()),
        ("reviewer_dongcheng", "yinxing", {REVIEWER}),
        ("district_staff", "xinghua", {DISTRICT}),
        ("supervisor_xinghua", "xinghua", {SUPERVISOR}),
        ("supervisor_xinghua", "shiqiao", set()),
        ("supervisor_xinghua", "yinxing", set()),
        ("district_staff", "yinxing", {DISTRICT}),
    ],
)
def test_roles_over_a_community(request, user, community, kinds):
    user, community = request.getfixturevalue(user), request.getfixturevalue(community)
    assert policy_for(user).kinds_in(community) == kinds


@pytest.mark.parametrize(
    ("user", "own", "names", "sees"),
    [
        ("committee_xinghua", True, True, {"xinghua"}),
        ("reviewer_liuxi", False, False, {"xinghua", "shiqiao", "nanshan"}),
        ("supervisor_xinghua", False, False, {"xinghua"}),
        ("district_staff", False, True, {"xinghua", "shiqiao", "nanshan", "yinxing", "hepingli"}),
        ("superuser", True, True, {"xinghua", "shiqiao", "nanshan", "yinxing", "hepingli"}),
    ],
)
def test_what_each_role_may_do_in_xinghua(request, xinghua, user, own, names, sees):
    policy = policy_for(request.getfixturevalue(user))
    assert policy.may_act_as(xinghua, {COMMITTEE}) is own
    assert policy.may_see_personal_names(xinghua) is names
    assert set(policy.communities().values_list("slug", flat=True)) == sees
    assert policy.may_use_desk()


def test_anonymous_and_inactive_users_may_do_nothing(xinghua, superuser):
    for user in (AnonymousUser(), None):
        policy = policy_for(user)
        assert not policy.may_act_as(xinghua, {COMMITTEE, REVIEWER, DISTRICT})
        assert not policy.communities().exists() and not policy.may_use_desk()
    superuser.is_active = False
    inactive = policy_for(superuser)
    assert not inactive.superuser and not inactive.may_act_as(xinghua, {COMMITTEE})
    assert not inactive.committee_communities().exists()


def test_a_user_with_no_role_sees_no_community(xinghua):
    user = get_user_model().objects.create_user("passer-by", password="x")
    policy = policy_for(user)
    assert not policy.communities().exists() and not policy.may_use_desk()
    assert not policy.is_committee_of(xinghua)


def test_roles_are_read_once_however_many_questions(committee_xinghua):
    communities = list(CommunityPage.objects.all())
    user = get_user_model().objects.get(pk=committee_xinghua.pk)
    with CaptureQueriesContext(connection) as queries:
        for community in communities:
            policy_for(user).kinds_in(community)
            policy_for(user).may_see_personal_names(community)
            policy_for(user).may_act_as(community, {COMMITTEE})
        policy_for(user).may_use_desk()
        policy_for(user).is_district()
    assert len(queries) == 1


def test_a_new_group_is_seen_at_once(committee_xinghua, yinxing):
    assert not policy_for(committee_xinghua).is_committee_of(yinxing)
    group = Role.objects.get(kind=COMMITTEE, page=yinxing).group
    committee_xinghua.groups.add(group)
    assert policy_for(committee_xinghua).is_committee_of(yinxing)
    committee_xinghua.groups.remove(group)
    assert not policy_for(committee_xinghua).is_committee_of(yinxing)
    assert Group.objects.filter(pk=group.pk).exists()


def test_an_admin_page_reads_the_users_roles_once(client, committee_xinghua):
    """The dashboard asks the policy from the menu, the review desk's panel and the to-do panel."""
    client.force_login(committee_xinghua)
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/admin/").status_code == 200
    role_reads = [q for q in queries if 'FROM "community_role"' in q["sql"]]
    assert len(role_reads) == 1, [q["sql"][:200] for q in role_reads]
