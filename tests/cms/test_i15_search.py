"""Search finds what residents read (issue 15): every phrase of a page's main content, sampled from
the rendered page, finds that page; the API's ?search= is the same Chinese search as the site's."""

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from wagtail.documents import get_document_model

from cms.ngrams import HAN
from cms.search import search
from cms.searchable import searchable_models
from community.models import NoticePage
from community.models.supervision import FinanceSignOff
from community.supervision.finance import record_outcome
from consultation.models import ConsultationPage, Deliberation, ImplementationUpdate

pytestmark = pytest.mark.django_db

WINDOW = 4
SKIPPED = {"script", "style", "svg", "nav", "form", "button", "select", "option"}


def _template_text() -> str:
    """Every template's text: a phrase found there is the template's wording, not the page's."""
    roots = [Path(settings.BASE_DIR) / "templates", *Path(settings.BASE_DIR).glob("*/templates")]
    return "\n".join(p.read_text() for root in roots for p in root.rglob("*.html"))


class MainText(HTMLParser):
    """The text of <main>, leaving out metadata (class="meta": dates, badges, counts)."""

    def __init__(self):
        super().__init__()
        self.stack: list[bool] = []  # for each open element: is its text left out?
        self.in_main = False
        self.runs: list[str] = []

    VOID = {"br", "img", "hr", "input", "meta", "link", "wbr", "source"}

    def handle_starttag(self, tag, attrs):
        if tag == "main":
            self.in_main = True
        if tag in self.VOID:
            return
        classes = (dict(attrs).get("class") or "").split()
        # Residents' queries under a notice are the residents' and the committee's words, not the
        # notice's: not indexed with it (docs/search.md).
        skip = tag in SKIPPED or {"meta", "badge", "notice-queries"} & set(classes)
        self.stack.append(skip or bool(self.stack and self.stack[-1]))

    def handle_endtag(self, tag):
        if tag == "main":
            self.in_main = False
        if tag not in self.VOID and self.stack:
            self.stack.pop()

    def handle_data(self, data):
        if self.in_main and not (self.stack and self.stack[-1]):
            self.runs.extend(re.findall(rf"[{HAN}]+", data))


def sampled_phrases(html: str, template_text: str) -> list[str]:
    """Four-character windows (start, middle, end) of each run of Chinese in the main content."""
    parser = MainText()
    parser.feed(html)
    found = []
    for run in parser.runs:
        if len(run) < WINDOW or run in template_text:
            continue
        for start in {0, (len(run) - WINDOW) // 2, len(run) - WINDOW}:
            phrase = run[start : start + WINDOW]
            if phrase not in template_text and phrase not in found:
                found.append(phrase)
    return found


def _pages_of_every_type(community):
    for model in searchable_models():
        yield from model.objects.descendant_of(community).live().public().specific()


def test_every_phrase_residents_read_finds_its_page(client, xinghua, yinxing):
    templates = _template_text()
    missed, checked, types = [], 0, set()
    for community in (xinghua, yinxing):
        for page in _pages_of_every_type(community):
            response = client.get(page.url)
            assert response.status_code == 200, page.url
            types.add(type(page))
            for phrase in sampled_phrases(response.content.decode(), templates):
                checked += 1
                if not any(h.exact and h.page.pk == page.pk for h in search(phrase, community)):
                    missed.append((unquote(page.url), phrase))
    assert types == set(searchable_models())
    assert checked > 200
    assert missed == []


def test_an_agenda_items_phrase_finds_the_agenda(client, xinghua):
    topic = ConsultationPage.objects.descendant_of(xinghua).get(slug="topic-2")
    assert topic.url in [h.url for h in search("背景和前", xinghua)]


def test_an_agenda_item_added_in_the_editor_is_found_once_published(xinghua):
    agenda = ConsultationPage.objects.descendant_of(xinghua).get(slug="topic-1")
    agenda.agenda_items.create(title="听取鹦鹉螺养殖户意见", sort_order=9)
    agenda.save_revision().publish()
    assert [h.url for h in search("鹦鹉螺养", xinghua)] == [agenda.url]


def test_the_public_part_of_records_and_updates_is_found_and_names_are_not(xinghua):
    agenda = ConsultationPage.objects.descendant_of(xinghua).get(slug="topic-5")
    record = Deliberation.objects.published().filter(agenda=agenda).first()
    speaker = record.opinions[0].value["speaker_name"]
    assert speaker and not search(speaker, xinghua)
    record.outcome = "同意在村口新建鹦鹉螺主题停车场"
    record.correct(None, "笔误")
    assert agenda.url in [h.url for h in search("鹦鹉螺主题", xinghua)]
    update = ImplementationUpdate.objects.published().filter(agenda=agenda).first()
    update.text = "砂石料已经运到工地，鹦鹉螺施工队进场"
    update.correct(None, "补充")
    assert agenda.url in [h.url for h in search("鹦鹉螺施工", xinghua)]


def test_an_attachments_title_is_found_and_a_renamed_one_by_its_new_title(xinghua):
    document = get_document_model().objects.create(
        title="春耕补贴发放名册", file=ContentFile(b"%PDF-1.4", name="list.pdf")
    )
    notice = NoticePage.objects.descendant_of(xinghua).get(slug="finance-q3")
    notice.attachments = [("document", document)]
    revision = notice.save_revision()
    # 民主理财: the changed finance notice is signed off again before it is published.
    record_outcome(notice, revision, None, FinanceSignOff.Outcome.SIGNED, "账目相符。")
    revision.publish()
    assert notice.url in [h.url for h in search("补贴发放", xinghua)]
    document.title = "鹦鹉螺村务收支明细表"
    document.save()
    assert notice.url in [h.url for h in search("鹦鹉螺村务", xinghua)]


@pytest.mark.parametrize("query", ["红白喜事", "背景和前", "财务收支", "议事室", "高空抛物"])
def test_the_apis_search_finds_the_pages_the_site_finds(client, query):
    site = {hit.page.pk for hit in search(query)}
    assert site, query
    api, offset = set(), 0
    while True:
        response = client.get("/api/v3/pages/", {"search": query, "limit": 20, "offset": offset})
        assert response.status_code == 200
        items = response.json()["items"]
        api |= {item["id"] for item in items}
        offset += 20
        if not items or offset >= response.json()["count"]:
            break
    assert api == site


def test_a_draft_saved_in_the_editor_is_not_searchable(xinghua):
    notice = NoticePage.objects.descendant_of(xinghua).get(slug="hongbai")
    notice.summary = "草稿里的鹦鹉螺补充说明"
    notice.save_revision()
    assert not search("鹦鹉螺补", xinghua)
