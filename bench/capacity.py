"""The numbers docs/scaling.md rests on: per-request cost (ms and queries, in-process, page cache
off) of the main pages and of the answer POST, and bytes of database per community, per page and
per answer, measured on PostgreSQL 15 started here (bench/cluster.py).

    python bench/capacity.py [--communities 20] [--answers 1000] [--requests 20] [--json F]

Steps: the demo district (restored from the seed cache of bench/two_hosts.py when present), then
`generate_district --communities N` without answers (database size before and after: bytes per
community and per page), then --answers answers POSTed to one form through the API (bytes per
answer, and the POST's cost), then the pages.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def orchestrate(args) -> int:
    # The parent process only orchestrates: the cluster module is not needed by `measure`.
    from bench.cluster import Cluster

    cluster = Cluster(hosts=1, balancer=False, base_port=args.base_port,
                      seed_cache=Path(args.seed_cache) if args.seed_cache else None)  # fmt: skip
    try:
        cluster.start_postgres()
        dump = (
            cluster.seed_cache / f"seed-{cluster._seed_key()}.sql" if cluster.seed_cache else None
        )
        if dump and dump.exists():
            cluster._psql("psql", "-q", "-v", "ON_ERROR_STOP=1", "-d", "gongzhi", "-f", str(dump))
        else:
            cluster.manage(
                "quickstart", "--no-serve", env=cluster.env(cluster.host_list[0], DEBUG="true")
            )
        env = cluster.env(cluster.host_list[0], DJANGO_SETTINGS_MODULE="bench.settings",
                          PAGE_CACHE_SECONDS="0", FORM_RATE_LIMIT="1000000/3600")  # fmt: skip
        env.pop("CACHE_URL")  # in-process: the per-process cache, the page cache off
        cluster.manage("collectstatic", "--noinput", env=env)  # the manifest the templates need
        return subprocess.run([sys.executable, __file__, "--measure", *sys.argv[1:]], env=env,
                              cwd=ROOT).returncode  # fmt: skip
    finally:
        cluster.stop()


def measure(args) -> int:
    # Django is set up only in the measuring child process, with the cluster's environment.
    import django

    django.setup()
    # after django.setup(): the models and the test client
    from django.db import connection
    from django.test import Client
    from wagtail.models import Page, Revision

    from bench import generate_district
    from bench.targets import ensure_targets
    from consultation.models import CommunityFormPage, CommunityFormSubmission

    def size() -> int:
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")  # reclaimed space out of the comparison
            cursor.execute("SELECT pg_database_size(current_database())")
            return cursor.fetchone()[0]

    connection.ensure_connection()
    connection.connection.autocommit = True
    demo = size()
    pages_before, revisions_before = Page.objects.count(), Revision.objects.count()
    started = time.monotonic()
    generate_district.main(["--communities", str(args.communities), "--answers", "0",
                            "--popular-answers", "0", "--no-progress"])  # fmt: skip
    generated_s = time.monotonic() - started
    after_generate = size()
    pages = Page.objects.count() - pages_before
    revisions = Revision.objects.count() - revisions_before

    targets = ensure_targets()
    client = Client(HTTP_HOST="127.0.0.1")
    queries = [0]

    def counter(execute, sql, params, many, context):
        queries[0] += 1
        return execute(sql, params, many, context)

    form = (CommunityFormPage.objects.live().filter(url_path__contains="-t").order_by("path").first()
            or CommunityFormPage.objects.live().order_by("path").first())  # fmt: skip
    schema = client.get(f"/api/v3/forms/{form.pk}/").json()
    # The answer builder is only needed here, once the form to answer is known.
    from bench.siteclient import answers_for

    answers_before = CommunityFormSubmission.objects.count()
    before_answers = size()
    post_ms, post_queries = [], []
    with connection.execute_wrapper(counter):
        for i in range(args.answers):
            body = json.dumps(
                {"answers": answers_for(schema, f"容量测算的一条居民意见，第{i}条。" * 4)}
            )
            queries[0] = 0
            t = time.perf_counter()
            response = client.post(f"/api/v3/forms/{form.pk}/submissions/", body,
                                   content_type="application/json",
                                   REMOTE_ADDR=f"10.{i >> 16 & 255}.{i >> 8 & 255}.{i & 255}")  # fmt: skip
            post_ms.append((time.perf_counter() - t) * 1000)
            post_queries.append(queries[0])
            assert response.status_code == 201, response.content
    answers = CommunityFormSubmission.objects.count() - answers_before
    after_answers = size()

    rows = {}
    paths = {
        **targets,
        "form page (HTML)": form.url,
        "API form schema": f"/api/v3/forms/{form.pk}/",
    }
    with connection.execute_wrapper(counter):
        for name, path in paths.items():
            client.get(path)
            samples, counts = [], []
            for _ in range(args.requests):
                queries[0] = 0
                t = time.perf_counter()
                assert client.get(path).status_code == 200, path
                samples.append((time.perf_counter() - t) * 1000)
                counts.append(queries[0])
            rows[name] = (statistics.median(samples), statistics.median(counts))
    rows["answer POST (API)"] = (statistics.median(post_ms), statistics.median(post_queries))

    result = {
        "communities": args.communities,
        "generate_seconds": generated_s,
        "demo_bytes": demo,
        "bytes_per_community": (after_generate - demo) / args.communities,
        "pages_per_community": pages / args.communities,
        "revisions_per_community": revisions / args.communities,
        "bytes_per_page": (after_generate - demo) / pages,
        "answers": answers,
        "bytes_per_answer": (after_answers - before_answers) / answers,
        "requests": {k: {"ms": v[0], "queries": v[1]} for k, v in rows.items()},
    }
    print(f"`python bench/capacity.py {' '.join(a for a in sys.argv[1:] if a != '--measure')}` · "
          "PostgreSQL 15 on loopback, in-process (Django test client), page cache off\n")  # fmt: skip
    print("| request | ms (median) | queries |\n| --- | ---: | ---: |")
    for name, (ms, n) in rows.items():
        print(f"| {name} | {ms:.1f} | {n:.0f} |")
    print(
        f"\n| database | measured |\n| --- | ---: |\n"
        f"| demo district (after migrate + seed_demo) | {demo / 2**20:.1f} MiB |\n"
        f"| per generated community ({args.communities} generated, no answers) | "
        f"{result['bytes_per_community'] / 2**20:.2f} MiB |\n"
        f"| pages per community | {result['pages_per_community']:.0f} |\n"
        f"| revisions per community | {result['revisions_per_community']:.0f} |\n"
        f"| per page (with its revisions, search index, references) | "
        f"{result['bytes_per_page'] / 1024:.1f} KiB |\n"
        f"| per answer ({answers} POSTed) | {result['bytes_per_answer']:.0f} B |"
    )
    if args.json:
        Path(args.json).write_text(json.dumps(result, ensure_ascii=False, indent=1))
    return 0


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--communities", type=int, default=20)
    parser.add_argument("--answers", type=int, default=1000)
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--base-port", type=int, default=58870)
    parser.add_argument("--seed-cache", default=str(ROOT / "var" / "bench" / "cluster-seed"))
    parser.add_argument("--json")
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        return measure(args)
    os.environ.setdefault("PYTHONPATH", str(ROOT))
    return orchestrate(args)


if __name__ == "__main__":
    sys.exit(main())
