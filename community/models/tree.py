"""The district tree below the HomePage: townships, their communities, and community sections."""

from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import Page, PageManager, PageQuerySet

from cms.places import Place
from cms.search import search_page
from community.permissions import policy_for

INTRO_FEATURES = ["bold", "italic", "link", "ol", "ul"]

phone_validator = RegexValidator(
    r"^[0-9()（）+\-\s]{7,20}$",
    message="请填写有效的电话号码，例如 0571-8888 1234 或 13812341234。",
    code="invalid_phone",
)


class TownshipPage(Place, Page):
    """A township (乡/镇) or urban sub-district (街道): reviews and receives its communities' filings."""

    class Kind(models.TextChoices):
        TOWN = "town", "镇"
        TOWNSHIP = "township", "乡"
        SUBDISTRICT = "subdistrict", "街道"

    kind = models.CharField("类型", max_length=20, choices=Kind.choices, default=Kind.TOWN)
    intro = RichTextField("简介", blank=True, features=INTRO_FEATURES)
    office_address = models.CharField("办公地址", max_length=200, blank=True)
    contact_phone = models.CharField(
        "联系电话", max_length=40, blank=True, validators=[phone_validator]
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("kind"),
        FieldPanel("intro"),
        FieldRowPanel([FieldPanel("office_address"), FieldPanel("contact_phone")]),
    ]

    parent_page_types = ["home.HomePage"]
    subpage_types = ["community.CommunityPage"]

    api_fields = [
        APIField("kind"),
        APIField("intro"),
        APIField("office_address"),
        APIField("contact_phone"),
    ]

    class Meta:
        verbose_name = "乡镇/街道"
        verbose_name_plural = "乡镇/街道"

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["communities"] = CommunityPage.objects.child_of(self).live().order_by("path")
        return context


class CommunityPageQuerySet(PageQuerySet):
    def for_user(self, user) -> "CommunityPageQuerySet":
        """The communities whose pages and records `user` may work with or read in the admin."""
        scope = policy_for(user).community_q()
        return self if scope is None else self.filter(scope)


