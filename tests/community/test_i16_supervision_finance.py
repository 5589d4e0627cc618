"""民主理财: a village's 财务公开 notice goes live only in the content a supervision member signed
off, on every publish path (village 2025 第三十七条); an urban community with the setting off
publishes freely."""

import datetime
import re

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from wagtail.models import APIToken
from wagtail.test.utils.form_data import nested_form_data

from community.models import (
    CommunityPage,
    DisclosureItem,
    FinanceSignOff,
    NoticeIndexPage,
    NoticePage,
    Notification,
)
from community.models.settings import district_settings
from community.supervision.finance import FinancePublishRefused, record_outcome

pytestmark = pytest.mark.django_db

REFUSED = "财务公开须经监督委员会审核"


def _draft(community: CommunityPage, user, slug="finance-test", category="finance") -> NoticePage:
    board = NoticeIndexPage.objects.child_of(community).get()
    today = timezone.localdate()
    notice = NoticePage(
        title="十一月财务收支公开",
        slug=slug,
        category=category,
        summary="收支明细",
        display_from=today,
        display_until=today + datetime.timedelta(days=20),
        body=[("paragraph", "<p>收入 100 元。</p>")],
        live=False,
    )
    board.add_child(instance=notice)
    notice.save_revision(user=user)
    return NoticePage.objects.get(pk=notice.pk)


def _sign(notice, supervisor, outcome=FinanceSignOff.Outcome.SIGNED, opinion="账目相符。"):
    return record_outcome(notice, notice.latest_revision, supervisor, outcome, opinion)


def _shown(client, url) -> dict:
    """The hidden fields naming the version the finance page shows (what a form posts back)."""
    page = client.get(url).content.decode()
    return dict(re.findall(r'name="(revision|digest)" value="([^"]*)"', page))


def _live(notice) -> bool:
    return NoticePage.objects.get(pk=notice.pk).live


def test_revision_publish_is_refused_before_sign_off(xinghua, committee_xinghua):
    notice = _draft(xinghua, committee_xinghua)
    with pytest.raises(FinancePublishRefused, match="第三十七条"):
        notice.latest_revision.publish(user=committee_xinghua)
    assert not _live(notice)


def test_signed_off_revision_publishes(xinghua, committee_xinghua, supervisor_xinghua):
    notice = _draft(xinghua, committee_xinghua)
    _sign(notice, supervisor_xinghua)
    notice.latest_revision.publish(user=committee_xinghua)
    assert _live(notice)
    assert notice.finance_signoffs.get().member.name == "周德福"


def test_an_edit_after_sign_off_needs_a_new_sign_off(
    xinghua, committee_xinghua, supervisor_xinghua
):
    notice = _draft(xinghua, committee_xinghua)
    _sign(notice, supervisor_xinghua)
    draft = notice.get_latest_revision_as_object()
    draft.summary = "收支明细（已改）"
    revision = draft.save_revision(user=committee_xinghua)
    with pytest.raises(FinancePublishRefused):
        revision.publish(user=committee_xinghua)
    _sign(NoticePage.objects.get(pk=notice.pk), supervisor_xinghua)
    revision.publish(user=committee_xinghua)
    assert _live(notice)


def test_autosave_overwriting_the_signed_revision_needs_a_new_sign_off(
    xinghua, committee_xinghua, supervisor_xinghua
):
    """Autosave overwrites a revision in place: the sign-off is of the content, not the row."""
    notice = _draft(xinghua, committee_xinghua)
    signed = notice.latest_revision
    _sign(notice, supervisor_xinghua)
    draft = notice.get_latest_revision_as_object()
    draft.body = [("paragraph", "<p>收入 1,000 元。</p>")]
    assert draft.save_revision(user=committee_xinghua, overwrite_revision=signed).pk == signed.pk
    with pytest.raises(FinancePublishRefused):
        signed.publish(user=committee_xinghua)


def test_a_returned_notice_is_not_published(xinghua, committee_xinghua, supervisor_xinghua):
    notice = _draft(xinghua, committee_xinghua)
    _sign(notice, supervisor_xinghua)
    _sign(notice, supervisor_xinghua, FinanceSignOff.Outcome.RETURNED, "道路维修金额与凭证不符。")
    with pytest.raises(FinancePublishRefused):
        notice.latest_revision.publish(user=committee_xinghua)


def test_a_script_creating_a_live_finance_notice_gets_a_draft(xinghua):
    board = NoticeIndexPage.objects.child_of(xinghua).get()
    notice = NoticePage(title="脚本公开", slug="script", category="finance", live=True)
    board.add_child(instance=notice)
    assert not _live(notice)


def test_other_categories_and_urban_communities_publish_freely(
    xinghua, yinxing, committee_xinghua, django_user_model
):
    affairs = _draft(xinghua, committee_xinghua, slug="affairs-test", category="affairs")
    affairs.latest_revision.publish(user=committee_xinghua)
    assert _live(affairs)
    assert district_settings().finance_signoff_urban is False
    urban = _draft(yinxing, django_user_model.objects.get(username="weiyuan_yinxing"))
    urban.latest_revision.publish()
    assert _live(urban)


