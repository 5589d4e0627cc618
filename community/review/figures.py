"""The figures of the dashboard and the half-year report, each a function of a set of communities
(the viewer's scope) and, where it has one, a period. Each figure is one or two queries. The
covenant figures are computed here; the consultation figures are registered by consultation/desk.py."""

import datetime
from dataclasses import dataclass
from typing import NamedTuple, TypedDict

from django.conf import settings
from django.db.models import Count, Min, Q
from django.utils import timezone

from community.models import CovenantRevision, ExperienceFeature, Stage
from community.models.revision import OPEN_STAGES
from community.review.registry import figure_registry, history_registry

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
    return ExperienceFeature.objects.filter(
        community__in=communities,
        featured_at__date__gte=period.start,
        featured_at__date__lte=period.end,
    ).count()


class FigureValue(NamedTuple):
    key: str
    label: str
    value: int | None


def half_year_figures(communities, period: Period) -> list[FigureValue]:
    """Every registered figure, in the order the half-year report asks for them."""
    return [
        FigureValue(figure.key, figure.label, figure.count(communities, period))
        for figure in figure_registry
    ]


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


# The series the consultation app computes (consultation/desk.py registers them).


def consultations_per_month(communities, period: Period) -> "MonthTable":
    """Published deliberations per community and month, with the months' totals."""
    return figure_registry.series("consultations_per_month")(communities, period)


def overdue_updates(communities) -> list["OverdueAgenda"]:
    """Agendas whose implementation feedback is more than FEEDBACK_OVERDUE_DAYS old."""
    return figure_registry.series("overdue_updates")(communities)


def form_answers_per_week(communities, period: Period) -> list["WeekCount"]:
    return figure_registry.series("form_answers_per_week")(communities, period)


def overdue_days() -> int:
    return settings.FEEDBACK_OVERDUE_DAYS


class MonthRow(NamedTuple):
    title: str
    cells: list[int]
    total: int


class MonthTable(TypedDict):
    months: list[datetime.date]
    rows: list[MonthRow]
    totals: list[int]


def month_table(months: list[datetime.date], rows: list[MonthRow]) -> MonthTable:
    totals = [sum(row.cells[i] for row in rows) for i in range(len(months))]
    return {"months": months, "rows": rows, "totals": totals}


class OverdueAgenda(NamedTuple):
    community_title: str
    agenda: object


class WeekCount(NamedTuple):
    week: datetime.date
    n: int


def register() -> None:
    """The desk's own figures (covenants and experiences), registered like any app's."""
    figure_registry.register(
        "covenants_revised", "村规民约/居民公约制定或修订并公布（件）", covenants_revised, order=20
    )
    figure_registry.register(
        "covenants_filed", "村规民约/居民公约备案（件）", covenants_filed, order=30
    )
    figure_registry.register(
        "experiences_featured", "示范经验（篇）", experiences_featured, order=40
    )
    history_registry.register("community.CovenantRevision", title_path="covenant.title")
    history_registry.register("community.ExperienceFeature", title_path="page.title")
    history_registry.register("community.CommunityRegister", title_path="community.title")
    history_registry.register("community.RegisterGroup", title_path="name")
    history_registry.register("community.SupervisionMember", title_path="name")
    history_registry.register("community.SupervisionOpinion", title_path="subject")
    history_registry.register(
        "community.SupervisionReport",
        title_path="community.title",
        scope="supervision_report_communities",
    )
    history_registry.register("community.FinanceSignOff", title_path="notice.title")
    history_registry.register("community.CommentWindow", title_path="revision.covenant.title")
    # the words the public reads, of an opinion perhaps never published: the committee's only
    history_registry.register(
        "community.Opinion", title_path="revision.covenant.title", committee_only={"public_text"}
    )
    history_registry.register("community.ArticleNote", title_path="revision.covenant.title")
