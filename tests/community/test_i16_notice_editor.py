"""Issue 16 items 1 and 2 in the notice editor: a committee member publishing a 公示 names the
catalogue items it discloses (only those of the community's kind) and its period; a 公示期 shorter
than fifteen days is refused with the article. A draft may still be saved half-written."""

import datetime

import pytest
from django.utils import timezone
from wagtail.test.utils.form_data import nested_form_data, streamfield

from community.disclosure.periods import QUARTER, period_of
from community.models import DisclosureItem, NoticeIndexPage, NoticePage

pytestmark = pytest.mark.django_db


def _board(community) -> NoticeIndexPage:
    return NoticeIndexPage.objects.child_of(community).get()


def _form(items=(), period=None, days=30, category="affairs", slug="new-notice", **extra):
    today = timezone.localdate()
    data = {
        "title": "2026年第四季度村务公开",
        "slug": slug,
        "category": category,
        "summary": "本季度村务公开。",
        "display_from": today.isoformat(),
        "display_until": ""
        if days is None
        else (today + datetime.timedelta(days=days - 1)).isoformat(),
        "body": streamfield([]),
        "attachments": streamfield([]),
        "period": period if period is not None else period_of(today, QUARTER).code,
        "action-publish": "publish",
        **extra,
    }
    form = nested_form_data({k: v for k, v in data.items() if v is not None})
    form["disclosure_items"] = [DisclosureItem.objects.get(key=k).pk for k in items]
    return form


def _add(client, user, community, data):
    client.force_login(user)
    return client.post(f"/admin/pages/add/community/noticepage/{_board(community).pk}/", data)


def _errors(response) -> str:
    assert response.status_code == 200, "the editor accepted the notice"
    return str(response.context["form"].errors)


def test_a_committee_publishes_a_notice_naming_its_item_and_period(
    client, committee_xinghua, xinghua
):
    response = _add(client, committee_xinghua, xinghua, _form(["village-decisions"]))
    assert response.status_code == 302, _errors(response)
    notice = NoticePage.objects.descendant_of(xinghua).get(slug="new-notice")
    assert notice.live and notice.disclosure_item_keys == ["village-decisions"]
    assert notice.period == period_of(timezone.localdate(), QUARTER).code


def test_the_editor_refuses_a_notice_that_names_no_item(client, committee_xinghua, xinghua):
    errors = _errors(_add(client, committee_xinghua, xinghua, _form([])))
    assert "请至少勾选一项公开事项" in errors


def test_a_draft_may_be_saved_before_its_item_is_chosen(client, committee_xinghua, xinghua):
    data = _form([], period="")
    data.pop("action-publish")
    response = _add(client, committee_xinghua, xinghua, data)
    assert response.status_code == 302, _errors(response)
    assert not NoticePage.objects.descendant_of(xinghua).get(slug="new-notice").live


def test_a_party_notice_needs_no_catalogue_item(client, committee_xinghua, xinghua):
    response = _add(client, committee_xinghua, xinghua, _form([], category="party"))
    assert response.status_code == 302, _errors(response)


def test_a_village_notice_cannot_name_an_urban_item(client, committee_xinghua, xinghua):
    errors = _errors(_add(client, committee_xinghua, xinghua, _form(["urban-services"])))
    assert "不适用于本村（社区）" in errors


def test_the_editor_lists_only_the_active_items_of_the_communitys_kind(
    client, committee_xinghua, xinghua
):
    DisclosureItem.objects.create(key="local-off", name="已停用的本地事项", active=False)
    DisclosureItem.objects.create(key="local-water", name="饮水工程", scope="village")
    client.force_login(committee_xinghua)
    html = client.get(f"/admin/pages/add/community/noticepage/{_board(xinghua).pk}/").content
    html = html.decode()
    assert "财务收支情况" in html and "饮水工程" in html
    assert "社区服务项目实施情况" not in html and "已停用的本地事项" not in html
    assert 'type="checkbox" name="disclosure_items"' in html


@pytest.mark.parametrize("period", ["2026Q5", "２０２６Q4", "=1+1", "2026-13", "x" * 100_000])
def test_the_editor_refuses_a_period_not_offered(client, committee_xinghua, xinghua, period):
    errors = _errors(_add(client, committee_xinghua, xinghua, _form(["village-other"], period)))
    assert "不在可选范围内" in errors