def test_urban_communities_need_sign_off_when_the_district_turns_it_on(yinxing, superuser):
    settings = district_settings()
    settings.finance_signoff_urban = True
    settings.save()
    urban = _draft(yinxing, superuser)
    with pytest.raises(FinancePublishRefused, match="按本区规则"):
        urban.latest_revision.publish()


def test_the_editors_publish_button_keeps_the_draft_and_says_why(
    client, xinghua, committee_xinghua
):
    notice = _draft(xinghua, committee_xinghua)
    client.force_login(committee_xinghua)
    data = nested_form_data(
        {
            "title": notice.title,
            "slug": notice.slug,
            "category": "finance",
            "period": notice.period,
            "summary": "改过的摘要",
            "display_from": notice.display_from.isoformat(),
            "display_until": notice.display_until.isoformat(),
            "body": {"count": "0"},
            "attachments": {"count": "0"},
            "action-publish": "publish",
        }
    )
    # The editor asks for the catalogue item the notice discloses (community/disclosure/forms.py).
    data["disclosure_items"] = [str(DisclosureItem.objects.get(key="village-accounts").pk)]
    response = client.post(reverse("wagtailadmin_pages:edit", args=(notice.pk,)), data, follow=True)
    assert not _live(notice)
    assert REFUSED in response.content.decode()
    assert NoticePage.objects.get(pk=notice.pk).get_latest_revision_as_object().summary == (
        "改过的摘要"
    )


def test_scheduled_publishing_skips_an_unsigned_notice(xinghua, committee_xinghua, yinxing):
    notice = _draft(xinghua, committee_xinghua)
    past = timezone.now() - datetime.timedelta(minutes=5)
    notice.latest_revision.approved_go_live_at = past
    notice.latest_revision.save(update_fields=["approved_go_live_at"])
    other = _draft(yinxing, committee_xinghua, slug="urban-scheduled")
    other.latest_revision.approved_go_live_at = past
    other.latest_revision.save(update_fields=["approved_go_live_at"])
    call_command("publish_scheduled")
    assert not _live(notice)
    assert _live(other)  # the command went on with the other pages


def test_scheduled_publishing_publishes_a_signed_notice(
    xinghua, committee_xinghua, supervisor_xinghua
):
    notice = _draft(xinghua, committee_xinghua)
    _sign(notice, supervisor_xinghua)
    notice.latest_revision.approved_go_live_at = timezone.now() - datetime.timedelta(minutes=5)
    notice.latest_revision.save(update_fields=["approved_go_live_at"])
    call_command("publish_scheduled")
    assert _live(notice)


def test_api_publish_action_is_refused(client, xinghua, committee_xinghua):
    notice = _draft(xinghua, committee_xinghua)
    _token, key = APIToken.create_token(user=committee_xinghua, name="t")
    response = client.post(
        f"/api/v3/pages/{notice.pk}/actions/publish/",
        content_type="application/json",
        data={},
        HTTP_AUTHORIZATION=f"Bearer {key}",
    )
    assert response.status_code in (400, 403), response.content
    assert not _live(notice)


def test_bulk_publish_is_refused_with_a_message(client, xinghua, committee_xinghua):
    notice = _draft(xinghua, committee_xinghua)
    client.force_login(committee_xinghua)
    url = (
        reverse("wagtail_bulk_action", args=("wagtailcore", "page", "publish"))
        + f"?id={notice.pk}&next=/admin/"
    )
    response = client.post(url, {}, follow=True)
    assert not _live(notice)
    assert REFUSED in response.content.decode()


def test_committee_requests_sign_off_and_the_supervisor_signs_in_the_admin(
    client, xinghua, committee_xinghua, supervisor_xinghua
):
    notice = _draft(xinghua, committee_xinghua)
    url = reverse("supervision_finance", args=(notice.pk,))
    client.force_login(committee_xinghua)
    page = client.get(url).content.decode()
    assert "待监督委员会审核" in page and "收入 100 元" in page
    client.post(url, {**_shown(client, url), "action": "request"})
    note = Notification.objects.get(recipient=supervisor_xinghua, kind="signoff_requested")
    assert note.link == url
    client.post(
        url, {**_shown(client, url), "action": "signed"}
    )  # not the committee's: refused (403, to /admin/)
    assert not notice.finance_signoffs.exists()

    client.force_login(supervisor_xinghua)
    overview = client.get(reverse("supervision_overview")).content.decode()
    assert "十一月财务收支公开" in overview
    response = client.post(url, {**_shown(client, url), "action": "returned", "opinion": ""})
    assert "退回修改时请写明意见" in response.content.decode()
    client.post(url, {**_shown(client, url), "action": "signed", "opinion": "同意公开。"})
    client.post(url, {**_shown(client, url), "action": "publish"})  # not the supervisor's
    assert not _live(notice)

    client.force_login(committee_xinghua)
    client.post(url, {**_shown(client, url), "action": "publish"})
    assert _live(notice)
    page = client.get(url).content.decode()
    assert "已发布" in page and "发布审核通过的版本" not in page


def test_the_demo_has_a_finance_notice_awaiting_sign_off(xinghua):
    notice = NoticePage.objects.descendant_of(xinghua).get(slug="finance-month")
    assert not notice.live and not notice.finance_signoffs.exists()
    published = NoticePage.objects.descendant_of(xinghua).get(slug="finance-q3")
    assert published.live and published.finance_signoffs.get().outcome == "signed"
