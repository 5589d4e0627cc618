"""A 四议两公开 decision and a consultation's 落实反馈 create or fulfil disclosure obligations on the
community's calendar: 决议公开 at once, 实施结果公开 by the next quarter's deadline, and only what
residents can read counts."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from community.disclosure.calendar import Status, calendar_for, calendars
from community.models import CommunityPage, NoticePage
from community.models.settings import DistrictSettings
from consultation.models import ConsultationPage, Decision, ImplementationUpdate

pytestmark = pytest.mark.django_db

D = datetime.date
TODAY = D(2026, 12, 2)


@pytest.fixture(autouse=True)
def _tracked_all_year(xinghua):
    """The demo's communities joined the platform today; these stories are set in 2026."""
    CommunityPage.objects.update(
        first_published_at=timezone.make_aware(datetime.datetime(2025, 6, 1))
    )
    xinghua.refresh_from_db()
    Decision.objects.all().delete()
    # The demo tracks from its last complete quarter; these stories begin in January.
    DistrictSettings.objects.update(disclosure_start=datetime.date(2026, 1, 1))
    NoticePage.disclosure_items.through.objects.all().delete()  # the demo's quarter of notices
    ImplementationUpdate.objects.all().delete()


def decide(community, meeting, resolution=None, result=None, title="修建村道") -> Decision:
    return Decision.objects.create(
        community=community,
        title=title,
        summary="拟修建村道。",
        meeting_kind="village_representatives",
        meeting_date=meeting,
        resolution_published_on=resolution,
        result_published_on=result,
    )


def entry(community, key, today=TODAY):
    found = {e.key: e for e in calendar_for(community, today).entries}
    return found.get(key)


def test_a_vote_must_be_made_public_within_the_at_once_days(xinghua):
    decision = decide(xinghua, D(2026, 11, 20))
    key = f"decision:{decision.pk}:resolution"
    waiting = entry(xinghua, key, today=D(2026, 11, 24))
    assert waiting.status == Status.NOT_DUE
    assert waiting.due_on == D(2026, 11, 25)  # at_once_days = 5
    assert waiting.item.key == "village-major"
    assert waiting.label == "决议公开：修建村道"
    assert entry(xinghua, key).status == Status.OVERDUE


def test_the_resolution_published_in_time_or_late(xinghua):
    on_time = decide(xinghua, D(2026, 11, 2), resolution=D(2026, 11, 6))
    late = decide(xinghua, D(2026, 11, 2), resolution=D(2026, 11, 12), title="村道二期")
    assert entry(xinghua, f"decision:{on_time.pk}:resolution").status == Status.ON_TIME
    found = entry(xinghua, f"decision:{late.pk}:resolution")
    assert found.status == Status.LATE and found.days_late == 5


def test_a_resolution_dated_ahead_does_not_count_yet(xinghua):
    decision = decide(xinghua, D(2026, 11, 25), resolution=D(2026, 12, 20))
    assert entry(xinghua, f"decision:{decision.pk}:resolution").status == Status.OVERDUE
    assert entry(xinghua, f"decision:{decision.pk}:result") is None


def test_nothing_a_resident_cannot_reach_counts(xinghua):
    decision = decide(xinghua, D(2026, 11, 2), resolution=D(2026, 11, 4))
    xinghua.unpublish()
    assert entry(xinghua, f"decision:{decision.pk}:resolution").status == Status.OVERDUE


def test_the_implementation_result_is_due_with_the_next_quarters_disclosure(xinghua):
    decision = decide(xinghua, D(2026, 8, 10), resolution=D(2026, 8, 12))
    result = entry(xinghua, f"decision:{decision.pk}:result")
    assert result.due_on == D(2027, 1, 10)  # end of 2026Q4 + quarter_deadline_days
    assert result.status == Status.NOT_DUE and result.item.key == "village-decisions"
    assert entry(xinghua, f"decision:{decision.pk}:result", D(2027, 1, 11)).status == "overdue"
    Decision.objects.filter(pk=decision.pk).update(result_published_on=D(2026, 11, 30))
    assert entry(xinghua, f"decision:{decision.pk}:result").status == Status.ON_TIME


def test_a_public_resolution_discloses_the_decisions_item_for_its_quarter(xinghua):
    assert entry(xinghua, "village-decisions:2026Q3").status == Status.OVERDUE
    decide(xinghua, D(2026, 8, 10), resolution=D(2026, 8, 12))
    found = entry(xinghua, "village-decisions:2026Q3")
    assert found.status == Status.ON_TIME and found.disclosed_on == D(2026, 8, 12)
    assert found.disclosed.url.endswith("/xinghua/")


def _agenda(community):
    return ConsultationPage.objects.descendant_of(community).live().order_by("path").first()


def test_a_published_update_discloses_the_consultation_item(xinghua, committee_xinghua):
    agenda = _agenda(xinghua)
    update = ImplementationUpdate(agenda=agenda, date=D(2026, 9, 28), text="已开工。")
    update.save()
    assert entry(xinghua, "village-consultation:2026Q3").status == Status.OVERDUE
    ImplementationUpdate.objects.filter(pk=update.pk).update(
        published_at=timezone.make_aware(datetime.datetime(2026, 10, 8, 9))
    )
    found = entry(xinghua, "village-consultation:2026Q3")
    assert found.status == Status.ON_TIME and found.disclosed.page.pk == agenda.pk
    agenda.unpublish()
    assert entry(xinghua, "village-consultation:2026Q3").status == Status.OVERDUE


def test_the_calendar_asks_the_same_queries_for_5_and_50_decisions(xinghua, shiqiao):
    communities = CommunityPage.objects.filter(pk__in=[xinghua.pk, shiqiao.pk])

    def count(n):
        Decision.objects.all().delete()
        for i in range(n):
            decide((xinghua, shiqiao)[i % 2], D(2026, 10, 1 + i % 28), D(2026, 10, 3 + i % 28))
        with CaptureQueriesContext(connection) as queries:
            found = calendars(communities, TODAY)
        assert sum(len(c.entries) for c in found.values()) > n
        return len(queries)

    assert count(5) == count(50)
