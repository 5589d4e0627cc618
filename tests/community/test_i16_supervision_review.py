"""The supervision committee after review: a finance disclosure under another category still needs
民主理财; a member signs off only what the page showed; the committee neither reads the reports
about it nor deletes a community whose supervision records are kept; the community page's cache
follows the committee's opinions and members; the overview's queries do not grow with notices."""

import datetime
import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from wagtail.models import GroupPagePermission

from cms.cache import _LOCAL
from community.models import (
    CommunityPage,
    DisclosureItem,
    FinanceSignOff,
    NoticeIndexPage,
    NoticePage,
    SupervisionMember,
    SupervisionOpinion,
    SupervisionReport,
)
from community.models.settings import district_settings
from community.supervision.finance import (
    FinancePublishRefused,
    pending_notices,
    publication_problem,
    record_outcome,
)
from community.supervision.views import STALE

from .calendar_helpers import new_community

pytestmark = pytest.mark.django_db


def _draft(community, user, slug="accounts", category="affairs", keys=("village-accounts",)):
    """A 村务公开 notice naming catalogue items, saved as a draft revision."""
    board = NoticeIndexPage.objects.child_of(community).get()
    today = timezone.localdate()
    notice = NoticePage(
        title=f"财务收支情况 {slug}",
        slug=slug,
        category=category,
        summary="收支明细",
        display_from=today,
        display_until=today + datetime.timedelta(days=20),
        body=[("paragraph", "<p>收入 100 元。</p>")],
        live=False,
    )
    notice.disclosure_items = list(DisclosureItem.objects.filter(key__in=keys))
    board.add_child(instance=notice)
    notice.save_revision(user=user)
    return NoticePage.objects.get(pk=notice.pk)


def _live(notice) -> bool:
    return NoticePage.objects.get(pk=notice.pk).live


def _shown(client, url) -> dict:
    """The hidden fields naming the version the finance page showed."""
    page = client.get(url).content.decode()
    return dict(re.findall(r'name="(revision|digest)" value="([^"]*)"', page))


# --- M1: the items, not only the category --------------------------------------------------


@pytest.mark.parametrize("key", ["village-accounts", "village-funds"])
def test_a_village_affairs_notice_naming_a_finance_item_needs_sign_off(
    xinghua, committee_xinghua, key
):
    notice = _draft(xinghua, committee_xinghua, keys=(key,))
    with pytest.raises(FinancePublishRefused, match="第三十七条"):
        notice.latest_revision.publish(user=committee_xinghua)
    assert not _live(notice)


def test_the_revision_being_published_decides_not_the_stored_page(xinghua, committee_xinghua):
    notice = _draft(xinghua, committee_xinghua, slug="later", keys=())
    draft = notice.get_latest_revision_as_object()
    draft.disclosure_items = list(DisclosureItem.objects.filter(key="village-accounts"))
    revision = draft.save_revision(user=committee_xinghua)
    stored = NoticePage.objects.get(pk=notice.pk)
    assert not stored.disclosure_items.exists()  # the page row still names nothing
    assert publication_problem(stored, revision)
    with pytest.raises(FinancePublishRefused):
        revision.publish(user=committee_xinghua)


def test_a_plain_save_going_live_reads_the_pages_items(xinghua, committee_xinghua):
    notice = _draft(xinghua, committee_xinghua, slug="plain")
    notice.live = True
    with pytest.raises(FinancePublishRefused):
        notice.save()
    assert not _live(notice)


def test_a_script_creating_a_live_notice_with_a_finance_item_gets_a_draft(xinghua):
    board = NoticeIndexPage.objects.child_of(xinghua).get()
    notice = NoticePage(title="脚本公开", slug="script-items", category="affairs", live=True)
    notice.disclosure_items = list(DisclosureItem.objects.filter(key="village-accounts"))
    board.add_child(instance=notice)
    assert not _live(notice)


def test_the_overview_lists_a_notice_pending_by_its_items(xinghua, committee_xinghua):
    notice = _draft(xinghua, committee_xinghua, slug="listed")
    assert notice.pk in [n.pk for n in pending_notices(CommunityPage.objects.filter(pk=xinghua.pk))]


def test_other_items_still_publish_freely(xinghua, committee_xinghua):
    notice = _draft(xinghua, committee_xinghua, slug="other", keys=("village-other",))
    notice.latest_revision.publish(user=committee_xinghua)
    assert _live(notice)


# --- S2: the urban message says it is the district's rule ----------------------------------


def test_the_urban_refusal_cites_the_districts_rule_not_the_article(yinxing, superuser):
    settings = district_settings()
    settings.finance_signoff_urban = True
    settings.save()
    urban = _draft(yinxing, superuser, slug="urban", category="finance", keys=())
    with pytest.raises(FinancePublishRefused) as refused:
        urban.latest_revision.publish()
    assert "按本区规则" in str(refused.value) and "第三十六条" not in str(refused.value)


