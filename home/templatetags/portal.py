from django import template
from wagtail.models import Page

register = template.Library()


@register.simple_tag
def page_trail(page: Page | None) -> list[Page]:
    """The page's ancestors from the district home down to the page itself, in one query."""
    if page is None or not getattr(page, "pk", None):
        return []
    return list(page.get_ancestors(inclusive=True).filter(depth__gte=2).order_by("depth"))
