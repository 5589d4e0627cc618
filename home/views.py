"""The search page, served under the home page (/search/) and under each community (<community>/search/)."""

from django.template.response import TemplateResponse

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
