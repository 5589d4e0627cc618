"""The demo district is loaded once per test session; each test runs in a rolled-back transaction."""

import pytest
from django.contrib.auth import get_user_model

from community.models import CommunityPage, TownshipPage
from home.demo import seed


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        seed()


@pytest.fixture
def home(db):
    from wagtail.models import Site

    return Site.objects.get(is_default_site=True).root_page.specific


@pytest.fixture
def liuxi(db) -> TownshipPage:
    return TownshipPage.objects.get(slug="liuxi")


@pytest.fixture
def dongcheng(db) -> TownshipPage:
    return TownshipPage.objects.get(slug="dongcheng")


@pytest.fixture
def xinghua(db) -> CommunityPage:
    """A village of 柳溪镇, whose committee is the demo user weiyuan_xinghua."""
    return CommunityPage.objects.get(slug="xinghua")


@pytest.fixture
def shiqiao(db) -> CommunityPage:
    """Another village of 柳溪镇, with its own committee."""
    return CommunityPage.objects.get(slug="shiqiao")


@pytest.fixture
def yinxing(db) -> CommunityPage:
    """An urban community of 东城街道."""
    return CommunityPage.objects.get(slug="yinxing")


def _user(username):
    return get_user_model().objects.get(username=username)


@pytest.fixture
def committee_xinghua(db):
    return _user("weiyuan_xinghua")


@pytest.fixture
def reviewer_liuxi(db):
    return _user("shenhe_liuxi")


@pytest.fixture
def reviewer_dongcheng(db):
    return _user("shenhe_dongcheng")


@pytest.fixture
def supervisor_xinghua(db):
    """The chair of 杏花村's 村务监督委员会."""
    return _user("jiandu_xinghua")


@pytest.fixture
def district_staff(db):
    return _user("minzheng")


@pytest.fixture
def superuser(db):
    return get_user_model().objects.create_superuser("root", password="x")


@pytest.fixture(autouse=True)
def _test_media(settings, tmp_path):
    """Uploaded files and renditions go to a temporary directory, never into var/media."""
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture(autouse=True)
def _test_transport(settings):
    """The suite also runs with production settings (on PostgreSQL), over plain http, with no
    collectstatic: no HTTPS redirect, and static names unhashed."""
    settings.SECURE_SSL_REDIRECT = False
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _page_cache_off(settings):
    """The whole-page cache is off in the suite (tests change rows directly and read pages back);
    tests/performance/test_page_cache.py turns it on and tests it."""
    settings.PAGE_CACHE_SECONDS = 0


@pytest.fixture
def committee_shiqiao(db):
    """The committee of 石桥村, which has no covenant in the demo: tests build their own there."""
    return _user("weiyuan_shiqiao")
