"""The figures of the dashboard and the half-year report, each a function of a set of communities
(the viewer's scope) and, where it has one, a period. Each figure is one or two queries."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Min, Q
from django.db.models.functions import TruncMonth, TruncWeek
from django.utils import timezone

from community.models import CovenantRevision, Stage
from community.models.revision import OPEN_STAGES
from community.roles import within

AGE_LABELS = ["30天内", "31–90天", "90天以上"]


@dataclass(frozen=True)
class Period:
    """Inclusive dates."""

    start: datetime.date
    end: datetime.date

    @classmethod
    def half_year(cls, day: datetime.date) -> "Period":
        if day.month <= 6:
            return cls(datetime.date(day.year, 1, 1), datetime.date(day.year, 6, 30))
        return cls(datetime.date(day.year, 7, 1), datetime.date(day.year, 12, 31))

    @property
    def label(self) -> str:
        if self == Period.half_year(self.start):
            return f"{self.start.year}年{'上' if self.start.month == 1 else '下'}半年"
        return f"{self.start:%Y-%m-%d} 至 {self.end:%Y-%m-%d}"

    def previous_half_year(self) -> "Period":
        return Period.half_year(self.start - datetime.timedelta(days=1))

    def months(self) -> list[datetime.date]:
        months, day = [], self.start.replace(day=1)
        while day <= self.end:
            months.append(day)
            day = (day + datetime.timedelta(days=32)).replace(day=1)
        return months


def _day(value) -> datetime.date:
    """Trunc* gives an aware datetime in the current time zone; its local date is the bucket."""
    return value.date() if isinstance(value, datetime.datetime) else value


def consultations_held(communities, period: Period) -> int:
    """Published deliberation records of meetings held in the period (协商 actually held)."""
    from consultation.models import Deliberation

    return (
        Deliberation.objects.published()
        .filter(
            community__in=communities,
            held_at__date__gte=period.start,
            held_at__date__lte=period.end,
        )
        .count()
    )


def consultations_per_month(communities, period: Period) -> dict:
    """{"months": [...], "rows": [(community title, [count per month], total)]}."""
    from consultation.models import Deliberation

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
    by_cell = {
        (c["community_id"], c["month"].date() if hasattr(c["month"], "date") else c["month"]): c[
            "n"
        ]
        for c in counts
    }
    months = period.months()
    rows = []
    for community in communities.order_by("path").only("title"):
        cells = [by_cell.get((community.pk, month), 0) for month in months]
        rows.append((community.title, cells, sum(cells)))
    totals = [sum(row[1][i] for row in rows) for i in range(len(months))]
    return {"months": months, "rows": rows, "totals": totals}


def covenants_revised(communities, period: Period) -> int:
    """Revisions (and first adoptions) published in the period."""
    return CovenantRevision.objects.filter(
        community__in=communities, published_on__gte=period.start, published_on__lte=period.end
    ).count()


def covenants_filed(communities, period: Period) -> int:
    return CovenantRevision.objects.filter(
        community__in=communities, filed_on__gte=period.start, filed_on__lte=period.end
    ).count()


def experiences_featured(communities, period: Period) -> int:
    """Experiences marked 示范 during the period (and still featured) in these communities."""
    from community.models import ExperienceFeature

    return ExperienceFeature.objects.filter(
        community__in=communities,
        featured_at__date__gte=period.start,
        featured_at__date__lte=period.end,
    ).count()


def half_year_figures(communities, period: Period) -> list[tuple[str, str, int | None]]:
    """(key, label, value) in the order the half-year report asks for them."""
    return [
        ("consultations_held", "开展协商（次）", consultations_held(communities, period)),
        ("covenants_revised", "村规民约/居民公约制定或修订并公布（件）", covenants_revised(communities, period)),
        ("covenants_filed", "村规民约/居民公约备案（件）", covenants_filed(communities, period)),
        ("experiences_featured", "示范经验（篇）", experiences_featured(communities, period)),
    ]  # fmt: skip


def covenants_by_stage(communities, today: datetime.date | None = None) -> list[dict]:
    """Open revisions per stage, by age (days since soliciting began), with the oldest start."""
    today = today or timezone.localdate()
    thirty, ninety = today - datetime.timedelta(days=30), today - datetime.timedelta(days=90)
    rows = (
        CovenantRevision.objects.filter(community__in=communities, stage__in=OPEN_STAGES)
        .values("stage")
        .annotate(
            total=Count("pk"),
            fresh=Count("pk", filter=Q(soliciting_started_on__gte=thirty)),
            middle=Count(
                "pk", filter=Q(soliciting_started_on__lt=thirty, soliciting_started_on__gte=ninety)
            ),
            old=Count("pk", filter=Q(soliciting_started_on__lt=ninety)),
            oldest=Min("soliciting_started_on"),
        )
    )
    found = {row["stage"]: row for row in rows}
    result = []
    for stage in OPEN_STAGES:
        row = found.get(stage, {"total": 0, "fresh": 0, "middle": 0, "old": 0, "oldest": None})
        result.append(
            {
                "stage": stage,
                "label": Stage(stage).label,
                "total": row["total"],
                "ages": [row["fresh"], row["middle"], row["old"]],
                "oldest_days": (today - row["oldest"]).days if row["oldest"] else None,
            }
        )
    return result


def overdue_updates(communities) -> list[tuple[str, object]]:
    """(community title, agenda) for agendas whose implementation feedback is more than
    FEEDBACK_OVERDUE_DAYS old. An agenda sits two levels below its community."""
    from consultation.dashboard import agendas_needing_attention

    agendas = agendas_needing_attention(None, communities=communities)[1]
    titles = dict(communities.values_list("path", "title"))
    return [(titles.get(a.path[: -2 * a.steplen], ""), a) for a in agendas]


def form_answers_per_week(communities, period: Period) -> list[tuple[datetime.date, int]]:
    from consultation.models import CommunityFormSubmission

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
    by_week = {
        (c["week"].date() if hasattr(c["week"], "date") else c["week"]): c["n"] for c in counts
    }
    weeks, day = [], start
    while day <= period.end:
        weeks.append((day, by_week.get(day, 0)))
        day += datetime.timedelta(days=7)
    return weeks


def overdue_days() -> int:
    from django.conf import settings

    return settings.FEEDBACK_OVERDUE_DAYS
