"""The district's settings (Wagtail site settings): choices the national law leaves to a province
or district, off by default where the national text is stricter."""

import datetime

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.models import Site

from community.law import versions_of


@register_setting(icon="cog")
class DistrictSettings(BaseSiteSetting):
    allow_delegated_covenant = models.BooleanField(
        "允许经授权的村民代表会议表决村规民约",
        default=False,
        help_text=f"法律规定村规民约由村民会议制定和修改（{versions_of('village.covenant')[-1]}），"
        "部分省份禁止授权村民代表会议表决。仅在本省规定允许时勾选；"
        "勾选后仍须登记村民会议的授权。",
    )

    class UrbanPeriod(models.TextChoices):
        QUARTER = "quarter", "每季度（实践做法）"
        MONTH = "month", "每月（实践做法）"
        NONE = "none", "不设定期，只按事件及时公开"

    disclosure_start = models.DateField(
        "公开台账起始日期",
        default=datetime.date(2026, 1, 1),
        help_text="从这一天所在的季度起检查各村(社区)是否按时公开（新法自2026年1月1日起施行）。",
    )
    quarter_deadline_days = models.PositiveSmallIntegerField(
        "季度公开期限（季度结束后天数）",
        default=10,
        validators=[MinValueValidator(1), MaxValueValidator(31)],
        help_text="法律要求一般事项至少每季度公布一次；多数地方要求在季度结束后10日内公布（实践做法）。",
    )
    month_deadline_days = models.PositiveSmallIntegerField(
        "月度公开期限（月末后天数）",
        default=10,
        validators=[MinValueValidator(1), MaxValueValidator(31)],
        help_text="财务往来较多的村，财务收支每月公布一次，默认在次月10日前（实践做法）。",
    )
    at_once_days = models.PositiveSmallIntegerField(
        "重大事项公开期限（天）",
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(30)],
        help_text="涉及村民利益的重大事项应当随时公布：自决定之日起多少天内公布（实践做法）。",
    )
    urban_period = models.CharField(
        "城市社区定期公开周期",
        max_length=10,
        choices=UrbanPeriod.choices,
        default=UrbanPeriod.QUARTER,
        help_text="城市居民委员会组织法要求“及时公布”，未规定周期；本区可按实践设定定期公开。",
    )
    reminder_days = models.PositiveSmallIntegerField(
        "到期提醒（提前天数）",
        default=10,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
    )
    query_answer_days = models.PositiveSmallIntegerField(
        "答复居民查询期限（天）",
        default=10,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
        help_text="村(居)民委员会应当接受村(居)民的查询；超过期限未答复的查询转乡镇(街道)审核人员。",
    )
    finance_signoff_village = models.BooleanField(
        "村的财务公开须经村务监督委员会审核",
        default=True,
        help_text="民主理财：财务公开经村务监督委员会审核签字后发布（村民委员会组织法第三十七条）。",
    )
    finance_signoff_urban = models.BooleanField(
        "社区的财务公开须经居务监督委员会审核", default=False
    )

    panels = [
        FieldPanel("allow_delegated_covenant"),
        MultiFieldPanel(
            [
                FieldPanel("disclosure_start"),
                FieldRowPanel(
                    [FieldPanel("quarter_deadline_days"), FieldPanel("month_deadline_days")]
                ),
                FieldRowPanel([FieldPanel("at_once_days"), FieldPanel("urban_period")]),
                FieldRowPanel([FieldPanel("reminder_days"), FieldPanel("query_answer_days")]),
                FieldRowPanel(
                    [FieldPanel("finance_signoff_village"), FieldPanel("finance_signoff_urban")]
                ),
            ],
            heading="村务/居务公开",
        ),
    ]

    def finance_signoff_required(self, kind: str) -> bool:
        return self.finance_signoff_village if kind == "village" else self.finance_signoff_urban

    class Meta:
        verbose_name = "本区规则"


def district_settings() -> DistrictSettings:
    """The district's settings: those of the default site (the district is one site), or the
    defaults where there is no site yet."""
    site = Site.objects.filter(is_default_site=True).first()
    return DistrictSettings.for_site(site) if site else DistrictSettings()
