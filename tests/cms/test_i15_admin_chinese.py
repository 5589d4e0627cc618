"""Issue 15 item 4: the admin speaks Chinese. Every string the installed apps' English catalogues
name has a Chinese translation (ours in locale/ where Wagtail's zh_Hans catalogue has none), the
committed .mo says what the .po says, the API docs carry the site's name, and the 404 and 500 pages
are ours with DEBUG off."""

import gettext
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.test import Client
from django.urls import path
from django.utils import translation
from django.utils.translation.trans_real import DjangoTranslation

ROOT = Path(__file__).resolve().parents[2]
OURS = ROOT / "locale" / "zh_Hans" / "LC_MESSAGES"
STRING = r'"(?:[^"\\]|\\.)*"'
LINES = rf"{STRING}(?:\n{STRING})*"
ENTRY = re.compile(
    rf"^(?:msgctxt (?P<context>{LINES})\n)?msgid (?P<id>{LINES})\n(?:msgid_plural (?P<plural>{LINES})\n)?",
    re.M,
)
# Apps whose catalogues name strings we never show (Django's own admin is installed for
# wagtail-modeladmin's list filters but not mounted; django.contrib.* are fully translated).
SKIPPED_APPS = {"django.contrib.admin"}
# Strings that read the same in Chinese: abbreviations and bare placeholders.
SAME_IN_CHINESE = {
    "URL",
    "ID",
    "%(range_start)s - %(range_end)s",
    "%(related_model_name)s %(field_label)s",
}


def _unquote(text: str | None) -> str | None:
    if text is None:
        return None
    raw = "".join(re.findall(r'"((?:[^"\\]|\\.)*)"', text))
    escapes = {"n": "\n", "t": "\t", '"': '"', "\\": "\\"}
    return re.sub(r"\\(.)", lambda m: escapes.get(m[1], m[0]), raw)


def catalogue_entries(po: Path) -> list[tuple[str | None, str, str | None]]:
    """(msgctxt, msgid, msgid_plural) of every entry of a .po file but its header."""
    text = po.read_text(encoding="utf-8")
    entries = []
    for match in ENTRY.finditer(text):
        msgid = _unquote(match["id"])
        if msgid:
            entries.append((_unquote(match["context"]), msgid, _unquote(match["plural"])))
    return entries


def english_catalogues(domain: str) -> list[tuple[str, Path]]:
    found = []
    for config in apps.get_app_configs():
        po = Path(config.path) / "locale" / "en" / "LC_MESSAGES" / f"{domain}.po"
        if config.name not in SKIPPED_APPS and po.exists():
            found.append((config.name, po))
    return found


def untranslated(translate, domain: str) -> list[str]:
    missing = []
    for app, po in english_catalogues(domain):
        for context, msgid, plural in catalogue_entries(po):
            if plural:
                result = (
                    translate.npgettext(context, msgid, plural, 2)
                    if context
                    else (translate.ngettext(msgid, plural, 2))
                )
                source = plural
            else:
                result = translate.pgettext(context, msgid) if context else translate.gettext(msgid)
                source = msgid
            if result == source and msgid not in SAME_IN_CHINESE:
                missing.append(f"{app}: {msgid!r}")
    return missing


def test_every_string_of_the_installed_apps_has_a_chinese_translation():
    with translation.override("zh-hans"):
        missing = untranslated(translation, "django")
    assert not missing, f"{len(missing)} strings without Chinese:\n" + "\n".join(missing[:40])


def test_every_string_of_wagtails_javascript_has_a_chinese_translation():
    """The editor's JavaScript strings ("Write something or type ‘/’ to insert a block") come from
    Wagtail's jsi18n view, which reads wagtail.admin's djangojs catalogue and then LOCALE_PATHS."""
    admin_locale = Path(apps.get_app_config("wagtailadmin").path) / "locale"
    catalogue = DjangoTranslation("zh-hans", domain="djangojs", localedirs=[str(admin_locale)])
    missing = untranslated(catalogue, "djangojs")
    assert not missing, f"{len(missing)} strings without Chinese:\n" + "\n".join(missing)


def test_the_editor_gets_its_javascript_strings_in_chinese(client, committee_xinghua):
    client.force_login(committee_xinghua)
    catalogue = client.get("/admin/jsi18n/").content.decode()
    assert (
        "\\u8f93\\u5165\\u6587\\u5b57" in catalogue or "输入文字" in catalogue
    )  # 输入文字，或输入“/”…


@pytest.mark.parametrize("domain", ["django", "djangojs"])
def test_the_committed_mo_is_compiled_from_the_po(domain, tmp_path):
    """A fresh clone runs with no gettext tools, so the .mo is committed; it must say what the .po
    says (after editing the .po: python manage.py compilemessages)."""
    msgfmt = shutil.which("msgfmt")
    if msgfmt is None:
        pytest.skip("msgfmt (GNU gettext) is not installed")
    fresh = tmp_path / f"{domain}.mo"
    subprocess.run([msgfmt, "--check", "-o", fresh, OURS / f"{domain}.po"], check=True)
    with fresh.open("rb") as new, (OURS / f"{domain}.mo").open("rb") as committed:
        assert gettext.GNUTranslations(committed)._catalog == gettext.GNUTranslations(new)._catalog


@pytest.mark.django_db
def test_the_api_docs_carry_the_sites_name(client):
    docs = client.get("/api/v3/docs/").content.decode()
    schema = client.get("/api/v3/openapi.json").json()
    assert settings.WAGTAIL_SITE_NAME in schema["info"]["title"]
    assert "Wagtail" not in schema["info"]["title"] + schema["info"]["description"]
    assert f"<title>{schema['info']['title']}</title>" in docs


def _fails(request):
    raise RuntimeError("a defect")


urlpatterns = [path("fails/", _fails)]


@pytest.mark.django_db
def test_a_missing_page_answers_our_404_with_debug_off(client, settings):
    settings.DEBUG = False
    response = client.get("/liuxi/no-such-page/")
    assert response.status_code == 404
    text = response.content.decode()
    assert "site-header" in text and "返回首页" in text and "Not Found" not in text


def test_a_server_error_answers_our_500_without_the_database(settings):
    """The 500 page renders with no context processors and no database query (the error may be
    the database's)."""
    settings.DEBUG = False
    settings.ROOT_URLCONF = __name__
    response = Client(raise_request_exception=False).get("/fails/")
    assert response.status_code == 500
    text = response.content.decode()
    assert "服务器出错" in text and "site-header" in text and "Server Error" not in text
