"""The disclosure catalogue (docs/disclosure.md): what a community must disclose and on which
schedule. The law's items are built in (a data migration, from community/disclosure/catalogue.py);
district staff add local items as snippets."""

from django.core.exceptions import ValidationError
from django.db import models
from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.search import index


class NoticeCategory(models.TextChoices):
    PARTY = "party", "党务公开"
    AFFAIRS = "affairs", "村务/居务公开"
    FINANCE = "finance", "财务公开"
    GOVERNMENT = "government", "政务公开"
    OTHER = "other", "其他"


class DisclosureItemQuerySet(models.QuerySet):
    def active(self):
        return self.filter(active=True)

    def for_kind(self, kind: str):
        """The items a notice of a village ("village") or an urban community ("urban") may name:
        those of its kind, without the items only their own records fulfil (民主评议)."""
        return self.filter(
            models.Q(scope=kind) | models.Q(scope=DisclosureItem.Scope.BOTH)
        ).exclude(key__in=DisclosureItem.RECORD_ONLY_KEYS)


class DisclosureItem(index.Indexed, models.Model):
    class Scope(models.TextChoices):
        VILLAGE = "village", "村"
        URBAN = "urban", "社区"
        BOTH = "both", "村和社区"

    class Schedule(models.TextChoices):
        QUARTERLY = "quarterly", "至少每季度公布一次"
        ACCOUNTS = "accounts", "每季度；财务往来较多的每月"
        AT_ONCE = "at_once", "随时公布（重大事项）"
        PROMPTLY = "promptly", "及时公布"
        YEARLY = "yearly", "每年至少一次"

    key = models.SlugField(
        "代码", max_length=40, unique=True, help_text="英文字母、数字和连字符，例如 local-water。"
    )
    name = models.CharField("公开事项", max_length=200)
    scope = models.CharField("适用于", max_length=10, choices=Scope.choices, default=Scope.BOTH)
    schedule = models.CharField(
        "公开时限", max_length=20, choices=Schedule.choices, default=Schedule.QUARTERLY
    )
    category = models.CharField(
        "公示类别",
        max_length=20,
        choices=NoticeCategory.choices,
        default=NoticeCategory.AFFAIRS,
        help_text="本事项的公示默认归入的类别（财务公开须经监督委员会审核后发布，见本区规则）。",
    )
    basis = models.CharField(
        "依据",
        max_length=200,
        blank=True,
        help_text="法律条款或本地文件，例如 区民政局〔2026〕3号。",
    )
    builtin = models.BooleanField("法定事项", default=False, editable=False)
    active = models.BooleanField("启用", default=True)
    sort_order = models.PositiveIntegerField("排序", default=100)

    # Fulfilled only by their records, never by a notice that names them: a yearly 民主评议 is held
    # by the supervision committee (community.evaluations), not posted by the committee.
    RECORD_ONLY_KEYS = frozenset({"village-evaluation", "urban-evaluation"})

    objects = DisclosureItemQuerySet.as_manager()

    panels = [
        FieldPanel("name"),
        FieldRowPanel([FieldPanel("key"), FieldPanel("sort_order")]),
        FieldRowPanel([FieldPanel("scope"), FieldPanel("schedule")]),
        FieldPanel("category"),
        FieldPanel("basis"),
        FieldPanel("active"),
    ]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        verbose_name = "公开事项"
        verbose_name_plural = "公开目录"
        ordering = ["sort_order", "pk"]

    def __str__(self) -> str:
        return self.name

    # What the law says of a built-in item: district staff may switch it off or reorder it, never
    # rewrite it (catalogue.sync_catalogue would put the law's words back).
    LAW_FIELDS = ("key", "name", "scope", "schedule", "category", "basis")

    def clean(self) -> None:
        super().clean()
        if not self.builtin or self.pk is None:
            return
        stored = type(self).objects.filter(pk=self.pk).values(*self.LAW_FIELDS).first() or {}
        changed = [f for f in self.LAW_FIELDS if f in stored and getattr(self, f) != stored[f]]
        if changed:
            raise ValidationError(
                dict.fromkeys(
                    changed,
                    "这是法律规定的公开事项，内容不能修改；可以停用或调整排序，"
                    "本地事项请另行添加。",
                )
            )

    def periodic(self) -> bool:
        """Obligations every period (quarter or month); AT_ONCE items only follow events."""
        return self.schedule != self.Schedule.AT_ONCE
