"""Overdue is visible: the committee sees what is due in the next days on its dashboard, the
township reviewer and the district see what is overdue per community, sortable and exported, and
both are told once (the committee before a deadline, the township when it has passed)."""

import csv
import datetime
import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from community.models import CommunityPage, NoticeIndexPage, Notification, TownshipPage
from community.review.disclosures import due_soon, overdue_by_community
from consultation.models import Decision

pytestmark = pytest.mark.django_db

Kind = Notification.Kind


def today():
    return timezone.localdate()


def days(n):
    return today() + datetime.timedelta(days=n)


@pytest.fixture(autouse=True)
def _tracked_since_spring(db):
    """The demo's communities joined the platform today; here they have been on it for months."""
    joined = timezone.make_aware(datetime.datetime.combine(days(-200), datetime.time(9)))
    CommunityPage.objects.update(first_published_at=joined)
    Decision.objects.all().delete()


def decide(community, meeting, title="修建村道", resolution=None) -> Decision:
    return Decision.objects.create(
        community=community,
        title=title,
        summary="拟修建村道。",
        meeting_kind="village_representatives",
        meeting_date=meeting,
        resolution_published_on=resolution,
    )


def test_the_committee_sees_what_is_due_soon_overdue_first(client, committee_xinghua, xinghua):
    soon = decide(xinghua, days(-2), "修建村道")  # 决议公开 due in 3 days
    late = decide(xinghua, days(-20), "村道二期")  # due 15 days ago
    items = due_soon(CommunityPage.objects.filter(pk=xinghua.pk))
    keys = [i.entry.key for i in items]
    assert f"decision:{soon.pk}:resolution" in keys and f"decision:{late.pk}:resolution" in keys
    first_soon = next(n for n, i in enumerate(items) if not i.overdue)
    assert all(i.overdue for i in items[:first_soon])
    assert not any(i.overdue for i in items[first_soon:])
    by_key = {i.entry.key: i for i in items}
    assert by_key[f"decision:{soon.pk}:resolution"].add_url == (
        f"/admin/consultation/decision/edit/{soon.pk}/"
    )
    board = NoticeIndexPage.objects.child_of(xinghua).get()
    periodic = next(i for i in items if i.entry.event is None)
    assert periodic.add_url.startswith(f"/admin/pages/add/community/noticepage/{board.pk}/?")
    assert f"period={periodic.entry.period.code}" in periodic.add_url

    client.force_login(committee_xinghua)
    html = client.get("/admin/").content.decode()
    assert "即将到期的公开" in html and "决议公开：修建村道" in html
    assert "还有 3 天" in html and "已逾期 15 天" in html
    assert html.index("决议公开：村道二期") < html.index("决议公开：修建村道")


def test_another_communitys_deadlines_are_not_on_my_dashboard(client, committee_xinghua, shiqiao):
    decide(shiqiao, days(-2), "石桥修桥")
    client.force_login(committee_xinghua)
    assert "石桥修桥" not in client.get("/admin/").content.decode()


def test_the_township_sees_overdue_disclosures_per_community(
    client, reviewer_liuxi, xinghua, shiqiao, yinxing
):
    decide(xinghua, days(-20), "村道二期")
    client.force_login(reviewer_liuxi)
    page = client.get("/admin/review/disclosures/").content.decode()
    assert "逾期未公开" in page and "杏花村" in page and "石桥村" in page
    assert yinxing.title not in page  # another township's community
    rows = {r.community.pk: r for r in overdue_by_community(CommunityPage.objects.all())}
    assert rows[xinghua.pk].count == rows[shiqiao.pk].count + 1
    assert rows[xinghua.pk].oldest_days >= 15

    home = client.get("/admin/").content.decode()
    assert f'data-overdue-community="{xinghua.pk}"' in home


def test_the_list_sorts_and_exports(client, reviewer_liuxi, xinghua, shiqiao):
    decide(xinghua, days(-20), "村道二期")
    client.force_login(reviewer_liuxi)
    by_count = client.get("/admin/review/disclosures/?ordering=-count").content.decode()
    assert by_count.index("杏花村") < by_count.index("石桥村")
    fewest = client.get("/admin/review/disclosures/?ordering=count").content.decode()
    assert fewest.index("石桥村") < fewest.index("杏花村")
    response = client.get("/admin/review/disclosures/?export=csv&ordering=community")
    assert response["Content-Disposition"].startswith('attachment; filename="export-')
    lines = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert lines[0][0] == "\ufeff乡镇/街道" and lines[0][2] == "逾期未公开（项）"
    row = next(line for line in lines if line[1] == "杏花村")
    assert row[0] == "柳溪镇" and "决议公开：村道二期" in row[5]


