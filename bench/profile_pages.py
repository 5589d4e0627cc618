"""Where an uncached request's time goes: in-process (Django's test client, no server), per page,
the milliseconds per request, its queries and the time spent waiting on the database, against the
baseline view measured in the same run; then a pyinstrument profile of the covenant page.

    python bench/profile_pages.py [--requests 30] [--profile var/bench/covenant-profile.txt]
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


PARTS = [
    ("wagtail/views.py", "serve", "`wagtail.views.serve`, in all"),
    ("wagtail/models/pages.py", "route_for_request", "Wagtail's routing (`route_for_request`)"),
    ("wagtail/models/sites.py", "find_for_request", "of which the site lookup"),
    (
        "wagtail/models/specific.py",
        "specific",
        "of which `.specific` (the root page, the routed page)",
    ),
    ("django/template/response.py", "render", "template rendering"),
    ("community/models/covenant.py", "get_context", "`CovenantPage.get_context`"),
    ("wagtail/models/pages.py", "get_view_restrictions", "the view-restriction check"),
    ("django/db/backends/utils.py", "_execute", "waiting on the database"),
]


def cprofile_table(client, url: str, requests: int) -> str:
    """Cumulative milliseconds per request of the parts of an uncached page, under cProfile (whose
    overhead inflates every figure alike)."""
    # Standard-library profilers, only for this optional table.
    import cProfile
    import pstats

    profile = cProfile.Profile()
    profile.enable()
    for _ in range(requests):
        client.get(url)
    profile.disable()
    stats = pstats.Stats(profile).stats
    lines = [
        f"cProfile of {requests} requests to {url}\n",
        "| part of one request | ms | calls per request |",
        "| --- | ---: | ---: |",
    ]
    for path, function, label in PARTS:
        found = [
            (cumulative, calls)
            for (filename, _line, name), (_cc, calls, _tt, cumulative, _callers) in stats.items()
            if name == function and filename.endswith(path)
        ]
        if found:
            cumulative, calls = max(found)
            lines.append(
                f"| {label} | {cumulative / requests * 1000:.1f} | {calls / requests:.0f} |"
            )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--profile", default="var/bench/covenant-profile.txt")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    # The models are imported once Django is set up with the settings chosen above.
    import django

    django.setup()
    # The models are imported once Django is set up with the settings chosen above.
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from pyinstrument import Profiler

    from bench.targets import ensure_targets

    settings.PAGE_CACHE_SECONDS = 0
    targets = {"baseline (2 KB)": "/bench/baseline/?bytes=2000", **ensure_targets()}
    client = Client(HTTP_HOST="127.0.0.1")
    db_time = [0.0]
    queries = [0]

    def timer(execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            db_time[0] += time.perf_counter() - started
            queries[0] += 1

    def measure(url: str) -> tuple[float, float, float]:
        client.get(url)
        samples = []
        db_time[0], queries[0] = 0.0, 0
        for _ in range(args.requests):
            started = time.perf_counter()
            assert client.get(url).status_code == 200, url
            samples.append((time.perf_counter() - started) * 1000)
        n = args.requests
        return statistics.median(samples), queries[0] / n, db_time[0] * 1000 / n

    with connection.execute_wrapper(timer):
        rows = {name: measure(url) for name, url in targets.items()}
        # The same covenant routed by Wagtail's level-by-level walk (what cms/routing.py replaced).
        from wagtail.contrib.routable_page.models import RoutablePageMixin

        from home.models import HomePage  # after django.setup()

        HomePage.route = RoutablePageMixin.route
        try:
            rows["covenant, routed level by level (Wagtail's walk)"] = measure(
                targets["covenant (150 articles)"]
            )
        finally:
            del HomePage.route  # back to DirectRouteMixin.route
    base = rows["baseline (2 KB)"][0]
    print(
        f"`python bench/profile_pages.py --requests {args.requests}` · in-process, page cache off\n"
    )
    print("| page | ms per request (median) | × baseline | queries | ms waiting on the database |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for name, (ms, n, db_ms) in rows.items():
        print(f"| {name} | {ms:.2f} | {ms / base:.0f} | {n:.0f} | {db_ms:.2f} |")

    url = targets["covenant (150 articles)"]
    print(f"\n{cprofile_table(client, url, args.requests)}")
    profiler = Profiler(interval=0.0005)
    profiler.start()
    for _ in range(args.requests):
        client.get(url)
    profiler.stop()
    Path(args.profile).parent.mkdir(parents=True, exist_ok=True)
    Path(args.profile).write_text(profiler.output_text(unicode=False, color=False, show_all=False))
    print(f"\npyinstrument profile of {args.requests} covenant requests: {args.profile}")


if __name__ == "__main__":
    main()
