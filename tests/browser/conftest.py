"""Browser tests: Debian's chromium, driven by Playwright, against the demo district served by a
real `runserver` process on loopback, with its own SQLite database in a temporary directory.

Nothing here uses the suite's test database or pytest-django's live_server (which would flush the
demo data the other tests share). Without chromium, Playwright or axe-core the tests skip, naming
what is missing; with GONGZHI_REQUIRE_BROWSER=1 (as in CI) that is an error instead.
"""

import contextlib
import os
import re
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
CHROMIUM = Path(os.environ.get("GONGZHI_CHROMIUM", "/usr/bin/chromium"))
AXE_JS = HERE / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = Path(os.environ.get("GONGZHI_SCREENSHOTS", ROOT / "var" / "screenshots"))
REQUIRED = os.environ.get("GONGZHI_REQUIRE_BROWSER") == "1"

# Without the background-networking flags chromium keeps trying to reach Google's services.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PHONE = {"width": 360, "height": 740}
DEMO_PASSWORD = "gongzhi-demo-2026"


def missing_prerequisites() -> list[str]:
    missing = []
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        missing.append("the Python package playwright (pip install -e '.[dev]')")
    if not CHROMIUM.exists():
        missing.append(f"{CHROMIUM} (Debian: apt-get install chromium fonts-noto-cjk)")
    if not AXE_JS.exists():
        missing.append(f"{AXE_JS.relative_to(ROOT)} (npm ci --prefix tests/browser)")
    return missing


def pytest_collection_modifyitems(config, items):
    """Every test in this folder is a browser test, so `-m "not browser"` leaves them all out."""
    for item in items:
        if HERE in Path(item.fspath).parents:
            item.add_marker(pytest.mark.browser)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """A failed browser test leaves a screenshot of every page it had open (FAILED-<test>-<n>.png),
    so what a CI run saw can be looked at afterwards (CI keeps var/screenshots/)."""
    report = yield
    browser = getattr(item, "funcargs", {}).get("browser")
    if report.failed and call.when == "call" and browser is not None:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        pages = [page for context in browser.contexts for page in context.pages]
        for n, page in enumerate(pages, 1):
            with contextlib.suppress(Exception):  # a page that crashed has nothing to show
                page.screenshot(
                    path=str(SCREENSHOTS / f"FAILED-{item.name}-{n}.png"), full_page=True
                )
    return report


@pytest.fixture(scope="session")
def browser_prerequisites():
    missing = missing_prerequisites()
    if missing:
        reason = "browser tests need " + "; ".join(missing)
        if REQUIRED:
            pytest.fail(f"GONGZHI_REQUIRE_BROWSER=1 but {reason}", pytrace=False)
        pytest.skip(reason)


def _free_port() -> int:
    with contextlib.closing(socket.socket(socket.AF_INET, socket.SOCK_STREAM)) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for(url: str, server: subprocess.Popen, log: Path, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"the server exited ({server.returncode}):\n{log.read_text()}")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"the server did not answer {url} in {timeout} s:\n{log.read_text()}")


