"""The large-data generator, at a tiny size, so that it cannot rot (benchmarks run it at scale)."""

import random

import pytest
from django.core.management import call_command
from django.test import Client
from wagtail.models import Page

from bench.district import Sizes, generate
from bench.district_covenants import covenant_versions
from bench.generate_district import Command as GenerateDistrict
from community.models import CovenantPage, CovenantRevision, NoticePage
from consultation.models import CommunityFormSubmission, ConsultationPage, Deliberation

pytestmark = pytest.mark.django_db

TINY = Sizes(
    communities_per_township=2,
    articles=(20, 25),
    versions=(2, 3),
    notices=4,
    consultations=5,
    answers=3,
    popular_answers=7,
)


def _texts(prefix):
    pages = Page.objects.filter(url_path__contains=f"/{prefix}-").order_by("path")
    return [(p.url_path.split("/", 3)[-1], p.title) for p in pages]


def test_generates_a_consistent_tree_that_serves(home):
    report = generate(3, seed=7, sizes=TINY, prefix="g")
    assert report.communities == 3
    assert Page.find_problems() == ([], [], [], [], [])
    assert NoticePage.objects.filter(url_path__contains="/g-").count() == 12
    assert ConsultationPage.objects.filter(url_path__contains="/g-").count() == 15
    assert CommunityFormSubmission.objects.count() >= 7 + 3 + 3
    covenant = CovenantPage.objects.live().get(url_path__contains="/g-t001/c0001/")
    versions = list(covenant.versions())
    assert 2 <= len(versions) <= 3 and 20 <= len(covenant.articles()) <= 25
    assert covenant.live_revision_id == versions[0].voted_revision_id
    assert CovenantRevision.history.filter(covenant=covenant).count() == len(versions)
    assert Deliberation.history.filter(community__url_path__contains="/g-").exists()
    client = Client()
    for url in (
        "/g-t001/c0001/",
        covenant.url,
        f"{covenant.url}versions/diff/",
        "/g-t001/c0001/notices/",
        "/g-t001/c0001/notices/notice-2/",
        "/g-t002/c0003/consultations/topic-1/",
        f"/api/v3/pages/{covenant.pk}/",
    ):
        assert client.get(url).status_code == 200, url
    assert report.pages_per_second > 0


def test_same_seed_same_district(home):
    generate(2, seed=3, sizes=TINY, prefix="a")
    generate(2, seed=3, sizes=TINY, prefix="b")
    generate(2, seed=4, sizes=TINY, prefix="c")
    strip = lambda texts: [(path.split("/", 1)[-1], title) for path, title in texts]  # noqa: E731
    assert strip(_texts("a")) == strip(_texts("b"))
    a = CovenantPage.objects.get(url_path__contains="/a-t001/c0001/").articles()
    b = CovenantPage.objects.get(url_path__contains="/b-t001/c0001/").articles()
    c = CovenantPage.objects.get(url_path__contains="/c-t001/c0001/").articles()
    assert [x.text for x in a] == [x.text for x in b] != [x.text for x in c]


def test_refuses_to_generate_twice_with_one_prefix(home):
    generate(1, sizes=TINY, prefix="once")
    with pytest.raises(ValueError, match="once-"):
        generate(1, sizes=TINY, prefix="once")


def test_versions_edit_and_add_articles_with_stable_ids():
    versions = covenant_versions(random.Random(1), articles=150, versions=15)
    ids = [[a["id"] for ch in v for a in ch["value"]["articles"]] for v in versions]
    assert len(versions) == 15 and len(ids[-1]) == 150
    assert all(len(older) < 150 for older in ids[:-1])
    assert len(set(ids[-1])) == 150


def test_command_reports_its_rate(home, capsys):
    call_command(
        GenerateDistrict(), communities=1, notices=2, consultations=1, answers=1,
        popular_answers=1, max_articles=20, max_versions=2, prefix="cmd", no_progress=True,
    )  # fmt: skip
    assert "pages/s" in capsys.readouterr().out
