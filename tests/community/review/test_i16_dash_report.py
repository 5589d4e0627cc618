"""The half-year report gives disclosure punctuality per township and per community: of the
obligations due in the period, how many were disclosed on time, late, or are still missing."""

import csv
import datetime
import io

import pytest
from django.utils import timezone

from community.models import CommunityPage, DisclosureItem, NoticePage
from community.models.settings import DistrictSettings
from community.review.disclosures import punctuality
from community.review.figures import Period
from consultation.models import Decision

pytestmark = pytest.mark.django_db

D = datetime.date
SECOND_HALF = Period(D(2026, 7, 1), D(2026, 12, 31))
LATER = D(2027, 1, 20)


@pytest.fixture(autouse=True)
def _only_decisions_are_required(db):
    """Only the decisions item and major matters, no demo notices: every count is ours."""
    CommunityPage.objects.update(
        first_published_at=timezone.make_aware(datetime.datetime(2025, 6, 1))
    )
    DisclosureItem.objects.exclude(key__in=["village-decisions", "village-major"]).update(
        active=False
    )
    NoticePage.disclosure_items.through.objects.all().delete()
    Decision.objects.all().delete()
    # The demo tracks from its last complete quarter; these stories begin in January.
    DistrictSettings.objects.update(disclosure_start=datetime.date(2026, 1, 1))


def decide(community, meeting, resolution=None, result=None):
    return Decision.objects.create(
        community=community,
        title=f"事项{meeting:%m%d}",
        summary="拟议。",
        meeting_kind="village_representatives",
        meeting_date=meeting,
        resolution_published_on=resolution,
        result_published_on=result,
    )


def _story(xinghua):
    # Q2: resolution on time (due 06-25, before the period); its result due 10-10, on time.
    # It also discloses the decisions item for Q2 (due 07-10): on time.
    decide(xinghua, D(2026, 6, 20), D(2026, 6, 22), D(2026, 10, 5))
    # Q3: resolution late (due 08-06, published 08-10), which discloses Q3 (due 10-10) on time.
    decide(xinghua, D(2026, 8, 1), D(2026, 8, 10))
    # Q4: never published (due 11-06): missing.
    decide(xinghua, D(2026, 11, 1))


def test_punctuality_per_community_and_township(xinghua, shiqiao):
    _story(xinghua)
    table = punctuality(
        CommunityPage.objects.filter(pk__in=[xinghua.pk, shiqiao.pk]), SECOND_HALF, LATER
    )
    rows = {r.title: r for r in table.communities}
    x = rows["杏花村"]
    assert (x.on_time, x.late, x.missing, x.due, x.rate) == (3, 1, 1, 5, "60%")
    s = rows["石桥村"]  # Q2 and Q3 of the decisions item, never disclosed
    assert (s.on_time, s.late, s.missing, s.township) == (0, 0, 2, "柳溪镇")
    [town] = table.townships
    assert (town.title, town.on_time, town.late, town.missing) == ("柳溪镇", 3, 1, 3)
    assert (table.total.on_time, table.total.late, table.total.missing) == (3, 1, 3)


def test_what_is_not_yet_due_is_not_counted(xinghua):
    decide(xinghua, D(2026, 11, 1))
    table = punctuality(CommunityPage.objects.filter(pk=xinghua.pk), SECOND_HALF, D(2026, 11, 3))
    # Q2 (07-10) and Q3 (10-10) missing; the decision's 决议公开 (11-06) not due yet.
    assert (table.total.missing, table.total.due) == (2, 2)
    assert punctuality(CommunityPage.objects.none(), SECOND_HALF, LATER).total.rate == "—"


def test_the_report_and_its_export_show_punctuality(client, district_staff, xinghua, liuxi):
    _story(xinghua)
    client.force_login(district_staff)
    query = f"start=2026-07-01&end=2026-12-31&township={liuxi.pk}"
    page = client.get(f"/admin/review/report/?{query}").content.decode()
    assert "公开及时性" in page and 'data-community="杏花村"' in page
    response = client.get(f"/admin/review/report/?{query}&export=csv")
    lines = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    start = lines.index(
        [
            "公开及时性：乡镇/街道",
            "村/社区",
            "按时公开",
            "逾期后公开",
            "逾期未公开",
            "应公开合计",
            "按时率",
        ]
    )
    expected = punctuality(
        CommunityPage.objects.filter(path__startswith=liuxi.path),
        SECOND_HALF,
        timezone.localdate(),
    )
    x = next(r for r in expected.communities if r.title == "杏花村")
    row = next(line for line in lines[start:] if line[1] == "杏花村")
    assert row == [
        "柳溪镇",
        "杏花村",
        str(x.on_time),
        str(x.late),
        str(x.missing),
        str(x.due),
        x.rate,
    ]
    total = next(line for line in lines[start:] if line[0] == "合计")
    assert total[2:5] == [
        str(expected.total.on_time),
        str(expected.total.late),
        str(expected.total.missing),
    ]
    assert any(line and line[0] == "柳溪镇" for line in lines if len(line) == 6)
