"""Settings are read from the environment; each case runs in a fresh interpreter, as a server would."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PROBE = (
    "import json, django; from django.conf import settings as s; django.setup(); "
    "db = s.DATABASES['default']; "
    "print(json.dumps({'engine': db['ENGINE'], 'name': str(db['NAME']), 'host': db.get('HOST'), "
    "'port': db.get('PORT'), 'user': db.get('USER'), 'debug': s.DEBUG, 'lang': s.LANGUAGE_CODE, "
    "'tz': s.TIME_ZONE, 'hosts': s.ALLOWED_HOSTS, 'media': str(s.MEDIA_ROOT), "
    "'cache': s.CACHES['default']['BACKEND'], 'static': s.STORAGES['staticfiles']['BACKEND'], "
    "'middleware': s.MIDDLEWARE}))"
)
CONFIG_VARS = (
    "DATABASE_URL", "SECRET_KEY", "DEBUG", "ALLOWED_HOSTS", "MEDIA_ROOT", "CACHE_URL", "STATIC_ROOT"
)  # fmt: skip


def _run(args: list[str], **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in CONFIG_VARS}
    clean["DJANGO_SETTINGS_MODULE"] = "cms.settings"
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env={**clean, **env}, capture_output=True, text=True
    )


def _settings(**env: str) -> dict:
    result = _run(["-c", PROBE], **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_embedded_default_is_sqlite_under_var_with_debug():
    s = _settings()
    assert s["engine"] == "django.db.backends.sqlite3"
    assert s["name"] == str(ROOT / "var" / "db.sqlite3")
    assert s["media"] == str(ROOT / "var" / "media")
    assert s["debug"] is True
    assert (s["lang"], s["tz"]) == ("zh-hans", "Asia/Shanghai")
    assert s["cache"] == "django.core.cache.backends.locmem.LocMemCache"
    assert "whitenoise.middleware.WhiteNoiseMiddleware" in s["middleware"]


def test_postgres_url_selects_postgresql_and_production_defaults():
    s = _settings(
        DATABASE_URL="postgres://gongzhi:pw@db.internal:5433/gongzhi",
        SECRET_KEY="x" * 60,
        ALLOWED_HOSTS="gongzhi.example.gov.cn,10.0.0.5",
        MEDIA_ROOT="/srv/gongzhi/media",
        CACHE_URL="redis://127.0.0.1:6379/1",
    )
    assert s["engine"] == "django.db.backends.postgresql"
    assert (s["name"], s["host"], s["port"], s["user"]) == (
        "gongzhi",
        "db.internal",
        5433,
        "gongzhi",
    )
    assert s["debug"] is False
    assert s["hosts"] == ["gongzhi.example.gov.cn", "10.0.0.5"]
    assert s["media"] == "/srv/gongzhi/media"
    # Django's RedisCache behind a circuit breaker (cms/resilience.py)
    assert s["cache"] == "cms.resilience.ResilientRedisCache"
    assert s["static"] == "whitenoise.storage.CompressedManifestStaticFilesStorage"


def test_sqlite_url_is_honoured(tmp_path):
    s = _settings(DATABASE_URL=f"sqlite:///{tmp_path}/other.sqlite3", SECRET_KEY="x" * 60)
    assert (s["engine"], s["name"]) == ("django.db.backends.sqlite3", f"{tmp_path}/other.sqlite3")


@pytest.mark.parametrize(
    "env",
    [
        {"DATABASE_URL": "postgres://u:p@localhost/gongzhi"},
        {"DEBUG": "false"},
    ],
)
def test_production_refuses_to_start_without_a_secret_key(env):
    result = _run(["-c", PROBE], **env)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_settings_pass_check_deploy():
    result = _run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        DATABASE_URL="postgres://u:p@localhost/gongzhi",
        SECRET_KEY="kq2-8Zr_VbQ0u4nWvXo1yT7cLm9eJ3aHs6dPf5gRiUkOwNtEzBxC",
        ALLOWED_HOSTS="gongzhi.example.gov.cn",
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.django_db
def test_the_admin_login_page_is_all_chinese(client):
    # Wagtail's login form leaves the password field unlabelled: Django made it "Password".
    import re

    html = client.get("/admin/login/").content.decode()
    labels = re.findall(r"<label[^>]*>\s*([^<]+?)\s*<", html)
    assert "密码" in labels and "Password" not in labels, labels