@pytest.fixture(scope="session")
def demo_server(browser_prerequisites, tmp_path_factory) -> str:
    """The demo district (quickstart) served on a free loopback port; yields its base URL."""
    tmp = tmp_path_factory.mktemp("demo-server")
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp / 'db.sqlite3'}",
        "DEBUG": "true",
        "MEDIA_ROOT": str(tmp / "media"),
        "DJANGO_SUPERUSER_PASSWORD": "browser-tests-admin",
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    manage = [sys.executable, str(ROOT / "manage.py")]
    setup = subprocess.run(
        [*manage, "quickstart", "--no-serve"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    if setup.returncode != 0:
        raise RuntimeError(f"quickstart failed:\n{setup.stdout}\n{setup.stderr}")
    port = _free_port()
    log = tmp / "server.log"
    with log.open("w") as out:
        server = subprocess.Popen(
            [*manage, "runserver", f"127.0.0.1:{port}", "--noreload"],
            env=env,
            cwd=ROOT,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_for(base + "/", server, log)
        yield base
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()


@pytest.fixture
def demo_db(demo_server, tmp_path_factory) -> str:
    """The served demo district's SQLite file, for a journey that prepares its data first."""
    db = max(
        tmp_path_factory.getbasetemp().glob("demo-server*/db.sqlite3"),
        key=lambda path: path.stat().st_mtime,
    )
    return str(db)


def demo_shell(demo_db: str, code: str) -> str:
    """Run `code` in `manage.py shell` against the served demo database; its output."""
    env = {"DATABASE_URL": f"sqlite:///{demo_db}", "DEBUG": "true", "PATH": "/usr/bin:/bin"}
    done = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "shell", "-c", code],
        env=env, cwd=ROOT, capture_output=True, text=True, timeout=180,
    )  # fmt: skip
    # The shell's traceback in the failure itself: CI prints the report, not the process's stderr.
    assert done.returncode == 0, f"manage.py shell failed:\n{done.stderr[-4000:]}"
    return done.stdout


@pytest.fixture(scope="session")
def browser(browser_prerequisites):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def phone(browser, demo_server):
    """A fresh anonymous context on a 360×740 phone, its base URL set to the demo server.

    Every request it makes is recorded on `page.requests` (the URLs), so a test can assert that
    nothing outside the demo server was asked for.
    """
    context = browser.new_context(
        viewport=PHONE, base_url=demo_server, locale="zh-CN", device_scale_factor=1.5
    )
    context.set_default_timeout(20_000)
    page = context.new_page()
    page.requests = []
    page.on("request", lambda request: page.requests.append(request.url))
    yield page
    context.close()


@pytest.fixture
def screenshot():
    """screenshot(page, name): a full-page PNG under var/screenshots/ (CI keeps them)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(page, name: str) -> Path:
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


def signed_in(browser, demo_server: str, username: str, height: int = 800, width: int = 1280):
    """(context, page) of a staff member signed in to the admin (1280 px wide unless told), on
    the dashboard."""
    context = browser.new_context(
        viewport={"width": width, "height": height}, base_url=demo_server, locale="zh-CN"
    )
    context.set_default_timeout(30_000)
    page = context.new_page()
    page.goto("/admin/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(DEMO_PASSWORD)  # cms/forms.py labels it
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(re.compile(r"/admin/$"))
    return context, page


# Every admin page a browser test visits is read again at the test's end, as the user who visited
# it, and must show no untranslated (Latin-only) text: so a journey that reaches a new admin page
# checks its language without anyone remembering to. Issue 15 item 4.
USERNAMES = ("admin", "weiyuan_xinghua", "weiyuan_shiqiao", "weiyuan_yinxing", "shenhe_liuxi",
             "shenhe_dongcheng", "minzheng", "jiandu_xinghua")  # fmt: skip
ADMIN_PATH = re.compile(r"^/admin/(?!logout/|jsi18n/)")


@pytest.fixture(autouse=True)
def admin_pages_speak_chinese(request, monkeypatch):
    if "browser" not in request.fixturenames:
        yield
        return
    from tests.browser.checks import latin_only_texts  # checks imports this module

    browser = request.getfixturevalue("browser")
    new_context = browser.new_context
    visits: list[tuple[object, dict, set[str]]] = []  # (context, its options, admin paths)

    def recording_context(**options):
        context = new_context(**options)
        paths: set[str] = set()
        visit = [context, options, paths]
        visits.append(visit)

        def on_navigation(frame):
            url = urllib.parse.urlsplit(frame.url)
            if frame.parent_frame is None and ADMIN_PATH.match(url.path):
                paths.add(url.path + (f"?{url.query}" if url.query else ""))

        context.on("page", lambda page: page.on("framenavigated", on_navigation))
        close = context.close

        def closing(**kwargs):
            visit[0] = context.storage_state() if paths else None
            close(**kwargs)

        context.close = closing
        return context

    monkeypatch.setattr(browser, "new_context", recording_context)
    yield
    monkeypatch.undo()
    found = {}
    for state, options, paths in visits:
        if not paths:
            continue
        if not isinstance(state, dict):  # a context the test left open
            state = state.storage_state()
        options = {**options, "storage_state": state}
        options.pop("record_video_dir", None)
        context = browser.new_context(**options)
        page = context.new_page()
        for path in sorted(paths):
            response = page.goto(path)
            if response is None or not response.ok:
                continue
            texts = latin_only_texts(page, allow=USERNAMES)
            if texts:
                found[path] = texts
        context.close()
    assert not found, f"untranslated text on admin pages: {found}"
