import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from community.demo import DEMO_PASSWORD, USERS

pytestmark = pytest.mark.django_db


def _row_counts() -> dict[str, int]:
    counts = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            cursor.execute(f'SELECT COUNT(*) FROM "{table}"')
            counts[table] = cursor.fetchone()[0]
    return counts


def test_seed_demo_twice_leaves_every_table_row_count_unchanged(capsys):
    call_command("seed_demo", force=True)  # the session fixture seeded once already
    before = _row_counts()
    call_command("seed_demo", force=True)
    assert _row_counts() == before
    assert before["wagtailcore_page"] >= 1 + 1 + 2 + 5 * 3


def test_seed_demo_prints_every_demo_login(capsys):
    call_command("seed_demo", force=True)
    out = capsys.readouterr().out
    for username, *_ in USERS:
        assert username in out
    assert DEMO_PASSWORD in out


def test_demo_users_can_log_in_with_the_printed_password(client):
    for username, *_ in USERS:
        assert client.login(username=username, password=DEMO_PASSWORD), username
        assert client.get("/admin/").status_code == 200
        client.logout()


def test_demo_district_has_villages_and_urban_communities():
    CommunityPage = apps.get_model("community", "CommunityPage")
    kinds = list(CommunityPage.objects.values_list("kind", flat=True))
    assert kinds.count("village") >= 2 and kinds.count("urban") >= 2
    assert apps.get_model("community", "TownshipPage").objects.count() == 2


def test_seed_demo_refuses_in_production_without_force(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG 关闭"):
        call_command("seed_demo")


def test_quickstart_refuses_in_production(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="只用于本机演示"):
        call_command("quickstart", no_serve=True)


def test_quickstart_creates_admin_once_and_prints_its_password(settings, capsys, monkeypatch):
    settings.DEBUG = True
    monkeypatch.delenv("DJANGO_SUPERUSER_USERNAME", raising=False)
    monkeypatch.delenv("DJANGO_SUPERUSER_PASSWORD", raising=False)
    call_command("quickstart", no_serve=True)
    out = capsys.readouterr().out
    assert "http://127.0.0.1:8000/" in out
    password = out.split("管理员 用户名 admin  密码 ", 1)[1].split("（", 1)[0]
    admin = get_user_model().objects.get(username="admin")
    assert admin.is_superuser and admin.check_password(password)

    call_command("quickstart", no_serve=True, port=8123)
    out = capsys.readouterr().out
    assert "已存在，密码未改动" in out and password not in out
    assert "http://127.0.0.1:8123/" in out
    admin.refresh_from_db()
    assert admin.check_password(password)


def test_quickstart_uses_superuser_from_environment(settings, monkeypatch):
    settings.DEBUG = True
    monkeypatch.setenv("DJANGO_SUPERUSER_USERNAME", "guanli")
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "s3cret-Pass-2026")
    call_command("quickstart", no_serve=True)
    assert get_user_model().objects.get(username="guanli").check_password("s3cret-Pass-2026")


def test_the_demo_links_lead_to_where_the_demo_is_served(client, settings):
    # Wagtail's initial site says localhost:80; the API's html_url and the printed QR codes would
    # send a front-end team and a resident's phone there instead of the demo at 127.0.0.1:8000.
    from wagtail.models import Site

    site = Site.objects.get(is_default_site=True)
    assert site.root_url == settings.WAGTAILADMIN_BASE_URL == "http://127.0.0.1:8000"
    item = client.get("/api/v3/pages/?type=community.TownshipPage").json()["items"][0]
    assert item["meta"]["html_url"].startswith("http://127.0.0.1:8000/")
    assert item["meta"]["detail_url"].startswith("http://127.0.0.1:8000/api/v3/pages/")
    # An operator's own address is never overwritten by seeding again.
    site.hostname, site.port = "gongzhi.example.cn", 443
    site.save()
    call_command("seed_demo", force=True)
    site.refresh_from_db()
    assert (site.hostname, site.port) == ("gongzhi.example.cn", 443)