def _township_with(n: int, slug: str) -> TownshipPage:
    district = TownshipPage.objects.get(slug="liuxi").get_parent()
    township = district.add_child(instance=TownshipPage(title=f"测试镇{slug}", slug=slug))
    for i in range(n):
        township.add_child(
            instance=CommunityPage(title=f"测试村{slug}{i}", slug=f"{slug}-{i}", kind="village")
        )
    return township


def test_the_list_asks_the_same_queries_for_5_and_50_communities(client, district_staff):
    client.force_login(district_staff)
    counts = []
    for n, slug in ((5, "few"), (50, "many")):
        township = _township_with(n, slug)
        CommunityPage.objects.update(first_published_at=timezone.now() - datetime.timedelta(200))
        client.get(f"/admin/review/disclosures/?township={township.pk}")  # warm the caches
        with CaptureQueriesContext(connection) as queries:
            page = client.get(f"/admin/review/disclosures/?township={township.pk}")
        assert page.status_code == 200 and f"测试村{slug}{n - 1}" in page.content.decode()
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_reminders_go_once_to_the_committee_and_the_township(
    committee_xinghua,
    reviewer_liuxi,
    reviewer_dongcheng,
    xinghua,
    settings,
    django_capture_on_commit_callbacks,
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    committee_xinghua.email = "weiyuan@xinghua.example.cn"
    committee_xinghua.save(update_fields=["email"])
    soon = decide(xinghua, days(-2), "修建村道")
    late = decide(xinghua, days(-20), "村道二期")
    with django_capture_on_commit_callbacks(execute=True):
        call_command("disclosure_reminders")
    due = Notification.objects.filter(
        kind=Kind.DISCLOSURE_DUE, event_key=f"due:{xinghua.pk}:decision:{soon.pk}:resolution"
    )
    assert [n.recipient for n in due] == [committee_xinghua]
    assert "决议公开：修建村道" in due.get().message
    assert any("决议公开：修建村道" in m.body for m in mail.outbox)
    overdue = Notification.objects.filter(
        kind=Kind.DISCLOSURE_OVERDUE,
        event_key=f"overdue:{xinghua.pk}:decision:{late.pk}:resolution",
    )
    assert [n.recipient for n in overdue] == [reviewer_liuxi]
    assert not Notification.objects.filter(
        recipient=reviewer_dongcheng, message__startswith="杏花村"
    ).exists()
    assert not Notification.objects.filter(
        recipient=committee_xinghua, kind=Kind.DISCLOSURE_OVERDUE
    ).exists()

    told = len(mail.outbox)
    before = Notification.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("disclosure_reminders")
        call_command("notify_digest", "--with-reminders")
    assert Notification.objects.count() == before
    assert not [m for m in mail.outbox[told:] if "未读通知" not in m.subject]  # digests only


def test_what_was_overdue_long_before_is_listed_not_mailed(reviewer_liuxi, xinghua):
    old = decide(xinghua, days(-60), "旧事项")
    call_command("disclosure_reminders")
    assert not Notification.objects.filter(event_key__endswith=f"decision:{old.pk}:resolution")
    rows = overdue_by_community(CommunityPage.objects.filter(pk=xinghua.pk))
    assert any("决议公开：旧事项" in item for item in rows[0].items)


@pytest.mark.parametrize(
    "query",
    ["township=%EF%BC%91%EF%BC%92", "township=abc", "ordering==1%2B1", "p=9999"],
)
def test_bad_filters_show_the_list_not_an_error(client, reviewer_liuxi, dongcheng, query):
    client.force_login(reviewer_liuxi)
    assert client.get(f"/admin/review/disclosures/?{query}").status_code == 200
    assert client.get("/admin/review/disclosures/?township=%00").status_code == 400  # input guard
    other = client.get(f"/admin/review/disclosures/?township={dongcheng.pk}").content.decode()
    assert "银杏" not in other  # another township's communities stay out of scope
