"""The disclosure calendar: for each community, each required item in each period (and each event
that must be disclosed at once), whether it was disclosed, on time, late, or not yet, or is overdue.

Computed, never stored: the obligations follow from the catalogue, the district's settings and the
community's kind, and what fulfils them is what residents can read (live, reachable notices naming
the item and period; and what other apps register as disclosures, e.g. a 四议两公开 decision's
决议公开). So a notice taken down stops counting the moment it is unpublished, and a change of
settings is seen at once. A few queries for any number of communities (tests/community/test_i16_*).
"""

import datetime
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Site

from cms.visibility import reachable, under
from community.disclosure.periods import (
    MONTH,
    QUARTER,
    YEAR,
    DisclosurePeriod,
    parse_period,
    period_of,
    periods_between,
)
from community.models import CommunityPage, DisclosureItem, NoticePage
from community.models.settings import DistrictSettings, district_settings

Schedule = DisclosureItem.Schedule


class Status(models.TextChoices):
    ON_TIME = "on_time", "已公开"
    LATE = "late", "逾期后公开"
    NOT_DUE = "not_due", "未到期"
    OVERDUE = "overdue", "逾期未公开"


# Not colour alone: the public calendar shows each status by its symbol and words too.
SYMBOLS = {Status.ON_TIME: "✓", Status.LATE: "!", Status.NOT_DUE: "○", Status.OVERDUE: "✗"}


@dataclass(frozen=True)
class Disclosure:
    """Something residents can read that discloses an item for a period (or on a day)."""

    community_id: int
    item_key: str
    period: DisclosurePeriod | None
    disclosed_on: datetime.date
    title: str
    page: object = None  # a Page to link to (templates call pageurl), or None
    url: str = ""  # where there is no page: a path on the site
    source: str = "notice"
    url_path: str = ""  # a page's url_path, where the source read no page (notices)
    page_id: int | None = None

    @property
    def href(self) -> str:
        """Where to read it on the site, for a disclosure without a page (computed when shown)."""
        return self.url or (site_url(self.url_path) if self.url_path else "")


@dataclass(frozen=True)
class EventObligation:
    """A disclosure an event requires, with its own deadline (e.g. 决议公开 within `at_once_days`
    of a decision), and its fulfilment if it happened."""

    key: str  # unique, e.g. "decision:12:resolution"
    community_id: int
    item_key: str
    label: str
    occurred_on: datetime.date
    due_on: datetime.date
    fulfilled_on: datetime.date | None = None
    title: str = ""
    url: str = ""


# A source returns disclosures and event obligations of these communities between two days.
Source = Callable[[list[int], datetime.date, datetime.date, DistrictSettings], Iterable]
_sources: list[Source] = []


def register_source(source: Source) -> Source:
    """Other apps add what they disclose (consultation/desk.py: decisions, implementation updates)."""
    if source not in _sources:
        _sources.append(source)
    return source


@dataclass
class Entry:
    community_id: int
    item: DisclosureItem
    label: str  # the period's label, or the event's
    due_on: datetime.date | None
    status: str
    disclosed: Disclosure | None = None
    period: DisclosurePeriod | None = None
    event: EventObligation | None = None
    today: datetime.date | None = None  # the calendar's today (None: the local date)

    @property
    def status_label(self) -> str:
        return Status(self.status).label

    @property
    def status_symbol(self) -> str:
        return SYMBOLS[Status(self.status)]

    @property
    def disclosed_on(self) -> datetime.date | None:
        if self.disclosed is not None:
            return self.disclosed.disclosed_on
        return self.event.fulfilled_on if self.event else None

    @property
    def days_late(self) -> int:
        """Days past the deadline: until the disclosure, or until today while it is missing."""
        if self.due_on is None:
            return 0
        end = self.disclosed_on or self.today or timezone.localdate()
        return max(0, (end - self.due_on).days)

    @property
    def key(self) -> str:
        if self.event is not None:
            return self.event.key
        return f"{self.item.key}:{self.period.code if self.period else ''}"


