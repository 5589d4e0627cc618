"""Cost growth from N=50 to N=500 communities, from two http_bench.py JSON files of one mode.

python bench/compare.py var/bench/n50-off.json var/bench/n500-off.json
"""

import json
import statistics
import sys
from pathlib import Path


def main() -> None:
    small, large = (json.loads(Path(p).read_text()) for p in sys.argv[1:3])
    mode = "on" if small["cached"] else "off"
    print(f"`python bench/compare.py {' '.join(sys.argv[1:3])}` · page cache {mode}\n")
    print(
        "| page | ratio to baseline, N=50 | ratio to baseline, N=500 | cost growth ×"
        " (N=50 ratio / N=500 ratio) | p95 ms N=50 → N=500 |"
    )
    print("| --- | ---: | ---: | ---: | ---: |")
    for name, s in small["results"].items():
        big = large["results"][name]
        r50, r500 = statistics.median(s["ratio"]), statistics.median(big["ratio"])
        print(
            f"| {name} | {r50:.3f} | {r500:.3f} | {r50 / r500:.2f} | "
            f"{statistics.median(s['p95_ms']):.0f} → {statistics.median(big['p95_ms']):.0f} |"
        )
    for label, data in (("N=50", small), ("N=500", large)):
        print(
            f"\n{label}: worker RSS {', '.join(f'{m:.0f}' for m in data['rss_start'])} MB after "
            f"start → {', '.join(f'{m:.0f}' for m in data['rss_end'])} MB after "
            f"{data['requests']} requests."
        )


if __name__ == "__main__":
    main()
