"""The embedded default under concurrency: `quickstart`'s own server (SQLite, runserver) with
writer threads answering a form through the API and reader threads reading pages, for a few
seconds; prints the counts as a Markdown table (docs/performance.md, issue 18).

Writers come in pairs that send the same answer with the same Idempotency-Key at the same moment
(a retry racing its first try), so the run also checks that concurrent tries store one row.

    python -m bench.sqlite_concurrency --writers 20 --readers 20 --seconds 10

Standard library only; the server runs from a fresh copy of the demo district in a temporary
directory (nothing under var/ is touched). tests/test_i18_sqlite_concurrency.py runs the same."""

from __future__ import annotations

import argparse
import contextlib
import itertools
import json
import os
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
READ_PATHS = ("/", "/api/v3/pages/?limit=20")
SAMPLE = {
    "singleline": "夜间巡逻",
    "multiline": "建议晚上增加巡逻。",
    "email": "resident@example.com",
    "number": 3,
    "url": "https://example.com/",
    "checkbox": True,
    "consent": True,
    "date": "2026-03-01",
    "datetime": "2026-03-01 10:00",
    "mobile": "13812341234",
    "address": "银杏小区 3 幢 2 单元",
    "hidden": "",
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def quickstart_server(workdir: Path, port: int | None = None) -> Iterator[tuple[str, Path]]:
    """`manage.py quickstart` as a resident's laptop runs it (embedded SQLite, DEBUG, runserver),
    on a database of its own; yields (base URL, database file). The rate limit is raised so that
    every answer of the load is taken (it is not what is measured)."""
    port = port or free_port()
    database = workdir / "db.sqlite3"
    env = {
        **{k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "CACHE_URL")},
        "DATABASE_URL": f"sqlite:///{database}",
        "DEBUG": "true",
        "MEDIA_ROOT": str(workdir / "media"),
        "DJANGO_SETTINGS_MODULE": "cms.settings",
        "DJANGO_SUPERUSER_PASSWORD": "bench-admin-password",
        "FORM_RATE_LIMIT": "1000000/3600",
        "PYTHONPATH": str(ROOT),
    }
    log = (workdir / "server.log").open("w")
    server = subprocess.Popen(
        [sys.executable, str(ROOT / "manage.py"), "quickstart", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 900
        while True:
            if server.poll() is not None:
                raise RuntimeError(f"quickstart exited:\n{(workdir / 'server.log').read_text()}")
            with (
                contextlib.suppress(OSError),
                urllib.request.urlopen(base + "/", timeout=5) as response,
            ):
                if response.status == 200:
                    break
            if time.monotonic() > deadline:
                raise RuntimeError("quickstart's server did not answer in 900 s")
            time.sleep(0.5)
        yield base, database
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()


ERRORS: Counter = Counter()  # why a request got no answer at all (status 0)


def request(base: str, path: str, body: dict | None = None, key: str | None = None):
    """(status, parsed JSON or None); status 0 when the connection failed (ERRORS says why)."""
    headers = {"Content-Type": "application/json"} if body is not None else {}
    if key:
        headers["Idempotency-Key"] = key
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(base + path, data=data, headers=headers)
    try:
        with urllib.request.urlopen(req, timeout=60) as response:
            raw = response.read()
            status = response.status
    except urllib.error.HTTPError as error:
        raw, status = error.read(), error.code
    except OSError as error:
        ERRORS[repr(error)[:120]] += 1
        return 0, None
    try:
        return status, json.loads(raw)
    except ValueError:
        return status, None


def answer_for(schema: dict) -> dict:
    answers = {}
    for f in schema["fields"]:
        if f["choices"]:
            first = f["choices"][0]["value"]
            answers[f["name"]] = [first] if f["type"] in ("checkboxes", "multiselect") else first
        elif f["type"] in SAMPLE:
            answers[f["name"]] = SAMPLE[f["type"]]
        else:
            answers[f["name"]] = "意见"
    return answers


def open_form(base: str, database: Path) -> tuple[int, dict]:
    """A demo form that takes an anonymous answer now: (page id, a valid answer)."""
    with contextlib.closing(sqlite3.connect(database)) as db:
        ids = [r[0] for r in db.execute("SELECT page_ptr_id FROM consultation_communityformpage")]
    for page_id in ids:
        status, schema = request(base, f"/api/v3/forms/{page_id}/")
        if status != 200 or not schema["is_open"]:
            continue
        answers = answer_for(schema)
        status, _ = request(base, f"/api/v3/forms/{page_id}/submissions/", {"answers": answers})
        if status == 201:
            return page_id, answers
    raise RuntimeError("no demo form takes an anonymous answer")


def stored_ids(database: Path, page_id: int) -> Counter:
    with contextlib.closing(sqlite3.connect(database, timeout=30)) as db:
        rows = db.execute(
            "SELECT id FROM consultation_communityformsubmission WHERE page_id = ?", (page_id,)
        )
        return Counter(r[0] for r in rows)


@dataclass
class Result:
    statuses: Counter = field(default_factory=Counter)  # (kind, status) → count
    acknowledged: dict = field(default_factory=dict)  # key → set of ids answered for it
    errors: list = field(default_factory=list)
    lock = threading.Lock()

    def add(self, kind: str, status: int) -> None:
        with self.lock:
            self.statuses[kind, status] += 1

    def failures(self) -> int:
        return sum(
            n for (_kind, status), n in self.statuses.items() if status == 0 or status >= 500
        )


def run_load(
    base: str, page_id: int, answers: dict, writers: int, readers: int, seconds: float
) -> Result:
    """`writers` threads (in pairs racing on one key) answer; `readers` threads read pages and the
    form, until `seconds` have passed."""
    result = Result()
    stop = time.monotonic() + seconds
    url = f"/api/v3/forms/{page_id}/submissions/"
    reads = itertools.cycle([*READ_PATHS, f"/api/v3/forms/{page_id}/"])

    def pair(index: int, barrier: threading.Barrier, keys: list[str]) -> None:
        for n in itertools.count():
            if index == 0:
                keys.append(f"bench-{uuid.uuid4()}" if time.monotonic() < stop else "")
            try:
                barrier.wait(timeout=120)
            except threading.BrokenBarrierError:
                return
            key = keys[n]
            if not key:
                return
            status, body = request(base, url, {"answers": answers}, key)
            result.add("write", status)
            if status == 201 and body:
                with result.lock:
                    result.acknowledged.setdefault(key, set()).add(body["id"])
            try:
                barrier.wait(timeout=120)  # both tries of this key are answered
            except threading.BrokenBarrierError:
                return

    def read() -> None:
        while time.monotonic() < stop:
            status, _ = request(base, next(reads))
            result.add("read", status)

    threads = []
    for _ in range(writers // 2):
        barrier, keys = threading.Barrier(2), []
        threads += [threading.Thread(target=pair, args=(i, barrier, keys)) for i in (0, 1)]
    threads += [threading.Thread(target=read) for _ in range(readers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return result


def measure(writers: int, readers: int, seconds: float) -> dict:
    with (
        tempfile.TemporaryDirectory(prefix="gongzhi-sqlite-") as tmp,
        quickstart_server(Path(tmp)) as (base, database),
    ):
        page_id, answers = open_form(base, database)
        before = stored_ids(database, page_id)
        result = run_load(base, page_id, answers, writers, readers, seconds)
        after = stored_ids(database, page_id)
    new = after - before
    acknowledged = set().union(*result.acknowledged.values()) if result.acknowledged else set()
    return {
        "writers": writers,
        "readers": readers,
        "seconds": seconds,
        "reads": sum(n for (k, _s), n in result.statuses.items() if k == "read"),
        "writes": sum(n for (k, _s), n in result.statuses.items() if k == "write"),
        "statuses": {f"{k} {s}": n for (k, s), n in sorted(result.statuses.items())},
        "failures": result.failures(),
        "keys": len(result.acknowledged),
        "keys_with_two_ids": sum(1 for ids in result.acknowledged.values() if len(ids) > 1),
        "acknowledged": len(acknowledged),
        "new_rows": sum(new.values()),
        "acknowledged_missing": len(acknowledged - set(new)),
        "rows_not_acknowledged": len(set(new) - acknowledged),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--writers", type=int, default=20)
    parser.add_argument("--readers", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=10)
    args = parser.parse_args()
    counts = measure(args.writers, args.readers, args.seconds)
    print(
        f"`python -m bench.sqlite_concurrency --writers {args.writers} --readers {args.readers} "
        f"--seconds {args.seconds:g}`\n"
    )
    print("| measure | count |\n| --- | --- |")
    for name, value in counts.items():
        if name != "statuses":
            print(f"| {name} | {value} |")
    for name, value in counts["statuses"].items():
        print(f"| status {name} | {value} |")
    for name, value in ERRORS.items():
        print(f"| no answer: {name} | {value} |")


if __name__ == "__main__":
    main()
