"""What the consultation app puts on the review desk (community/review/): its versioned records,
the number of consultations held in a period, and the tables of consultations per month, overdue
feedback and form answers per week. Registered from ConsultationConfig.ready()."""

import datetime

from django.db.models import Count
from django.db.models.functions import TruncMonth, TruncWeek

from community.permissions import within
from community.review.figures import (
    MonthRow,
    MonthTable,
    OverdueAgenda,
    Period,
    WeekCount,
    month_table,
)
from community.review.registry import figure_registry, history_registry
from consultation.dashboard import agendas_needing_attention
from consultation.models import CommunityFormSubmission, Deliberation, NoticeQuery


def _day(value) -> datetime.date:
    """Trunc* gives an aware datetime in the current time zone; its local date is the bucket."""
    return value.date() if isinstance(value, datetime.datetime) else value


def consultations_held(communities, period: Period) -> int:
    """Published deliberation records of meetings held in the period (协商 actually held)."""
    return (
        Deliberation.objects.published()
        .filter(
            community__in=communities,
            held_at__date__gte=period.start,
            held_at__date__lte=period.end,
        )
        .count()
    )


def consultations_per_month(communities, period: Period) -> MonthTable:
    counts = (
        Deliberation.objects.published()
        .filter(
            community__in=communities,
            held_at__date__gte=period.start,
            held_at__date__lte=period.end,
        )
        .annotate(month=TruncMonth("held_at"))
        .values("community_id", "month")
        .annotate(n=Count("pk"))
    )
    by_cell = {(c["community_id"], _day(c["month"])): c["n"] for c in counts}
    months = period.months()
    rows = []
    for community in communities.order_by("path").only("title"):
        cells = [by_cell.get((community.pk, month), 0) for month in months]
        rows.append(MonthRow(community.title, cells, sum(cells)))
    return month_table(months, rows)


def overdue_updates(communities) -> list[OverdueAgenda]:
    """An agenda sits two levels below its community: its path names the community."""
    agendas = agendas_needing_attention(None, communities=communities).waiting_feedback
    titles = dict(communities.values_list("path", "title"))
    return [OverdueAgenda(titles.get(a.path[: -2 * a.steplen], ""), a) for a in agendas]


def form_answers_per_week(communities, period: Period) -> list[WeekCount]:
    start = period.start - datetime.timedelta(days=period.start.weekday())
    counts = (
        CommunityFormSubmission.objects.filter(
            within(communities, "page__"),
            submit_time__date__gte=period.start,
            submit_time__date__lte=period.end,
        )
        .annotate(week=TruncWeek("submit_time"))
        .values("week")
        .annotate(n=Count("pk"))
    )
    by_week = {_day(c["week"]): c["n"] for c in counts}
    weeks, day = [], start
    while day <= period.end:
        weeks.append(WeekCount(day, by_week.get(day, 0)))
        day += datetime.timedelta(days=7)
    return weeks


def queries_received(communities, period: Period) -> int:
    """Residents' queries about notices received in the period (村(居)民查询)."""
    return NoticeQuery.objects.filter(
        community__in=communities,
        received_at__date__gte=period.start,
        received_at__date__lte=period.end,
    ).count()


def queries_escalated(communities, period: Period) -> int:
    """Queries sent to the township in the period, unanswered in time or disputed."""
    return NoticeQuery.objects.filter(
        community__in=communities,
        escalated_at__date__gte=period.start,
        escalated_at__date__lte=period.end,
    ).count()


def register() -> None:
    figure_registry.register("consultations_held", "开展协商（次）", consultations_held, order=10)
    figure_registry.register_series("consultations_per_month", consultations_per_month)
    figure_registry.register_series("overdue_updates", overdue_updates)
    figure_registry.register_series("form_answers_per_week", form_answers_per_week)
    history_registry.register("consultation.Deliberation", title_path="agenda.title")
    history_registry.register("consultation.ImplementationUpdate", title_path="agenda.title")
    history_registry.register("consultation.Decision", title_path="title")
    history_registry.register("consultation.AnswerDeletion", title_path="summary")
    figure_registry.register("queries_received", "居民查询（件）", queries_received, order=50)
    figure_registry.register(
        "queries_escalated", "逾期或有异议转办（件）", queries_escalated, order=51
    )
    history_registry.register("consultation.NoticeQuery", title_path="notice.title")
