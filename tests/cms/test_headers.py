"""Security headers: a strict Content-Security-Policy on the public site and the API, the admin's
own, a Permissions-Policy everywhere, and a Server header that names no software."""

import re
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.request import urlopen

import pytest

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


def _directives(response) -> dict[str, list[str]]:
    policy = response.headers["Content-Security-Policy"]
    return {
        name: values
        for name, *values in (part.split() for part in policy.split(";") if part.strip())
    }


@pytest.mark.parametrize("url", ["/", "/liuxi/xinghua/", "/search/?q=停车", "/api/v3/pages/"])
def test_public_pages_and_the_api_allow_no_inline_script_or_style(client, url):
    response = client.get(url)
    assert response.status_code == 200
    policy = _directives(response)
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'self'"]
    assert "camera=()" in response.headers["Permissions-Policy"]
    assert "geolocation=()" in response.headers["Permissions-Policy"]


def test_the_admin_has_its_own_policy_allowing_inline_scripts_and_styles(client, committee_xinghua):
    client.force_login(committee_xinghua)
    response = client.get("/admin/")
    assert response.status_code == 200
    policy = _directives(response)
    assert policy["script-src"] == ["'self'", "'unsafe-inline'"]
    assert "'unsafe-inline'" in policy["style-src"]
    assert policy["object-src"] == ["'none'"]
    assert "microphone=()" in response.headers["Permissions-Policy"]


def test_a_cached_page_still_gets_the_headers(client, settings):
    settings.PAGE_CACHE_SECONDS = 60
    client.get("/liuxi/")
    hit = client.get("/liuxi/")
    assert "script-src 'self'" in hit.headers["Content-Security-Policy"]


@pytest.mark.parametrize(
    "template_dir", ["templates", "home/templates", "community/templates", "consultation/templates"]
)
def test_public_templates_hold_no_inline_script_handler_or_style(template_dir):
    """What a strict policy would block; admin templates (under admin/ or review/) may style."""
    offending = []
    for path in (ROOT / template_dir).rglob("*.html"):
        if {"admin", "review"} & set(path.relative_to(ROOT).parts):
            continue
        text = path.read_text()
        for pattern in (
            r"<script(?![^>]*\bsrc=)(?![^>]*application/(ld\+)?json)",
            r"<style",
            r"\son[a-z]+=",
            r"\sstyle=",
        ):
            if re.search(pattern, text):
                offending.append(f"{path.relative_to(ROOT)}: {pattern}")
    assert offending == []


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_gunicorn_with_the_project_config_does_not_name_itself(tmp_path):
    port = _free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "cms.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
        ],
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin", "DEBUG": "true", "HOME": str(tmp_path)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            try:
                response = urlopen(f"http://127.0.0.1:{port}/static/css/site.css", timeout=2)
                break
            except OSError:
                time.sleep(0.2)
        else:
            pytest.fail("gunicorn did not start")
        assert "gunicorn" not in response.headers.get("Server", "").lower()
        assert response.headers["Permissions-Policy"]
    finally:
        server.terminate()
        server.wait(timeout=10)
