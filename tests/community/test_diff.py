"""The clause-level diff on a hand-made pair of texts."""

import pytest

from community.diff import diff_covenants, diff_text
from community.models import CovenantPage
from community.models.covenant import outline_of
from tests.community.covenant_helpers import article, chapter


def articles(raw):
    field = CovenantPage._meta.get_field("body")
    return [a for c in outline_of(field.to_python(raw)) for a in c.articles]


OLD = [
    chapter("c1", "总则",
            article("a1", "为推进村民自治，制定本村规民约。"),
            article("a2", "本村规民约适用于本村全体村民。")),
    chapter("c2", "社会秩序",
            article("a3", "不得乱倒垃圾。"),
            article("a4", "违反本村规民约者，处以罚款五十元。"),
            article("a5", "红白喜事从简办理，宴席不超过二十桌。")),
    chapter("c3", "附则", article("a6", "本村规民约自公布之日起施行。")),
]  # fmt: skip

NEW = [
    chapter("c1", "总则",
            article("a1", "为推进村民自治，制定本村规民约。"),
            article("a2", "本村规民约适用于本村全体村民和常住人员。")),
    chapter("c2", "社会秩序",
            article("a3", "不得乱倒垃圾。"),
            article("a7", "垃圾分类投放，每日早晚定时收运。")),
    chapter("c4", "移风易俗",
            article("a5", "红白喜事从简办理，宴席不超过二十桌。")),
    chapter("c3", "附则", article("a6", "本村规民约自公布之日起施行。")),
]  # fmt: skip


@pytest.fixture
def diff():
    return diff_covenants(articles(OLD), articles(NEW))


def test_summary_counts(diff):
    assert diff.summary == {"added": 1, "removed": 1, "changed": 1, "moved": 1}


def test_each_change_with_numbers_before_and_after(diff):
    rows = [
        (c.kind, c.old.label if c.old else None, c.new.label if c.new else None, c.moved)
        for c in diff.changes
    ]
    assert rows == [
        ("unchanged", "第一条", "第一条", False),
        ("changed", "第二条", "第二条", False),
        ("unchanged", "第三条", "第三条", False),
        ("removed", "第四条", None, False),
        ("added", None, "第四条", False),
        ("moved", "第五条", "第五条", True),
        ("unchanged", "第六条", "第六条", False),
    ]


def test_moved_article_names_both_chapters(diff):
    moved = next(c for c in diff.changes if c.moved)
    assert (moved.old.chapter_title, moved.new.chapter_title) == ("社会秩序", "移风易俗")
    assert (moved.old.chapter_number, moved.new.chapter_number) == (2, 3)


def test_changed_article_highlights_words(diff):
    changed = next(c for c in diff.changes if c.kind == "changed")
    assert [(s.op, s.text) for s in changed.segments] == [
        ("equal", "本村规民约适用于本村全体村民"),
        ("insert", "和常住人员"),
        ("equal", "。"),
    ]


def test_renumbering_alone_is_not_a_change():
    old = articles([chapter("c1", "总则", article("a1", "甲条。"), article("a2", "乙条。"))])
    new = articles(
        [
            chapter(
                "c1",
                "总则",
                article("a0", "新增的条文。"),
                article("a1", "甲条。"),
                article("a2", "乙条。"),
            )
        ]
    )
    diff = diff_covenants(old, new)
    assert diff.summary == {"added": 1, "removed": 0, "changed": 0, "moved": 0}
    kept = [c for c in diff.changes if c.kind == "unchanged"]
    assert [(c.old.label, c.new.label, c.renumbered) for c in kept] == [
        ("第一条", "第二条", True),
        ("第二条", "第三条", True),
    ]


def test_texts_entered_separately_match_by_similarity():
    old = articles([chapter("x1", "总则", article("x2", "红白喜事从简办理，宴席不超过二十桌。"))])
    new = articles([chapter("y1", "总则", article("y2", "红白喜事从简办理，宴席不超过十五桌。"))])
    (change,) = diff_covenants(old, new).changes
    assert change.kind == "changed" and not change.moved
    assert ("delete", "二十") in [(s.op, s.text) for s in change.segments]


def test_latin_words_and_numbers_stay_whole():
    ops = [(s.op, s.text) for s in diff_text("限速 30 km/h", "限速 20 km/h")]
    assert ("delete", "30") in ops and ("insert", "20") in ops


def test_a_one_character_equality_between_edits_reads_as_one_replacement():
    ops = [(s.op, s.text) for s in diff_text("宴席不超过二十桌。", "宴席不超过十五桌。")]
    assert ops == [
        ("equal", "宴席不超过"),
        ("delete", "二十"),
        ("insert", "十五"),
        ("equal", "桌。"),
    ]