def test_the_editor_refuses_a_notice_without_a_period(client, committee_xinghua, xinghua):
    errors = _errors(_add(client, committee_xinghua, xinghua, _form(["village-other"], "")))
    assert "请选择公开期间" in errors


def test_a_stored_period_older_than_the_choices_stays_selectable(committee_xinghua, xinghua):
    notice = NoticePage.objects.descendant_of(xinghua).get(slug="hongbai")
    notice.period = "2019Q1"
    form_class = NoticePage.get_edit_handler().get_form_class()
    form = form_class(instance=notice, parent_page=notice.get_parent(), for_user=committee_xinghua)
    assert ("2019Q1", "2019年第一季度") in form.fields["period"].choices


def test_a_fourteen_day_display_period_is_refused_with_the_article(
    client, committee_xinghua, xinghua
):
    errors = _errors(_add(client, committee_xinghua, xinghua, _form(["village-other"], days=14)))
    assert "公示期至少15天，现为14天" in errors
    assert "第三十五条" in errors and "不得少于十五日" in errors


@pytest.mark.parametrize("days", [15, None])
def test_fifteen_days_and_long_term_are_accepted(client, committee_xinghua, xinghua, days):
    response = _add(client, committee_xinghua, xinghua, _form(["village-other"], days=days))
    assert response.status_code == 302, _errors(response)


def test_the_preview_of_a_new_notice_still_works(client, committee_xinghua, xinghua):
    client.force_login(committee_xinghua)
    url = f"/admin/pages/add/community/noticepage/{_board(xinghua).pk}/preview/"
    data = _form([], period="")
    response = client.post(url, data)
    assert response.json() == {"is_valid": True, "is_available": True}
    assert client.get(url).status_code == 200


def test_a_seven_day_low_income_notice_names_no_item(client, committee_xinghua, xinghua):
    """政务公开 (a 低保 公示 of seven days) follows its own rules when it names no item."""
    data = _form([], category="government", days=7)
    response = _add(client, committee_xinghua, xinghua, data)
    assert response.status_code == 302, _errors(response)
    notice = NoticePage.objects.descendant_of(xinghua).get(slug="new-notice")
    assert notice.live and notice.disclosure_item_keys == []


def test_a_government_notice_naming_an_item_keeps_the_fifteen_days(
    client, committee_xinghua, xinghua
):
    data = _form(["village-assistance"], category="government", days=7)
    errors = _errors(_add(client, committee_xinghua, xinghua, data))
    assert "公示期至少15天，现为7天" in errors and "第三十五条" in errors


def _late(items=("village-other",), **extra):
    """A notice whose 公示期 began twenty days ago and ended yesterday: twenty days on paper."""
    today = timezone.localdate()
    return _form(
        list(items),
        display_from=(today - datetime.timedelta(days=20)).isoformat(),
        display_until=(today - datetime.timedelta(days=1)).isoformat(),
        **extra,
    )


def test_publishing_a_notice_whose_period_is_over_is_refused(client, committee_xinghua, xinghua):
    errors = _errors(_add(client, committee_xinghua, xinghua, _late()))
    until = timezone.localdate() + datetime.timedelta(days=14)
    assert "公示期自发布之日起至少15天" in errors and "只剩0天" in errors
    assert f"{until:%Y-%m-%d}" in errors and "不得少于十五日" in errors
    assert not NoticePage.objects.descendant_of(xinghua).filter(slug="new-notice").exists()


def test_such_a_notice_may_still_be_saved_as_a_draft(client, committee_xinghua, xinghua):
    data = _late()
    data.pop("action-publish")
    response = _add(client, committee_xinghua, xinghua, data)
    assert response.status_code == 302, _errors(response)
    assert not NoticePage.objects.descendant_of(xinghua).get(slug="new-notice").live


def test_publishing_it_from_the_editor_later_is_refused_on_the_field(
    client, committee_xinghua, xinghua
):
    data = _late()
    data.pop("action-publish")
    _add(client, committee_xinghua, xinghua, data)
    notice = NoticePage.objects.descendant_of(xinghua).get(slug="new-notice")
    response = client.post(f"/admin/pages/{notice.pk}/edit/", _late())
    assert "公示期自发布之日起至少15天" in _errors(response)
    assert not NoticePage.objects.get(pk=notice.pk).live
