"""The fault suite (issue 18 item 8; results in docs/reliability.md).

    python bench/faults.py [--fault-seconds 30] [--json F] [--only redis-stop,pg-restart,...]

One production-like host (gunicorn, 2 sync workers, PostgreSQL, Redis as CACHE_URL, MEDIA_ROOT on
a small tmpfs the script mounts; see bench/cluster.py), under a bounded mixed load the whole time:
readers of pages and the API, and residents answering a form through the API with an
Idempotency-Key and up to 3 retries (same key) on no answer or a 5xx. In turn it injects:

- redis-stop:  Redis stopped for --fault-seconds, then started again (empty);
- redis-hang:  Redis hung (SIGSTOP) for --fault-seconds, then SIGCONT;
- pg-restart:  PostgreSQL stopped for --db-seconds, then started;
- worker-kill: one gunicorn worker killed (SIGKILL) three times, 4 s apart;
- media-full:  the media disk filled, then an upload through the admin.

and asserts: every acknowledged answer stored exactly once (the client's log against the
database); no 500 while Redis is away (pages served uncached); 503, not 500, while the database is
away; a publish works during the Redis faults, and after each fault a publish shows on the page
(the cache is correct); an upload to a full disk is refused with a message and leaves no file.

Prints a Markdown table; exits 1 when an assertion fails.
"""

import argparse
import json
import os
import re
import signal
import statistics
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import siteclient  # noqa: E402
from bench.cluster import Cluster  # noqa: E402
from bench.two_hosts import NOTICES_PATH, find_form, find_page  # noqa: E402

FAULTS = ("redis-stop", "redis-hang", "pg-restart", "worker-kill", "media-full")
READ_PATHS = (
    "/",
    NOTICES_PATH,
    "/liuxi/xinghua/",
    "/api/v3/pages/?limit=5",
    "/api/v3/forms/{form}/",
)
MEDIA_BYTES = 16 * 2**20  # the tmpfs under MEDIA_ROOT


class Load:
    """Readers and answer writers running until stopped; every request is logged with the phase
    it started in."""

    def __init__(self, base: str, form_id: int, schema: dict, readers=3, writers=3, timeout=10):
        self.base, self.form_id, self.schema, self.timeout = base, form_id, schema, timeout
        self._phase = "baseline"
        self.phase_log = [(0.0, "baseline")]  # (monotonic time it began, phase)
        self.reads: list[tuple[str, float, object, float]] = []  # phase, start, status, seconds
        self.answers: list[tuple[str, siteclient.Outcome]] = []
        self.lock = threading.Lock()
        self.stop = threading.Event()
        self.counter = iter(range(10**9))
        self.threads = [threading.Thread(target=self.reader, args=(i,)) for i in range(readers)]
        self.threads += [threading.Thread(target=self.writer) for _ in range(writers)]

    @property
    def phase(self) -> str:
        return self._phase

    @phase.setter
    def phase(self, name: str):
        self._phase = name
        self.phase_log.append((time.monotonic(), name))

    def phase_at(self, moment: float) -> str:
        return [name for began, name in self.phase_log if began <= moment][-1]

    def start(self):
        for t in self.threads:
            t.start()

    def finish(self):
        self.stop.set()
        for t in self.threads:
            t.join(timeout=120)

    def reader(self, i: int):
        session = requests.Session()
        paths = [p.format(form=self.form_id) for p in READ_PATHS]
        n = i
        while not self.stop.is_set():
            path = paths[n % len(paths)]
            n += 1
            phase, started = self.phase, time.monotonic()
            try:
                status = session.get(self.base + path, timeout=self.timeout).status_code
            except requests.RequestException as error:
                status = type(error).__name__
            with self.lock:
                self.reads.append((phase, started, status, time.monotonic() - started))
            time.sleep(0.05)

    def writer(self):
        session = requests.Session()
        while not self.stop.is_set():
            phase = self.phase
            outcome = siteclient.answer(
                self.base,
                self.form_id,
                self.schema,
                f"fault-{uuid.uuid4().hex}",
                siteclient.resident_address(next(self.counter)),
                session=session,
                timeout=self.timeout,
            )
            with self.lock:
                self.answers.append((phase, outcome))
            time.sleep(0.05)

    def summary(self, phase: str) -> dict:
        with self.lock:
            reads = [r for r in self.reads if r[0] == phase]
            answers = [o for p, o in self.answers if p == phase]
        statuses = Counter(str(r[2]) for r in reads)
        with self.lock:
            every = [o for _, o in self.answers]
        # each attempt in the phase it was made in (a retry may fall in the next phase)
        attempts = Counter(
            str(s) for o in every for s, t in zip(o.statuses, o.times, strict=True)
            if self.phase_at(t) == phase
        )  # fmt: skip
        seconds = sorted(r[3] for r in reads)
        return {
            "reads": len(reads),
            "read_statuses": dict(statuses),
            "read_p95_s": seconds[int(len(seconds) * 0.95)] if seconds else None,
            "read_median_s": statistics.median(seconds) if seconds else None,
            "answers": len(answers),
            "acknowledged": sum(o.acknowledged for o in answers),
            "attempt_statuses": dict(attempts),
        }


