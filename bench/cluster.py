"""A production-like site on loopback, started and stopped by the bench scripts that need one
(bench/two_hosts.py, bench/faults.py): PostgreSQL 15 in a temporary data directory (as the
`postgres` user: it refuses root), Redis, N gunicorn hosts (each its own MEDIA_ROOT and STATIC_ROOT,
the same DATABASE_URL, CACHE_URL and SECRET_KEY), optionally HAProxy in front, an S3-compatible
object store (moto_server) and a task worker. Nothing here is used by the site or the test suite.

Every process runs in its own session, so a host can be killed as a whole (`kill -9` of the process
group: master and workers, like a machine that loses power) and the rest torn down by pid.
"""

import contextlib
import hashlib
import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PG_BIN = Path(
    sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: int(p.parent.name))[-1]
    if Path("/usr/lib/postgresql").exists()
    else "/usr/lib/postgresql/15/bin"
)
ADMIN_USER = "admin"
ADMIN_PASSWORD = "bench-" + secrets.token_urlsafe(9)
# The health check asks for a static file: WhiteNoise answers it without the database, so a
# database outage does not take every host out of the balancer (the hosts answer 503 themselves).
HEALTH_PATH = "/static/css/site.css"


def _as_postgres(args: list[str], **kwargs) -> subprocess.CompletedProcess:
    if os.geteuid() == 0:
        args = ["runuser", "-u", "postgres", "--", *args]
    return subprocess.run(args, check=True, capture_output=True, text=True, **kwargs)


def wait_http(url: str, seconds: float = 60, ok=(200,)) -> None:
    deadline = time.monotonic() + seconds
    last = None
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status in ok:
                    return
        except urllib.error.HTTPError as error:
            if error.code in ok:
                return
            last = error
        except OSError as error:
            last = error
        time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer within {seconds} s: {last}")


@dataclass
class Host:
    name: str
    port: int
    media: Path
    static: Path
    log: Path
    process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def workers(self) -> list[int]:
        path = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(p) for p in path.read_text().split()] if path.exists() else []


