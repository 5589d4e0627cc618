"""CovenantPage: a 村规民约, 居民公约 or 自治章程, its text as chapters (章) of articles (条).

What describes the text (its blocks, articles and numbering) is in community.models.outline; what
keeps the live text to a completed procedure (CovenantRevision) is in community.models.guard.
"""

import datetime
import hashlib
import json
from functools import cached_property

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import models
from django.http import Http404
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from wagtail.admin.panels import FieldPanel
from wagtail.api import APIField
from wagtail.contrib.routable_page.models import path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page, Revision
from wagtail.rich_text import expand_db_html

from cms.cache import generation
from cms.ngrams import ngrams, plain
from cms.printable import PrintableMixin
from cms.searchable import ChineseSearchable
from community import diff as clause_diff
from community.models.guard import (
    PUBLISH_REFUSED,
    CovenantPermissionTester,
    CovenantPublishRefused,
    is_pinned,
    publishing_adopted_revision,
    refuse_unauthorised_publish,
)
from community.models.opinion import CommentWindow
from community.models.outline import (
    ARTICLE_FEATURES,
    FINE_WORDS,
    Article,
    Chapter,
    ChapterBlock,
    body_blocks,
    outline_of,
)
from community.models.revision import (
    CovenantRevision,
    CovenantRevisionQuerySet,
    VersionStanding,
)
from community.richtext import collapse, meaning_of, resolve_links, text_key

# Imported from here before the split; kept so those imports keep working.
__all__ = [
    "ARTICLE_FEATURES",
    "FINE_WORDS",
    "PUBLISH_REFUSED",
    "Article",
    "Chapter",
    "ChapterBlock",
    "CovenantPage",
    "CovenantPermissionTester",
    "CovenantPublishRefused",
    "is_pinned",
    "outline_of",
    "publishing_adopted_revision",
]


def diff_articles(old: list[Article], new: list[Article]) -> clause_diff.CovenantDiff:
    """The clause-level diff of two texts' articles, their link references resolved to the URLs
    they lead to (no query when the texts hold none)."""
    targets = resolve_links(article.meaning for article in (*old, *new))
    return clause_diff.diff_covenants(old, new, targets)


def same_text(a: "CovenantPage", b: "CovenantPage") -> bool:
    """Whether two texts say the same: the same preamble, chapters (titles) and articles, by text
    and links (community/richtext.py), whatever the markup and the block ids."""
    meanings = [text.meaning() for text in (a, b)]
    targets = resolve_links(
        m for preamble, chapters in meanings for m in (preamble, *_article_meanings(chapters))
    )
    resolved = [
        (
            preamble.resolved(targets),
            [(title, [m.resolved(targets) for m in articles]) for title, articles in chapters],
        )
        for preamble, chapters in meanings
    ]
    return resolved[0] == resolved[1]


