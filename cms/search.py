"""Site search over the Chinese n-gram index (cms/ngrams.py): the pages a resident can reach,
exact-phrase hits first, down to a covenant's article."""

from dataclasses import dataclass

from django.template.response import TemplateResponse
from wagtail.models import Page

from cms.ngrams import MAX_QUERY_LENGTH, excerpt, phrases, query_terms
from cms.places import label_places
from cms.searchable import searchable_models
from cms.visibility import reachable


@dataclass
class Hit:
    page: object
    url: str
    title: str
    kind: str
    exact: bool
    before: str = ""
    match: str = ""
    after: str = ""


def search(query: str, root=None, limit: int = 50) -> list[Hit]:
    """Live public pages (and covenant articles) matching `query`, exact-phrase hits first; each
    hit's page names the places it is in below `root` (`place_label`, cms.places)."""
    terms = query_terms(query)
    if not terms:
        return []
    pages = reachable(Page.objects.type(*searchable_models()))
    if root is not None:
        pages = pages.descendant_of(root, inclusive=True)
    found = pages.search(" ".join(terms), operator="and")[:limit]
    wanted = phrases(query)
    exact_hits: list[Hit] = []
    near_hits: list[Hit] = []
    hit_pages = Page.objects.filter(pk__in=[p.pk for p in found]).specific().order_by("path")
    hit_pages = label_places(hit_pages, root=root)
    by_type: dict[type, list] = {}
    for page in hit_pages:
        by_type.setdefault(type(page), []).append(page)
    for model, pages_of_type in by_type.items():
        model.prepare_search_units(pages_of_type)
    for page in hit_pages:
        page_url = page.url
        for anchor, title, kind, text in page.search_units():
            haystack = f"{title} {text}".lower()
            if all(p in haystack for p in wanted):
                before, match, after = excerpt(text, wanted[0] if wanted else "")
                hit = Hit(page, page_url + anchor, title, kind, True, before, match, after)
                exact_hits.append(hit)
            elif not anchor:
                near_hits.append(Hit(page, page_url, title, kind, False, *excerpt(text, "")))
    near_hits = [h for h in near_hits if not any(e.page is h.page for e in exact_hits)]
    return exact_hits + near_hits


def search_page(request, page, scope=None):
    """The search page, served under the home page (/search/) and under each community
    (<community>/search/, `scope` set): both routes render this one view."""
    query = request.GET.get("q", "").strip()[:MAX_QUERY_LENGTH]
    hits = search(query, root=scope) if query else []
    return TemplateResponse(
        request,
        "search.html",
        {
            "page": page,
            "self": page,
            "query": query,
            "hits": hits,
            "exact_count": sum(1 for hit in hits if hit.exact),
            "near_count": sum(1 for hit in hits if not hit.exact),
            "scope": scope,
            "max_length": MAX_QUERY_LENGTH,
        },
    )
