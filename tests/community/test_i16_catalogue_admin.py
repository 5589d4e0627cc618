"""District staff keep the 公开目录 (a local item appears in every calendar of its kind; the
law's items are only switched off or reordered) and the 本区规则 schedule; nobody else does."""

import datetime

import pytest
from django.urls import reverse

from community.disclosure.calendar import calendars
from community.models import CommunityPage, DisclosureItem

pytestmark = pytest.mark.django_db

LIST = "wagtailsnippets_community_disclosureitem:list"
ADD = "wagtailsnippets_community_disclosureitem:add"
EDIT = "wagtailsnippets_community_disclosureitem:edit"
SETTINGS = "wagtailsettings:edit"


def _local(client):
    return client.post(
        reverse(ADD),
        {
            "name": "农村集体“三资”管理情况",
            "key": "local-sanzi",
            "sort_order": "200",
            "scope": "village",
            "schedule": "quarterly",
            "category": "finance",
            "basis": "区民政局〔2026〕3号",
            "active": "on",
        },
    )


def test_district_staff_add_a_local_item_that_every_village_calendar_then_requires(
    client, district_staff, xinghua
):
    client.force_login(district_staff)
    assert client.get(reverse(LIST)).status_code == 200
    response = _local(client)
    assert response.status_code == 302, response.content.decode()[:2000]
    calendar = calendars(CommunityPage.objects.filter(pk=xinghua.pk), datetime.date(2026, 12, 2))
    assert "local-sanzi" in {e.item.key for e in calendar[xinghua.pk].entries}


@pytest.mark.parametrize("who", ["committee_xinghua", "reviewer_liuxi"])
def test_committees_and_reviewers_do_not_keep_the_catalogue(client, request, who):
    client.force_login(request.getfixturevalue(who))
    _local(client)
    assert not DisclosureItem.objects.filter(key="local-sanzi").exists()
    response = client.get(reverse(SETTINGS, args=("community", "districtsettings")))
    assert response.status_code in (302, 403)


def test_a_built_in_item_is_switched_off_but_not_rewritten(client, district_staff):
    item = DisclosureItem.objects.get(key="village-funds")
    client.force_login(district_staff)
    data = {
        "name": "改过的名称",
        "key": item.key,
        "sort_order": str(item.sort_order),
        "scope": item.scope,
        "schedule": item.schedule,
        "category": item.category,
        "basis": item.basis,
    }
    response = client.post(reverse(EDIT, args=(item.pk,)), data)
    assert "这是法律规定的公开事项" in response.content.decode()
    item.refresh_from_db()
    assert item.name.startswith("政府拨付") and item.active
    client.post(reverse(EDIT, args=(item.pk,)), {**data, "name": item.name})
    item.refresh_from_db()
    assert not item.active  # the checkbox left unticked: switched off


def test_district_staff_open_the_districts_rules(client, district_staff):
    client.force_login(district_staff)
    url = reverse(SETTINGS, args=("community", "districtsettings"))
    response = client.get(url, follow=True)
    assert response.status_code == 200 and "公开台账起始日期" in response.content.decode()
