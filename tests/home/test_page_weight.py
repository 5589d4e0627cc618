"""Issue 6: a public page weighs under 100 KB before images (HTML + the CSS and JS it loads), and
names no resource outside the site. bench/page_weight.py prints the same figures for docs."""

import re

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders

from tests.browser.pages import PUBLIC_PAGES

pytestmark = pytest.mark.django_db

BUDGET = 100 * 1024
ASSET = re.compile(
    r"""<link\b[^>]*\brel=["']?stylesheet[^>]*\bhref=["']([^"']+)|<script\b[^>]*\bsrc=["']([^"']+)"""
)
ANY_URL = re.compile(r"""\b(?:href|src|srcset|action)=["']((?:https?:)?//[^"']+)""")


def _assets(html: str) -> list[str]:
    return [css or js for css, js in ASSET.findall(html)]


def _static_size(url: str) -> int:
    assert url.startswith(settings.STATIC_URL), f"{url} is not one of our static files"
    path = finders.find(url.removeprefix(settings.STATIC_URL).split("?")[0])
    assert path, url
    with open(path, "rb") as f:
        return len(f.read())


@pytest.mark.parametrize("path", PUBLIC_PAGES.values(), ids=PUBLIC_PAGES.keys())
def test_public_page_weighs_under_100_kb_before_images(client, path):
    response = client.get(path)
    assert response.status_code == 200
    html = response.content.decode()
    assets = _assets(html)
    assert any(a.endswith(".css") for a in assets), assets
    total = len(response.content) + sum(_static_size(a) for a in assets)
    assert total < BUDGET, f"{path}: {total} bytes"


@pytest.mark.parametrize("path", PUBLIC_PAGES.values(), ids=PUBLIC_PAGES.keys())
def test_public_page_names_no_other_site_for_its_resources(client, path):
    html = client.get(path).content.decode()
    # Links a resident may follow are fine (a tel: number, an online meeting); resources are not.
    resources = [
        url
        for url in ANY_URL.findall(html)
        if not re.search(rf"""<a\b[^>]*href=["']{re.escape(url)}""", html)
    ]
    assert resources == []
