"""CovenantPage: a 村规民约, 居民公约 or 自治章程, its text as chapters (章) of articles (条).

The live text changes only through a completed procedure (CovenantRevision): whatever path tries
to publish a covenant (the editor's button, a schedule, `revision.publish()`, the API) is refused
unless `publishing_adopted_revision()` authorised exactly that revision.
"""

import contextlib
import hashlib
import html
import json
from contextvars import ContextVar
from dataclasses import dataclass, field

from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.http import Http404
from django.template.response import TemplateResponse
from django.utils.functional import SimpleLazyObject
from django.utils.html import strip_tags
from wagtail import blocks
from wagtail.admin.panels import FieldPanel
from wagtail.api import APIField
from wagtail.contrib.routable_page.models import path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page, PagePermissionTester

from cms.ngrams import plain
from cms.printable import PrintableMixin
from cms.searchable import ChineseSearchable
from community.numbering import article_label, chapter_label

ARTICLE_FEATURES = ["bold", "italic", "ol", "ul", "link"]
FINE_WORDS = ("罚款", "罚金")

_authorised_revision: ContextVar[int | None] = ContextVar(
    "authorised_covenant_revision", default=None
)


class CovenantPublishRefused(PermissionDenied):
    pass


PUBLISH_REFUSED = (
    "村规民约、居民公约只能按法定程序公布：请在“公约修订”中完成征集民意、拟定草案、提请审核、审议表决和备案，"
    "由“公布”一步发布表决通过的文本。"
)


@contextlib.contextmanager
def publishing_adopted_revision(revision_id: int):
    """Authorise publishing this one Wagtail revision (the voted one) while the block runs."""
    token = _authorised_revision.set(revision_id)
    try:
        yield
    finally:
        _authorised_revision.reset(token)


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

    @property
    def text(self) -> str:
        return html.unescape(strip_tags(self.html)).strip()

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


def is_pinned(revision_id: int) -> bool:
    """Whether a covenant procedure points at this Wagtail revision (submitted, reviewed, voted)."""
    from community.models.revision import CovenantRevision

    return CovenantRevision.objects.filter(
        models.Q(draft_revision=revision_id)
        | models.Q(reviewed_revision=revision_id)
        | models.Q(voted_revision=revision_id)
    ).exists()


def _stream_json(value) -> str:
    field = CovenantPage._meta.get_field("body")
    return json.dumps(field.get_prep_value(field.to_python(value)), sort_keys=True, default=str)


class CovenantPermissionTester(PagePermissionTester):
    """Nobody publishes a covenant from the editor; unpublishing is left to site administrators;
    nobody deletes a covenant whose procedure is on record."""

    def can_publish(self) -> bool:
        return False

    def can_unpublish(self) -> bool:
        return self.user.is_active and self.user.is_superuser and super().can_unpublish()

    def can_delete(self, ignore_bulk=False) -> bool:
        """A covenant with a procedure on record is kept: its history is never deleted."""
        return not self.page.procedure_revisions.exists() and super().can_delete(ignore_bulk)