def fmt_counts(counts: dict) -> str:
    return ", ".join(f"{k}×{v}" for k, v in sorted(counts.items(), key=lambda kv: -kv[1])) or "none"


class Suite:
    def __init__(self, cluster: Cluster, load: Load, admin: siteclient.Admin, page_id: int):
        self.cluster, self.load, self.admin, self.page_id = cluster, load, admin, page_id
        self.rows = []
        self.phases = {}
        self.deferred = []  # rows judged once the load has stopped (answers still in flight)

    def row(self, fault: str, assertion: str, ok: bool, measured: str):
        self.rows.append({"fault": fault, "assertion": assertion, "ok": ok, "measured": measured})
        print(f"  {'PASS' if ok else 'FAIL'} {fault}: {assertion}: {measured}", flush=True)

    def phase(self, name: str):
        self.load.phase = name

    def publish(self, base=None) -> tuple[int | str, str]:
        title = f"村务公开·{uuid.uuid4().hex[:6]}"
        try:
            response = self.admin.publish(self.page_id, title, base=base)
            return response.status_code, title
        except requests.RequestException as error:
            return type(error).__name__, title

    def publish_shows(self, fault: str, wait: float = 3.0):
        """The cache is correct afterwards: a publish now is on the anonymous page within `wait`."""
        base = self.cluster.url
        requests.get(base + NOTICES_PATH, timeout=10)  # cached first
        status, title = self.publish()
        shown = None
        started = time.monotonic()
        while status == 302 and time.monotonic() - started < 10:
            if title in requests.get(base + NOTICES_PATH, timeout=10).text:
                shown = time.monotonic() - started
                break
            time.sleep(0.1)
        self.row(
            fault,
            f"after: a publish shows on the page ≤ {wait:g} s",
            shown is not None and shown <= wait,
            f"publish {status}; shown after {shown:.2f} s" if shown is not None
            else f"publish {status}; not shown within 10 s",
        )  # fmt: skip

    def no_5xx(self, fault: str, phase: str, what: str):
        index = len(self.rows)
        self.rows.append(None)  # keeps the table in the order of the faults
        self.deferred.append(lambda: self._no_5xx(index, fault, phase, what))

    def judge_deferred(self):
        for judge in self.deferred:
            judge()

    def _no_5xx(self, index: int, fault: str, phase: str, what: str):
        s = self.load.summary(phase)
        self.phases[phase] = s
        bad_reads = {k: v for k, v in s["read_statuses"].items() if k.startswith("5")}
        bad_answers = {k: v for k, v in s["attempt_statuses"].items() if k.startswith("5")}
        timeouts = {k: v for k, v in s["read_statuses"].items() if not k.isdigit()}
        self.row(
            fault,
            what,
            not bad_reads and not bad_answers and not timeouts and s["reads"] > 0,
            f"reads {fmt_counts(s['read_statuses'])} (p95 {s['read_p95_s'] or 0:.2f} s); "
            f"answer attempts {fmt_counts(s['attempt_statuses'])}",
        )
        self.rows[index] = self.rows.pop()

    # ---- the faults ------------------------------------------------------------------------

    def redis_stop(self, seconds: float):
        self.phase("redis-stop")
        self.cluster.stop_redis()
        time.sleep(seconds / 2)
        status, _ = self.publish()
        self.row("Redis stopped", "during: a publish succeeds", status == 302, f"publish {status}")
        time.sleep(seconds / 2)
        self.cluster.start_redis()
        self.phase("redis-stop/after")
        self.no_5xx("Redis stopped", "redis-stop", f"during ({seconds:g} s): no 5xx, no timeout")
        time.sleep(2)
        self.publish_shows("Redis stopped")

    def redis_hang(self, seconds: float):
        self.phase("redis-hang")
        self.cluster.redis_signal(signal.SIGSTOP)
        time.sleep(seconds / 2)
        status, _ = self.publish()
        self.row(
            "Redis hung (SIGSTOP)", "during: a publish succeeds", status == 302, f"publish {status}"
        )
        time.sleep(max(0.0, seconds / 2))
        self.cluster.redis_signal(signal.SIGCONT)
        self.phase("redis-hang/after")
        self.no_5xx(
            "Redis hung (SIGSTOP)", "redis-hang", f"during ({seconds:g} s): no 5xx, no timeout"
        )
        time.sleep(2)
        self.publish_shows("Redis hung (SIGSTOP)")

    def pg_restart(self, seconds: float):
        self.phase("pg-down")
        self.cluster.pg_ctl("stop")
        down = time.monotonic()
        # an uncached page and the API, asked while the database is away
        probes = []
        while time.monotonic() - down < seconds:
            for path in (f"/liuxi/xinghua/?nocache={uuid.uuid4().hex[:6]}", "/api/v3/pages/?limit=1",
                         "/admin/login/"):  # fmt: skip
                try:
                    r = requests.get(self.cluster.url + path, timeout=10)
                    probes.append((r.status_code, r.headers.get("Content-Type", "").split(";")[0],
                                   r.headers.get("Retry-After")))  # fmt: skip
                except requests.RequestException as error:
                    probes.append((type(error).__name__, "", None))
            time.sleep(0.5)
        self.cluster.pg_ctl("start")
        up = time.monotonic()
        self.phase("pg-restart/after")
        summary = self.load.summary("pg-down")
        self.phases["pg-down"] = summary
        seen = Counter(f"{s} {t}".strip() for s, t, _ in probes)
        failed = [p for p in probes if p[0] != 200]
        ok = bool(failed) and all(p[0] == 503 and p[2] for p in failed)
        attempts = {k: v for k, v in summary["attempt_statuses"].items() if k.startswith("5")}
        self.row(
            "PostgreSQL down, restarted",
            f"during ({seconds:g} s): 503 with Retry-After, never 500",
            ok and "500" not in attempts and "500" not in summary["read_statuses"],
            f"probes {fmt_counts(seen)}; load reads {fmt_counts(summary['read_statuses'])}; "
            f"answer attempts {fmt_counts(summary['attempt_statuses'])}",
        )
        recovered = None
        while time.monotonic() - up < 30:
            try:
                if (
                    requests.get(f"{self.cluster.url}/api/v3/pages/?limit=1", timeout=5).status_code
                    == 200
                ):
                    recovered = time.monotonic() - up
                    break
            except requests.RequestException:
                pass
            time.sleep(0.2)
        self.row(
            "PostgreSQL down, restarted",
            "after: the workers recover by themselves ≤ 5 s",
            recovered is not None and recovered <= 5,
            f"{recovered:.1f} s after the start" if recovered is not None else "not within 30 s",
        )
        time.sleep(2)
        self.publish_shows("PostgreSQL down, restarted")

    def worker_kill(self, times: int = 3):
        self.phase("worker-kill")
        host = self.cluster.host_list[0]
        killed = 0
        for _ in range(times):
            workers = host.workers()
            if workers:
                os.kill(workers[0], signal.SIGKILL)
                killed += 1
            time.sleep(4)
        self.phase("worker-kill/after")
        s = self.load.summary("worker-kill")
        self.phases["worker-kill"] = s
        lost = s["answers"] - s["acknowledged"]
        self.row(
            "gunicorn worker killed",
            f"during ({killed} × SIGKILL): every answer acknowledged after retries",
            lost == 0 and killed == times,
            f"{s['acknowledged']}/{s['answers']} answers acknowledged; attempts "
            f"{fmt_counts(s['attempt_statuses'])}; reads {fmt_counts(s['read_statuses'])}",
        )

    def media_full(self):
        self.phase("media-full")
        media = self.cluster.host_list[0].media
        filler = media / "filler.bin"
        subprocess.run(["dd", "if=/dev/zero", f"of={filler}", "bs=1M"], capture_output=True)
        free = os.statvfs(media).f_bavail * os.statvfs(media).f_frsize
        before = {p for p in media.rglob("*") if p.is_file()}
        title = f"bench-full-{uuid.uuid4().hex[:6]}"
        try:
            response = self.admin.upload_document(f"{title}.txt", b"x" * 200_000, title)
            status, text = response.status_code, response.text
        except requests.RequestException as error:
            status, text = type(error).__name__, ""
        left = [p for p in media.rglob("*") if p.is_file() and p not in before]
        filler.unlink()
        message = re.search(r"(文件没有保存[^<]*|存储空间[^<]*|磁盘[^<]*)", text)
        said = " ".join(message.group(1).split()) if message else ""  # one line in the table
        stored = self.cluster.sql(
            "SELECT count(*) FROM wagtaildocs_document WHERE title = %s", title
        )[0][0]
        self.phase("media-full/after")
        self.row(
            "media disk full",
            "an upload is refused with a Chinese message, leaves no file and no row",
            status == 200 and bool(message) and not left and stored == 0,
            f"upload answered {status}{' «' + said[:40] + '»' if message else ', no message'}; "
            f"{len(left)} file(s) left ({', '.join(f'{p.stat().st_size} B' for p in left)}), {stored} row(s); "
            f"{free} B were free",
        )


