from django.db import models
from django.db.models import Count, Q
from django.db.models.functions import Substr
from django.utils import timezone
from wagtail.admin.panels import FieldPanel
from wagtail.api import APIField
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import Page

from cms.places import label_places
from cms.routing import DirectRouteMixin
from cms.search import search_page
from cms.visibility import hidden_q, reachable
from community.models import CommunityPage, ExperienceIndexPage, NoticePage, TownshipPage
from community.models.experience import experiences_for_listing
from community.models.notice import expired_q
from consultation.models import CommunityFormPage, ConsultationPage


class HomePage(DirectRouteMixin, RoutablePageMixin, Page):
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
    # Above this many communities the home page lists townships only (with their counts).
    lists_communities_up_to = 60

    api_fields = [APIField("intro"), APIField("civil_affairs_contact")]

    class Meta:
        verbose_name = "区门户首页"
        verbose_name_plural = "区门户首页"

    @path("search/", name="search")
    def search(self, request):
        return search_page(request, self)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        townships = list(TownshipPage.objects.child_of(self).live().order_by("path"))
        # Communities are the townships' children (their parent_page_types): filtering on depth
        # reads them through an index (home/migrations/0004) instead of scanning the district.
        communities = CommunityPage.objects.descendant_of(self).filter(depth=self.depth + 2).live()
        if sum(t.numchild for t in townships) > self.lists_communities_up_to:
            # A district of hundreds: each township links to its own list, so the page stays
            # small on a slow phone and its cost does not grow with the district (one query).
            counts = dict(
                communities.order_by()
                .annotate(parent=Substr("path", 1, 3 * Page.steplen))
                .values_list("parent")
                .annotate(n=Count("pk"))
                .values_list("parent", "n")
            )
            context["townships"] = [(t, None, counts.get(t.path, 0)) for t in townships]
        else:
            by_parent: dict[str, list] = {t.path: [] for t in townships}
            listed = communities.order_by("path").only(
                "title",
                "url_path",
                "path",
                "depth",
                "kind",
                "households",  # the list's columns
            )
            for community in listed:
                by_parent.get(community.path[: -community.steplen], []).append(community)
            context["townships"] = [(t, by_parent[t.path], None) for t in townships]
        latest = self.latest(limit=5)
        label_places([page for pages in latest.values() for page in pages], root=self)
        context.update(latest)
        context["experience_index"] = ExperienceIndexPage.objects.child_of(self).live().first()
        return context

    def latest(self, limit: int) -> dict:
        """What is happening now, district-wide: one query per list, whatever the district's size
        (lists, so that the caller can name each item's community on all of them at once)."""
        now, today = timezone.now(), timezone.localdate()
        hidden = hidden_q()
        fields = ("title", "url_path", "path")
        return {
            "latest_notices": list(
                reachable(NoticePage.objects, hidden)
                .exclude(expired_q(today))
                .filter(display_from__lte=today)
                .only(*fields, "category", "display_from")
                .order_by("-display_from", "-pk")[:limit]
            ),
            "open_consultations": list(
                reachable(ConsultationPage.objects.without_record(), hidden)
                .only(*fields, "starts_at")
                .order_by("-first_published_at")[:limit]
            ),
            "open_forms": list(
                reachable(CommunityFormPage.objects, hidden)
                .filter(Q(opens_at__isnull=True) | Q(opens_at__lte=now))
                .filter(Q(closes_at__isnull=True) | Q(closes_at__gt=now))
                .only(*fields, "closes_at")
                .order_by("-first_published_at")[:limit]
            ),
            "featured_experiences": list(
                experiences_for_listing(hidden).filter(featured=True).only(*fields, "summary")[:3]
            ),
        }