@dataclass
class CommunityCalendar:
    community: CommunityPage
    entries: list[Entry] = field(default_factory=list)
    tracked_from: datetime.date | None = None  # the first day the community is held to it

    def counts(self) -> dict[str, int]:
        found = dict.fromkeys(Status.values, 0)
        for entry in self.entries:
            found[entry.status] += 1
        return found

    def overdue(self) -> list[Entry]:
        return [e for e in self.entries if e.status == Status.OVERDUE]

    def due_within(self, days: int, today: datetime.date) -> list[Entry]:
        last = today + datetime.timedelta(days=days)
        return [
            e
            for e in self.entries
            if e.status == Status.NOT_DUE and e.due_on is not None and e.due_on <= last
        ]

    def periods(self) -> list[DisclosurePeriod]:
        """The periods the calendar covers, newest first (the rows of the public page)."""
        return sorted({e.period for e in self.entries if e.period}, reverse=True)


def tracked_from(community: CommunityPage, settings: DistrictSettings) -> datetime.date:
    """A community is held to the calendar from the district's start date, or from the day it
    joined the platform (its page's first publication) if that is later."""
    joined = community.first_published_at
    start = settings.disclosure_start
    return max(start, timezone.localdate(joined)) if joined else start


def period_kind(item: DisclosureItem, community: CommunityPage, settings) -> str | None:
    """Which periods an item recurs in for this community; None for items only events require."""
    schedule = item.schedule
    if schedule == Schedule.AT_ONCE:
        return None
    if schedule == Schedule.YEARLY:
        return YEAR
    if schedule == Schedule.ACCOUNTS:
        return MONTH if community.frequent_transactions else QUARTER
    if schedule == Schedule.PROMPTLY and community.kind == CommunityPage.Kind.URBAN:
        urban = settings.urban_period
        return None if urban == "none" else urban
    return QUARTER


def due_on(period: DisclosurePeriod, settings: DistrictSettings) -> datetime.date:
    if period.kind == YEAR:
        return period.end  # "at least once a year": by the year's last day
    days = settings.month_deadline_days if period.kind == MONTH else settings.quarter_deadline_days
    return period.end + datetime.timedelta(days=days)


# A notice first published a little before the first day still discloses from its 公示开始 on or
# after it; the margin covers the hours between UTC and the local day.
MARGIN = datetime.timedelta(days=1)
# Up to this many communities are filtered one LIKE each; more, by their townships' paths or their
# common prefix (a district's calendars read every notice of the district anyway).
FEW_PATHS = 8


def _path_prefixes(paths: list[str], steplen: int) -> list[str]:
    """A few path prefixes covering these communities' subtrees (and maybe others', which the
    caller drops): their own paths, else their townships', else the prefix they share."""
    if len(paths) <= FEW_PATHS:
        return paths
    townships = sorted({path[: steplen * 3] for path in paths})
    if len(townships) <= FEW_PATHS:
        return townships
    low, high = min(paths), max(paths)  # what the lowest and highest share, all share
    shared = next((n for n, (a, b) in enumerate(zip(low, high, strict=False)) if a != b), len(low))
    return [low[: shared - shared % steplen]]


def site_url(url_path: str) -> str:
    """The path on the site of a page stored at `url_path`, as {% pageurl %} writes it (percent-
    encoded, so a Chinese slug works): the url_path less its site root's, as Page.get_url_parts
    does, from Wagtail's cached site root paths."""
    for root in Site.get_site_root_paths():
        if url_path.startswith(root.root_path):
            return reverse("wagtail_serve", args=(url_path[len(root.root_path) :],))
    return ""


def notice_disclosures(
    community_ids: list[int], first: datetime.date, last: datetime.date, settings
):
    """Live notices residents can reach, by the items and period they name: one query over the
    notices' items (the through table), no page instances. Only notices that can count between
    `first` and `last`: residents could read them by `last`, and they were disclosed on or after
    `first` or name a period of its year or later (a period that began before the first day is
    still tracked, e.g. the quarter a community joined in)."""
    steplen = NoticePage.steplen
    by_path = dict(
        CommunityPage.objects.filter(pk__in=community_ids).values_list("path", "pk").order_by()
    )
    if not by_path:
        return []
    since = timezone.make_aware(datetime.datetime.combine(first - MARGIN, datetime.time()))
    notices = reachable(
        NoticePage.objects.filter(under(_path_prefixes(sorted(by_path), steplen))).filter(
            Q(first_published_at__gte=since)
            | Q(display_from__gte=first)
            | Q(period__gte=str(first.year)),
            first_published_at__isnull=False,
            display_from__lte=last,
        )
    )
    rows = (
        NoticePage.disclosure_items.through.objects.filter(noticepage__in=notices.values("pk"))
        .order_by()
        .values_list(
            "noticepage_id",
            "noticepage__path",
            "noticepage__title",
            "noticepage__url_path",
            "noticepage__period",
            "noticepage__display_from",
            "noticepage__first_published_at",
            "disclosureitem__key",
        )
    )
    periods: dict[str, DisclosurePeriod | None] = {}
    found = []
    for page_id, path, title, url_path, code, display_from, published, key in rows:
        community_id = by_path.get(path[: steplen * 4])
        if community_id is None:
            continue
        if code not in periods:
            periods[code] = parse_period(code)
        found.append(
            Disclosure(
                community_id,
                key,
                periods[code],
                max(timezone.localdate(published), display_from),
                title,
                url_path=url_path,
                page_id=page_id,
            )
        )
    return found