# --- M3: the version the member saw --------------------------------------------------------


def test_a_sign_off_of_a_version_no_longer_the_latest_is_refused(
    client, xinghua, committee_xinghua, supervisor_xinghua
):
    notice = _draft(xinghua, committee_xinghua, slug="stale", category="finance", keys=())
    url = reverse("supervision_finance", args=(notice.pk,))
    client.force_login(supervisor_xinghua)
    shown = _shown(client, url)
    draft = notice.get_latest_revision_as_object()
    draft.body = [("paragraph", "<p>收入 10,000 元。</p>")]
    draft.save_revision(user=committee_xinghua)
    response = client.post(url, {**shown, "action": "signed", "opinion": "同意。"})
    assert STALE in response.content.decode() and "收入 10,000 元" in response.content.decode()
    assert not FinanceSignOff.objects.filter(notice_id=notice.pk).exists()
    client.post(url, {**_shown(client, url), "action": "signed", "opinion": "同意。"})
    assert FinanceSignOff.objects.get(notice_id=notice.pk).outcome == "signed"


def test_an_autosave_over_the_shown_version_is_refused_too(
    client, xinghua, committee_xinghua, supervisor_xinghua
):
    notice = _draft(xinghua, committee_xinghua, slug="overwritten", category="finance", keys=())
    url = reverse("supervision_finance", args=(notice.pk,))
    client.force_login(supervisor_xinghua)
    shown = _shown(client, url)
    draft = notice.get_latest_revision_as_object()
    draft.summary = "改过的摘要"
    draft.save_revision(user=committee_xinghua, overwrite_revision=notice.latest_revision)
    response = client.post(url, {**shown, "action": "signed", "opinion": ""})
    assert STALE in response.content.decode()
    assert not FinanceSignOff.objects.filter(notice_id=notice.pk).exists()


def test_a_post_without_the_shown_version_is_refused(
    client, xinghua, committee_xinghua, supervisor_xinghua
):
    notice = _draft(xinghua, committee_xinghua, slug="blind", category="finance", keys=())
    client.force_login(supervisor_xinghua)
    url = reverse("supervision_finance", args=(notice.pk,))
    assert STALE in client.post(url, {"action": "signed"}).content.decode()
    assert not FinanceSignOff.objects.filter(notice_id=notice.pk).exists()


# --- S5: publishing needs the page permission ----------------------------------------------


def test_the_committee_publishes_only_with_the_page_permission(
    client, xinghua, committee_xinghua, supervisor_xinghua
):
    notice = _draft(xinghua, committee_xinghua, slug="perm", category="finance", keys=())
    record_outcome(notice, notice.latest_revision, supervisor_xinghua, "signed", "同意。")
    GroupPagePermission.objects.filter(
        group__name="委员会:杏花村", permission__codename="publish_page"
    ).delete()
    client.force_login(committee_xinghua)
    url = reverse("supervision_finance", args=(notice.pk,))
    response = client.post(url, {**_shown(client, url), "action": "publish"})
    assert response.status_code in (302, 403)
    assert not _live(notice)


# --- M6: the reports are not the committee's to read ---------------------------------------


@pytest.fixture
def report(xinghua, supervisor_xinghua):
    report = SupervisionReport(
        community=xinghua, author=supervisor_xinghua, text="村委会未公开道路维修合同。"
    )
    report._history_user = supervisor_xinghua
    report.save()
    return report


def test_the_committee_does_not_read_the_reports_about_it(client, committee_xinghua, report):
    client.force_login(committee_xinghua)
    overview = client.get(reverse("supervision_overview")).content.decode()
    assert "道路维修合同" not in overview and "向乡镇(街道)反映的问题" not in overview
    response = client.get(reverse("supervision_report_handle", args=(report.pk,)), follow=True)
    assert "道路维修合同" not in response.content.decode()
    history = reverse("review_history", args=("community.supervisionreport", report.pk))
    assert client.get(history).status_code == 404
    assert _audit_rows(client) == 0


def _audit_rows(client) -> int:
    audit = client.get(reverse("review_audit"), {"model": "community.supervisionreport"})
    return audit.context["paginator"].count


@pytest.mark.parametrize("who", ["supervisor_xinghua", "reviewer_liuxi", "district_staff"])
def test_the_supervision_committee_township_and_district_read_them(request, client, who, report):
    client.force_login(request.getfixturevalue(who))
    assert "道路维修合同" in client.get(reverse("supervision_overview")).content.decode()
    page = client.get(reverse("supervision_report_handle", args=(report.pk,)))
    assert "道路维修合同" in page.content.decode()
    history = reverse("review_history", args=("community.supervisionreport", report.pk))
    assert client.get(history).status_code == 200
    assert _audit_rows(client) >= 1


