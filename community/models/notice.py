"""村务/居务公开: a community's notices, each shown for a 公示期 (display period)."""

import datetime
from decimal import Context, Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from modelcluster.fields import ParentalManyToManyField
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.contrib.typed_table_block.blocks import TypedTableBlock
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from cms.printable import PrintableMixin
from cms.searchable import ChineseSearchable
from community.blocks import APIDocumentChooserBlock, HTMLRichTextBlock
from community.disclosure.forms import NoticeForm
from community.disclosure.periods import QUARTER, parse_period, period_of
from community.disclosure.rules import check_display_period, check_first_publication
from community.models.disclosure import NoticeCategory

CENTS = Decimal("0.01")
# Up to 9,999,999,999,999.99 元: an amount longer than that is a slip of the keyboard or a paste.
AMOUNT_DIGITS = 15
BODY_FEATURES = ["h3", "h4", "bold", "italic", "link", "ol", "ul", "document-link"]


class AmountBlock(blocks.DecimalBlock):
    """An amount in 元, shown as 1,234.50 whatever was typed (1234.5, 1234, １２３４.５)."""

    def __init__(self, **kwargs):
        super().__init__(decimal_places=2, max_digits=AMOUNT_DIGITS, **kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        if value is None or not value.is_finite():
            return value
        # In a context as wide as the amount (Decimal's default holds 28 digits): a longer amount
        # stored before the editor refused it still loads, instead of raising InvalidOperation.
        return value.quantize(CENTS, context=Context(prec=max(28, value.adjusted() + 4)))

    def render_basic(self, value, context=None):
        return "" if value is None else f"{value:,.2f}"


class NoticeTableBlock(TypedTableBlock):
    """A table for financial notices (收支明细): text and amount columns, rendered with <caption> and <th>."""

    def __init__(self, **kwargs):
        super().__init__(
            [
                ("text", blocks.CharBlock(label="文字")),
                ("amount", AmountBlock(label="金额（元）")),
                ("number", blocks.IntegerBlock(label="数量")),
                ("date", blocks.DateBlock(label="日期")),
            ],
            **kwargs,
        )

    class Meta:
        icon = "table"
        label = "表格"
        help_text = "表格请填写标题（caption），第一行为列名。财务公开的收支明细请用“金额”列。"


class NoticeBody(blocks.StreamBlock):
    paragraph = HTMLRichTextBlock(features=BODY_FEATURES, label="正文")
    table = NoticeTableBlock()


class NoticePage(ChineseSearchable, PrintableMixin, Page):
    """A notice (公示) on a community's board: current during its 公示期, readable after it."""

    Category = NoticeCategory
    # 党务公开 and 政务公开 follow their own rules (e.g. 低保 公示 7 days); the organic laws' fifteen
    # days are for 村务/居务公开 (docs/disclosure.md). A notice of these categories that names a
    # catalogue item is that item's 村务/居务公开 and keeps the fifteen days (`follows_own_rules`).
    OWN_RULES = frozenset({NoticeCategory.PARTY, NoticeCategory.GOVERNMENT})

    category = models.CharField("类别", max_length=20, choices=Category.choices, default="affairs")
    disclosure_items = ParentalManyToManyField(
        "community.DisclosureItem",
        blank=True,
        related_name="notices",
        verbose_name="公开事项",
        help_text="本公示公开的是公开目录中的哪些事项（可多选）。",
    )
    period = models.CharField(
        "公开期间",
        max_length=7,
        blank=True,
        help_text="本公示所公开的期间，例如 2026年第四季度、2026年11月。",
    )
    summary = models.TextField(
        "摘要", blank=True, max_length=300, help_text="一两句话，列表中显示。"
    )
    body = StreamField(NoticeBody(), verbose_name="正文", blank=True)
    attachments = StreamField(
        [("document", APIDocumentChooserBlock(label="附件"))],
        verbose_name="附件",
        blank=True,
        help_text="公示的原始文件（PDF、Excel 等），居民可下载。",
    )
    display_from = models.DateField("公示开始", default=datetime.date.today)
    display_until = models.DateField(
        "公示结束", null=True, blank=True, help_text="留空表示长期公示。"
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("category"),
        MultiFieldPanel(
            # Required on publish and submit (NoticeForm), not on 保存草稿, autosave or preview.
            [
                FieldPanel("disclosure_items", required_on_save=False),
                FieldPanel("period", required_on_save=False),
            ],
            heading="公开目录",
        ),
        FieldPanel("summary"),
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel("display_from"), FieldPanel("display_until")])],
            heading="公示期",
        ),
        FieldPanel("body"),
        FieldPanel("attachments"),
    ]

    base_form_class = NoticeForm

    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("body"),
        index.FilterField("category"),
        index.FilterField("period"),
        *ChineseSearchable.chinese_search_fields,
    ]
    search_kind = "公示"

    api_fields = [
        APIField("category"),
        APIField("category_label"),
        APIField("period"),
        APIField("period_label"),
        APIField("summary"),
        APIField("display_from"),
        APIField("display_until"),
        APIField("is_current"),
        APIField("body"),
        APIField("attachments"),
    ]

    parent_page_types = ["community.NoticeIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = "公示"
        verbose_name_plural = "公示"
        # The home page's 最新公示 (district-wide, newest first, five): read from the top of this
        # index instead of sorting every notice of the district.
        indexes = [models.Index(fields=["-display_from", "-page_ptr"], name="notice_newest_first")]

    def community_kind(self) -> str | None:
        """ "village" or "urban" once the notice is in the tree (None while the editor creates it)."""
        if not self.path or self.depth <= 2:
            return None
        community_path = self.path[: self.steplen * 4]
        return (
            Page.objects.filter(path=community_path)
            .values_list("communitypage__kind", flat=True)
            .first()
        )

    def follows_own_rules(self, items=None) -> bool:
        """Exempt from the fifteen days: a 党务公开/政务公开 notice naming no catalogue item (else
        labelling a notice 政务公开 would shorten an item's disclosure). `items`: what the editor
        chose, where the form has not put it on the page yet."""
        if self.category not in self.OWN_RULES:
            return False
        return not (self.disclosure_items.all() if items is None else items)

    def clean(self) -> None:
        super().clean()
        errors = {}
        if self.display_until and self.display_from and self.display_until < self.display_from:
            errors["display_until"] = "公示结束日期不能早于公示开始日期。"
        elif self.display_from and not self.follows_own_rules():
            message = check_display_period(
                self.display_from, self.display_until, self.community_kind()
            )
            if message:
                errors["display_until"] = message
        if self.period and parse_period(self.period) is None:
            errors["period"] = (
                "请选择公开期间，例如 2026年第四季度（2026Q4）或 2026年11月（2026-11）。"
            )
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        if not self.period and self.display_from:
            self.period = period_of(self.display_from, QUARTER).code
        if kwargs.get("clean", True) and not kwargs.get("update_fields"):
            message = self.live and self.first_publication_refusal()
            if message and self.goes_live_first():
                raise ValidationError({"display_until": message})
        return super().save(*args, **kwargs)

    def goes_live_first(self) -> bool:
        """Is this save the notice's first publication? Live now, and never published before: no
        first_published_at stored (revision.publish() sets it on the instance just before saving),
        or for a page not stored yet none given (a notice imported with its old date has one)."""
        if not self.live:
            return False
        if self.pk is None:
            return self.first_published_at is None
        stored = NoticePage.objects.filter(pk=self.pk).values_list("first_published_at", flat=True)
        return not any(stored)

    def first_publication_refusal(self, today: datetime.date | None = None, items=None) -> str:
        """Going live for the first time, residents must still have the law's fifteen days to read
        it (community.disclosure.rules.check_first_publication); "" when it may. `save()` asks on
        every save that makes a notice live for the first time (revision.publish(), the editor's
        发布, scheduled publishing, approving a workflow); the editor's form asks first, on 发布 and
        提交审核 of a notice never published, and shows the refusal on the field."""
        if not self.display_from or not self.display_until or self.follows_own_rules(items):
            return ""
        if self.display_until < self.display_from:
            return ""
        return check_first_publication(
            self.display_from,
            self.display_until,
            self.community_kind(),
            today or timezone.localdate(),
        )

    @property
    def disclosure_period(self):
        return parse_period(self.period)

    @property
    def period_label(self) -> str:
        period = self.disclosure_period
        return period.label if period else ""

    @property
    def disclosure_item_keys(self) -> list[str]:
        return [item.key for item in self.disclosure_items.all()]

    @property
    def disclosed_on(self) -> datetime.date | None:
        """The day residents could first read it: its 公示开始, or its first publication if later."""
        if not self.first_published_at:
            return None
        published = timezone.localdate(self.first_published_at)
        return max(published, self.display_from) if self.display_from else published

    def search_text(self) -> str:
        parts = [self.summary]
        for block in self.body:
            if block.block_type == "paragraph":
                parts.append(block.value.source)
            elif block.block_type == "table":
                parts.append(block.value.caption or "")
                parts.extend(str(col["heading"]) for col in block.value.columns)
                parts.extend(str(cell) for row in block.value.rows for cell in row)
        parts.extend(block.value.title for block in self.attachments if block.value)
        return " ".join(parts)

    @property
    def category_label(self) -> str:
        return self.get_category_display()

    def period_status(self, today: datetime.date | None = None) -> str:
        """'upcoming', 'current' or 'expired' on `today` (the local date by default)."""
        today = today or timezone.localdate()
        if self.display_from > today:
            return "upcoming"
        if self.display_until and self.display_until < today:
            return "expired"
        return "current"

    @property
    def is_current(self) -> bool:
        return self.period_status() != "expired"

    @property
    def is_expired(self) -> bool:
        return self.period_status() == "expired"


def expired_q(today: datetime.date) -> Q:
    return Q(display_until__lt=today)


class NoticeIndexPage(Page):
    """村务公开 / 居务公开: the community's notice board, current notices first, then 往期公示."""

    intro = RichTextField("说明", blank=True, features=["bold", "italic", "link", "ol", "ul"])

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    api_fields = [APIField("intro")]

    parent_page_types = ["community.CommunityPage"]
    subpage_types = ["community.NoticePage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = "村(居)务公开栏目"
        verbose_name_plural = "村(居)务公开栏目"

    def notices(self):
        return NoticePage.objects.child_of(self).live().public()

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        today = timezone.localdate()
        notices = self.notices().only(
            "title", "url_path", "slug", "category", "summary", "display_from", "display_until"
        )
        context["current_notices"] = notices.exclude(expired_q(today)).order_by(
            "-display_from", "-pk"
        )
        context["expired_notices"] = notices.filter(expired_q(today)).order_by(
            "-display_until", "-pk"
        )
        context["today"] = today
        community = self.get_parent().specific
        if hasattr(community, "disclosure_calendar"):
            context["calendar_url"] = community.get_url(request) + community.reverse_subpage(
                "disclosure_calendar"
            )
            context["calendar_title"] = (
                "村务公开日历" if community.kind == "village" else "居务公开日历"
            )
        return context
