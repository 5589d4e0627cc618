"""Pages a resident can actually reach: live and public, and under no unpublished ancestor.

Wagtail's `.live()` looks at the page alone: a notice stays live when its community is unpublished,
but its URL then 404s. District-wide listings (home page, experiences, search) use `reachable()`.
"""

from django.db.models import Q
from wagtail.models import Page, PageViewRestriction


def under(paths, prefix: str = "") -> Q:
    """Pages in the subtrees rooted at these tree paths (themselves included); with a prefix (e.g.
    "page__"), rows whose related page is. No paths: nothing."""
    q = Q(pk__in=[])
    for path in paths:
        q |= Q(**{f"{prefix}path__startswith": path})
    return q


def hidden_q() -> Q:
    """Subtrees no resident can reach: under an unpublished page or a view restriction (2 queries)."""
    # Only tree levels above content pages can hide a subtree; their drafts are few.
    roots = list(Page.objects.filter(live=False, depth__lte=5).values_list("path", flat=True))
    roots += PageViewRestriction.objects.values_list("page__path", flat=True)
    return under(roots)


def reachable(queryset, hidden: Q | None = None):
    return queryset.live().exclude(hidden_q() if hidden is None else hidden)
