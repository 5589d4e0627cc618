"""A new community of its own for each calendar test (the demo's notices would count too), and
notices filed under catalogue items and disclosed on a chosen day."""

import datetime

from django.utils import timezone

from community.models import (
    CommunityPage,
    DisclosureItem,
    NoticeIndexPage,
    NoticePage,
    TownshipPage,
)
from community.models.settings import DistrictSettings
from community.models.supervision import FinanceSignOff
from community.supervision.finance import record_outcome, signoff_required


def at(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(9)))


def new_community(
    kind: str = "village",
    joined: datetime.date = datetime.date(2025, 1, 1),
    slug: str = "calendar-test",
    **fields,
) -> CommunityPage:
    township = TownshipPage.objects.get(slug="liuxi" if kind == "village" else "dongcheng")
    community = CommunityPage(title="日历村" if kind == "village" else "日历社区", slug=slug,
                              kind=kind, **fields)  # fmt: skip
    township.add_child(instance=community)
    community.save_revision().publish()
    community.ensure_sections()
    CommunityPage.objects.filter(pk=community.pk).update(first_published_at=at(joined))
    community.refresh_from_db()
    return community


def board(community: CommunityPage) -> NoticeIndexPage:
    return NoticeIndexPage.objects.child_of(community).get()


def disclose(
    community: CommunityPage,
    keys: list[str],
    period: str,
    on: datetime.date,
    slug: str | None = None,
    category: str = "affairs",
) -> NoticePage:
    """A live notice naming `keys` for `period`, first published on `on`."""
    notice = NoticePage(
        title=f"{period} {'、'.join(keys)} 公开",
        slug=slug or f"n-{'-'.join(keys)}-{period}-{on:%m%d}".lower(),
        category=category,
        period=period,
        display_from=on,
        display_until=None,
    )
    notice.disclosure_items = list(DisclosureItem.objects.filter(key__in=keys))
    board(community).add_child(instance=notice)
    revision = notice.save_revision()
    if signoff_required(notice):  # 民主理财: the supervision committee signed it off first
        record_outcome(notice, revision, None, FinanceSignOff.Outcome.SIGNED, "账目相符。")
    revision.publish()
    NoticePage.objects.filter(pk=notice.pk).update(first_published_at=at(on))
    notice.refresh_from_db()
    return notice


def district(**fields) -> DistrictSettings:
    fields.setdefault("disclosure_start", datetime.date(2026, 7, 1))
    return DistrictSettings(**fields)
