"""Issue 14 item 8: a diff shows meaning, not markup. An article is 修改 only when its text or its
links changed; what the Wagtail editor does to the markup of a text it saves again unchanged
(data-block-key, collapsed whitespace) and formatting (bold, italic, split paragraphs, attribute
order) are not changes."""

import copy
import datetime

import pytest

from community.diff import diff_covenants
from community.models import CovenantPage
from community.models.covenant import diff_articles, outline_of
from community.richtext import Link, meaning_of
from tests.community.covenant_helpers import article, chapter, edit_draft, make_covenant
from tests.community.editor import save_in_editor, through_draftail
from tests.community.test_covenant_pages import adopt

pytestmark = pytest.mark.django_db
D = datetime.date

# Seeded the way community/demo_covenants.py seeds: plain HTML, no data-block-key.
SEEDED = [
    chapter("c1", "总则",
            article("a1", "为推进村民自治，制定本村规民约。"),
            article("a2", "本村规民约适用于本村全体村民。")),
    chapter("c2", "村风民俗",
            article("a3", "红白喜事从简办理，婚事宴席不超过二十桌。"),
            article("a4", '见<a href="https://www.example.org/rules">镇文明公约</a>，倡导文明祭扫。'),
            article("a5", "孝敬父母，<b>赡养老人</b>。")),
]  # fmt: skip


def top(aid: str, html: str) -> dict:
    """An article outside any chapter, its rich text as given."""
    return {"type": "article", "value": html, "id": aid}


def articles(raw):
    field = CovenantPage._meta.get_field("body")
    return [a for c in outline_of(field.to_python(raw)) for a in c.articles]


def resaved(raw):
    """The raw text after the editor loaded and saved every article unchanged."""
    raw = copy.deepcopy(raw)
    for block in raw:
        if block["type"] == "chapter":
            for item in block["value"]["articles"]:
                item["value"] = through_draftail(item["value"])
        else:
            block["value"] = through_draftail(block["value"])
    return raw


def edited(raw, article_id, old, new):
    raw = copy.deepcopy(raw)
    for block in raw:
        for item in block["value"]["articles"] if block["type"] == "chapter" else [block]:
            if item["id"] == article_id:
                assert old in item["value"]
                item["value"] = item["value"].replace(old, new)
    return raw


def listed(diff):
    """What the public diff lists: every article but the unchanged ones keeping their number."""
    return [
        (c.kind, c.new.label if c.new else c.old.label)
        for c in diff.changes
        if c.kind != "unchanged" or c.renumbered
    ]


def test_the_editor_saving_a_seeded_text_unchanged_lists_nothing():
    after = resaved(SEEDED)
    assert 'data-block-key="' in after[0]["value"]["articles"][0]["value"]
    diff = diff_covenants(articles(SEEDED), articles(after))
    assert diff.summary == {"added": 0, "removed": 0, "changed": 0, "moved": 0}
    assert listed(diff) == [] and not diff.has_changes
    assert all(c.formatting_only for c in diff.changes)  # the markup differs, the API says so


def test_one_character_changed_after_the_editor_saved_is_exactly_one_change():
    after = edited(resaved(SEEDED), "a3", "二十桌", "十五桌")
    diff = diff_covenants(articles(SEEDED), articles(after))
    assert diff.summary == {"added": 0, "removed": 0, "changed": 1, "moved": 0}
    assert listed(diff) == [("changed", "第三条")]
    (change,) = [c for c in diff.changes if c.kind == "changed"]
    assert [(s.op, s.text) for s in change.segments if s.op != "equal"] == [
        ("delete", "二十"),
        ("insert", "十五"),
    ]


def test_one_link_target_changed_is_exactly_one_change_and_shows_the_link():
    after = edited(resaved(SEEDED), "a4", "www.example.org/rules", "www.example.org/rules-2024")
    diff = diff_covenants(articles(SEEDED), articles(after))
    assert diff.summary == {"added": 0, "removed": 0, "changed": 1, "moved": 0}
    (change,) = [c for c in diff.changes if c.kind == "changed"]
    assert change.new.label == "第四条" and not change.text_changed
    assert change.links_removed == [Link("https://www.example.org/rules", "镇文明公约")]
    assert change.links_added == [Link("https://www.example.org/rules-2024", "镇文明公约")]


