"""Throughput and latency of anonymous GETs under gunicorn (2 workers), driven by wrk from another
process on loopback, each page as a ratio to the baseline view (bench/urls.py) answering the same
number of bytes, measured in the same run, interleaved round by round.

    python bench/http_bench.py --label "N=50" --json var/bench-n50.json [--seconds 4 --rounds 3]

The database is the one DATABASE_URL names (a generated district; see bench/README.md); with
CACHE_URL=redis://… and PAGE_CACHE_SECONDS > 0 it measures the cached site.
"""

import argparse
import json
import os
import re
import signal
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
LUA = Path(__file__).with_name("latency.lua")
RESULT = re.compile(r"RESULT requests=(\d+) duration_us=(\d+) errors=(\d+) p50=(\d+) p95=(\d+)")


def wrk(url: str, seconds: float, connections: int) -> dict:
    out = subprocess.run(
        [
            "wrk",
            "-t1",
            f"-c{connections}",
            f"-d{seconds}s",
            "--timeout",
            "10s",
            "-s",
            str(LUA),
            url,
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    requests, duration, errors, p50, p95 = map(int, RESULT.search(out).groups())
    return {
        "rps": requests / (duration / 1e6),
        "requests": requests,
        "errors": errors,
        "p50_ms": p50 / 1000,
        "p95_ms": p95 / 1000,
    }


def drain(base: str) -> None:
    """Wait until the requests wrk left queued are answered: the next run starts on idle workers."""
    for _ in range(600):
        started = time.perf_counter()
        urllib.request.urlopen(f"{base}/bench/baseline/?bytes=100", timeout=60).read()
        if time.perf_counter() - started < 0.02:
            return
        time.sleep(0.1)


def rss_mb(master: int) -> list[float]:
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    sizes = []
    for pid in children:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                sizes.append(int(line.split()[1]) / 1024)
    return sizes


def spread(values: list[float]) -> str:
    return f"{statistics.median(values):.2f} ({min(values):.2f}–{max(values):.2f})"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--label", default="")
    parser.add_argument("--seconds", type=int, default=4)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--port", type=int, default=58733)
    parser.add_argument("--json", help="write the results here too")
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    # The models are imported once Django is set up with the settings chosen above.
    import django

    django.setup()
    # The models are imported once Django is set up with the settings chosen above.
    from bench.targets import ensure_targets

    targets = ensure_targets()
    from django.conf import settings  # after django.setup(), like the models

    cached = settings.PAGE_CACHE_SECONDS > 0
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench.settings"}
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "cms.wsgi", "--workers", "2", "--bind",
         f"127.0.0.1:{args.port}", "--log-level", "warning", "--backlog", "2048"],
        cwd=ROOT, env=env,
    )  # fmt: skip
    base = f"http://127.0.0.1:{args.port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{base}/bench/baseline/", timeout=1)
                break
            except OSError:
                time.sleep(0.2)
        sizes = {}
        for name, path in targets.items():
            with urllib.request.urlopen(base + path, timeout=30) as response:
                assert response.status == 200, (name, response.status)
                sizes[name] = len(response.read())
        urllib.request.urlopen(f"{base}/bench/baseline/?bytes=2000").read()
        rss_start = rss_mb(server.pid)
        results, total = {}, 0
        for name, path in targets.items():
            page_runs, base_runs = [], []
            for _ in range(args.rounds):
                page_runs.append(wrk(base + path, args.seconds, args.connections))
                drain(base)
                base_runs.append(
                    wrk(
                        f"{base}/bench/baseline/?bytes={sizes[name]}",
                        args.seconds,
                        args.connections,
                    )
                )
                drain(base)
            total += sum(r["requests"] for r in page_runs + base_runs)
            results[name] = {
                "path": path,
                "bytes": sizes[name],
                "rps": [r["rps"] for r in page_runs],
                "baseline_rps": [r["rps"] for r in base_runs],
                "ratio": [p["rps"] / b["rps"] for p, b in zip(page_runs, base_runs, strict=True)],
                "p50_ms": [r["p50_ms"] for r in page_runs],
                "p95_ms": [r["p95_ms"] for r in page_runs],
                "baseline_p95_ms": [r["p95_ms"] for r in base_runs],
                "errors": sum(r["errors"] for r in page_runs),
            }
            print(f"  {name}: ratio {spread(results[name]['ratio'])}", file=sys.stderr, flush=True)
        rss_end = rss_mb(server.pid)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)

    title = f"{args.label} · page cache {'on (Redis)' if cached else 'off'}"
    print(f"\n### {title}\n")
    print(f"`{' '.join(sys.argv)}` · {args.rounds} rounds × {args.seconds:g} s, "
          f"{args.connections} connections, gunicorn 2 sync workers, wrk -t1\n")  # fmt: skip
    print(
        "| page | bytes | req/s | baseline req/s | ratio to baseline | p50 ms | p95 ms | errors |"
    )
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for name, r in results.items():
        print(
            f"| {name} | {r['bytes']} | {statistics.median(r['rps']):.0f} | "
            f"{statistics.median(r['baseline_rps']):.0f} | {spread(r['ratio'])} | "
            f"{statistics.median(r['p50_ms']):.1f} | {statistics.median(r['p95_ms']):.1f} | "
            f"{r['errors']} |"
        )
    print(
        f"\nResident memory per worker: {', '.join(f'{m:.0f}' for m in rss_start)} MB after start, "
        f"{', '.join(f'{m:.0f}' for m in rss_end)} MB after {total} requests "
        f"(ratio {statistics.mean(rss_end) / statistics.mean(rss_start):.2f})."
    )
    if args.json:
        Path(args.json).parent.mkdir(parents=True, exist_ok=True)
        Path(args.json).write_text(
            json.dumps(
                {"label": args.label, "cached": cached, "results": results,
                 "rss_start": rss_start, "rss_end": rss_end, "requests": total},
                ensure_ascii=False, indent=1,
            )
        )  # fmt: skip


if __name__ == "__main__":
    main()
