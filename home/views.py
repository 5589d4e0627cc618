"""The search page, served under the home page (/search/) and under each community (<community>/search/)."""

from django.http import Http404
from django.template.response import TemplateResponse
from wagtail.models import Page, Site

from home.search import MAX_QUERY_LENGTH, search


def search_page(request, page, scope=None):
    query = request.GET.get("q", "").strip()[:MAX_QUERY_LENGTH]
    hits = search(query, root=scope) if query else []
    return TemplateResponse(
        request,
        "home/search.html",
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


def qr_code(request, page_path: str, fmt: str):
    """`<page-url>qr.svg` and `qr.png`: Wagtail's page URLs end in a slash, so these need a route
    of their own. Only live, public pages that go on a notice board have one."""
    from home.printable import PrintableMixin

    site = Site.find_for_request(request)
    if site is None:
        raise Http404
    components = [c for c in page_path.split("/") if c]
    page = site.root_page.localized.specific.route(request, components).page
    if page.get_url(request) != f"/{page_path}" or not isinstance(page, PrintableMixin):
        raise Http404  # a sub-route (versions/…) or a page that has no notice-board QR code
    if not Page.objects.filter(pk=page.pk).live().public().exists():
        raise Http404
    return page.qr_response(request, fmt)
