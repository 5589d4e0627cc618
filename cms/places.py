"""Where a page is: the places above it (a community, its township) named on every list that spans
them, so a resident can tell 杏花村's 低保 notice from 南山村's.

A place is a page type that mixes in `Place` (the townships and communities of the district
tree); `label_places()` names them for a whole list in one query, whatever the list's length or the
tree's depth, instead of one ancestor lookup per item.
"""

from collections.abc import Iterable
from functools import cache

from django.contrib.contenttypes.models import ContentType
from wagtail.models import Page, get_page_models

SEPARATOR = " · "


class Place:
    """A page that names where the pages below it are (a township, a community)."""


@cache
def place_models() -> tuple:
    """Every page type that mixes in Place, as Wagtail knows its page models."""
    return tuple(model for model in get_page_models() if issubclass(model, Place))


def _ancestor_paths(page: Page) -> list[str]:
    """The tree paths of the page's ancestors, nearest first (the page itself not); from the path
    alone, so a list fetched with `.only("path", …)` costs no further query."""
    step = Page.steplen
    return [page.path[:end] for end in range(len(page.path) - step, 0, -step)]


def label_places(pages: Iterable[Page], root: Page | None = None) -> list[Page]:
    """Set `place_label` on each page (e.g. "杏花村 · 柳溪镇": the places above it, nearest first,
    below `root`, the page the list spans) and return the pages as a list. One query."""
    pages = list(pages)
    wanted = {path for page in pages for path in _ancestor_paths(page)}
    if root is not None:
        wanted = {path for path in wanted if len(path) > len(root.path)}
    names: dict[str, str] = {}
    if wanted:
        kinds = ContentType.objects.get_for_models(*place_models()).values()
        names = dict(
            Page.objects.filter(path__in=wanted, content_type__in=kinds).values_list(
                "path", "title"
            )
        )
    for page in pages:
        page.place_label = SEPARATOR.join(
            names[path] for path in _ancestor_paths(page) if path in names
        )
    return pages
