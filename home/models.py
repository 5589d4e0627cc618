from django.db import models
from wagtail.admin.panels import FieldPanel
from wagtail.api import APIField
from wagtail.fields import RichTextField
from wagtail.models import Page


class HomePage(Page):
    """The district portal and site root: lists its townships and their communities."""

    intro = RichTextField("简介", blank=True, features=["bold", "italic", "link", "ol", "ul"])
    civil_affairs_contact = models.CharField("区民政部门联系方式", max_length=200, blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        FieldPanel("civil_affairs_contact"),
    ]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["community.TownshipPage", "community.ExperienceIndexPage"]
    max_count = 1

    api_fields = [APIField("intro"), APIField("civil_affairs_contact")]

    class Meta:
        verbose_name = "区门户首页"
        verbose_name_plural = "区门户首页"

    def get_context(self, request, *args, **kwargs):
        from community.models import CommunityPage, TownshipPage

        context = super().get_context(request, *args, **kwargs)
        townships = list(TownshipPage.objects.child_of(self).live().order_by("path"))
        communities = (
            CommunityPage.objects.descendant_of(self)
            .live()
            .order_by("path")
            .only("title", "url_path", "path", "depth", "kind", "households")  # the list's columns
        )
        by_parent: dict[str, list] = {t.path: [] for t in townships}
        for community in communities:
            by_parent.get(community.path[: -community.steplen], []).append(community)
        context["townships"] = [(t, by_parent[t.path]) for t in townships]
        return context
