"""Route a URL to its page in two queries instead of two per tree level.

Wagtail's ``Page.route`` walks the tree one level at a time: for each path component it fetches the
child with that slug, then its specific instance: a covenant three levels below the site root costs
six queries before its own view runs. Every page's ``url_path`` already says where it lives, so the
walk can be read in one query: the pages whose ``url_path`` is a prefix of the request's path,
shallowest first. The walk then stops where Wagtail's would hand over to something other than the default
child lookup:

- at the deepest page found (it routes what is left: a routable sub-URL, or a 404 for a missing
  child);
- at a ``RoutablePageMixin`` page whose own sub-URLs claim the rest of the path (they take
  precedence over its children, as in Wagtail);
- at a page whose class overrides ``route`` in some other way (we cannot know what it would do
  without asking it).

That page's specific instance (the second query) then routes the rest, so draft pages, routable
sub-URLs, private pages (checked later, by ``serve``) and 404s behave exactly as before.
"""

from django.urls import Resolver404
from wagtail.contrib.routable_page.models import RoutablePageMixin
from wagtail.models import Page

from cms.visibility import ANCESTORS_LIVE


def _subpage_claims(cls, live: bool, remaining: list[str]) -> bool:
    """Does a live routable page of class ``cls`` have a sub-URL matching ``remaining``?"""
    if not live:
        return False
    try:
        cls.get_resolver().resolve("/" + "/".join(remaining) + "/")
    except Resolver404:
        return False
    return True


def _claims(page: Page, remaining: list[str]) -> bool:
    """Would ``page`` route ``remaining`` itself rather than look up its child ``remaining[0]``?"""
    cls = page.specific_class
    if cls is None:
        return True
    if cls.route is Page.route:
        return False
    if cls.route is RoutablePageMixin.route:
        return _subpage_claims(cls, page.live, remaining)
    return True


class DirectRouteMixin:
    """For the site root page: route any URL below it with one query for the path's pages and one
    for the target's specific instance."""

    def route(self, request, path_components):
        if not path_components or (
            isinstance(self, RoutablePageMixin)
            and _subpage_claims(type(self), self.live, path_components)
        ):
            setattr(self, ANCESTORS_LIVE, True)  # the site root: only the tree's root is above it
            return super().route(request, path_components)
        prefixes = [
            self.url_path + "/".join(path_components[:n]) + "/"
            for n in range(1, len(path_components) + 1)
        ]
        found = list(
            Page.objects.filter(
                url_path__in=prefixes,  # indexed by home/migrations/0003
                path__startswith=self.path,
                depth__gt=self.depth,
            ).order_by("depth")
        )
        parent, target, consumed = self, None, 0
        for page in found:
            if page.depth != self.depth + consumed + 1:
                break  # a stale url_path: leave the rest to Wagtail's walk
            if target is not None:
                parent = target
            target, consumed = page, consumed + 1
            if consumed < len(path_components) and _claims(page, path_components[consumed:]):
                break
        if target is None:
            return super().route(request, path_components)
        specific = target.specific
        # As Wagtail's walk does, so get_parent() on the served page costs no query.
        specific._cached_parent_obj = parent
        # The walk read every page above the target: serving asks no query for their liveness.
        setattr(specific, ANCESTORS_LIVE, self.live and all(p.live for p in found[: consumed - 1]))
        return specific.route(request, path_components[consumed:])