@dataclass
class Cluster:
    hosts: int = 2
    base_port: int = 58800
    balancer: bool = True
    object_store: bool = False
    worker: bool = False
    workers_per_host: int = 2
    extra_env: dict = field(default_factory=dict)
    keep: bool = False
    # A directory keeping a dump of the seeded database, keyed by the migrations and demo code:
    # a second run restores it in seconds instead of migrating and seeding for minutes.
    seed_cache: Path | None = None
    mounts: list = field(default_factory=list)

    def __post_init__(self):
        self.dir = Path(tempfile.mkdtemp(prefix="gongzhi-cluster-"))
        self.dir.chmod(0o755)
        self.pg_port = self.base_port
        self.redis_port = self.base_port + 1
        self.balancer_port = self.base_port + 2
        self.store_port = self.base_port + 3
        self.pgdata = self.dir / "pgdata"
        self.processes: dict[str, subprocess.Popen] = {}
        self.host_list = [
            Host(
                name=f"host-{chr(ord('a') + i)}",
                port=self.base_port + 10 + i,
                media=self.dir / f"host-{chr(ord('a') + i)}" / "media",
                static=self.dir / f"host-{chr(ord('a') + i)}" / "static",
                log=self.dir / f"host-{chr(ord('a') + i)}.log",
            )
            for i in range(self.hosts)
        ]
        self.secret_key = secrets.token_urlsafe(50)

    # ---- environment -------------------------------------------------------------------------

    @property
    def database_url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.pg_port}/gongzhi"

    @property
    def url(self) -> str:
        """Where clients go: the balancer, or the first host without one."""
        if self.balancer:
            return f"http://127.0.0.1:{self.balancer_port}"
        return self.host_list[0].url

    def env(self, host: Host | None = None, **overrides) -> dict:
        env = {
            **os.environ,
            "PYTHONPATH": str(ROOT),
            "DATABASE_URL": self.database_url,
            "CACHE_URL": f"redis://127.0.0.1:{self.redis_port}/0",
            "SECRET_KEY": self.secret_key,
            "DEBUG": "false",
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            # plain http on loopback (docs/deployment.md)
            "SECURE_SSL_REDIRECT": "false",
            "SESSION_COOKIE_SECURE": "false",
            "CSRF_COOKIE_SECURE": "false",
            "SECURE_HSTS_SECONDS": "0",
            # the clients write the resident's address as a gateway in front of the balancer would:
            # "<resident>, <balancer>" through HAProxy, "<resident>" straight to a host
            "TRUSTED_PROXY_COUNT": "2",
            "CONN_MAX_AGE": "0",
            "LOG_LEVEL": "WARNING",
            "WAGTAILADMIN_BASE_URL": self.url,
        }
        if host is not None:
            env.update(MEDIA_ROOT=str(host.media), STATIC_ROOT=str(host.static))
            env["SERVER_HEADER"] = host.name  # tells the checks which host answered
        if self.object_store:
            env.update(self.object_store_env())
        if self.worker:
            # the hosts queue background work (e-mail, search index updates) in PostgreSQL for
            # `db_worker`, as in production; without it a worker would have nothing to run
            env["TASKS_BACKEND"] = "database"
        env.update(self.extra_env)
        env.update(overrides)
        return env

    def object_store_env(self) -> dict:
        # MEDIA_STORAGE_URL as cms/settings.py reads it (docs/deployment.md, "Object storage");
        # BENCH_MEDIA_STORAGE_URL overrides the guess without editing this file.
        endpoint = f"http://127.0.0.1:{self.store_port}"
        url = os.environ.get(
            "BENCH_MEDIA_STORAGE_URL",
            f"s3://gongzhi-media?endpoint_url={endpoint}&region=us-east-1&addressing_style=path",
        )
        return {
            "MEDIA_STORAGE_URL": url.replace("{endpoint}", endpoint),
            "AWS_ACCESS_KEY_ID": "bench",
            "AWS_SECRET_ACCESS_KEY": "bench-secret",
            "AWS_DEFAULT_REGION": "us-east-1",
        }

    def manage(self, *args: str, env: dict | None = None, check=True, timeout=900):
        return subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=env or self.env(self.host_list[0]),
            check=check,
            capture_output=True,
            text=True,
            timeout=timeout,
        )

    def _spawn(self, name: str, args: list[str], env=None, log: Path | None = None, **kwargs):
        log = log or self.dir / f"{name}.log"
        out = log.open("ab")
        process = subprocess.Popen(
            args, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
            **kwargs,
        )  # fmt: skip
        self.processes[name] = process
        return process

    # ---- PostgreSQL ------------------------------------------------------------------------

    def start_postgres(self) -> None:
        self.pgdata.mkdir()
        if os.geteuid() == 0:
            shutil.chown(self.pgdata, "postgres", "postgres")
        _as_postgres([str(PG_BIN / "initdb"), "-D", str(self.pgdata), "-U", "postgres",
                      "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8"])  # fmt: skip
        self.pg_ctl("start")
        _as_postgres([str(PG_BIN / "createdb"), "-h", "127.0.0.1", "-p", str(self.pg_port),
                      "-U", "postgres", "gongzhi"])  # fmt: skip

    def pg_ctl(self, action: str) -> None:
        args = [str(PG_BIN / "pg_ctl"), "-D", str(self.pgdata), "-w", "-m", "fast"]
        if action in ("start", "restart"):
            args += ["-l", str(self.pgdata / "server.log"),
                     "-o", f"-c listen_addresses=127.0.0.1 -p {self.pg_port} -k {self.pgdata} "
                           "-c fsync=off -c max_connections=200"]  # fmt: skip
        _as_postgres([*args, action])

    def sql(self, query: str, *params):
        # psycopg only when a PostgreSQL cluster is queried (SQLite runs need no driver).
        import psycopg

        with psycopg.connect(self.database_url.replace("postgres://", "postgresql://")) as conn:
            return conn.execute(query, params).fetchall()

    # ---- Redis -----------------------------------------------------------------------------

    def start_redis(self) -> None:
        self._spawn("redis", ["redis-server", "--port", str(self.redis_port), "--bind", "127.0.0.1",
                              "--save", "", "--appendonly", "no"])  # fmt: skip
        for _ in range(100):
            if subprocess.run(["redis-cli", "-p", str(self.redis_port), "ping"],
                              capture_output=True, text=True).stdout.strip() == "PONG":  # fmt: skip
                return
            time.sleep(0.1)
        raise RuntimeError("redis did not start")

    def stop_redis(self) -> None:
        process = self.processes.pop("redis")
        process.terminate()
        process.wait(timeout=10)

    def redis_signal(self, sig: int) -> None:
        self.processes["redis"].send_signal(sig)

    # ---- object store and worker -------------------------------------------------------------

    def start_object_store(self) -> None:
        self._spawn("moto", [str(Path(sys.executable).with_name("moto_server")), "-H", "127.0.0.1",
                             "-p", str(self.store_port)])  # fmt: skip
        wait_http(f"http://127.0.0.1:{self.store_port}/", 30)
        # the bucket, made by the store's own API (the site never creates buckets)
        import boto3

        boto3.client(
            "s3",
            endpoint_url=f"http://127.0.0.1:{self.store_port}",
            aws_access_key_id="bench",
            aws_secret_access_key="bench-secret",
            region_name="us-east-1",
        ).create_bucket(Bucket="gongzhi-media")

    def start_worker(self) -> None:
        log = self.dir / "worker.log"
        process = self._spawn(
            "worker", [sys.executable, "manage.py", "db_worker"], env=self.env(self.host_list[0])
        )
        # up once it polls the queue (django-tasks-db logs "Starting worker"); a worker that
        # refuses its settings exits only after Django has loaded, seconds in on a busy machine
        deadline = time.monotonic() + 60
        while "Starting worker" not in log.read_text(errors="replace"):
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the task worker did not start: see {log}")
            time.sleep(0.2)

    # ---- app hosts ---------------------------------------------------------------------------

    def _seed_key(self) -> str:
        digest = hashlib.sha256()
        sources = sorted(ROOT.glob("*/migrations/*.py")) + sorted(ROOT.glob("*/demo*.py"))
        sources += sorted(ROOT.glob("home/management/commands/*.py"))
        for path in sources:
            digest.update(path.read_bytes())
        return digest.hexdigest()[:16]

    def _psql(self, *args: str, **kwargs):
        return subprocess.run([str(PG_BIN / args[0]), "-h", "127.0.0.1", "-p", str(self.pg_port),
                               "-U", "postgres", *args[1:]], check=True, capture_output=True,
                              **kwargs)  # fmt: skip

    def prepare(self) -> None:
        """Schema, demo district, an admin account, static files for every host."""
        dump = self.seed_cache / f"seed-{self._seed_key()}.sql" if self.seed_cache else None
        if dump and dump.exists():
            self._psql("psql", "-q", "-v", "ON_ERROR_STOP=1", "-d", "gongzhi", "-f", str(dump))
        else:
            # the demo's search index is built inline: no worker runs while the site is seeded
            seed_env = self.env(self.host_list[0], DEBUG="true", DJANGO_SUPERUSER_USERNAME=ADMIN_USER,
                                DJANGO_SUPERUSER_PASSWORD="unused-" + secrets.token_urlsafe(9),
                                TASKS_BACKEND="immediate")  # fmt: skip
            self.manage("quickstart", "--no-serve", env=seed_env)
            if dump:
                dump.parent.mkdir(parents=True, exist_ok=True)
                self._psql("pg_dump", "--no-owner", "-d", "gongzhi", "-f", str(dump))
        # this run's admin password, whether the database was seeded or restored
        self.manage("shell", "-c", "from django.contrib.auth import get_user_model; "
                    f"u = get_user_model().objects.get(username={ADMIN_USER!r}); "
                    f"u.set_password({ADMIN_PASSWORD!r}); u.save()")  # fmt: skip
        first = self.host_list[0]
        self.manage("collectstatic", "--noinput", env=self.env(first))
        for host in self.host_list:
            host.media.mkdir(parents=True, exist_ok=True)
            if host is not first:
                # the same release on every host, each with its own copy (no shared disk)
                shutil.copytree(first.static, host.static, dirs_exist_ok=True)

    def start_host(self, host: Host) -> None:
        host.process = self._spawn(
            host.name,
            [sys.executable, "-m", "gunicorn", "cms.wsgi", "--workers", str(self.workers_per_host),
             "--bind", f"127.0.0.1:{host.port}", "--timeout", "30", "--graceful-timeout", "5",
             "--log-level", "warning"],
            env=self.env(host), log=host.log,
        )  # fmt: skip
        wait_http(host.url + HEALTH_PATH, 60)

    def kill_host(self, host: Host) -> None:
        """kill -9 of the host's whole process group: the master and its workers at once."""
        os.killpg(host.process.pid, signal.SIGKILL)
        host.process.wait(timeout=10)

    def start_balancer(self) -> None:
        servers = "\n".join(
            f"    server {h.name} 127.0.0.1:{h.port} check inter 500ms fall 2 rise 2"
            for h in self.host_list
        )
        config = self.dir / "haproxy.cfg"
        config.write_text(f"""global
    maxconn 2000
defaults
    mode http
    timeout connect 2s
    timeout client 60s
    timeout server 60s
    retries 2
    option redispatch
    # only a request no host has begun to read is sent again: a POST is never repeated
    retry-on conn-failure
frontend site
    bind 127.0.0.1:{self.balancer_port}
    option forwardfor
    default_backend app
backend app
    balance roundrobin
    option httpchk GET {HEALTH_PATH}
    http-check expect status 200
{servers}
""")
        self._spawn("haproxy", ["haproxy", "-db", "-f", str(config)])
        wait_http(self.url + HEALTH_PATH, 30)

    # ---- the whole ---------------------------------------------------------------------------

    def start(self, log=print) -> None:
        started = time.monotonic()
        log(f"cluster in {self.dir}")
        self.start_postgres()
        self.start_redis()
        if self.object_store:
            self.start_object_store()
        log(
            f"  PostgreSQL, Redis up ({time.monotonic() - started:.0f} s); migrating, seeding the demo …"
        )
        self.prepare()
        log(f"  database seeded, static files collected ({time.monotonic() - started:.0f} s)")
        for host in self.host_list:
            self.start_host(host)
        if self.worker:
            self.start_worker()
        if self.balancer:
            self.start_balancer()
        log(f"  up in {time.monotonic() - started:.0f} s: {self.describe()}")

    def describe(self) -> str:
        parts = [f"PostgreSQL :{self.pg_port}", f"Redis :{self.redis_port}"]
        parts += [f"{h.name} :{h.port}" for h in self.host_list]
        if self.balancer:
            parts.append(f"HAProxy :{self.balancer_port}")
        if self.object_store:
            parts.append(f"moto_server :{self.store_port}")
        if self.worker:
            parts.append("db_worker")
        return ", ".join(parts)

    def stop(self) -> None:
        for _name, process in list(self.processes.items()):
            if process.poll() is None:
                try:
                    os.killpg(process.pid, signal.SIGCONT)  # a hung Redis must hear the TERM
                    os.killpg(process.pid, signal.SIGTERM)
                    process.wait(timeout=15)
                except (ProcessLookupError, subprocess.TimeoutExpired):
                    with contextlib.suppress(ProcessLookupError):
                        os.killpg(process.pid, signal.SIGKILL)
        if (self.pgdata / "postmaster.pid").exists():
            with contextlib.suppress(subprocess.CalledProcessError):
                self.pg_ctl("stop")
        for mount in self.mounts:
            subprocess.run(["umount", "-l", str(mount)], capture_output=True)
        if not self.keep:
            shutil.rmtree(self.dir, ignore_errors=True)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()


def dump(path: Path, data) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1))
