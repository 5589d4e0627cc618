"""Seed the whole demo district (清河区), app by app, bottom up: the tree and accounts
(community), covenants, consultations and forms (consultation), notices and experiences. Used by
`manage.py seed_demo` (and so `quickstart`) and by the test suite's session fixture.

Everything is looked up before it is created, so seeding twice changes nothing.
"""

from urllib.parse import urlsplit

from django.conf import settings
from wagtail.models import Site

from community.demo import DemoLogin, seed_tree, seed_users
from community.demo_covenants import seed_covenants
from community.demo_disclosure import seed_disclosure
from community.demo_evaluation import seed_evaluations
from community.demo_notices import seed_experiences, seed_notices
from community.demo_opinions import seed_opinions
from community.demo_supervision import seed_supervision, seed_supervision_members
from community.roles import sync_roles
from consultation.demo import seed_consultations, seed_forms
from consultation.demo_queries import seed_queries
from home.models import HomePage

DISTRICT = {
    "title": "清河区",
    "intro": "<p>清河区村(居)民自治信息公开平台：村规民约、居民公约、协商议事、村(居)务公开，"
    "一站查阅，全程留痕。</p>",
    "civil_affairs_contact": "清河区民政局基层政权建设和社区治理科 · 0571-8765 4321",
}


def seed_portal() -> HomePage:
    """The district's home page and site: the demo's title, intro and address."""
    site = Site.objects.get(is_default_site=True)
    home = site.root_page.specific
    if home.title == "共治" and not home.intro:  # still the untouched portal from the migration
        home.title = home.draft_title = DISTRICT["title"]
        home.intro = DISTRICT["intro"]
        home.civil_affairs_contact = DISTRICT["civil_affairs_contact"]
        home.save_revision().publish()
    if site.site_name != DISTRICT["title"]:
        site.site_name = DISTRICT["title"]
        site.save(update_fields=["site_name"])
    if (site.hostname, site.port) == ("localhost", 80):  # Wagtail's initial site, never set
        # The demo is served where WAGTAILADMIN_BASE_URL says (README: 127.0.0.1:8000), so that the
        # API's html_url/detail_url and the printed QR codes lead to it; an operator sets the real
        # address in admin → 设置 → 站点 (docs/deployment.md).
        served = urlsplit(settings.WAGTAILADMIN_BASE_URL)
        site.hostname = served.hostname or site.hostname
        site.port = served.port or (443 if served.scheme == "https" else 80)
        site.save(update_fields=["hostname", "port"])
    return home


def seed() -> list[DemoLogin]:
    home = seed_portal()
    seed_tree(home)
    sync_roles()
    logins = seed_users()
    seed_supervision_members()
    seed_covenants()
    seed_opinions()
    seed_consultations()
    seed_forms()
    seed_notices()
    seed_disclosure()
    seed_queries()
    seed_supervision()
    seed_experiences(home)
    seed_evaluations()
    return logins
