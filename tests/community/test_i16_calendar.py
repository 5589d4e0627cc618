"""Issue 16 item 4, the engine: for each required item and period, whether the community disclosed
it on time, late, not yet (未到期) or not at all (逾期未公开). Today is 2026-12-02 in these stories;
the district tracks from 2026-07-01, so the third quarter (due 10 October) is past and the fourth
(due 10 January) is not."""

import datetime

import pytest
from wagtail.models import PageViewRestriction

from community.disclosure import calendar as calendar_module
from community.disclosure.calendar import Status, calendars, notice_disclosures
from community.models import CommunityPage, DisclosureItem

from .calendar_helpers import board, disclose, district, new_community

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 12, 2)
D = datetime.date


def _calendar(community, today=TODAY, **settings):
    return calendars(CommunityPage.objects.filter(pk=community.pk), today, district(**settings))[
        community.pk
    ]


def _entry(calendar, key, code):
    found = [
        e for e in calendar.entries if e.item.key == key and e.period and e.period.code == code
    ]
    assert len(found) == 1, [(e.item.key, e.label) for e in calendar.entries]
    return found[0]


def test_a_quarterly_item_disclosed_on_time_late_or_not_at_all():
    village = new_community()
    on_time = disclose(village, ["village-decisions"], "2026Q3", D(2026, 10, 5))
    disclose(village, ["village-assistance"], "2026Q3", D(2026, 10, 20))
    calendar = _calendar(village)

    entry = _entry(calendar, "village-decisions", "2026Q3")
    assert entry.status == Status.ON_TIME and entry.status_label == "已公开"
    assert entry.due_on == D(2026, 10, 10) and entry.disclosed.page_id == on_time.pk
    assert entry.disclosed.href == on_time.url
    late = _entry(calendar, "village-assistance", "2026Q3")
    assert (
        late.status == Status.LATE and late.days_late == 10 and late.disclosed_on == D(2026, 10, 20)
    )
    missing = _entry(calendar, "village-other", "2026Q3")
    assert missing.status == Status.OVERDUE and missing.status_label == "逾期未公开"
    not_due = _entry(calendar, "village-other", "2026Q4")
    assert not_due.status == Status.NOT_DUE and not_due.due_on == D(2027, 1, 10)


def test_every_law_item_of_a_village_is_required_each_quarter():
    calendar = _calendar(new_community())
    q3 = {e.item.key for e in calendar.entries if e.period and e.period.code == "2026Q3"}
    assert q3 == {
        "village-decisions", "village-funds", "village-assistance", "village-consultation",
        "village-other", "village-accounts",
    }  # fmt: skip
    # and the year's 民主评议, which its own record fulfils (community.evaluations)
    assert [p.code for p in calendar.periods()] == ["2026Q4", "2026Q3", "2026"]


def test_a_village_with_frequent_transactions_discloses_its_accounts_monthly():
    village = new_community(frequent_transactions=True)
    disclose(village, ["village-accounts"], "2026-10", D(2026, 11, 8), category="finance")
    calendar = _calendar(village)
    months = {e.period.code: e for e in calendar.entries if e.item.key == "village-accounts"}
    assert sorted(months) == [f"2026-{m:02}" for m in range(7, 13)]
    assert months["2026-10"].status == Status.ON_TIME and months["2026-10"].due_on == D(
        2026, 11, 10
    )
    assert months["2026-09"].status == Status.OVERDUE
    assert months["2026-11"].status == Status.NOT_DUE and months["2026-11"].due_on == D(
        2026, 12, 10
    )


def test_a_months_accounts_fulfil_its_quarter():
    village = new_community()
    disclose(village, ["village-accounts"], "2026-09", D(2026, 10, 3), category="finance")
    assert _entry(_calendar(village), "village-accounts", "2026Q3").status == Status.ON_TIME


def test_a_quarters_accounts_do_not_fulfil_a_month():
    village = new_community(frequent_transactions=True)
    disclose(village, ["village-accounts"], "2026Q3", D(2026, 10, 3), category="finance")
    assert _entry(_calendar(village), "village-accounts", "2026-09").status == Status.OVERDUE


def test_an_unpublished_notice_does_not_count():
    village = new_community()
    notice = disclose(village, ["village-other"], "2026Q3", D(2026, 10, 5))
    notice.unpublish()
    assert _entry(_calendar(village), "village-other", "2026Q3").status == Status.OVERDUE


def test_a_notice_under_an_unpublished_board_does_not_count():
    village = new_community()
    disclose(village, ["village-other"], "2026Q3", D(2026, 10, 5))
    board(village).unpublish()
    assert _entry(_calendar(village), "village-other", "2026Q3").status == Status.OVERDUE


def test_a_notice_behind_a_view_restriction_does_not_count():
    village = new_community()
    disclose(village, ["village-other"], "2026Q3", D(2026, 10, 5))
    PageViewRestriction.objects.create(page=board(village), restriction_type="login")
    assert _entry(_calendar(village), "village-other", "2026Q3").status == Status.OVERDUE


