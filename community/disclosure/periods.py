"""Disclosure periods as values: a quarter ("2026Q4"), a month ("2026-11") or a year ("2026").

No request, no ORM: the notice editor, the calendar, the obligations and the API all read periods
through these functions, so a period is spelled and labelled one way everywhere.
"""

import datetime
import re
from dataclasses import dataclass

QUARTER, MONTH, YEAR = "quarter", "month", "year"
_PATTERN = re.compile(r"^(?P<year>\d{4})(?:Q(?P<quarter>[1-4])|-(?P<month>0[1-9]|1[0-2]))?$")
QUARTER_NAMES = "一二三四"


@dataclass(frozen=True, order=True)
class DisclosurePeriod:
    start: datetime.date
    end: datetime.date  # inclusive
    kind: str

    @property
    def code(self) -> str:
        if self.kind == QUARTER:
            return f"{self.start.year}Q{(self.start.month - 1) // 3 + 1}"
        if self.kind == MONTH:
            return f"{self.start:%Y-%m}"
        return f"{self.start.year}"

    @property
    def label(self) -> str:
        if self.kind == QUARTER:
            return f"{self.start.year}年第{QUARTER_NAMES[(self.start.month - 1) // 3]}季度"
        if self.kind == MONTH:
            return f"{self.start.year}年{self.start.month}月"
        return f"{self.start.year}年"

    def __str__(self) -> str:
        return self.label

    def contains(self, day: datetime.date) -> bool:
        return self.start <= day <= self.end

    def within(self, other: "DisclosurePeriod") -> bool:
        """This period lies inside `other` (a month inside its quarter, a quarter inside its year)."""
        return other.start <= self.start and self.end <= other.end

    def next(self) -> "DisclosurePeriod":
        return period_of(self.end + datetime.timedelta(days=1), self.kind)

    def previous(self) -> "DisclosurePeriod":
        return period_of(self.start - datetime.timedelta(days=1), self.kind)


def _month_end(year: int, month: int) -> datetime.date:
    first_next = datetime.date(year + month // 12, month % 12 + 1, 1)
    return first_next - datetime.timedelta(days=1)


def period_of(day: datetime.date, kind: str) -> DisclosurePeriod:
    """The quarter, month or year that contains `day`."""
    if kind == QUARTER:
        first = (day.month - 1) // 3 * 3 + 1
        return DisclosurePeriod(
            datetime.date(day.year, first, 1), _month_end(day.year, first + 2), QUARTER
        )
    if kind == MONTH:
        return DisclosurePeriod(
            datetime.date(day.year, day.month, 1), _month_end(day.year, day.month), MONTH
        )
    return DisclosurePeriod(datetime.date(day.year, 1, 1), datetime.date(day.year, 12, 31), YEAR)


def parse_period(code: str) -> DisclosurePeriod | None:
    """The period a code names; None for anything else (wrong shape, month 13, full-width digits)."""
    match = _PATTERN.match(code or "")
    if match is None:
        return None
    year = int(match["year"])
    if year < 1900:
        return None
    if match["quarter"]:
        return period_of(datetime.date(year, int(match["quarter"]) * 3, 1), QUARTER)
    if match["month"]:
        return period_of(datetime.date(year, int(match["month"]), 1), MONTH)
    return period_of(datetime.date(year, 1, 1), YEAR)


def periods_between(first: datetime.date, last: datetime.date, kind: str) -> list[DisclosurePeriod]:
    """Every period of `kind` that overlaps [first, last], oldest first."""
    periods, period = [], period_of(first, kind)
    while period.start <= last:
        periods.append(period)
        period = period.next()
    return periods


def period_choices(today: datetime.date, back: int = 8) -> list[tuple[str, str]]:
    """What the notice editor offers: this and the previous quarters and months, newest first,
    and this and last year."""
    choices: list[tuple[str, str]] = []
    quarter = period_of(today, QUARTER)
    month = period_of(today, MONTH)
    for _ in range(back):
        choices.append((quarter.code, quarter.label))
        quarter = quarter.previous()
    for _ in range(back * 3):
        choices.append((month.code, month.label))
        month = month.previous()
    for year in (today.year, today.year - 1):
        period = period_of(datetime.date(year, 1, 1), YEAR)
        choices.append((period.code, period.label))
    return choices
