from django import template
from django.conf import settings

register = template.Library()


@register.simple_tag
def site_name() -> str:
    """The site's name (SITE_NAME): read from settings, so pages rendered without a request or
    database (the error pages) carry it too."""
    return settings.WAGTAIL_SITE_NAME
