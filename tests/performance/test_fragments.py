"""Caches below the page cache, which work for logged-in users and with the page cache off: the
covenant's rendered text and the diff between two versions, both named by their content."""

import datetime

import pytest
from django.core.cache import cache
from wagtail.models import Page

from community.models import CovenantPage
from tests.community.covenant_helpers import (
    article,
    chapter,
    edit_draft,
    freeze_today,
    make_covenant,
)
from tests.community.test_covenant_pages import V2_TEXT, adopt

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clear():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def covenant(shiqiao, committee_shiqiao, reviewer_liuxi):
    covenant = make_covenant(shiqiao, committee_shiqiao)
    adopt(covenant, committee_shiqiao, reviewer_liuxi, "2023年版", 2023)
    edit_draft(covenant, committee_shiqiao, V2_TEXT)
    adopt(covenant, committee_shiqiao, reviewer_liuxi, "2026年修订", 2026)
    covenant.refresh_from_db()
    return covenant


def test_the_rendered_text_is_built_once_per_text(client, covenant, monkeypatch):
    calls = []
    original = CovenantPage.outline
    monkeypatch.setattr(CovenantPage, "outline", lambda self: calls.append(1) or original(self))
    first = client.get(covenant.url).content
    second = client.get(covenant.url).content
    assert first == second and "实行垃圾分类" in first.decode()
    assert len(calls) == 1


def test_a_link_in_the_text_follows_the_page_it_points_to(
    client, covenant, committee_shiqiao, reviewer_liuxi, dongcheng, monkeypatch
):
    freeze_today(monkeypatch, datetime.date(2027, 6, 1))  # after the 2027 version's dates
    nanshan = Page.objects.get(url_path__endswith="/liuxi/nanshan/")
    linked = [
        chapter(
            "c1",
            "总则",
            article("a1", f'参照<a linktype="page" id="{nanshan.pk}">南山村</a>的做法。'),
        )
    ]
    edit_draft(covenant, committee_shiqiao, linked)
    adopt(covenant, committee_shiqiao, reviewer_liuxi, "2027年修订", 2027)
    assert 'href="/liuxi/nanshan/"' in client.get(covenant.url).content.decode()
    nanshan.move(dongcheng, pos="last-child")
    assert 'href="/dongcheng/nanshan/"' in client.get(covenant.url).content.decode()


def test_a_diff_is_computed_once_per_pair_of_texts(client, covenant, monkeypatch):
    import community.diff

    calls = []
    original = community.diff.diff_covenants
    monkeypatch.setattr(
        community.diff, "diff_covenants", lambda *args: calls.append(1) or original(*args)
    )
    old, new = list(covenant.versions())[::-1]
    url = f"{covenant.url}versions/diff/?from={old.pk}&to={new.pk}"
    html = client.get(url).content.decode()
    assert client.get(url).content.decode() == html and "实行垃圾分类" in html
    api = client.get(f"/api/v3/covenants/{covenant.pk}/diff/?from={old.pk}&to={new.pk}").json()
    assert api["summary"]["added"] == 1 and len(calls) == 1
    reverse = client.get(f"{covenant.url}versions/diff/?from={new.pk}&to={old.pk}")
    assert reverse.status_code == 200 and len(calls) == 2
