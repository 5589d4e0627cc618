"""The district's settings (Wagtail site settings): choices the national law leaves to a province
or district, off by default where the national text is stricter."""

from django.db import models
from wagtail.admin.panels import FieldPanel
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

    panels = [FieldPanel("allow_delegated_covenant")]

    class Meta:
        verbose_name = "本区规则"


def district_settings() -> DistrictSettings:
    """The district's settings: those of the default site (the district is one site), or the
    defaults where there is no site yet."""
    site = Site.objects.filter(is_default_site=True).first()
    return DistrictSettings.for_site(site) if site else DistrictSettings()