def check_answers(suite: Suite, cluster: Cluster, load: Load, form_id: int):
    outcomes = [o for _, o in load.answers]
    stored = dict(
        cluster.sql(
            "SELECT m, count(*) FROM (SELECT value AS m FROM consultation_communityformsubmission, "
            "jsonb_each_text(form_data::jsonb) WHERE page_id = %s AND value LIKE 'fault-%%') s GROUP BY m",
            form_id,
        )
    )
    acknowledged = [o for o in outcomes if o.acknowledged]
    lost = [o for o in acknowledged if o.marker not in stored]
    twice = [m for m, n in stored.items() if n > 1]
    unacknowledged_stored = [o for o in outcomes if not o.acknowledged and o.marker in stored]
    suite.row(
        "all faults",
        "every acknowledged answer stored exactly once",
        not lost and not twice,
        f"{len(acknowledged)} acknowledged of {len(outcomes)} sent: {len(lost)} lost, "
        f"{len(twice)} stored twice or more; {len(unacknowledged_stored)} stored but never acknowledged",
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--fault-seconds", type=float, default=30)
    parser.add_argument("--db-seconds", type=float, default=10)
    parser.add_argument(
        "--only", default=",".join(FAULTS), help=f"comma-separated of {', '.join(FAULTS)}"
    )
    parser.add_argument("--base-port", type=int, default=58850)
    parser.add_argument("--keep", action="store_true")
    parser.add_argument("--seed-cache", default=str(ROOT / "var" / "bench" / "cluster-seed"))
    parser.add_argument("--json")
    args = parser.parse_args()
    only = [f for f in args.only.split(",") if f]

    cluster = Cluster(
        hosts=1,
        balancer=False,
        base_port=args.base_port,
        extra_env={"FORM_RATE_LIMIT": "100000/3600"},
        keep=args.keep,
        seed_cache=Path(args.seed_cache) if args.seed_cache else None,
    )
    # MEDIA_ROOT on a tmpfs of its own, so "disk full" is real ENOSPC (needs root; else a
    # read-only directory would be the fallback, and root ignores that)
    media = cluster.host_list[0].media
    media.mkdir(parents=True)
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={MEDIA_BYTES}", "tmpfs", str(media)],
                             capture_output=True).returncode == 0  # fmt: skip
    if mounted:
        cluster.mounts.append(media)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(2))
    suite = None
    started = time.monotonic()
    rows_on_error = []
    try:
        cluster.start()
        form_id = find_form(cluster.url)
        schema = siteclient.schema(cluster.url, form_id)
        page_id = find_page(cluster.url, NOTICES_PATH)
        admin = siteclient.Admin(cluster.url)
        admin.login()
        load = Load(cluster.url, form_id, schema)
        suite = Suite(cluster, load, admin, page_id)
        load.start()
        time.sleep(5)
        suite.no_5xx("none (baseline)", "baseline", "5 s of load: no 5xx, no timeout")
        for fault in only:
            print(f"-- {fault}", flush=True)
            if fault == "redis-stop":
                suite.redis_stop(args.fault_seconds)
            elif fault == "redis-hang":
                suite.redis_hang(args.fault_seconds)
            elif fault == "pg-restart":
                suite.pg_restart(args.db_seconds)
            elif fault == "worker-kill":
                suite.worker_kill()
            elif fault == "media-full":
                if mounted:
                    suite.media_full()
                else:
                    suite.row("media disk full", "an upload is refused with a message", False,
                              "could not mount a tmpfs (not root?)")  # fmt: skip
            time.sleep(3)
        load.finish()
        # answers whose last try was cut off may still be committing: let them land
        time.sleep(1)
        suite.judge_deferred()
        check_answers(suite, cluster, load, form_id)
    except Exception as error:
        rows_on_error.append({"fault": "setup", "assertion": "the suite ran", "ok": False,
                              "measured": f"{type(error).__name__}: {error}"[:300]})  # fmt: skip
        print(rows_on_error[-1], flush=True)
    finally:
        if suite is not None:
            suite.load.stop.set()
        cluster.stop()

    rows = [r for r in (suite.rows if suite else []) if r] + rows_on_error
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                            text=True).stdout.strip()  # fmt: skip
    command = " ".join(["python bench/faults.py", *sys.argv[1:]])
    print(f"\n`{command}` · commit {commit} · {time.monotonic() - started:.0f} s\n")
    print("| fault | assertion | result | measured |\n| --- | --- | --- | --- |")
    for r in rows:
        print(
            f"| {r['fault']} | {r['assertion']} | {'pass' if r['ok'] else '**FAIL**'} | {r['measured']} |"
        )
    if args.json:
        data = {"rows": rows, "phases": suite.phases if suite else {}, "commit": commit}
        Path(args.json).write_text(json.dumps(data, ensure_ascii=False, indent=1))
    return 0 if rows and all(r["ok"] for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