# --- M4: a community with supervision records is not deleted -------------------------------


@pytest.fixture
def watched(supervisor_xinghua):
    """A new village whose only record is its supervision committee's member."""
    community = new_community(slug="watched")
    SupervisionMember.objects.create(
        community=community, name="孙立", term_start=timezone.localdate(), post="chair"
    )
    return community


KEPT = "监督委员会或民主评议的记录"


def test_deleting_a_community_with_a_supervision_member_is_refused(client, superuser, watched):
    client.force_login(superuser)
    url = reverse("wagtailadmin_pages:delete", args=(watched.pk,))
    assert KEPT in client.get(url, follow=True).content.decode()
    response = client.post(url, follow=True)
    assert response.status_code == 200 and KEPT in response.content.decode()
    assert CommunityPage.objects.filter(pk=watched.pk).exists()


@pytest.mark.parametrize(
    "record",
    [
        lambda c, u: SupervisionOpinion(community=c, subject="事项", text="意见", author=u),
        lambda c, u: SupervisionReport(community=c, text="问题", author=u),
    ],
)
def test_an_opinion_or_report_keeps_the_community_too(
    client, superuser, supervisor_xinghua, record
):
    community = new_community(slug="opinion")
    record(community, supervisor_xinghua).save()
    client.force_login(superuser)
    response = client.post(reverse("wagtailadmin_pages:delete", args=(community.pk,)), follow=True)
    assert KEPT in response.content.decode()
    assert CommunityPage.objects.filter(pk=community.pk).exists()


def test_bulk_deleting_such_a_community_is_refused(client, settings, superuser, watched):
    client.force_login(superuser)
    url = (
        reverse("wagtail_bulk_action", args=("wagtailcore", "page", "delete"))
        + f"?id={watched.pk}&next=/admin/"
    )
    response = client.post(url, {"confirm_site_name": settings.WAGTAIL_SITE_NAME}, follow=True)
    assert KEPT in response.content.decode()
    assert CommunityPage.objects.filter(pk=watched.pk).exists()


def test_a_community_without_such_records_is_deleted(client, superuser):
    community = new_community(slug="empty")
    client.force_login(superuser)
    client.post(reverse("wagtailadmin_pages:delete", args=(community.pk,)), follow=True)
    assert not CommunityPage.objects.filter(pk=community.pk).exists()


def test_deleting_a_signed_off_notice_keeps_its_sign_off(client, superuser, supervisor_xinghua):
    community = new_community(slug="notice-deleted")
    notice = _draft(community, superuser, slug="signed", category="finance", keys=())
    signoff = record_outcome(notice, notice.latest_revision, supervisor_xinghua, "signed", "同意。")
    notice.latest_revision.publish(user=superuser)
    client.force_login(superuser)
    response = client.post(reverse("wagtailadmin_pages:delete", args=(notice.pk,)), follow=True)
    assert response.status_code == 200
    assert not NoticePage.objects.filter(pk=notice.pk).exists()
    signoff.refresh_from_db()
    assert signoff.notice_id is None and signoff.history.exists()


# --- S10: the cached community page follows the committee ----------------------------------


def test_a_new_public_opinion_and_member_appear_on_the_cached_community_page(
    client, settings, xinghua, supervisor_xinghua
):
    settings.PAGE_CACHE_SECONDS = 300
    cache.clear()
    _LOCAL.clear()
    assert client.get(xinghua.url).headers["X-Page-Cache"] == "miss"
    assert client.get(xinghua.url).headers["X-Page-Cache"] == "hit"
    SupervisionOpinion.objects.create(
        community=xinghua, subject="新的监督意见", text="请公开合同。", author=supervisor_xinghua
    )
    response = client.get(xinghua.url)
    assert (
        response.headers["X-Page-Cache"] == "miss" and "新的监督意见" in response.content.decode()
    )
    SupervisionMember.objects.create(
        community=xinghua, name="钱新民", term_start=timezone.localdate(), post="member"
    )
    assert "钱新民" in client.get(xinghua.url).content.decode()


# --- S11: the overview's queries -----------------------------------------------------------


def _overview_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("supervision_overview")).status_code == 200
    return len(queries)


def test_the_overview_asks_as_many_queries_for_2_as_for_10_finance_notices(
    client, xinghua, committee_xinghua, supervisor_xinghua
):
    def add(numbers):
        for n in numbers:
            notice = _draft(xinghua, committee_xinghua, slug=f"q{n}", category="finance", keys=())
            record_outcome(notice, notice.latest_revision, supervisor_xinghua, "signed", "同意。")

    client.force_login(supervisor_xinghua)
    add(range(2))
    _overview_queries(client)
    few = _overview_queries(client)
    add(range(2, 10))
    page = client.get(reverse("supervision_overview")).content.decode()
    assert page.count("监督委员会已审核通过") >= 10
    assert _overview_queries(client) == few
