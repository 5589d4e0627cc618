import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.urls import reverse
from wagtail.models import Page
from wagtail.test.utils.form_data import rich_text

from community.models import CommunityPage, NoticeIndexPage, Role, TownshipPage
from consultation.models import ConsultationIndexPage
from home.models import HomePage

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("model", "parent_name", "allowed"),
    [
        (TownshipPage, "home", True),
        (TownshipPage, "liuxi", False),
        (CommunityPage, "liuxi", True),
        (CommunityPage, "home", False),
        (CommunityPage, "xinghua", False),
        (NoticeIndexPage, "home", False),
        (NoticeIndexPage, "liuxi", False),
        (ConsultationIndexPage, "home", False),
        (HomePage, "home", False),
    ],
)
def test_page_types_live_only_where_the_tree_allows(request, model, parent_name, allowed):
    parent = request.getfixturevalue(parent_name)
    assert model.can_create_at(parent) is allowed


def test_a_community_has_exactly_one_of_each_section(xinghua):
    # The demo community already has its sections, so neither can be added again.
    assert not NoticeIndexPage.can_create_at(xinghua)
    assert not ConsultationIndexPage.can_create_at(xinghua)
    sections = [type(p) for p in xinghua.get_children().specific()]
    assert sections.count(NoticeIndexPage) == sections.count(ConsultationIndexPage) == 1


def test_admin_refuses_a_community_directly_under_the_district(client, superuser, home):
    client.force_login(superuser)
    url = reverse("wagtailadmin_pages:add", args=("community", "communitypage", home.pk))
    assert client.get(url).url == reverse("wagtailadmin_home")
    response = client.post(url, _community_form())
    assert response.status_code == 302
    assert not CommunityPage.objects.filter(slug="xinfeng").exists()


def _community_form(**overrides):
    data = {
        "title": "新风村",
        "slug": "xinfeng",
        "kind": "village",
        "intro": rich_text(""),
        "households": "300",
        "adult_residents": "820",
        "representatives": "30",
        "committee_name": "",
        "office_address": "新风村村部",
        "contact_phone": "0571-8812 9904",
        "office_hours": "",
        "action-publish": "publish",
    }
    data.update(overrides)
    return data


def test_creating_a_community_in_the_admin_makes_its_sections_and_committee(
    client, superuser, liuxi
):
    client.force_login(superuser)
    url = reverse("wagtailadmin_pages:add", args=("community", "communitypage", liuxi.pk))
    response = client.post(url, _community_form())
    assert response.status_code == 302, response.context["form"].errors

    community = CommunityPage.objects.get(slug="xinfeng")
    assert community.live
    sections = community.get_children().specific()
    assert {type(p) for p in sections} == {NoticeIndexPage, ConsultationIndexPage}
    assert all(p.live for p in sections)
    assert {p.title for p in sections} == {"村务公开", "协商议事"}
    role = Role.objects.get(kind=Role.Kind.COMMITTEE, page=community)
    assert role.group.name == "委员会:新风村"


def test_urban_community_gets_residents_affairs_title(client, superuser, dongcheng):
    client.force_login(superuser)
    url = reverse("wagtailadmin_pages:add", args=("community", "communitypage", dongcheng.pk))
    client.post(url, _community_form(title="春晖社区", slug="chunhui", kind="urban"))
    community = CommunityPage.objects.get(slug="chunhui")
    assert community.get_children().type(NoticeIndexPage).get().title == "居务公开"


def test_creating_a_township_in_the_admin_makes_its_reviewer_group(client, superuser, home):
    client.force_login(superuser)
    url = reverse("wagtailadmin_pages:add", args=("community", "townshippage", home.pk))
    response = client.post(
        url,
        {
            "title": "白鹭乡",
            "slug": "bailu",
            "kind": "township",
            "intro": rich_text(""),
            "office_address": "",
            "contact_phone": "",
            "action-publish": "publish",
        },
    )
    assert response.status_code == 302
    assert Group.objects.filter(name="审核:白鹭乡").exists()


def test_programmatic_creation_also_creates_the_roles(liuxi):
    community = CommunityPage(title="枫林村", slug="fenglin", households=100, adult_residents=260)
    liuxi.add_child(instance=community)
    assert Group.objects.filter(name="委员会:枫林村", role__page=community).exists()


def test_ensure_sections_is_idempotent(xinghua):
    before = Page.objects.count()
    assert xinghua.ensure_sections() == []
    assert Page.objects.count() == before


def test_ensure_sections_recreates_a_missing_section_beside_a_slug_in_use(yinxing):
    yinxing.get_children().type(NoticeIndexPage).get().delete()
    ConsultationIndexPage.objects.child_of(yinxing).update(slug="notices")
    yinxing.refresh_from_db()
    (created,) = yinxing.ensure_sections()
    assert isinstance(created, NoticeIndexPage)
    assert created.slug == "notices-2"


def test_more_representatives_than_adults_is_refused_with_the_numbers(liuxi):
    community = CommunityPage(
        title="错数村", slug="cuoshu", households=10, adult_residents=20, representatives=25
    )
    with pytest.raises(ValidationError) as excinfo:
        community.full_clean()
    assert "代表人数 25 人不能超过18周岁以上村(居)民人数 20 人" in str(excinfo.value)


def test_bad_contact_phone_is_refused_in_chinese(client, superuser, liuxi):
    client.force_login(superuser)
    url = reverse("wagtailadmin_pages:add", args=("community", "communitypage", liuxi.pk))
    response = client.post(url, _community_form(contact_phone="call me"))
    assert response.status_code == 200
    assert "请填写有效的电话号码" in response.content.decode()
    assert not CommunityPage.objects.filter(slug="xinfeng").exists()
