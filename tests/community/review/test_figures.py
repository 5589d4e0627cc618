"""The dashboard and the half-year report against counts made by hand on the demo district.

Demo data (community/demo*.py, consultation/demo.py): 杏花村 adopted its covenant in 2019 (filed
2019-05-24, published 2019-05-28) and revised it in 2023 (filed 04-21, published 04-25), and has a
revision at the vote since 2026-09-01; 银杏社区 adopted in 2020 and revised in 2024 (filed 05-15,
published 05-20 each time). Each of the five communities held consultations 45, 75 and 110 days
ago, all recorded and published, two of them quiet for more than 30 days; each has a form with
three answers given when the demo was loaded."""

import csv
import datetime
import io

import pytest
from django.utils import timezone

from community.models import CommunityPage, CovenantRevision
from community.review import figures
from community.review.figures import Period
from tests.community.review.helpers import save

pytestmark = pytest.mark.django_db
D = datetime.date


def _figures(communities, start, end) -> dict:
    return {
        key: value
        for key, _label, value in figures.half_year_figures(communities, Period(start, end))
    }


@pytest.mark.parametrize(
    ("start", "end", "revised", "filed"),
    [
        (D(2019, 1, 1), D(2024, 6, 30), 5, 5),  # 杏花村 2019, 2023; 石桥村 2021; 银杏 2020, 2024
        (D(2023, 1, 1), D(2023, 6, 30), 1, 1),
        (D(2024, 1, 1), D(2024, 6, 30), 1, 1),
        (D(2023, 7, 1), D(2023, 12, 31), 0, 0),
        (D(2019, 5, 24), D(2019, 5, 27), 0, 1),  # filed on the first day, published after the last
        (D(2019, 5, 28), D(2019, 5, 28), 1, 0),
    ],
)
def test_covenant_figures_equal_the_hand_count(start, end, revised, filed):
    found = _figures(CommunityPage.objects.all(), start, end)
    assert (found["covenants_revised"], found["covenants_filed"]) == (revised, filed)
    assert found["experiences_featured"] == 0  # the demo's were featured when it was loaded


def test_experiences_featured_equal_the_hand_count(district_staff):
    """The demo features two experiences when it is loaded: 杏花村 (柳溪镇) and 银杏社区 (东城街道)."""
    from community.models import ExperienceFeature, ExperiencePage

    today = timezone.localdate()
    this_half = (D(today.year, 1 if today.month <= 6 else 7, 1), today)
    everyone = CommunityPage.objects.all()
    assert _figures(everyone, *this_half)["experiences_featured"] == 2
    liuxi = CommunityPage.objects.filter(slug__in=["xinghua", "shiqiao", "nanshan"])
    assert _figures(liuxi, *this_half)["experiences_featured"] == 1
    page = ExperiencePage.objects.get(slug="points")
    ExperienceFeature.objects.create(page=page, featured_by=district_staff)
    assert _figures(liuxi, *this_half)["experiences_featured"] == 2
    last_year = (D(today.year - 1, 1, 1), D(today.year - 1, 12, 31))
    assert _figures(everyone, *last_year)["experiences_featured"] == 0


def test_consultations_held_equal_the_hand_count():
    today = timezone.localdate()
    everyone = CommunityPage.objects.all()
    assert (
        _figures(everyone, today - datetime.timedelta(days=100), today)["consultations_held"] == 10
    )
    assert (
        _figures(everyone, today - datetime.timedelta(days=200), today)["consultations_held"] == 15
    )
    assert _figures(everyone, today - datetime.timedelta(days=30), today)["consultations_held"] == 0


def test_an_unpublished_record_is_not_a_consultation_held(committee_xinghua, xinghua):
    from tests.community.review.helpers import new_deliberation

    today = timezone.localdate()
    new_deliberation(xinghua, committee_xinghua)
    assert _figures(CommunityPage.objects.all(), today, today)["consultations_held"] == 0


def test_figures_follow_the_viewers_scope(reviewer_liuxi, reviewer_dongcheng, committee_xinghua):
    for user, expected in ((reviewer_liuxi, 3), (reviewer_dongcheng, 2), (committee_xinghua, 2)):
        found = _figures(CommunityPage.objects.for_user(user), D(2019, 1, 1), D(2024, 6, 30))
        assert found["covenants_filed"] == expected


def test_a_filing_on_the_last_day_counts_and_the_next_day_does_not(shiqiao, committee_shiqiao):
    from tests.community.covenant_helpers import make_covenant

    covenant = make_covenant(shiqiao, committee_shiqiao)
    for filed_on in (D(2025, 6, 30), D(2025, 7, 1)):
        save(
            CovenantRevision(
                covenant=covenant, community=shiqiao, reason="测试", stage="published",
                soliciting_started_on=D(2025, 1, 1), filed_on=filed_on, published_on=filed_on,
            ),
            committee_shiqiao, "测试",
        )  # fmt: skip
    found = _figures(CommunityPage.objects.all(), D(2025, 1, 1), D(2025, 6, 30))
    assert (found["covenants_filed"], found["covenants_revised"]) == (1, 1)


