"""示范社区经验做法: a community's experience pages, and the district-wide index that spreads them."""

from django import forms
from django.conf import settings
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db import models
from django.db.models import Exists, OuterRef
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from simple_history.models import HistoricalRecords
from taggit.models import TaggedItemBase
from wagtail import blocks
from wagtail.admin.panels import FieldPanel
from wagtail.api import APIField
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from cms.history import ActorSnapshot
from cms.places import label_places
from cms.searchable import ChineseSearchable
from cms.visibility import reachable
from community.blocks import APIImageBlock, HTMLRichTextBlock, image_data
from community.models.tree import TownshipPage

BODY_FEATURES = ["h3", "h4", "bold", "italic", "link", "ol", "ul"]

# The controlled list of practice themes (seeded by migration; the district may add more).
THEMES = [
    ("yishi-xieshang", "议事协商"),
    ("jifen-zhi", "积分制"),
    ("hongbai-lishihui", "红白理事会"),
    ("wangge-zhili", "网格治理"),
    ("zhiyuan-fuwu", "志愿服务"),
    ("shilaohua", "适老化"),
]


class ExperienceTheme(models.Model):
    """One theme of the controlled list (议事协商, 积分制, …) that experiences are filed under."""

    name = models.CharField("名称", max_length=20, unique=True)
    slug = models.SlugField("网址标识", max_length=40, unique=True)
    sort_order = models.PositiveSmallIntegerField("排序", default=0)

    class Meta:
        ordering = ["sort_order", "pk"]
        verbose_name = "经验主题"
        verbose_name_plural = "经验主题"

    def __str__(self) -> str:
        return self.name


class ExperiencePageTag(TaggedItemBase):
    content_object = ParentalKey(
        "community.ExperiencePage", on_delete=models.CASCADE, related_name="tagged_items"
    )


class ExperienceBody(blocks.StreamBlock):
    paragraph = HTMLRichTextBlock(features=BODY_FEATURES, label="正文")
    image = APIImageBlock(label="图片")


class ExperiencePage(ChineseSearchable, Page):
    """经验做法: what a community did, how, and what came of it, told for other communities to copy."""

    summary = models.TextField(
        "摘要", max_length=300, help_text="一两句话说明做法和成效，列表中显示。"
    )
    cover = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name="封面图片",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    body = StreamField(ExperienceBody(), verbose_name="正文", blank=True)
    themes = ParentalManyToManyField(
        ExperienceTheme, verbose_name="主题", blank=True, related_name="experiences"
    )
    tags = ClusterTaggableManager(
        "其他标签",
        through=ExperiencePageTag,
        blank=True,
        help_text="主题之外的关键词，用逗号分隔。",
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("cover"),
        FieldPanel("themes", widget=forms.CheckboxSelectMultiple),
        FieldPanel("tags"),
        FieldPanel("body"),
    ]

    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("body"),
        *ChineseSearchable.chinese_search_fields,
    ]
    search_kind = "经验做法"

    api_fields = [
        APIField("summary"),
        APIField("cover_image"),
        APIField("body"),
        APIField("theme_names"),
        APIField("tag_names"),
        APIField("is_featured"),
    ]

    parent_page_types = ["community.CommunityPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = "经验做法"
        verbose_name_plural = "经验做法"

    def search_text(self) -> str:
        paragraphs = [b.value.source for b in self.body if b.block_type == "paragraph"]
        labels = [t.name for t in self.themes.all()] + [t.name for t in self.tags.all()]
        return " ".join([self.summary, *paragraphs, *labels])

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        index = ExperienceIndexPage.objects.live().public().first()
        context["experience_index_url"] = index.url if index else ""
        return context

    @property
    def cover_image(self) -> dict | None:
        return image_data(self.cover)

    @property
    def theme_names(self) -> list[str]:
        return [theme.name for theme in self.themes.all()]

    @property
    def tag_names(self) -> list[str]:
        return [tag.name for tag in self.tags.all()]

    @property
    def is_featured(self) -> bool:
        return ExperienceFeature.objects.filter(page_id=self.pk).exists()


class ExperienceFeature(models.Model):
    """District staff marked this experience 示范 (featured). Kept apart from the page so a
    committee's later edit or publish never un-features it; history records who featured it."""

    page = models.OneToOneField(
        ExperiencePage, on_delete=models.CASCADE, related_name="feature", verbose_name="经验做法"
    )
    featured_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name="设为示范的人",
    )
    community = models.ForeignKey(
        "community.CommunityPage",
        on_delete=models.CASCADE,
        related_name="+",
        editable=False,
        null=True,
        verbose_name="村/社区",
    )
    featured_at = models.DateTimeField("设为示范时间", auto_now_add=True)
    reason = models.CharField("推荐理由", max_length=200, blank=True)

    history = HistoricalRecords(verbose_name="示范经验历史", bases=[ActorSnapshot])

    class Meta:
        verbose_name = "示范经验"
        verbose_name_plural = "示范经验"
        permissions = [("feature_experience", "可以设为示范经验")]

    def __str__(self) -> str:
        return f"示范：{self.page.title}"

    def save(self, *args, **kwargs):
        if self.community_id is None:  # the scope the review desk checks roles on
            self.community_id = self.page.get_parent().pk
        super().save(*args, **kwargs)


def experiences_for_listing(hidden=None):
    """Live, public experiences, featured first, then newest; annotated for the list template."""

    return (
        reachable(ExperiencePage.objects, hidden)
        .annotate(featured=Exists(ExperienceFeature.objects.filter(page_id=OuterRef("pk"))))
        .order_by("-featured", "-first_published_at", "-pk")
    )


class ExperienceIndexPage(Page):
    """示范经验: every community's experiences in one list, filtered by township and theme."""

    intro = RichTextField("说明", blank=True, features=["bold", "italic", "link", "ol", "ul"])
    per_page = 12

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    api_fields = [APIField("intro")]

    parent_page_types = ["home.HomePage"]
    subpage_types: list[str] = []
    max_count = 1

    class Meta:
        verbose_name = "示范经验栏目"
        verbose_name_plural = "示范经验栏目"

    def get_context(self, request, *args, **kwargs):

        context = super().get_context(request, *args, **kwargs)
        experiences = experiences_for_listing()
        townships = list(TownshipPage.objects.live().public().order_by("path"))
        township = next((t for t in townships if t.slug == request.GET.get("township")), None)
        if township:
            experiences = experiences.descendant_of(township)
        themes = list(ExperienceTheme.objects.all())
        theme = next((t for t in themes if t.slug == request.GET.get("theme")), None)
        if theme:
            experiences = experiences.filter(themes=theme)
        tag = request.GET.get("tag", "").strip()[:50]
        if tag:
            experiences = experiences.filter(tags__name=tag)
        paginator = Paginator(experiences.distinct(), self.per_page)
        try:
            page_obj = paginator.page(request.GET.get("page", 1))
        except PageNotAnInteger:
            page_obj = paginator.page(1)
        except EmptyPage:
            page_obj = paginator.page(paginator.num_pages)
        context.update(
            townships=townships,
            themes=themes,
            selected_township=township,
            selected_theme=theme,
            selected_tag=tag,
            page_obj=page_obj,
            # Every community's experiences: each names its community (and its township unless
            # the list is one township's), for the page in one query.
            experiences=label_places(page_obj.object_list, root=township),
        )
        return context
