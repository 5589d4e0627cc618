"""Every public page type, API endpoint and the admin's history and submissions listings run a
number of queries that does not grow with the content: each is counted on a small slice of the
district and on a large one (10 vs 150 articles, 2 vs 15 versions, 10 vs 500 notices, 2 vs 40
agendas with records and updates, 10 vs 500 answers)."""

import random

import pytest
from taggit.models import Tag
from zeal import NPlusOneError

from bench.district import Sizes, bulk_add_pages, generate
from community.models import CommunityPage, CovenantPage, ExperiencePage, ExperienceTheme
from community.models.experience import ExperiencePageTag
from consultation.models import (
    CommunityFormPage,
    ConsultationPage,
    ImplementationUpdate,
)
from tests.performance.conftest import count_queries, sql_of

pytestmark = pytest.mark.django_db

SMALL = Sizes(
    articles=(10, 10), versions=(2, 2), notices=10, consultations=2, answers=10, popular_answers=10
)
LARGE = Sizes(
    articles=(150, 150),
    versions=(15, 15),
    notices=500,
    consultations=40,
    answers=500,
    popular_answers=500,
)


class Slice:
    """The pages of one generated community, by prefix."""

    def __init__(self, prefix: str):
        self.base = f"/{prefix}-t001/c0001/"
        self.community = CommunityPage.objects.get(url_path__endswith=f"/{prefix}-t001/c0001/")
        self.covenant = CovenantPage.objects.child_of(self.community).get()
        versions = list(self.covenant.versions())
        self.newest, self.oldest = versions[0], versions[-1]
        self.agenda = (
            ConsultationPage.objects.descendant_of(self.community)
            .filter(deliberations__isnull=False)
            .order_by("path")
            .first()
        )
        self.form = CommunityFormPage.objects.child_of(self.community).get()


def _slices(home):
    generate(1, seed=1, sizes=SMALL, prefix="s")
    generate(1, seed=1, sizes=LARGE, prefix="l")
    large = Slice("l")
    # More updates on one agenda of the large slice: its page and record grow with them.
    ImplementationUpdate.objects.bulk_create(
        [
            ImplementationUpdate(
                agenda=large.agenda,
                community=large.community,
                date=large.agenda.starts_at.date(),
                text=f"进展{n}",
                published_at=large.agenda.starts_at,
            )
            for n in range(30)
        ]
    )
    return Slice("s"), large


def _compare(client, urls_of, budgets: dict[str, int], small: Slice, large: Slice):
    found, n_plus_one = {}, {}
    for name, url_of in urls_of.items():
        client.get(url_of(small))  # warm per-process caches (site root, content types)
        try:
            counts = (count_queries(client, url_of(small)), count_queries(client, url_of(large)))
        except NPlusOneError as error:
            n_plus_one[name] = str(error)
            continue
        found[name] = counts
    assert not n_plus_one, f"N+1 found by django-zeal: {n_plus_one}"
    grown = {name: c for name, c in found.items() if c[1] != c[0]}
    over = {name: c for name, c in found.items() if c[1] > budgets[name]}
    assert not grown, f"query counts grow with content (small, large): {grown}"
    assert not over, f"over budget (small, large): {over}; budgets: {budgets}"
    return found


PAGES = {
    "township": lambda s: s.base.rsplit("/", 2)[0] + "/",
    "community": lambda s: s.base,
    "covenant": lambda s: f"{s.base}covenant/",
    "covenant_versions": lambda s: f"{s.base}covenant/versions/",
    "covenant_version": lambda s: f"{s.base}covenant/versions/{s.oldest.pk}/",
    "covenant_diff": lambda s: (
        f"{s.base}covenant/versions/diff/?from={s.oldest.pk}&to={s.newest.pk}"
    ),
    "notice_index": lambda s: f"{s.base}notices/",
    "notice": lambda s: f"{s.base}notices/notice-1/",
    "consultation_index": lambda s: f"{s.base}consultations/",
    "consultation": lambda s: s.agenda.url,
    "form": lambda s: f"{s.base}topics/",
}
PAGE_BUDGETS = {  # routing costs two queries at any depth (cms/routing.py)
    "township": 8,
    "community": 12,  # + the supervision committee (members, public opinions), 民主评议 published?
    "covenant": 9,  # + its draft open for comment, if any (one query, none per article)
    "covenant_versions": 9,
    "covenant_version": 10,  # + the voted text, fetched alone (listings never load texts)
    "covenant_diff": 10,
    "notice_index": 11,  # + the disclosure calendar's link
    "notice": 8,  # + the answered residents' queries
    "consultation_index": 8,
    "consultation": 11,
    "form": 8,
}


def test_public_pages_do_not_grow_with_content(client, home):
    small, large = _slices(home)
    _compare(client, PAGES, PAGE_BUDGETS, small, large)


