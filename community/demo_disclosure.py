"""Demo disclosures (docs/disclosure.md): each community's notices for the last complete quarter
whose deadline has passed, most on time, one late and one missing, so every community's 公开日历
shows all four states. Idempotent; dates relative to today.

The district is tracked from that quarter's first day (DistrictSettings.disclosure_start) and the
demo communities are backdated to have joined before it (the calendar tracks a community from the
later of the two). The finance item is left to the profile's 财务收支公开 notice
(community/demo_notices.py), which is why no finance notice is published here: where that notice
is on time, the "other matters" notice is the late one; where it is late, it is. Finance notices
awaiting sign-off, queries and evaluations are other demo modules'."""

import datetime

from django.utils import timezone
from wagtail.models import Site

from community.disclosure.calendar import due_on
from community.disclosure.periods import QUARTER, DisclosurePeriod, period_of
from community.models import (
    CommunityPage,
    DisclosureItem,
    DistrictSettings,
    NoticeIndexPage,
    NoticePage,
)

# (the item left undisclosed, the item disclosed late unless the finance notice is, the finance item)
PLAN = {
    "village": ("village-funds", "village-other", "village-accounts"),
    "urban": ("urban-facilities", "urban-other", "urban-funds"),
}
LATE_BY = 6  # days past the deadline


def demo_quarter(today: datetime.date, settings: DistrictSettings) -> DisclosurePeriod:
    """The last complete quarter whose deadline (and a late disclosure after it) lies in the past."""
    quarter = period_of(today, QUARTER).previous()
    while due_on(quarter, settings) + datetime.timedelta(days=LATE_BY) >= today:
        quarter = quarter.previous()
    return quarter


def _at(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(9)))


def _finance_late(board, key: str, quarter, due: datetime.date) -> bool:
    """Is the profile's finance notice for this quarter there, and late?"""
    notices = NoticePage.objects.child_of(board).live().filter(period=quarter.code)
    days = [n.disclosed_on for n in notices if key in n.disclosure_item_keys]
    return bool(days) and min(days) > due


def seed_disclosure() -> None:
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        return
    settings = DistrictSettings.for_site(site)
    today = timezone.localdate()
    quarter = demo_quarter(today, settings)
    if settings.disclosure_start != quarter.start:
        settings.disclosure_start = quarter.start
        settings.save()
    joined = _at(quarter.start - datetime.timedelta(days=30))
    CommunityPage.objects.filter(first_published_at__gt=joined).update(first_published_at=joined)
    due = due_on(quarter, settings)
    for community in CommunityPage.objects.order_by("path"):
        board = NoticeIndexPage.objects.child_of(community).first()
        if board is None:
            continue
        missing, late, finance = PLAN[community.kind]
        late_item = finance if _finance_late(board, finance, quarter, due) else late
        items = DisclosureItem.objects.active().for_kind(community.kind)
        for item in items.exclude(schedule=DisclosureItem.Schedule.AT_ONCE):
            if item.key in (missing, finance) or not item.builtin:
                continue
            on = due + datetime.timedelta(days=LATE_BY) if item.key == late_item else (
                quarter.end + datetime.timedelta(days=3)
            )  # fmt: skip
            _publish(board, community, item, quarter, on)


def _publish(board, community, item, quarter, on: datetime.date) -> None:
    slug = f"disclosure-{quarter.code.lower()}-{item.key}"
    if NoticePage.objects.child_of(board).filter(slug=slug).exists():
        return
    notice = NoticePage(
        title=f"{community.title}{quarter.label}公开：{item.name}",
        slug=slug,
        category=item.category,
        period=quarter.code,
        summary=f"{quarter.label}{item.name}，请村(居)民监督。",
        body=[
            (
                "paragraph",
                f"<p>根据{item.basis}，现将{quarter.label}{item.name}公布如下。"
                "如有疑问，请于公示期内向委员会或监督委员会反映。</p>",
            )
        ],
        display_from=on,
        display_until=on + datetime.timedelta(days=29),
        first_published_at=_at(on),  # put up then: the fifteen days count from it
    )
    notice.disclosure_items = [item]
    board.add_child(instance=notice)
    notice.save_revision().publish()
    NoticePage.objects.filter(pk=notice.pk).update(
        first_published_at=_at(on), last_published_at=_at(on)
    )