def _article_meanings(chapters):
    return (m for _title, articles in chapters for m in articles)


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
        body_blocks(),
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
        APIField("upcoming_version"),
    ]

    @property
    def numbered_text(self) -> list[dict]:
        """The text in force as the API serves it: chapters and articles with their derived
        numbers (before a new version's 施行日期, the earlier version's voted text)."""
        return self.text_in_force._numbered()

    def _numbered(self) -> list[dict]:
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

    @staticmethod
    def _version_facts(version: CovenantRevision | None) -> dict | None:
        if version is None:
            return None
        return {
            "id": version.pk,
            "label": version.version_label,
            "published_on": version.published_on,
            "effective_on": version.effective_on,
            "filing_number": version.filing_number,
            "legal_basis": [p.as_dict() for p in version.legal_basis],
        }

    @property
    def current_version(self) -> dict | None:
        """The version in force today (API)."""
        return self._version_facts(self.standing.in_force)

    @property
    def upcoming_version(self) -> dict | None:
        """The version 公布 but not yet in force that comes into force first, if any (API)."""
        return self._version_facts(self.standing.next)

    def search_units(self):
        """The text in force, as the page shows it: the preamble, then each article on its own,
        so a hit links to its anchor (#第十二条)."""
        return self._units_of(self.text_in_force)

    def _units_of(self, text: "CovenantPage"):
        chapters = " ".join(f"{c.label} {c.title}" for c in text.outline() if c.title)
        yield ("", self.title, self.search_kind, f"{plain(text.preamble)} {chapters}".strip())
        for article in text.articles():
            title = f"{self.title} {article.label}"
            yield (f"#{article.label}", title, "公约条文", plain(article.html))

    @property
    def search_ngrams(self) -> str:
        """The index holds the live text and, while a new version awaits its 施行日期, the text
        in force too: the index is rebuilt when a version is published, not on the day it comes
        into force, and the hits (search_units) are read from the text in force that day."""
        texts = [self] if self.text_in_force is self else [self, self.text_in_force]
        units = [unit for text in texts for unit in self._units_of(text)]
        return ngrams(" ".join(f"{title} {text}" for _, title, _, text in units))

    def outline(self) -> list[Chapter]:
        return outline_of(self.body)

    def articles(self) -> list[Article]:
        return [article for chapter in self.outline() for article in chapter.articles]

    def meaning(self):
        """What the text says, for `same_text`: the preamble's meaning, then each chapter's
        title (collapsed; "" for articles outside chapters) with its articles' meanings."""
        return (
            meaning_of(self.preamble),
            [
                (text_key(collapse(chapter.title)), [a.meaning for a in chapter.articles])
                for chapter in self.outline()
            ],
        )

    def versions(self) -> CovenantRevisionQuerySet:
        """Adopted versions, newest publication first: the live one first, in force or not yet
        (see standing)."""
        return CovenantRevision.objects.filter(covenant=self).versions()

    def in_force(self, on: datetime.date | None = None) -> CovenantRevision | None:
        """The version in force on `on` (today by default)."""
        return CovenantRevision.objects.filter(covenant=self).in_force(on)

    def standing_on(self, day: datetime.date) -> VersionStanding:
        """Every version, where each stands on `day`, in one query."""
        return VersionStanding(list(self.versions()), day)

    @cached_property
    def standing(self) -> VersionStanding:
        """Where the versions stand today; worked out once per page object (one request)."""
        return self.standing_on(timezone.localdate())

    @cached_property
    def text_in_force(self) -> "CovenantPage":
        """The text to show as the covenant: the voted text of the version in force. The live
        text is the newest version's; until its 施行日期 the one in force is an earlier version's,
        read from its voted revision (one query). With no version in force yet, the live text
        (shown as not yet in force)."""
        in_force = self.standing.in_force
        if in_force is None or in_force.voted_revision_id == self.live_revision_id:
            return self
        (text,) = self.texts_of(in_force)
        return text

    def texts_of(self, *versions) -> list["CovenantPage"]:
        """The texts (title, preamble, body) the versions' voted revisions hold, as unsaved pages,
        in one query: `Revision.as_object()` would load the page and check each of its foreign
        keys, once per revision."""
        contents = dict(
            Revision.objects.filter(pk__in=[v.voted_revision_id for v in versions]).values_list(
                "pk", "content"
            )
        )
        return [CovenantPage.text_from(contents[v.voted_revision_id], self.kind) for v in versions]

    @staticmethod
    def text_from(content: dict, kind: str | None = None) -> "CovenantPage":
        """The text (title, preamble, body) a saved revision's content holds, as an unsaved page,
        without the queries of `Revision.as_object()`."""
        return CovenantPage(
            title=content.get("title", ""),
            kind=content.get("kind", kind or CovenantPage.Kind.VILLAGE_COVENANT),
            preamble=content.get("preamble", ""),
            body=content.get("body", "[]"),
        )

    def text_cache_key(self) -> str:
        """Names the rendered text (table of contents and articles) by its content, so the
        template's fragment cache never needs invalidating; text with links to other pages also
        names the page cache's generation, as their URLs may change."""
        raw = json.dumps(list(self.body.raw_data), sort_keys=True, default=str)
        key = hashlib.md5(raw.encode(), usedforsecurity=False).hexdigest()
        return f"{key}:{generation()}" if "linktype=" in raw else key

    def diff_between(self, old, new):
        """The clause-level diff of two versions, kept in the cache under the two texts' content
        (voted texts never change; a diff of 150 articles costs tens of milliseconds) and the
        diff's format ("2": compared by meaning, community/richtext.py)."""
        old_text, new_text = self.texts_of(old, new)
        raw = json.dumps([old_text.body.raw_data, new_text.body.raw_data], default=list)
        key = "covenant-diff:2:" + hashlib.md5(raw.encode(), usedforsecurity=False).hexdigest()
        if "linktype=" in raw:  # link references are compared by the URLs they lead to now
            key += f":{generation()}"
        diff = cache.get(key)
        if diff is None:
            diff = diff_articles(old_text.articles(), new_text.articles())
            cache.set(key, diff, 60 * 60 * 24)
        return diff

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        standing = self.standing
        context["standing"] = standing
        context["current_version"] = standing.in_force
        context["upcoming"] = standing.upcoming
        # the version whose text is shown: the one in force, else the one yet to come into force
        context["shown_version"] = standing.in_force or standing.latest
        context["version_count"] = len(standing.versions)
        # the text in force, read (an earlier version's voted text: one query) only by the page
        # that shows it; a preview shows the draft being previewed
        preview = getattr(request, "is_preview", False)

        def text():
            return self if preview else self.text_in_force

        context["text"] = SimpleLazyObject(text)
        # the outline is built only when the rendered text is not in the fragment cache
        context["outline"] = SimpleLazyObject(lambda: text().outline())
        context["text_key"] = SimpleLazyObject(lambda: text().text_cache_key())
        # the draft open for comment, if any: one query, asked only by a template that shows it
        context["comment_window"] = SimpleLazyObject(self.comment_window)
        context["today"] = timezone.localdate()
        return context

    def comment_window(self, *, with_draft: bool = False) -> CommentWindow | None:
        """The comment window of the newest revision that has one, or None; `with_draft` loads its
        draft and revision with it (the draft page, community/opinion_pages.py)."""
        windows = CommentWindow.objects.filter(revision__covenant_id=self.pk)
        if with_draft:
            windows = windows.select_related("draft", "revision")
        return windows.order_by("-revision__created_at", "-pk").first()

    @path("versions/")
    def versions_view(self, request):
        context = self.get_context(request)
        return TemplateResponse(
            request,
            "community/covenant_versions.html",
            {**context, "versions": context["standing"].versions},
        )

    @path("versions/<int:version_id>/")
    def version_view(self, request, version_id: int):
        context = self.get_context(request)
        version = next((v for v in context["standing"].versions if v.pk == version_id), None)
        if version is None:
            raise Http404("没有这个版本")
        (text,) = self.texts_of(version)
        return TemplateResponse(
            request,
            "community/covenant_version.html",
            {
                **context,
                "version": version,
                "version_outline": text.outline(),
                "version_preamble": text.preamble,
            },
        )

    @path("versions/diff/")
    def diff_view(self, request):
        context = self.get_context(request)
        versions = context["standing"].versions
        by_id = {str(v.pk): v for v in versions}
        context["versions"] = versions
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

    # The draft open for comment (草案征求意见): the views are in community/opinion_pages.py, which
    # imports the models this one is part of, so each route imports it when called.

    @path("draft/", name="draft")
    def draft_view(self, request):
        # opinion_pages imports the models this one is part of: imported once they are loaded
        from community.opinion_pages import draft_page

        return draft_page(self, request)

    @path("draft/opinion/", name="draft_opinion")
    def draft_opinion_view(self, request):
        # opinion_pages imports the models this one is part of: imported once they are loaded
        from community.opinion_pages import opinion_page

        return opinion_page(self, request)

    @path("draft/report/", name="draft_report")
    def draft_report_view(self, request):
        """意见采纳情况说明: every published opinion, article by article, and its answer."""
        # opinion_pages imports the models this one is part of: imported once they are loaded
        from community.opinion_pages import report_page

        return report_page(self, request)

    @path("draft/report/print/", name="draft_report_print")
    def draft_report_print_view(self, request):
        # opinion_pages imports the models this one is part of: imported once they are loaded
        from community.opinion_pages import report_page

        return report_page(self, request, printing=True)

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
        refuse_unauthorised_publish(self, kwargs.get("update_fields"))
        return super().save(*args, **kwargs)