register_source(notice_disclosures)


def _fulfils(disclosure: Disclosure, period: DisclosurePeriod) -> bool:
    return disclosure.period is not None and (
        disclosure.period == period or disclosure.period.within(period)
    )


def _status(due: datetime.date, done: datetime.date | None, today: datetime.date) -> str:
    if done is not None:
        return Status.ON_TIME if done <= due else Status.LATE
    return Status.OVERDUE if today > due else Status.NOT_DUE


def calendars(
    communities, today: datetime.date | None = None, settings: DistrictSettings | None = None
) -> dict[int, CommunityCalendar]:
    """The calendar of each community, by id: every period from `tracked_from` to today's."""
    today = today or timezone.localdate()
    settings = settings or district_settings()
    communities = list(
        communities.only("title", "kind", "frequent_transactions", "first_published_at", "path")
    )
    if not communities:
        return {}
    items = list(DisclosureItem.objects.active())
    ids = [c.pk for c in communities]
    first = min(tracked_from(c, settings) for c in communities)
    disclosures: dict[tuple[int, str], list[Disclosure]] = defaultdict(list)
    events: dict[int, list[EventObligation]] = defaultdict(list)
    for source in _sources:
        for found in source(ids, first, today, settings):
            if isinstance(found, EventObligation):
                events[found.community_id].append(found)
            elif found.source != "notice" or found.item_key not in DisclosureItem.RECORD_ONLY_KEYS:
                disclosures[(found.community_id, found.item_key)].append(found)
    for found in disclosures.values():
        found.sort(key=lambda d: d.disclosed_on)
    by_key = {item.key: item for item in items}

    result = {}
    spans: dict[tuple, list[DisclosurePeriod]] = {}  # communities tracked from the same day share
    for community in communities:
        start = tracked_from(community, settings)
        calendar = CommunityCalendar(community, tracked_from=start)
        for item in items:
            if item.scope not in (community.kind, DisclosureItem.Scope.BOTH):
                continue
            kind = period_kind(item, community, settings)
            done = disclosures.get((community.pk, item.key), [])
            if kind is None:
                # Disclosed at once (重大事项): each disclosure is an entry of its own.
                calendar.entries += [
                    Entry(
                        community.pk, item, d.title, None, Status.ON_TIME, disclosed=d, today=today
                    )
                    for d in done
                    if d.disclosed_on >= start
                ]
                continue
            span = spans.get((start, kind))
            if span is None:
                span = spans[(start, kind)] = list(periods_between(start, today, kind))
            for period in span:
                due = due_on(period, settings)
                match = next((d for d in done if _fulfils(d, period)), None)
                calendar.entries.append(
                    Entry(
                        community.pk,
                        item,
                        period.label,
                        due,
                        _status(due, match.disclosed_on if match else None, today),
                        disclosed=match,
                        period=period,
                        today=today,
                    )
                )
        for event in events.get(community.pk, []):
            item = by_key.get(event.item_key)
            if item is None or event.occurred_on < start:
                continue
            calendar.entries.append(
                Entry(
                    community.pk,
                    item,
                    event.label,
                    event.due_on,
                    _status(event.due_on, event.fulfilled_on, today),
                    period=period_of(event.occurred_on, QUARTER),
                    event=event,
                    today=today,
                )
            )
        calendar.entries.sort(
            key=lambda e: (e.due_on or e.disclosed_on or today, e.item.sort_order), reverse=True
        )
        result[community.pk] = calendar
    return result


def calendar_for(community: CommunityPage, today: datetime.date | None = None) -> CommunityCalendar:
    return calendars(CommunityPage.objects.filter(pk=community.pk), today)[community.pk]