def test_consultations_per_community_per_month_add_up():
    today = timezone.localdate()
    period = Period(today - datetime.timedelta(days=200), today)
    table = figures.consultations_per_month(CommunityPage.objects.all(), period)
    assert [(title, total) for title, _cells, total in table["rows"]] == [
        ("杏花村", 3), ("石桥村", 3), ("南山村", 3), ("银杏社区", 3), ("和平里社区", 3),
    ]  # fmt: skip
    held = (timezone.localtime() - datetime.timedelta(days=45)).date().replace(day=1)
    assert table["totals"][table["months"].index(held)] >= 5
    assert sum(table["totals"]) == 15


def test_covenants_by_stage_and_age():
    today = timezone.localdate()
    rows = {
        row["stage"]: row for row in figures.covenants_by_stage(CommunityPage.objects.all(), today)
    }
    assert rows["vote"]["total"] == 1 and sum(r["total"] for r in rows.values()) == 1
    age = (today - D(2026, 9, 1)).days
    assert rows["vote"]["oldest_days"] == age
    bucket = 0 if age <= 30 else 1 if age <= 90 else 2
    assert rows["vote"]["ages"] == [int(i == bucket) for i in range(3)]


def test_overdue_feedback_and_form_answers():
    everyone = CommunityPage.objects.all()
    overdue = figures.overdue_updates(everyone)
    assert len(overdue) == 10  # two per community
    assert {title for title, _agenda in overdue} == set(everyone.values_list("title", flat=True))
    today = timezone.localdate()
    weeks = figures.form_answers_per_week(
        everyone, Period(today - datetime.timedelta(days=20), today)
    )
    assert sum(n for _week, n in weeks) == 15
    assert weeks[-1] == (today - datetime.timedelta(days=today.weekday()), 15)


def test_half_year_periods():
    assert Period.half_year(D(2026, 11, 29)) == Period(D(2026, 7, 1), D(2026, 12, 31))
    assert Period.half_year(D(2026, 6, 30)).label == "2026年上半年"
    assert Period(D(2026, 7, 1), D(2026, 12, 31)).previous_half_year() == Period(
        D(2026, 1, 1), D(2026, 6, 30)
    )


def test_report_page_csv_and_print_view(client, district_staff):
    client.force_login(district_staff)
    params = {"start": "2019-01-01", "end": "2024-06-30"}
    page = client.get("/admin/review/report/", params)
    assert page.status_code == 200
    html = page.content.decode()
    assert '<svg class="review-chart"' in html and "cdn" not in html.lower()
    response = client.get("/admin/review/report/", {**params, "export": "csv"})
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    found = dict(row for row in rows if len(row) == 2 and row[0] != "指标")
    assert found["村规民约/居民公约制定或修订并公布（件）"] == "5"
    assert found["村规民约/居民公约备案（件）"] == "5"
    assert found["开展协商（次）"] == "0"
    assert found["示范经验（篇）"] == "0"  # the demo features its experiences when loaded
    overdue_at = next(n for n, row in enumerate(rows) if row and row[0].startswith("超过 30 天"))
    assert rows[overdue_at + 1 : overdue_at + 12].index([]) == 10  # ten overdue agendas
    printed = client.get("/admin/review/report/", {**params, "print": "1"}).content.decode()
    assert "@page" in printed and "2019-01-01 至 2024-06-30" in printed and "w-panel" not in printed


def test_report_for_one_township_and_a_reviewers_scope(
    client, district_staff, reviewer_dongcheng, liuxi
):
    client.force_login(district_staff)
    params = {"start": "2019-01-01", "end": "2024-06-30", "township": liuxi.pk, "export": "csv"}
    text = client.get("/admin/review/report/", params).getvalue().decode("utf-8-sig")
    assert "柳溪镇" in text and "银杏社区" not in text
    client.force_login(reviewer_dongcheng)
    text = (
        client.get("/admin/review/report/", {**params, "township": ""})
        .getvalue()
        .decode("utf-8-sig")
    )
    assert "银杏社区" in text and "杏花村" not in text


def test_report_refuses_an_inverted_period(client, district_staff):
    client.force_login(district_staff)
    response = client.get("/admin/review/report/", {"start": "2024-06-30", "end": "2024-01-01"})
    assert "开始日期不能晚于结束日期" in response.content.decode()
    assert response.context["period"] == Period.half_year(timezone.localdate())


@pytest.mark.parametrize(
    ("username", "shows_figures", "shows_queue"),
    [
        ("minzheng", True, False),
        ("shenhe_liuxi", False, True),
        ("weiyuan_xinghua", False, False),
        ("jiandu_xinghua", False, False),
    ],
)
def test_home_panel_per_role(client, django_user_model, username, shows_figures, shows_queue):
    client.force_login(django_user_model.objects.get(username=username))
    html = client.get("/admin/").content.decode()
    assert "审阅台" in html
    assert ('data-figure="consultations_held"' in html) is shows_figures
    assert ("待审核与备案（" in html) is shows_queue


def test_report_form_shows_the_period_and_distinct_half_years(client, district_staff):
    client.force_login(district_staff)
    html = client.get("/admin/review/report/").content.decode()
    today = timezone.localdate()
    current = figures.Period.half_year(today)
    assert f'value="{current.start:%Y-%m-%d}"' in html and f'value="{current.end:%Y-%m-%d}"' in html
    labels = [current.label, current.previous_half_year().label]
    labels.append(current.previous_half_year().previous_half_year().label)
    assert len(set(labels)) == 3 and all(html.count(f">{label}</a>") == 1 for label in labels)
