"""Clause-level diff of two covenant texts: articles added, removed, changed (with a word-level
highlight) and moved between chapters, each with its numbers before and after.

Articles are matched by their StreamField block id, which survives edits, moves and renumbering;
articles without a shared id (texts entered separately) are matched by similarity.

Articles are compared by what they say (community/richtext.py: their text and their links), not
by their markup: an article the editor saved again with `data-block-key` attributes, collapsed
whitespace, bold or split paragraphs is not changed (`formatting_only` says its markup differs); an
article whose text or whose links' targets changed is.

It works on the articles alone (community/models/outline.py) and imports no model, so the covenant
page can import it at load time.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Mapping

    from community.models.outline import Article
    from community.richtext import Link

SIMILAR = 0.6
TOKEN = re.compile(r"[A-Za-z0-9.%]+|\s+|.", re.S)  # a latin word or number, or one CJK character


@dataclass
class Segment:
    op: str  # "equal" | "insert" | "delete"
    text: str


@dataclass
class ArticleChange:
    kind: str  # "added" | "removed" | "changed" | "moved" | "unchanged"
    old: Article | None
    new: Article | None
    segments: list[Segment] = field(default_factory=list)
    moved: bool = False
    formatting_only: bool = False  # same text and links, different markup: not a change
    links_removed: list[Link] = field(default_factory=list)  # of a changed article
    links_added: list[Link] = field(default_factory=list)

    @property
    def text_changed(self) -> bool:
        return any(s.op != "equal" for s in self.segments)

    @property
    def renumbered(self) -> bool:
        return bool(self.old and self.new and self.old.number != self.new.number)


@dataclass
class CovenantDiff:
    changes: list[ArticleChange]

    def count(self, kind: str) -> int:
        return sum(1 for c in self.changes if c.kind == kind or (kind == "moved" and c.moved))

    @property
    def summary(self) -> dict[str, int]:
        return {kind: self.count(kind) for kind in ("added", "removed", "changed", "moved")}

    @property
    def has_changes(self) -> bool:
        return any(c.kind != "unchanged" for c in self.changes)


def diff_text(before: str, after: str) -> list[Segment]:
    a, b = TOKEN.findall(before), TOKEN.findall(after)
    segments: list[Segment] = []
    for op, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            segments.append(Segment("equal", "".join(a[i1:i2])))
            continue
        if i2 > i1:
            segments.append(Segment("delete", "".join(a[i1:i2])))
        if j2 > j1:
            segments.append(Segment("insert", "".join(b[j1:j2])))
    return _merge_small_equalities(segments)


def _merge_small_equalities(segments: list[Segment]) -> list[Segment]:
    """Fold a one-character equality between two edits into them, so that 二十 → 十五 reads as one
    replacement instead of 二 deleted, 十 kept, 五 inserted."""
    merged: list[Segment] = []
    i = 0
    while i < len(segments):
        run = [segments[i]]
        if segments[i].op != "equal":
            j = i + 1
            while j < len(segments):
                if segments[j].op != "equal" or (
                    len(segments[j].text) <= 1
                    and j + 1 < len(segments)
                    and segments[j + 1].op != "equal"
                ):
                    run.append(segments[j])
                else:
                    break
                j += 1
            if any(seg.op == "equal" for seg in run):
                deleted = "".join(seg.text for seg in run if seg.op != "insert")
                inserted = "".join(seg.text for seg in run if seg.op != "delete")
                run = [Segment("delete", deleted), Segment("insert", inserted)]
            i = j
        else:
            i += 1
        merged.extend(run)
    return merged


def _match(old: list[Article], new: list[Article]) -> dict[int, int]:
    """new index -> old index."""
    old_by_id = {a.id: i for i, a in enumerate(old) if a.id}
    matched: dict[int, int] = {}
    for j, article in enumerate(new):
        i = old_by_id.get(article.id)
        if i is not None:
            matched[j] = i
    free_old = [i for i in range(len(old)) if i not in matched.values()]
    candidates = []
    for j in (j for j in range(len(new)) if j not in matched):
        for i in free_old:
            matcher = SequenceMatcher(None, old[i].text, new[j].text, autojunk=False)
            if matcher.real_quick_ratio() < SIMILAR or matcher.quick_ratio() < SIMILAR:
                continue
            ratio = matcher.ratio()
            if ratio >= SIMILAR:
                candidates.append((ratio, -abs(i - j), j, i))
    taken_old: set[int] = set()
    for _ratio, _distance, j, i in sorted(candidates, reverse=True):
        if j not in matched and i not in taken_old:
            matched[j] = i
            taken_old.add(i)
    return matched


def _same_chapter(a: Article, b: Article) -> bool:
    if a.chapter_id and b.chapter_id and a.chapter_id == b.chapter_id:
        return True
    return (a.chapter_title, a.chapter_number is None) == (
        b.chapter_title,
        b.chapter_number is None,
    )


def _link_changes(before: list[Link], after: list[Link]) -> tuple[list[Link], list[Link]]:
    removed, added = list(before), []
    for link in after:
        if link in removed:
            removed.remove(link)
        else:
            added.append(link)
    return removed, added


def diff_covenants(
    old: list[Article], new: list[Article], targets: Mapping[str, str] | None = None
) -> CovenantDiff:
    """`targets`: the URL each link reference in the texts leads to (richtext.resolve_links), so
    that a link the editor rewrote from its URL to a page reference is the same link."""
    targets = targets or {}
    matched = _match(old, new)
    matched_old = set(matched.values())
    removed = [i for i in range(len(old)) if i not in matched_old]
    changes: list[ArticleChange] = []

    def flush_removed(before: int) -> None:
        while removed and removed[0] < before:
            changes.append(ArticleChange("removed", old[removed.pop(0)], None))

    next_matched = [len(old)] * (len(new) + 1)  # the old index of the next matched article
    for j in range(len(new) - 1, -1, -1):
        next_matched[j] = matched.get(j, next_matched[j + 1])

    for j, article in enumerate(new):
        i = matched.get(j)
        if i is None:
            flush_removed(next_matched[j])  # what an added article replaces is listed first
            changes.append(ArticleChange("added", None, article))
            continue
        flush_removed(i)
        before = old[i]
        moved = not _same_chapter(before, article)
        if before.html == article.html:
            meant_before = meant_after = None
        else:
            meant_before = before.meaning.resolved(targets)
            meant_after = article.meaning.resolved(targets)
        if meant_before != meant_after:
            removed_links, added_links = _link_changes(
                list(meant_before.links), list(meant_after.links)
            )
            segments = (
                diff_text(before.text, article.text)
                if meant_before.key != meant_after.key
                else [Segment("equal", article.text)]
            )
            changes.append(
                ArticleChange(
                    "changed", before, article, segments, moved,
                    links_removed=removed_links, links_added=added_links,
                )
            )  # fmt: skip
        else:
            changes.append(
                ArticleChange(
                    "moved" if moved else "unchanged", before, article, moved=moved,
                    formatting_only=meant_before is not None,
                )
            )  # fmt: skip
    flush_removed(len(old) + 1)
    return CovenantDiff(changes)
