"""What a rich text says, as opposed to how it is marked up: its text and its links.

The Wagtail editor rewrites the HTML of every rich text it saves (it adds `data-block-key` to each
paragraph, collapses whitespace, may split or merge paragraphs, and may store a link to a page of
the site as `<a linktype="page" id="3">` instead of its URL), so two versions of an article that
say the same thing are rarely byte-equal. The diff and the identical-draft check compare
`meaning_of(html)` instead: the text with whitespace collapsed (paragraph and list boundaries do
not count, nor does whitespace next to a Chinese character or punctuation), and each link with its
target and the words it covers. Bold, italic, attributes and
their order are not part of the meaning.

Parsed with the standard library's html.parser; link references are resolved to the URLs they lead
to by Wagtail's own link handlers (`resolve_links`), one query per link type for a whole text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from html.parser import HTMLParser

from wagtail.rich_text import features

# Tags that end a run of text: what is on either side of them is not joined by a space.
BLOCK_TAGS = frozenset(
    {"p", "li", "ul", "ol", "div", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "hr"}
)


@dataclass(frozen=True)
class Link:
    target: str  # the href, or "page:3" for a link the editor stored as a reference
    text: str  # the words it covers


# Whitespace next to anything but a latin letter or digit (a Chinese character, punctuation)
# separates nothing: 倡导文明祭扫， 不在山林 says what 倡导文明祭扫，不在山林 says.
IDLE_SPACE = re.compile(r"(?<![A-Za-z0-9]) | (?![A-Za-z0-9])")


@dataclass(frozen=True)
class Meaning:
    """Equal when the texts say the same (`key`) with the same links; `text` is for reading."""

    text: str = field(compare=False)
    links: tuple[Link, ...] = ()
    key: str = ""

    def resolved(self, targets: dict[str, str]) -> Meaning:
        """The same meaning with each link reference replaced by the URL it leads to."""
        if not targets or not self.links:
            return self
        links = tuple(Link(targets.get(k.target, k.target), k.text) for k in self.links)
        return Meaning(self.text, links, self.key)


class _Reader(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.blocks: list[list[str]] = [[]]
        self.links: list[tuple[str, list[str]]] = []
        self.open_link: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag in BLOCK_TAGS:
            self.blocks.append([])
        elif tag == "br":
            self.handle_data(" ")
        elif tag == "a":
            self.open_link = []
            self.links.append((target_of(dict(attrs)), self.open_link))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag == "a":
            self.open_link = None

    def handle_endtag(self, tag):
        if tag in BLOCK_TAGS:
            self.blocks.append([])
        elif tag == "a":
            self.open_link = None

    def handle_data(self, data):
        self.blocks[-1].append(data)
        if self.open_link is not None:
            self.open_link.append(data)


def collapse(text: str) -> str:
    return " ".join(text.split())


def text_key(text: str) -> str:
    """What a collapsed text says: without the spaces that separate no two latin words."""
    return IDLE_SPACE.sub("", text)


def target_of(attrs: dict[str, str | None]) -> str:
    linktype = attrs.get("linktype")
    if linktype:
        return f"{linktype}:{attrs.get('id') or ''}"
    return (attrs.get("href") or "").strip()


def meaning_of(html: str) -> Meaning:
    reader = _Reader()
    reader.feed(html or "")
    reader.close()
    text = "".join(collapse("".join(block)) for block in reader.blocks)
    links: list[Link] = []
    for target, words in reader.links:
        words_text = text_key(collapse("".join(words)))
        if links and links[-1].target == target and not words_text:
            continue
        links.append(Link(target, words_text))
    return Meaning(text, tuple(links), text_key(text))


def resolve_links(meanings: Iterable[Meaning]) -> dict[str, str]:
    """The URL each link reference ("page:3", "document:5") in `meanings` leads to, through the
    rich-text features' link handlers (bulk: one query per link type). A reference whose target
    is gone keeps no URL and is compared as the reference itself."""
    wanted: dict[str, dict[str, dict]] = {}
    for meaning in meanings:
        for link in meaning.links:
            linktype, sep, ident = link.target.partition(":")
            if sep and linktype in features.get_link_types():
                wanted.setdefault(linktype, {})[link.target] = {"linktype": linktype, "id": ident}
    resolved: dict[str, str] = {}
    for linktype, refs in wanted.items():
        handler = features.get_link_types()[linktype]
        tags = handler.expand_db_attributes_many(list(refs.values()))
        for reference, tag in zip(refs, tags, strict=True):
            href = _href_in(tag)
            if href:
                resolved[reference] = href
    return resolved


def _href_in(tag: str) -> str:
    reader = _Reader()
    reader.feed(tag)
    reader.close()
    return reader.links[0][0] if reader.links else ""
