"""A real redis-server on a loopback port for the tests that stop and hang it (tests/cms/test_i18_redis*.py).

Without /usr/bin/redis-server those tests skip, unless GONGZHI_REQUIRE_REDIS=1 (CI), where the
missing server is a failure with a clear message."""

import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time

import pytest


def redis_server_binary() -> str:
    binary = shutil.which("redis-server") or (
        "/usr/bin/redis-server" if os.path.exists("/usr/bin/redis-server") else None
    )
    if binary is None:
        message = "redis-server is not installed (Debian: apt-get install redis-server)"
        if os.environ.get("GONGZHI_REQUIRE_REDIS") == "1":
            pytest.fail(message + "; GONGZHI_REQUIRE_REDIS=1 requires it", pytrace=False)
        pytest.skip(message)
    return binary


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class RedisServer:
    """One redis-server process; `persistent` keeps its data across a stop (AOF, fsync always)."""

    def __init__(self, persistent: bool = False) -> None:
        self.binary = redis_server_binary()
        self.port = _free_port()
        self.dir = tempfile.mkdtemp(prefix="gongzhi-redis-")
        self.persistent = persistent
        self.process: subprocess.Popen | None = None
        self.paused = False

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        persistence = (
            ["--appendonly", "yes", "--appendfsync", "always"]
            if self.persistent
            else ["--appendonly", "no"]
        )
        self.process = subprocess.Popen(
            [
                *(self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", ""),
                *persistence,
                *("--dir", self.dir, "--protected-mode", "no", "--loglevel", "warning"),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if self.command("PING") == "+PONG":
                return
            time.sleep(0.05)
        raise RuntimeError(f"redis-server did not answer on port {self.port}")

    def command(self, *words: str) -> str | None:
        """One inline command, its first reply line; None when nothing answers."""
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=1) as sock:
                sock.sendall((" ".join(words) + "\r\n").encode())
                return sock.recv(1024).decode().split("\r\n")[0]
        except OSError:
            return None

    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def stop(self) -> None:
        """SIGTERM (with AOF on, Redis writes its data before it exits)."""
        if self.paused:
            self.resume()
        if self.running():
            self.process.send_signal(signal.SIGTERM)
            self.process.wait(10)

    def pause(self) -> None:
        """Hang it: connections are accepted by the kernel, nothing is answered."""
        os.kill(self.process.pid, signal.SIGSTOP)
        self.paused = True

    def resume(self) -> None:
        os.kill(self.process.pid, signal.SIGCONT)
        self.paused = False

    def ensure_up(self) -> None:
        if self.paused:
            self.resume()
        if not self.running():
            self.start()

    def close(self) -> None:
        self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)