@pytest.mark.parametrize(
    "before, after",
    [
        ("<p>红白喜事从简办理。</p>", '<p data-block-key="x1y2z">红白喜事从简办理。</p>'),
        ("<p>红白喜事从简办理。</p>", "<p><b>红白喜事</b>从简<i>办理</i>。</p>"),
        ("<p>红白喜事从简办理。</p>", "<p>红白喜事</p><p>从简办理。</p>"),
        ("<p>限速 30  km/h。</p>", "<p>\n  限速 30\nkm/h。 </p>"),
        ("<p>甲&nbsp;乙 &amp; 丙</p>", '<p data-block-key="k">甲 乙 &amp; 丙</p>'),
        ("<p>倡导文明祭扫，不在山林焚烧纸钱。</p>", "<p>倡导文明祭扫，\n  不在山林 焚烧纸钱。</p>"),
        (
            '<p><a href="https://a.example/x" title="t">规定</a></p>',
            '<p data-block-key="q"><a title="t" href="https://a.example/x">规定</a></p>',
        ),
        ('<p><a linktype="page" id="7">规定</a></p>', '<p><a id="7" linktype="page">规定</a></p>'),
    ],
    ids=["data-block-key", "bold-italic", "split-paragraph", "whitespace", "entities", "cjk-whitespace",
         "attribute-order", "reference-attribute-order"],
)  # fmt: skip
def test_formatting_is_not_meaning(before, after):
    assert meaning_of(before) == meaning_of(after)
    (change,) = diff_covenants(articles([top("a1", before)]), articles([top("a1", after)])).changes
    assert change.kind == "unchanged" and change.formatting_only


@pytest.mark.parametrize(
    "before, after",
    [
        ("<p>红白喜事从简办理。</p>", "<p>红白喜事从简办理！</p>"),
        ('<p><a href="https://a.example/x">规定</a></p>', '<p><a href="https://a.example/y">规定</a></p>'),
        ('<p><a href="https://a.example/x">规定</a></p>', "<p>规定</p>"),
        ('<p><a href="https://a.example/x">本村</a>规定</p>', '<p>本村<a href="https://a.example/x">规定</a></p>'),
        ('<p><a linktype="page" id="7">规定</a></p>', '<p><a linktype="page" id="8">规定</a></p>'),
    ],
    ids=["one-character", "link-target", "link-removed", "linked-words", "page-reference"],
)  # fmt: skip
def test_text_and_links_are_meaning(before, after):
    assert meaning_of(before) != meaning_of(after)
    (change,) = diff_covenants(articles([top("a1", before)]), articles([top("a1", after)])).changes
    assert change.kind == "changed" and not change.formatting_only


def test_a_link_rewritten_to_a_page_reference_to_the_same_page_is_the_same_link(shiqiao, liuxi):
    old = articles([top("a1", f'<p>见<a href="{shiqiao.url}">本村</a>。</p>')])
    same = articles([top("a1", f'<p>见<a linktype="page" id="{shiqiao.pk}">本村</a>。</p>')])
    other = articles([top("a1", f'<p>见<a linktype="page" id="{liuxi.pk}">本村</a>。</p>')])
    (unchanged,) = diff_articles(old, same).changes
    assert unchanged.kind == "unchanged" and unchanged.formatting_only
    (changed,) = diff_articles(old, other).changes
    assert changed.kind == "changed"
    assert changed.links_added == [Link(liuxi.url, "本村")]


def test_public_diff_after_a_save_in_the_editor_lists_only_the_real_change(
    client, shiqiao, committee_shiqiao, reviewer_liuxi
):
    covenant = make_covenant(shiqiao, committee_shiqiao, body=SEEDED)
    v1 = adopt(covenant, committee_shiqiao, reviewer_liuxi, "2023年版", 2023)
    draft = save_in_editor(client, committee_shiqiao, covenant)
    raw = list(draft.body.raw_data)
    assert 'data-block-key="' in raw[1]["value"]["articles"][0]["value"]
    edit_draft(covenant, committee_shiqiao, edited(raw, "a3", "二十桌", "十五桌"))
    v2 = adopt(covenant, committee_shiqiao, reviewer_liuxi, "2026年修订", 2026)
    client.logout()

    html = client.get(covenant.url + f"versions/diff/?from={v1.pk}&to={v2.pk}").content.decode()
    assert "新增 0 条，删除 0 条，修改 1 条，调整章节 0 条" in html
    assert html.count("badge-changed") == 1 and "仅格式" not in html

    api = client.get(f"/api/v3/covenants/{covenant.pk}/diff/", {"from": v1.pk, "to": v2.pk}).json()
    assert api["summary"] == {"added": 0, "removed": 0, "changed": 1, "moved": 0}
    assert [(c["kind"], c["new"]["label"]) for c in api["changes"] if c["kind"] != "unchanged"] == [
        ("changed", "第三条")
    ]
    assert sum(c["formatting_only"] for c in api["changes"]) == 4