def test_a_community_is_tracked_from_when_it_joined_if_that_is_later():
    village = new_community(joined=D(2026, 11, 15))
    calendar = _calendar(village)
    assert calendar.tracked_from == D(2026, 11, 15)
    assert [p.code for p in calendar.periods()] == ["2026Q4", "2026"]  # 2026: 民主评议


def test_a_community_is_tracked_from_the_districts_start_if_that_is_later():
    calendar = _calendar(new_community(), disclosure_start=D(2026, 10, 1))
    assert calendar.tracked_from == D(2026, 10, 1)
    assert [p.code for p in calendar.periods()] == ["2026Q4", "2026"]  # 2026: 民主评议


def test_urban_communities_disclose_quarterly_by_the_districts_practice():
    urban = new_community("urban", slug="calendar-urban")
    calendar = _calendar(urban, urban_period="quarter")
    q3 = {e.item.key for e in calendar.entries if e.period and e.period.code == "2026Q3"}
    assert len(q3) == 7 and all(k.startswith("urban-") for k in q3)


def test_urban_communities_without_a_fixed_period_only_follow_events():
    urban = new_community("urban", slug="calendar-urban")
    entries = _calendar(urban, urban_period="none").entries
    # Only the yearly 民主评议 remains, which the law itself dates (urban 第三十七条).
    assert [e.item.key for e in entries] == ["urban-evaluation"]


def test_a_major_matter_disclosed_at_once_is_an_entry_of_its_own():
    village = new_community()
    disclose(village, ["village-major"], "2026Q4", D(2026, 11, 1), slug="major")
    disclose(village, ["village-major"], "2026Q2", D(2026, 5, 1), slug="before-start")
    majors = [e for e in _calendar(village).entries if e.item.key == "village-major"]
    assert len(majors) == 1
    assert majors[0].period is None and majors[0].status == Status.ON_TIME
    assert majors[0].disclosed_on == D(2026, 11, 1) and majors[0].label.startswith("2026Q4")


def test_deadlines_follow_the_districts_settings():
    village = new_community(frequent_transactions=True)
    calendar = _calendar(village, quarter_deadline_days=20, month_deadline_days=5)
    assert _entry(calendar, "village-other", "2026Q3").due_on == D(2026, 10, 20)
    assert _entry(calendar, "village-accounts", "2026-10").due_on == D(2026, 11, 5)


def test_an_inactive_item_is_not_required():
    DisclosureItem.objects.filter(key="village-assistance").update(active=False)
    keys = {e.item.key for e in _calendar(new_community()).entries}
    assert "village-assistance" not in keys and "village-other" in keys


def test_days_late_count_to_the_calendars_today_not_the_clocks():
    """A calendar as of 1 November: the third quarter's missing item is 22 days late then, whatever
    day the calendar is computed on."""
    calendar = _calendar(new_community(), today=D(2026, 11, 1))
    missing = _entry(calendar, "village-other", "2026Q3")
    assert missing.status == Status.OVERDUE and missing.days_late == 22


def test_a_notice_not_yet_on_the_board_does_not_count_yet():
    village = new_community()
    disclose(village, ["village-other"], "2026Q4", D(2026, 12, 20))
    assert _entry(_calendar(village), "village-other", "2026Q4").status == Status.NOT_DUE
    later = _calendar(village, today=D(2026, 12, 21))
    assert _entry(later, "village-other", "2026Q4").disclosed_on == D(2026, 12, 20)


def test_the_notices_source_reads_only_what_can_count_since_the_first_day():
    village = new_community()
    old = disclose(village, ["village-other"], "2025Q2", D(2025, 5, 1), slug="old")
    early = disclose(village, ["village-other"], "2026Q3", D(2025, 12, 30), slug="early")
    found = {d.page_id for d in notice_disclosures([village.pk], D(2026, 7, 1), TODAY, None)}
    assert early.pk in found and old.pk not in found


@pytest.mark.parametrize("few", [1, 2, 100])
def test_many_communities_are_read_in_one_pass_by_their_townships_or_their_common_prefix(
    monkeypatch, few
):
    """A district's calendars filter the notices by a few path prefixes, not one per community;
    the result is the same whichever prefixes are used."""
    village = new_community()
    urban = new_community("urban", slug="calendar-urban")
    disclose(village, ["village-other"], "2026Q3", D(2026, 10, 5))
    disclose(urban, ["urban-other"], "2026Q3", D(2026, 10, 25))
    monkeypatch.setattr(calendar_module, "FEW_PATHS", few)
    everyone = calendars(CommunityPage.objects.all(), TODAY, district())
    assert len(everyone) == CommunityPage.objects.count() > 2
    assert _entry(everyone[village.pk], "village-other", "2026Q3").status == Status.ON_TIME
    urban_other = _entry(everyone[urban.pk], "urban-other", "2026Q3")
    assert urban_other.status == Status.LATE and urban_other.disclosed.community_id == urban.pk


def test_the_notices_of_a_district_are_one_query(django_assert_num_queries):
    ids = list(CommunityPage.objects.values_list("pk", flat=True))
    # The communities' paths, the hidden subtrees, and the notices with their items.
    with django_assert_num_queries(3):
        found = notice_disclosures(ids, D(2026, 7, 1), TODAY, None)
    assert found and {d.community_id for d in found} <= set(ids)
