"""Publishing a notice at N = 50 and N = 500 communities on PostgreSQL, and how soon search finds it
(issue 18, item 5; docs/performance.md, "Publishing as the district grows").

Starts its own PostgreSQL (initdb as the postgres user in a temporary directory, on a loopback
port), migrates, generates 50 small communities (bench/district.py) and indexes them, measures;
then adds 450 more, indexes, measures again, in the same run and on the same server. Each
measurement publishes notices as an editor's request does (one transaction: add the page, save a
revision, publish it) with the search index updated inline (TASKS_BACKEND=immediate, before) and
as a queued task (TASKS_BACKEND=database, the production setting) with `manage.py db_worker`
running beside it, and then polls the site search until the notice is found.

    .venv/bin/python bench/publish_scale.py [--publishes 15] [--port 55447]

Prints a Markdown table: median milliseconds per publish at each N, the ratio N=500 / N=50 for
both settings, and the search delay (publish committed → found by cms.search.search)."""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
SMALL = [  # the generator's sizes: small communities, so that 500 are built in minutes
    "--notices", "10", "--consultations", "2", "--answers", "5", "--popular-answers", "5",
    "--max-articles", "20", "--max-versions", "2", "--no-progress",
]  # fmt: skip


def _pg_bin() -> Path:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: int(p.parent.name))
    if not found:
        sys.exit("PostgreSQL is not installed (apt-get install postgresql-15)")
    return found[-1]


def _as_postgres(*command: str) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *command] if os.getuid() == 0 else list(command)


class Postgres:
    def __init__(self, port: int):
        self.port = port
        self.dir = Path(tempfile.mkdtemp(prefix="gongzhi-publish-"))
        self.dir.chmod(0o777)
        self.data = self.dir / "data"
        self.bin = _pg_bin()

    def start(self) -> str:
        if os.getuid() == 0:
            shutil.chown(self.dir, "postgres")
        run = lambda *c: subprocess.run(_as_postgres(*c), check=True, stdout=subprocess.DEVNULL)  # noqa: E731
        run(str(self.bin / "initdb"), "-D", str(self.data), "-U", "postgres", "--auth=trust",
            "-E", "UTF8", "--locale=C.UTF-8")  # fmt: skip
        run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-l", str(self.dir / "log"), "-w",
            "-o", f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off",
            "start")  # fmt: skip
        run(str(self.bin / "createdb"), "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres",
            "publish")  # fmt: skip
        return f"postgres://postgres@127.0.0.1:{self.port}/publish"

    def stop(self) -> None:
        subprocess.run(
            _as_postgres(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "fast", "stop"),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        shutil.rmtree(self.dir, ignore_errors=True)


def _env(database_url: str, tasks: str = "database") -> dict:
    return {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "DJANGO_SETTINGS_MODULE": "cms.settings",
        "DATABASE_URL": database_url,
        "SECRET_KEY": "bench",
        "ALLOWED_HOSTS": "127.0.0.1",
        "TASKS_BACKEND": tasks,
        "LOG_LEVEL": "ERROR",
    }


def _manage(env: dict, *args: str) -> None:
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True)


def _generate(env: dict, communities: int, prefix: str) -> None:
    subprocess.run(
        [PYTHON, "-m", "bench.generate_district", "--communities", str(communities),
         "--prefix", prefix, *SMALL],
        cwd=ROOT, env=env, check=True,
    )  # fmt: skip
    # The generator's saves queued index updates no worker ran: update_index does them all at once.
    _manage(
        env,
        "shell",
        "-c",
        "from django_tasks_db.models import DBTaskResult as R; R.objects.all().delete()",
    )
    _manage(env, "update_index")


def _measure(env: dict, publishes: int, label: str) -> dict:
    """Run this script's --measure in a process of its own (settings from `env`)."""
    out = subprocess.run(
        [PYTHON, __file__, "--measure", "--publishes", str(publishes), "--label", label],
        cwd=ROOT, env=env, check=True, capture_output=True, text=True,
    )  # fmt: skip
    return json.loads(out.stdout.strip().splitlines()[-1])