class CovenantPage(ChineseSearchable, PrintableMixin, Page):
    class Kind(models.TextChoices):
        VILLAGE_COVENANT = "village_covenant", "村规民约"
        RESIDENT_CONVENTION = "resident_convention", "居民公约"
        CHARTER = "charter", "自治章程"

    kind = models.CharField(
        "类型", max_length=30, choices=Kind.choices, default=Kind.VILLAGE_COVENANT
    )
    preamble = RichTextField("序言", blank=True, features=ARTICLE_FEATURES)
    body = StreamField(
        [
            ("chapter", ChapterBlock()),
            (
                "article",
                blocks.RichTextBlock(
                    features=ARTICLE_FEATURES, label="条（不分章）", icon="doc-full"
                ),
            ),
        ],
        verbose_name="正文",
        blank=True,
        help_text="按章添加条文；不分章的公约直接添加“条”。章、条的编号自动生成。",
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("kind"),
        FieldPanel("preamble"),
        FieldPanel("body"),
    ]
    settings_panels = [panel for panel in Page.settings_panels if "go_live" not in repr(panel)]

    parent_page_types = ["community.CommunityPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = "村规民约/居民公约"
        verbose_name_plural = "村规民约/居民公约"

    search_kind = "公约"
    search_fields = [*Page.search_fields, *ChineseSearchable.chinese_search_fields]

    api_fields = [
        APIField("kind"),
        APIField("preamble"),
        APIField("numbered_text"),
        APIField("current_version"),
    ]

    @property
    def numbered_text(self) -> list[dict]:
        """The text as the API serves it: chapters and articles with their derived numbers."""
        from wagtail.rich_text import expand_db_html

        return [
            {
                "id": chapter.id,
                "number": chapter.number,
                "label": chapter.label,
                "title": chapter.title,
                "articles": [
                    {
                        "id": a.id,
                        "number": a.number,
                        "label": a.label,
                        "html": expand_db_html(a.html),
                    }
                    for a in chapter.articles
                ],
            }
            for chapter in self.outline()
        ]

    @property
    def current_version(self) -> dict | None:
        version = self.versions().first()
        if version is None:
            return None
        return {
            "id": version.pk,
            "label": version.version_label,
            "published_on": version.published_on,
            "effective_on": version.effective_on,
            "filing_number": version.filing_number,
        }

    def search_units(self):
        """The preamble, then each article on its own: a hit links to its anchor (#第十二条)."""
        yield ("", self.title, self.search_kind, plain(self.preamble))
        for article in self.articles():
            title = f"{self.title} {article.label}"
            yield (f"#{article.label}", title, "公约条文", plain(article.html))

    def outline(self) -> list[Chapter]:
        return outline_of(self.body)

    def articles(self) -> list[Article]:
        return [article for chapter in self.outline() for article in chapter.articles]

    def versions(self):
        """Adopted versions, newest first: each a published CovenantRevision and its voted text."""
        from community.models.revision import CovenantRevision

        # Not the voted revisions themselves: each holds a whole text, and listings need none.
        return (
            CovenantRevision.objects.adopted()
            .filter(covenant=self)
            .order_by("-published_on", "-pk")
        )

    def texts_of(self, *versions) -> list["CovenantPage"]:
        """The texts (title, preamble, body) the versions' voted revisions hold, as unsaved pages,
        in one query: `Revision.as_object()` would load the page and check each of its foreign
        keys, once per revision."""
        from wagtail.models import Revision

        contents = dict(
            Revision.objects.filter(pk__in=[v.voted_revision_id for v in versions]).values_list(
                "pk", "content"
            )
        )
        return [
            CovenantPage(
                title=content.get("title", ""),
                kind=content.get("kind", self.kind),
                preamble=content.get("preamble", ""),
                body=content.get("body", "[]"),
            )
            for content in (contents[v.voted_revision_id] for v in versions)
        ]

    def text_cache_key(self) -> str:
        """Names the rendered text (table of contents and articles) by its content, so the
        template's fragment cache never needs invalidating; text with links to other pages also
        names the page cache's generation, as their URLs may change."""
        from cms.cache import generation

        raw = json.dumps(list(self.body.raw_data), sort_keys=True, default=str)
        key = hashlib.md5(raw.encode(), usedforsecurity=False).hexdigest()
        return f"{key}:{generation()}" if "linktype=" in raw else key

    def diff_between(self, old, new):
        """The clause-level diff of two versions, kept in the cache under the two texts' content
        (voted texts never change; a diff of 150 articles costs tens of milliseconds)."""
        from community.diff import diff_covenants

        old_text, new_text = self.texts_of(old, new)
        key = (
            "covenant-diff:"
            + hashlib.md5(
                json.dumps([old_text.body.raw_data, new_text.body.raw_data], default=list).encode(),
                usedforsecurity=False,
            ).hexdigest()
        )
        diff = cache.get(key)
        if diff is None:
            diff = diff_covenants(old_text.articles(), new_text.articles())
            cache.set(key, diff, 60 * 60 * 24)
        return diff

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        versions = list(self.versions())
        context["current_version"] = versions[0] if versions else None
        context["version_count"] = len(versions)
        context["outline"] = SimpleLazyObject(self.outline)  # built only when not cached
        context["text_key"] = self.text_cache_key()
        return context

    @path("versions/")
    def versions_view(self, request):
        versions = list(self.versions())
        return TemplateResponse(
            request,
            "community/covenant_versions.html",
            {**self.get_context(request), "versions": versions},
        )

    @path("versions/<int:version_id>/")
    def version_view(self, request, version_id: int):
        version = self.versions().filter(pk=version_id).first()
        if version is None:
            raise Http404("没有这个版本")
        (text,) = self.texts_of(version)
        return TemplateResponse(
            request,
            "community/covenant_version.html",
            {
                **self.get_context(request),
                "version": version,
                "version_outline": text.outline(),
                "version_preamble": text.preamble,
            },
        )

    @path("versions/diff/")
    def diff_view(self, request):
        versions = list(self.versions())
        by_id = {str(v.pk): v for v in versions}
        context = {**self.get_context(request), "versions": versions}
        if len(versions) < 2:
            context["error"] = "这份公约只有一个版本，没有可比较的修订。"
            return TemplateResponse(request, "community/covenant_diff.html", context)
        default_from, default_to = str(versions[1].pk), str(versions[0].pk)
        chosen_from = request.GET.get("from", default_from)
        chosen_to = request.GET.get("to", default_to)
        if chosen_from not in by_id or chosen_to not in by_id:
            context["error"] = "请从列表中选择两个版本进行比较。"
            return TemplateResponse(request, "community/covenant_diff.html", context, status=400)
        old, new = by_id[chosen_from], by_id[chosen_to]
        diff = self.diff_between(old, new)
        context.update({"old": old, "new": new, "diff": diff})
        return TemplateResponse(request, "community/covenant_diff.html", context)

    def permissions_for_user(self, user):
        return CovenantPermissionTester(user, self)

    @property
    def has_workflow(self) -> bool:
        """No moderation workflow: a covenant's review is the statutory procedure, and a workflow's
        approval would try to publish it."""
        return False

    def get_workflow(self):
        return None

    def save_revision(self, *args, overwrite_revision=None, **kwargs):
        """The editor's autosave overwrites its latest revision in place; a revision the procedure
        has pinned (submitted, reviewed or voted) is never overwritten: a new draft is made."""
        if overwrite_revision is not None and is_pinned(overwrite_revision.pk):
            overwrite_revision = None
        return super().save_revision(*args, overwrite_revision=overwrite_revision, **kwargs)

    def clean(self) -> None:
        super().clean()
        if self.go_live_at or self.expire_at:
            raise ValidationError("公约只能经法定程序公布，不能定时发布或定时下线。")

    def save(self, *args, **kwargs):
        self._refuse_unauthorised_publish(kwargs.get("update_fields"))
        return super().save(*args, **kwargs)

    def _refuse_unauthorised_publish(self, update_fields) -> None:
        authorised = _authorised_revision.get()
        if self.pk is None:
            if authorised is None:
                self.live = False  # a new covenant is a draft until its procedure completes
            return
        if authorised is not None and authorised == self.live_revision_id:
            return
        guarded = {"live", "live_revision", "body", "preamble", "title", "kind"}
        if update_fields is not None and not guarded & {
            f.removesuffix("_id") for f in update_fields
        }:
            return
        stored = (
            CovenantPage.objects.filter(pk=self.pk)
            .values("live", "live_revision_id", "body", "preamble", "title", "kind")
            .first()
        )
        if stored is None:
            return
        going_live = self.live and not stored["live"]
        new_live_revision = self.live and self.live_revision_id not in (
            None,
            stored["live_revision_id"],
        )
        live_text_changed = stored["live"] and (
            self.preamble != stored["preamble"]
            or self.title != stored["title"]
            or self.kind != stored["kind"]
            or _stream_json(self.body) != _stream_json(stored["body"])
        )
        if going_live or new_live_revision or live_text_changed:
            raise CovenantPublishRefused(PUBLISH_REFUSED)
