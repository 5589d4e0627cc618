"""Pages a resident can actually reach: live and public, and under no unpublished ancestor.

Wagtail's `.live()` looks at the page alone: a notice stays live when its community is unpublished,
and Wagtail's routing walks through unpublished pages to their live children. Everything that
serves a page or lists pages asks here: listings and the API's querysets use `reachable()` /
`hidden_q()`, one page uses `is_reachable()`, and serving a page (every route below it: print
views, versions, a form's POST) is refused by the `before_serve_page` hook in cms/wagtail_hooks.py
through `under_unpublished()`. View restrictions on the page itself or an ancestor are left to
Wagtail's own serve, which asks for the password or the login.
"""

from django.db.models import Q
from wagtail.models import Page, PageViewRestriction

# Set by cms.routing on the page it routed to: whether every page it walked through above it was
# live (routing read them anyway, so serving asks no query about them).
ANCESTORS_LIVE = "_route_ancestors_live"


def under(paths, prefix: str = "") -> Q:
    """Pages in the subtrees rooted at these tree paths (themselves included); with a prefix (e.g.
    "page__"), rows whose related page is. No paths: nothing."""
    q = Q(pk__in=[])
    for path in paths:
        q |= Q(**{f"{prefix}path__startswith": path})
    return q


def hidden_q() -> Q:
    """Subtrees no resident can reach: under an unpublished page or a view restriction (1 query)."""
    # Only tree levels above content pages can hide a subtree; their drafts are few.
    unpublished = (
        Page.objects.filter(live=False, depth__lte=5).order_by().values_list("path", flat=True)
    )
    restricted = PageViewRestriction.objects.order_by().values_list("page__path", flat=True)
    return under(sorted(set(unpublished.union(restricted, all=True))))


def reachable(queryset, hidden: Q | None = None):
    return queryset.live().exclude(hidden_q() if hidden is None else hidden)


def _ancestor_paths(page: Page) -> list[str]:
    """The tree paths of the page's ancestors (the root included, the page itself not)."""
    return [page.path[:end] for end in range(page.steplen, len(page.path), page.steplen)]


def under_unpublished(page: Page) -> bool:
    """Is some ancestor of the page unpublished? No query for a page cms.routing routed to."""
    known = getattr(page, ANCESTORS_LIVE, None)
    if known is not None:
        return not known
    return Page.objects.filter(path__in=_ancestor_paths(page), live=False).exists()


def is_reachable(page: Page) -> bool:
    """Can a resident reach this one page: live, no ancestor unpublished, no view restriction on
    it or above it (one query)."""
    if not page.live:
        return False
    paths = [*_ancestor_paths(page), page.path]
    hiding = Q(live=False) | Q(view_restrictions__isnull=False)
    return not Page.objects.filter(path__in=paths).filter(hiding).exists()
