"""Seconds for the district's disclosure calendars (community.disclosure.calendar.calendars over
every community), with the notices source as it is and as it was before it read the through table
(`old_notice_disclosures`, kept here as the baseline), interleaved round by round in one run.

    DATABASE_URL=sqlite:///var/bench500.sqlite3 SECRET_KEY=bench \\
        python bench/calendar_bench.py --rounds 5 --since 2025-01-01

on a district from `python -m bench.generate_district --communities 500 --notices 40`."""

import argparse
import datetime
import os
import statistics
import sys
import time
from pathlib import Path

import django

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings")
django.setup()

from django.db import connection, models, transaction  # noqa: E402  (after django.setup())
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from cms.visibility import reachable, under  # noqa: E402
from community.disclosure import calendar as cal  # noqa: E402
from community.disclosure.periods import parse_period  # noqa: E402
from community.models import CommunityPage, DisclosureItem, NoticePage  # noqa: E402
from community.models.settings import DistrictSettings  # noqa: E402


def old_notice_disclosures(community_ids, first, last, settings):
    """The source before: NoticePage instances, a prefetch of their items, one LIKE a community."""
    communities = CommunityPage.objects.filter(pk__in=community_ids).values_list("pk", "path")
    by_path = {path: pk for pk, path in communities}
    if not by_path:
        return []
    notices = (
        reachable(NoticePage.objects.filter(under(by_path)))
        .filter(first_published_at__isnull=False)
        .only("title", "url_path", "path", "period", "display_from", "first_published_at")
        .prefetch_related(models.Prefetch("disclosure_items", DisclosureItem.objects.only("key")))
    )
    found = []
    for notice in notices:
        community_id = by_path.get(notice.path[: NoticePage.steplen * 4])
        disclosed_on = notice.disclosed_on
        if community_id is None or disclosed_on is None:
            continue
        for item in notice.disclosure_items.all():
            found.append(
                cal.Disclosure(
                    community_id,
                    item.key,
                    parse_period(notice.period),
                    disclosed_on,
                    notice.title,
                    page=notice,
                )
            )
    return found


def timed(source) -> tuple[float, int, int]:
    saved = list(cal._sources)
    cal._sources[:] = [source if s is cal.notice_disclosures else s for s in saved]
    try:
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            result = cal.calendars(CommunityPage.objects.all())
            seconds = time.perf_counter() - start
    finally:
        cal._sources[:] = saved
    on_time = sum(c.counts()[cal.Status.ON_TIME] for c in result.values())
    return seconds, len(queries), on_time


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument(
        "--since",
        type=datetime.date.fromisoformat,
        default=datetime.date(2025, 1, 1),
        help="track the district from this day (the generator's notices are of 2025), rolled back",
    )
    args = parser.parse_args()
    with transaction.atomic():
        joined = timezone.make_aware(datetime.datetime.combine(args.since, datetime.time()))
        CommunityPage.objects.update(first_published_at=joined)
        DistrictSettings.objects.update(disclosure_start=args.since)
        run(args)
        transaction.set_rollback(True)


def run(args) -> None:
    communities = CommunityPage.objects.count()
    notices = NoticePage.objects.count()
    runs = {"old": [], "new": []}
    facts = {}
    timed(cal.notice_disclosures)  # warm caches (site root paths, settings)
    for _ in range(args.rounds):
        for label, source in (("old", old_notice_disclosures), ("new", cal.notice_disclosures)):
            seconds, queries, entries = timed(source)
            runs[label].append(seconds)
            facts[label] = (queries, entries)
    old, new = statistics.median(runs["old"]), statistics.median(runs["new"])
    print(f"`DATABASE_URL=… python bench/calendar_bench.py --rounds {args.rounds} --since "
          f"{args.since}` — {communities} communities, {notices} notices, {connection.vendor}")  # fmt: skip
    print()
    print("| notices source | median s | min–max s | queries | entries 已公开 | ratio to old |")
    print("| --- | --- | --- | --- | --- | --- |")
    for label, median in (("old (pages + prefetch)", old), ("new (through table)", new)):
        key = label.split()[0]
        queries, entries = facts[key]
        spread = f"{min(runs[key]):.2f}–{max(runs[key]):.2f}"
        print(f"| {label} | {median:.2f} | {spread} | {queries} | {entries} | {median / old:.2f} |")


if __name__ == "__main__":
    main()