API = {
    "pages_list_notices": lambda s: (
        f"/api/v3/pages/?type=community.NoticePage&child_of={s.notice_index_id}"
    ),
    "pages_list_agendas": lambda s: (
        f"/api/v3/pages/?type=consultation.ConsultationPage&child_of={s.agenda.get_parent().pk}"
    ),
    "page_covenant": lambda s: f"/api/v3/pages/{s.covenant.pk}/",
    "page_community": lambda s: f"/api/v3/pages/{s.community.pk}/",
    "page_agenda": lambda s: f"/api/v3/pages/{s.agenda.pk}/",
    "page_notice": lambda s: f"/api/v3/pages/{s.notice_id}/",
    "covenant_versions": lambda s: f"/api/v3/covenants/{s.covenant.pk}/versions/",
    "covenant_diff": lambda s: (
        f"/api/v3/covenants/{s.covenant.pk}/diff/?from={s.oldest.pk}&to={s.newest.pk}"
    ),
    "consultation_record": lambda s: f"/api/v3/consultations/{s.agenda.pk}/record/",
    "form_schema": lambda s: f"/api/v3/forms/{s.form.pk}/",
}
# The pages endpoints ask one query more per page queryset (twice with child_of): which subtrees are
# hidden below an unpublished or restricted page (cms/api_visibility.py, hidden_q()).
API_BUDGETS = {
    "pages_list_notices": 8,
    "pages_list_agendas": 8,
    "page_covenant": 8,
    "page_community": 10,  # + public_supervision (members, public opinions)
    "page_agenda": 16,  # status and status_label each derive the status (3 existence queries)
    "page_notice": 7,
    "covenant_versions": 3,
    "covenant_diff": 4,
    "consultation_record": 5,
    "form_schema": 4,
}


def test_api_endpoints_do_not_grow_with_content(client, home):
    small, large = _slices(home)
    for s in (small, large):
        index = s.community.get_children().get(slug="notices")
        s.notice_index_id = index.pk
        s.notice_id = index.get_children().first().pk
    _compare(client, API, API_BUDGETS, small, large)


ADMIN = {
    "page_history": lambda s: f"/admin/pages/{s.covenant.pk}/history/",
    "covenant_revision": lambda s: f"/admin/covenants/revisions/{s.newest.pk}/",
    "form_submissions": lambda s: f"/admin/forms/submissions/{s.form.pk}/",
    "page_explorer_notices": lambda s: (
        f"/admin/pages/{s.community.get_children().get(slug='notices').pk}/"
    ),
}
ADMIN_BUDGETS = {
    "page_history": 18,
    "covenant_revision": 37,  # the register beside the tally: it, its groups, two histories; the
    # draft's opinions: their count by source, the comment window, and beside the articles the
    # published opinions, the counts of the others and the reviewer's notes (five, whatever the number)
    "form_submissions": 19,
    "page_explorer_notices": 29,
}


def test_admin_history_and_submissions_listings_do_not_grow(client, home, superuser):
    small, large = _slices(home)
    client.force_login(superuser)
    _compare(client, ADMIN, ADMIN_BUDGETS, small, large)


def test_experience_pages_do_not_grow_with_experiences(client, home, xinghua):
    themes = list(ExperienceTheme.objects.all())
    url = "/experiences/"
    page = ExperiencePage.objects.live().first()
    client.get(url)
    small = (count_queries(client, url), count_queries(client, page.url))
    pages = bulk_add_pages(
        xinghua,
        [ExperiencePage(title=f"经验{n}", slug=f"exp-{n}", summary="做法") for n in range(30)],
        random.Random(0),
    )
    tags = [Tag.objects.create(name=name) for name in ("积分示范", "议事示范")]
    ExperiencePage.themes.through.objects.bulk_create(
        [
            ExperiencePage.themes.through(experiencepage=p, experiencetheme=t)
            for p in pages
            for t in themes[:3]
        ]
    )
    ExperiencePageTag.objects.bulk_create(
        [ExperiencePageTag(content_object=p, tag=tag) for p in pages for tag in tags]
    )
    large = (count_queries(client, url), count_queries(client, pages[0].url))
    assert large == small


def test_the_covenant_page_reads_its_versions_without_their_texts(client, home):
    """Each version's voted revision holds a whole text; the page needs only their count."""
    generate(1, seed=1, sizes=LARGE, prefix="l")
    sql = sql_of(client, "/l-t001/c0001/covenant/")
    assert any("community_covenantrevision" in q for q in sql)
    assert not any('"wagtailcore_revision"."content"' in q for q in sql)


def test_agenda_page_does_not_grow_with_update_photos(client, xinghua, committee_xinghua):
    """Each implementation update may carry photos, shown as renditions, and documents."""
    from django.core.files.base import ContentFile
    from wagtail.documents.models import Document
    from wagtail.images.models import Image
    from wagtail.images.tests.utils import get_test_image_file

    agenda = (
        ConsultationPage.objects.descendant_of(xinghua)
        .filter(deliberations__isnull=False)
        .order_by("path")
        .first()
    )

    def add_updates(n):
        for k in range(n):
            image = Image.objects.create(title=f"照片{k}", file=get_test_image_file())
            document = Document.objects.create(
                title=f"验收单{k}", file=ContentFile(b"x", name=f"check-{k}.txt")
            )
            update = ImplementationUpdate(
                agenda=agenda,
                date=agenda.starts_at.date(),
                text="进展",
                photos=[("image", image)],
                documents=[("document", document)],
            )
            update.save()
            update.publish(committee_xinghua)

    add_updates(1)
    client.get(agenda.url)  # renditions are made on first view
    small = count_queries(client, agenda.url)
    add_updates(9)
    client.get(agenda.url)
    response = client.get(agenda.url).content.decode()
    large = count_queries(client, agenda.url)
    assert large == small
    assert response.count('class="update-photo"') == 10
    assert "验收单8" in response
