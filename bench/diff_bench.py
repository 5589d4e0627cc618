"""Milliseconds per clause-level diff of two 150-article covenant versions (the first and the
fifteenth of the generator's benchmark covenant), against a fixed pure-Python calibration loop
timed in the same run, so the ratio says what the machine's noise does not.

    DATABASE_URL=… python bench/diff_bench.py [--rounds 7 --diffs 10]   # any migrated database
"""

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def calibration() -> None:
    total = 0
    for i in range(200_000):
        total += i % 7
    assert total


def timed(fn, times: int) -> float:
    started = time.perf_counter()
    for _ in range(times):
        fn()
    return (time.perf_counter() - started) / times * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--diffs", type=int, default=10)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings")
    # The models are imported once Django is set up with the settings chosen above.
    import django

    django.setup()
    # The models are imported once Django is set up with the settings chosen above.
    from bench.district_covenants import covenant_versions
    from community.diff import diff_covenants
    from community.models import CovenantPage

    texts = covenant_versions(random.Random(150), articles=150, versions=15)
    old, new = CovenantPage(body=texts[0]), CovenantPage(body=texts[-1])
    old_articles, new_articles = old.articles(), new.articles()
    rows = {"diff only": [], "parse both texts + diff": [], "calibration loop": []}
    for _ in range(args.rounds):
        rows["diff only"].append(
            timed(lambda: diff_covenants(old_articles, new_articles), args.diffs)
        )
        rows["parse both texts + diff"].append(
            timed(
                lambda: diff_covenants(
                    CovenantPage(body=texts[0]).articles(), CovenantPage(body=texts[-1]).articles()
                ),
                args.diffs,
            )
        )
        rows["calibration loop"].append(timed(calibration, args.diffs))
    summary = diff_covenants(old_articles, new_articles).summary
    base = statistics.median(rows["calibration loop"])
    print(f"`python bench/diff_bench.py --rounds {args.rounds} --diffs {args.diffs}` · "
          f"{len(old_articles)} → {len(new_articles)} articles, {summary}\n")  # fmt: skip
    print("| measurement | ms (median) | min–max | ratio to calibration loop |")
    print("| --- | ---: | ---: | ---: |")
    for name, values in rows.items():
        print(
            f"| {name} | {statistics.median(values):.1f} | {min(values):.1f}–{max(values):.1f} | "
            f"{statistics.median(values) / base:.2f} |"
        )


if __name__ == "__main__":
    main()
