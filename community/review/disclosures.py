"""Disclosure on the review desk, read from the calendar (community/disclosure/calendar.py): what
the committee must disclose soon, what is overdue per community for the township and the district,
and how punctually each community disclosed in a period (the half-year report).

Every function takes a set of communities (the viewer's scope) and asks a fixed number of queries
however many communities and obligations there are: the calendar's, and one for the names.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone

from cms.display import local_date
from cms.visibility import under
from community.disclosure.calendar import Entry, EventObligation, Status, calendars
from community.models import CommunityPage, NoticeIndexPage, TownshipPage
from community.models.settings import district_settings
from community.review.figures import Period

# Where the committee discloses what an event requires, by the event key's prefix: the record
# itself (consultation/disclosure.py registers the 四议两公开 decision's edit view).
_event_actions: list[tuple[str, Callable[[EventObligation], str]]] = []


def register_event_action(prefix: str, url_of: Callable[[EventObligation], str]) -> None:
    if (prefix, url_of) not in _event_actions:
        _event_actions.append((prefix, url_of))


def _township_titles(communities: list[CommunityPage]) -> dict[str, str]:
    paths = {c.path[: -c.steplen] for c in communities}
    return dict(TownshipPage.objects.filter(path__in=paths).values_list("path", "title"))


def _boards(communities: list[CommunityPage]) -> dict[int, int]:
    """Each community's notice board (NoticeIndexPage), by community id: where a notice is added."""
    by_path = {c.path: c.pk for c in communities}
    steplen = CommunityPage.steplen
    boards = NoticeIndexPage.objects.filter(under(by_path)).values_list("pk", "path")
    return {by_path[path[:-steplen]]: pk for pk, path in boards if path[:-steplen] in by_path}


def action_url(entry: Entry, boards: dict[int, int]) -> str:
    """Where the committee acts on an entry: the event's record, or a new notice on the board
    (naming the item and period, for the notice editor to preselect)."""
    if entry.event is not None:
        for prefix, url_of in _event_actions:
            if entry.event.key.startswith(prefix):
                return url_of(entry.event)
    board = boards.get(entry.community_id)
    if board is None:
        return ""
    url = reverse("wagtailadmin_pages:add", args=("community", "noticepage", board))
    query = {"disclosure_item": entry.item.key}
    if entry.period is not None and entry.event is None:
        query["period"] = entry.period.code
    return f"{url}?{urlencode(query)}"


@dataclass
class DueItem:
    community: CommunityPage
    entry: Entry
    add_url: str

    @property
    def overdue(self) -> bool:
        return self.entry.status == Status.OVERDUE

    @property
    def due_label(self) -> str:
        """截止 2026年12月10日（还有 8 天）, or （已逾期 3 天）."""
        due = self.entry.due_on
        if self.overdue:
            return f"{local_date(due)}（已逾期 {self.entry.days_late} 天）"
        left = (due - timezone.localdate()).days
        return f"{local_date(due)}（{'今天到期' if left == 0 else f'还有 {left} 天'}）"


def due_soon(communities, today: datetime.date | None = None, settings=None) -> list[DueItem]:
    """The committee's list: what is overdue (oldest first), then what falls due within
    `reminder_days` (soonest first)."""
    today = today or timezone.localdate()
    settings = settings or district_settings()
    found = calendars(communities, today, settings)
    pages = [c.community for c in found.values()]
    boards = _boards(pages)
    overdue, soon = [], []
    for calendar in found.values():
        for entry in calendar.overdue():
            overdue.append(DueItem(calendar.community, entry, action_url(entry, boards)))
        for entry in calendar.due_within(settings.reminder_days, today):
            soon.append(DueItem(calendar.community, entry, action_url(entry, boards)))
    overdue.sort(key=lambda d: (d.entry.due_on, d.community.path))
    soon.sort(key=lambda d: (d.entry.due_on, d.community.path))
    return overdue + soon


@dataclass
class CommunityOverdue:
    """One row of the township's and district's list."""

    community: CommunityPage
    township: str
    entries: list[Entry] = field(default_factory=list)

    @property
    def community_title(self) -> str:
        return self.community.title

    @property
    def count(self) -> int:
        return len(self.entries)

    @property
    def oldest_days(self) -> int:
        return max((e.days_late for e in self.entries), default=0)

    @property
    def oldest_due_on(self) -> datetime.date | None:
        return min((e.due_on for e in self.entries if e.due_on), default=None)

    @property
    def items(self) -> list[str]:
        return [f"{e.item.name}（{e.label}）" for e in self.entries]


def overdue_by_community(communities, today: datetime.date | None = None) -> list[CommunityOverdue]:
    """Communities with anything overdue, the most overdue first."""
    today = today or timezone.localdate()
    found = calendars(communities, today)
    pages = [c.community for c in found.values()]
    townships = _township_titles(pages)
    rows = [
        CommunityOverdue(
            c.community,
            townships.get(c.community.path[: -c.community.steplen], ""),
            sorted(c.overdue(), key=lambda e: e.due_on),
        )
        for c in found.values()
        if c.overdue()
    ]
    rows.sort(key=lambda r: (-r.count, -r.oldest_days, r.community.path))
    return rows


@dataclass
class Punctuality:
    """Obligations due in a period: disclosed on time, late, or still missing."""

    title: str
    township: str = ""
    on_time: int = 0
    late: int = 0
    missing: int = 0

    @property
    def due(self) -> int:
        return self.on_time + self.late + self.missing

    @property
    def rate(self) -> str:
        """The share disclosed on time, as the report prints it (— when nothing was due)."""
        return f"{self.on_time * 100 / self.due:.0f}%" if self.due else "—"

    def add(self, status: str) -> None:
        if status == Status.ON_TIME:
            self.on_time += 1
        elif status == Status.LATE:
            self.late += 1
        elif status == Status.OVERDUE:
            self.missing += 1


@dataclass
class PunctualityTable:
    townships: list[Punctuality]
    communities: list[Punctuality]
    total: Punctuality


def punctuality(communities, period: Period, today: datetime.date | None = None):
    """Per township and community, the obligations whose deadline falls in the period and has
    passed by `today` (one not yet due is not counted): on time, late, missing as of today."""
    today = today or timezone.localdate()
    found = calendars(communities, today)
    pages = sorted((c.community for c in found.values()), key=lambda c: c.path)
    titles = _township_titles(pages)
    by_township: dict[str, Punctuality] = {}
    rows, total = [], Punctuality("合计")
    for page in pages:
        township_path = page.path[: -page.steplen]
        township = titles.get(township_path, "")
        row = Punctuality(page.title, township)
        town = by_township.setdefault(township_path, Punctuality(township))
        for entry in found[page.pk].entries:
            if entry.due_on is None or not (period.start <= entry.due_on <= period.end):
                continue
            for counted in (row, town, total):
                counted.add(entry.status)
        rows.append(row)
    return PunctualityTable(list(by_township.values()), rows, total)
