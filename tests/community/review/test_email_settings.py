"""Notification mail goes through EMAIL_URL / EMAIL_BACKEND from the environment; console by default."""

import json

from tests.test_settings import _run

PROBE = (
    "import json, django; from django.conf import settings as s; django.setup(); "
    "print(json.dumps({'backend': s.EMAIL_BACKEND, 'host': s.EMAIL_HOST, 'port': s.EMAIL_PORT, "
    "'tls': s.EMAIL_USE_TLS, 'user': s.EMAIL_HOST_USER}))"
)


def _email(**env) -> dict:
    clean = {"EMAIL_URL": "", "EMAIL_BACKEND": "", **env}
    result = _run(["-c", PROBE], **{k: v for k, v in clean.items() if v})
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_console_by_default():
    assert _email()["backend"] == "django.core.mail.backends.console.EmailBackend"


def test_email_url_configures_smtp():
    found = _email(EMAIL_URL="smtp+tls://notify:secret@smtp.example.gov.cn:587")
    assert found == {
        "backend": "django.core.mail.backends.smtp.EmailBackend",
        "host": "smtp.example.gov.cn",
        "port": 587,
        "tls": True,
        "user": "notify",
    }


def test_an_explicit_backend_wins():
    found = _email(
        EMAIL_URL="smtp://smtp.example.gov.cn:25",
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
    )
    assert found["backend"] == "django.core.mail.backends.locmem.EmailBackend"