class CommunityPage(Place, RoutablePageMixin, Page):
    """A village (村) or urban community (社区): the space its committee governs in the open."""

    class Kind(models.TextChoices):
        VILLAGE = "village", "村"
        URBAN = "urban", "社区"

    kind = models.CharField("类型", max_length=20, choices=Kind.choices, default=Kind.VILLAGE)
    intro = RichTextField("简介", blank=True, features=INTRO_FEATURES)
    # The register's numbers (community.models.register), kept equal to it for the page's readers
    # (API, public page); edited only in the register, never in the page editor.
    households = models.PositiveIntegerField("户数", default=0, help_text="按登记册。")
    adult_residents = models.PositiveIntegerField(
        "18周岁以上村(居)民人数", default=0, help_text="按登记册。"
    )
    representatives = models.PositiveIntegerField(
        "村(居)民代表人数", default=0, help_text="按登记册，不含村(居)民委员会成员。"
    )
    committee_name = models.CharField(
        "委员会名称",
        max_length=100,
        blank=True,
        help_text="例如：杏花村村民委员会。留空时自动生成。",
    )
    office_address = models.CharField("办公地址", max_length=200, blank=True)
    contact_phone = models.CharField(
        "联系电话", max_length=40, blank=True, validators=[phone_validator]
    )
    office_hours = models.CharField("办公时间", max_length=100, blank=True)
    representatives_authorisation = models.CharField(
        "村(居)民会议授权",
        max_length=200,
        blank=True,
        help_text="村(居)民会议授权村(居)民代表会议讨论决定事项的决议（文号或会议名称及日期），"
        "登记代表会议的表决时预填。村规民约由村民会议表决，本区规则允许时方可由经授权的村民代表会议表决。",
    )

    decisions_enabled = models.BooleanField(
        "城市社区使用四议两公开",
        default=False,
        help_text="村始终适用“四议两公开”；城市社区如需使用，请勾选。",
    )

    frequent_transactions = models.BooleanField(
        "财务往来较多",
        default=False,
        help_text="勾选后，财务收支情况每月公布一次（村民委员会组织法第三十五条第三款）；"
        "未勾选的至少每季度公布一次。",
    )

    objects = PageManager.from_queryset(CommunityPageQuerySet)()

    content_panels = [
        *Page.content_panels,
        FieldPanel("kind"),
        FieldPanel("intro"),
        MultiFieldPanel(
            [
                FieldPanel("representatives_authorisation"),
                FieldPanel("decisions_enabled"),
                FieldPanel("frequent_transactions"),
            ],
            heading="代表会议与四议两公开",
            help_text="户数、人数和代表人数在“人口与代表登记册”中登记（须写明数据来源和变更理由）。",
        ),
        MultiFieldPanel(
            [
                FieldPanel("committee_name"),
                FieldRowPanel([FieldPanel("office_address"), FieldPanel("contact_phone")]),
                FieldPanel("office_hours"),
            ],
            heading="委员会联系方式",
        ),
    ]

    parent_page_types = ["community.TownshipPage"]

    api_fields = [
        APIField("kind"),
        APIField("intro"),
        APIField("households"),
        APIField("adult_residents"),
        APIField("representatives"),
        APIField("committee_display_name"),
        APIField("office_address"),
        APIField("contact_phone"),
        APIField("office_hours"),
        APIField("public_decisions"),
        APIField("frequent_transactions"),
        APIField("public_supervision"),
    ]

    subpage_types = [
        "community.CovenantPage",
        "community.NoticeIndexPage",
        "consultation.ConsultationIndexPage",
        "consultation.CommunityFormPage",
        "community.ExperiencePage",
    ]

    # Sections every community gets on creation: (model label, slug, title per kind).
    SECTIONS = [
        ("community.NoticeIndexPage", "notices", {"village": "村务公开", "urban": "居务公开"}),
        (
            "consultation.ConsultationIndexPage",
            "consultations",
            {"village": "协商议事", "urban": "协商议事"},
        ),
    ]

    class Meta:
        verbose_name = "村/社区"
        verbose_name_plural = "村/社区"

    def clean(self) -> None:
        super().clean()
        if (
            self.representatives is not None
            and self.adult_residents is not None
            and self.representatives > self.adult_residents
        ):
            raise ValidationError(
                {
                    "representatives": (
                        f"代表人数 {self.representatives} 人不能超过18周岁以上村(居)民人数 "
                        f"{self.adult_residents} 人。"
                    )
                }
            )

    # The register's numbers, which a page revision never carries back (community.models.register).
    REGISTER_COLUMNS = ("households", "adult_residents", "representatives")

    def with_content_json(self, content):
        """A revision's content keeps the register's current numbers: a draft saved before the
        register changed must not put the old ones back when it is published."""
        page = super().with_content_json(content)
        for name in self.REGISTER_COLUMNS:
            setattr(page, name, getattr(self, name))
        return page

    @property
    def committee_display_name(self) -> str:
        if self.committee_name:
            return self.committee_name
        suffix = "村民委员会" if self.kind == self.Kind.VILLAGE else "居民委员会"
        return f"{self.title}{suffix}"

    def ensure_sections(self) -> list[Page]:
        """Create the missing empty section pages (notices, consultations); return those created.

        Idempotent: a section type the community already has is left alone, wherever it sits.
        """

        created = []
        children = self.get_children()
        for label, slug, titles in self.SECTIONS:
            model = apps.get_model(label)
            if children.type(model).exists():
                continue
            free_slug, n = slug, 1
            while children.filter(slug=free_slug).exists():
                n += 1
                free_slug = f"{slug}-{n}"
            section = model(title=titles[self.kind], slug=free_slug, owner=self.owner)
            self.add_child(instance=section)
            section.save_revision(user=self.owner).publish()
            created.append(section)
        return created

    @property
    def public_decisions(self) -> list[dict]:
        """四议两公开 entries made public (决议公开, 实施结果公开), as the community page shows them.
        Decisions (consultation app) belong to their community: read through the relation."""
        return [d.public_entry() for d in self.published_decisions()]

    @property
    def public_supervision(self) -> dict:
        """The supervision committee as residents read it: its current members (name and post)
        and its public opinions (community/models/supervision.py); internal ones stay in the admin."""
        members = self.supervision_members.current(timezone.localdate()).order_by("post", "pk")
        opinions = self.supervision_opinions.filter(visibility="public").order_by(
            "-issued_on", "-pk"
        )
        return {
            "members": [{"name": m.name, "post": m.get_post_display()} for m in members],
            "opinions": [
                {"subject": o.subject, "text": o.text, "issued_on": o.issued_on}
                for o in opinions[:20]
            ],
        }

    def published_decisions(self):
        return self.decisions.published().order_by("-resolution_published_on")

    @path("search/", name="search")
    def search(self, request):
        return search_page(request, self, scope=self)

    @path("disclosure/", name="disclosure_calendar")
    def disclosure_calendar(self, request):
        """村务公开日历 / 居务公开日历: what must be disclosed, and whether it was, on time."""
        # The calendar reads the notice and catalogue models: imported once they are all loaded.
        from community.disclosure.views import calendar_page

        return calendar_page(self, request)

    @path("disclosure/print/", name="disclosure_calendar_print")
    def disclosure_calendar_print(self, request):
        """The calendar on A4 for the notice board, with the QR code of its web page."""
        # As above: the calendar module imports the models this one is part of.
        from community.disclosure.views import calendar_page

        return calendar_page(self, request, printing=True)

    @path("evaluation/", name="evaluation")
    def evaluation(self, request):
        """民主评议结果: the published evaluations (community.models.evaluation), newest first."""
        evaluations = self.evaluations.published().prefetch_related("ratings").order_by("-year")
        return self.render(
            request,
            template="community/evaluation_results.html",
            context_overrides={"evaluations": evaluations},
        )

    def get_sections(self):
        """The community's live child pages in tree order, in one query (titles and URLs only)."""
        return self.get_children().live().order_by("path")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["sections"] = self.get_sections()
        context["decisions"] = self.published_decisions()[:10]
        context["evaluation_published"] = self.evaluations.published().exists()
        context["supervision"] = self.public_supervision
        return context