def measure(publishes: int, label: str) -> dict:
    """In a process whose settings come from the environment: publish `publishes` notices, timing
    each publish's transaction, then (queued) how long until the search finds each one."""
    # Django is set up in the measuring child process, with the environment it was given.
    import django

    django.setup()
    # after django.setup(): the models and the search
    from django.db import connection, transaction
    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult
    from wagtail.search.models import IndexEntry

    from cms.search import search
    from cms.tasks import index_object, queued
    from community.models import NoticeIndexPage, NoticePage
    from community.tasks import email_notifications

    boards = list(NoticeIndexPage.objects.live().order_by("-path")[:publishes])
    timings, delays = [], []
    worker = None
    if queued(email_notifications):
        worker = subprocess.Popen(
            [PYTHON, "manage.py", "db_worker", "--no-startup-delay", "--verbosity", "0"],
            cwd=ROOT, env=os.environ,
        )  # fmt: skip
        # Wait until the worker is up and has run a task (an index update of a board).
        warmup = index_object.enqueue("community", "noticeindexpage", str(boards[0].pk))
        while warmup.refresh() or not warmup.is_finished:
            time.sleep(0.1)
    tasks_before = DBTaskResult.objects.count()
    try:
        for i, board in enumerate(boards):
            word = f"巡查{label}{i:02d}号"
            title = f"关于冬季防火{word}安排的通知"
            started = time.perf_counter()
            with transaction.atomic():  # as ATOMIC_REQUESTS wraps the editor's request
                page = NoticePage(
                    title=title, slug=f"bench-{label}-{i}", display_from=timezone.localdate()
                )
                board.add_child(instance=page)
                page.save_revision().publish()
            committed = time.perf_counter()
            timings.append((committed - started) * 1000)
            while not any(hit.page.pk == page.pk for hit in search(word)):
                if time.perf_counter() - committed > 60:
                    raise SystemExit(f"{title} not found after 60 s")
                time.sleep(0.05)
            delays.append(time.perf_counter() - committed)
    finally:
        if worker is not None:
            worker.terminate()
            worker.wait(30)
    return {
        "label": label,
        "vendor": connection.vendor,
        "index_entries": IndexEntry.objects.count(),
        "publish_ms": statistics.median(timings),
        "publish_ms_all": [round(t, 1) for t in timings],
        "search_delay_s": max(delays),
        "search_delay_median_s": statistics.median(delays),
        "tasks_per_publish": (DBTaskResult.objects.count() - tasks_before) / len(boards),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--publishes", type=int, default=15)
    parser.add_argument("--port", type=int, default=55447)
    parser.add_argument("--sizes", default="50,500", help="the two N, smaller first")
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--label", default="", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args.publishes, args.label)))
        return

    pg = Postgres(args.port)
    url = pg.start()
    results = {}
    try:
        env = _env(url)
        _manage(env, "migrate", "--verbosity", "0")
        small, large = (int(n) for n in args.sizes.split(","))
        for n, more, prefix in ((small, small, "p1"), (large, large - small, "p2")):
            started = time.perf_counter()
            _generate(env, more, prefix)
            print(f"N={n}: built in {time.perf_counter() - started:.0f} s", file=sys.stderr)
            results[n] = {
                "inline": _measure(_env(url, "immediate"), args.publishes, f"i{n}"),
                "queued": _measure(env, args.publishes, f"q{n}"),
            }
            print(json.dumps(results[n]), file=sys.stderr)
    finally:
        pg.stop()

    print(
        f"`python bench/publish_scale.py --publishes {args.publishes} --sizes {args.sizes}` "
        "(PostgreSQL, one run)\n"
    )
    print("| search index update | N | index entries | publish, median ms | search finds it |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for setting in ("inline", "queued"):
        for n in (small, large):
            r = results[n][setting]
            print(
                f"| {setting} | {n} | {r['index_entries']} | {r['publish_ms']:.1f} | "
                f"max {r['search_delay_s']:.2f} s (median {r['search_delay_median_s']:.2f} s) |"
            )
    for setting in ("inline", "queued"):
        ratio = results[large][setting]["publish_ms"] / results[small][setting]["publish_ms"]
        print(f"\n{setting}: publish N={large} / N={small} = {ratio:.2f}×", end="")
    print()


if __name__ == "__main__":
    main()
