"""The public disclosure calendar of a community (村务公开日历 / 居务公开日历): its page, its print
view for the notice board, and the rows both and the API read (docs/disclosure.md).

The page lists one section per quarter, newest first, so it reads as a list on a phone; a month's
accounts (财务往来较多的村) sit in the quarter they belong to. Everything shown is public: the
calendar counts only notices a resident can reach (community.disclosure.calendar)."""

import datetime
from dataclasses import dataclass, field

from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.encoding import uri_to_iri
from django.utils.safestring import mark_safe

from cms.printable import qr_svg
from community.disclosure.calendar import CommunityCalendar, Entry, Status, calendar_for
from community.disclosure.periods import QUARTER, YEAR, DisclosurePeriod, period_of
from community.models.disclosure import DisclosureItem
from community.models.notice import NoticeIndexPage

TITLES = {"village": "村务公开日历", "urban": "居务公开日历"}


def calendar_title(community) -> str:
    return TITLES.get(community.kind, TITLES["village"])


@dataclass
class Section:
    """The rows of one quarter (or, with no period, of the items disclosed at once)."""

    label: str
    due_on: datetime.date | None
    entries: list[Entry] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        found = dict.fromkeys(Status.values, 0)
        for entry in self.entries:
            found[entry.status] += 1
        return found


def _quarter(period: DisclosurePeriod) -> DisclosurePeriod:
    return period_of(period.end if period.kind == YEAR else period.start, QUARTER)


def sections(calendar: CommunityCalendar) -> list[Section]:
    """The calendar's entries grouped by quarter, newest first; at-once disclosures last."""
    by_quarter: dict[DisclosurePeriod, Section] = {}
    at_once = Section("随时公开的重大事项", None)
    for entry in calendar.entries:
        if entry.period is None:
            at_once.entries.append(entry)
            continue
        quarter = _quarter(entry.period)
        section = by_quarter.setdefault(quarter, Section(quarter.label, None))
        section.entries.append(entry)
        if entry.event is None and entry.period == quarter:
            section.due_on = entry.due_on
    result = [by_quarter[q] for q in sorted(by_quarter, reverse=True)]
    for section in result:
        section.entries.sort(
            key=lambda e: (e.event is not None, e.item.sort_order, e.period.start, e.label)
        )
    if at_once.entries:
        result.append(at_once)
    return result


PRACTICE = {"quarter": "按季度", "month": "按月"}


def district_practice(calendar: CommunityCalendar) -> str:
    """For an urban community held to periodic disclosure: how often, by the district's practice
    (the urban law says only 及时公布, so the deadlines shown are the district's, not the law's)."""
    kinds = {
        e.period.kind
        for e in calendar.entries
        if e.item.schedule == DisclosureItem.Schedule.PROMPTLY and e.event is None and e.period
    }
    return "、".join(PRACTICE[k] for k in sorted(kinds) if k in PRACTICE)


def calendar_url(community, request) -> str:
    return community.get_url(request) + community.reverse_subpage("disclosure_calendar")


def calendar_context(community, request) -> dict:
    calendar = calendar_for(community)
    return {
        "page": community,
        "self": community,
        "calendar": calendar,
        "calendar_title": calendar_title(community),
        "sections": sections(calendar),
        "counts": calendar.counts(),
        "urban_practice": district_practice(calendar) if community.kind == "urban" else "",
        "board": NoticeIndexPage.objects.child_of(community).live().public().first(),
        "today": timezone.localdate(),
    }


def calendar_page(community, request, printing: bool = False) -> TemplateResponse:
    context = calendar_context(community, request)
    if printing:
        url = request.build_absolute_uri(calendar_url(community, request))
        context.update(
            page_url=url,
            page_iri=uri_to_iri(url),
            qr=mark_safe(qr_svg(url, scale=3, fit=True)),
            base_template="print_base.html",
            printing=True,
            print_title=f"{community.title}{calendar_title(community)}",
            back_url=calendar_url(community, request),
        )
    return TemplateResponse(request, "community/disclosure_calendar.html", context)
