"""What describes a covenant's text: its StreamField blocks, and the outline derived from them
(chapters and articles with their numbers), which the page, the diff, search and the API read."""

from dataclasses import dataclass, field
from functools import cached_property

from wagtail import blocks

from community.numbering import article_label, chapter_label
from community.richtext import Meaning, meaning_of

ARTICLE_FEATURES = ["bold", "italic", "ol", "ul", "link"]
FINE_WORDS = ("罚款", "罚金")


class ChapterBlock(blocks.StructBlock):
    title = blocks.CharBlock(label="章名", help_text="例如：总则。编号（第一章）自动生成。")
    articles = blocks.ListBlock(
        blocks.RichTextBlock(features=ARTICLE_FEATURES, label="条文"),
        label="条",
        help_text="每一项为一条；编号（第一条……）按全文顺序自动生成。",
    )

    class Meta:
        icon = "folder-open-inverse"
        label = "章"


def body_blocks() -> list[tuple[str, blocks.Block]]:
    """The body's block types: chapters of articles, or articles outside any chapter."""
    return [
        ("chapter", ChapterBlock()),
        (
            "article",
            blocks.RichTextBlock(features=ARTICLE_FEATURES, label="条（不分章）", icon="doc-full"),
        ),
    ]


@dataclass
class Article:
    id: str
    number: int
    html: str  # the stored rich text (link references not yet expanded)
    chapter_id: str | None = None
    chapter_number: int | None = None
    chapter_title: str = ""

    @property
    def label(self) -> str:
        return article_label(self.number)

    @property
    def chapter_label(self) -> str:
        return chapter_label(self.chapter_number) if self.chapter_number else ""

    @cached_property
    def meaning(self) -> Meaning:
        """Its text and links, whatever the markup (community/richtext.py)."""
        return meaning_of(self.html)

    @property
    def text(self) -> str:
        return self.meaning.text

    @property
    def mentions_fine(self) -> bool:
        return any(word in self.text for word in FINE_WORDS)


@dataclass
class Chapter:
    id: str | None
    number: int | None
    title: str
    articles: list[Article] = field(default_factory=list)

    @property
    def label(self) -> str:
        return chapter_label(self.number) if self.number else ""


def outline_of(body) -> list[Chapter]:
    """Chapters with their articles, numbered in document order. Articles outside any chapter
    form a chapter without number or title."""
    chapters: list[Chapter] = []
    article_no = chapter_no = 0
    for block in body:
        if block.block_type == "chapter":
            chapter_no += 1
            chapter = Chapter(block.id, chapter_no, block.value["title"])
            chapters.append(chapter)
            children = [(child.id, child.value) for child in block.value["articles"].bound_blocks]
        else:
            if not chapters or chapters[-1].number is not None:
                chapters.append(Chapter(None, None, ""))
            chapter = chapters[-1]
            children = [(block.id, block.value)]
        for article_id, value in children:
            article_no += 1
            chapter.articles.append(
                Article(
                    article_id, article_no, value.source, chapter.id, chapter.number, chapter.title
                )
            )
    return chapters
