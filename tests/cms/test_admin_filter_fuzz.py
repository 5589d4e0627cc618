"""Every admin listing's declared filters, and its search box, take bad values without a 500.

The listings are found from the URLconf, not listed by hand: wagtail-modeladmin index views (their
`list_filter`, through modeladmin's own filter specs) and Wagtail's listing views with a
`filterset_class` (each filter's form field, range filters' `_after`/`_before` included). A new
listing or filter is fuzzed the day it is added."""

import inspect
from urllib.parse import quote

import pytest
from django.contrib.auth import get_user_model
from django.test import RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver
from wagtail.admin.views.pages.listing import PageFilterSet
from wagtail.models import Site

pytestmark = pytest.mark.django_db

BAD_VALUES = {
    "x": quote("x"),
    "nul": "%00",
    "quote": quote('"'),
    "20 digits": "9" * 20,
    "lone surrogate": "%ED%A0%80",  # UTF-8 of U+D800, which no valid text holds
    "100k chars": "a" * 100_000,
}


def _patterns(patterns, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _patterns(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), pattern


def _route_url(route: str, pattern: URLPattern, page_id: int) -> str | None:
    """The route as a URL: no arguments, or a page id (the explorer); other routes are left out."""
    names = set(getattr(pattern.pattern, "converters", {}))
    if names - {"parent_page_id"} or "^" in route:
        return None
    return "/" + route.replace("<int:parent_page_id>", str(page_id))


def _modeladmin_parameters(model_admin, request) -> list[str]:
    view = model_admin.index_view_class(model_admin=model_admin)
    view.request = request
    view.params = request.GET.copy()
    view.list_filter = model_admin.get_list_filter(request)
    specs = view.get_filters(request)[0]
    return sorted({name for spec in specs for name in spec.expected_parameters()})


def _filterset_parameters(filterset_class) -> list[str]:
    """Each filter's query parameter, or its range widget's (`date_after`, `date_before`)."""
    names = set()
    for name, filter_ in filterset_class.base_filters.items():
        widget = filter_.extra.get("widget") or filter_.field_class.widget
        suffixes = getattr(widget, "suffixes", None)
        names.update(f"{name}_{suffix}" for suffix in suffixes) if suffixes else names.add(name)
    return sorted(names)


def admin_listings(user) -> dict[str, list[str]]:
    """{listing URL: the query parameters it declares, `q` included}."""
    request = RequestFactory().get("/admin/")
    request.user = user
    page_id = Site.objects.get(is_default_site=True).root_page_id
    listings = {}
    for route, pattern in _patterns(get_resolver().url_patterns):
        if not route.startswith("admin/") or "results" in route:
            continue
        callback = inspect.unwrap(pattern.callback)
        owner = getattr(callback, "__self__", None)
        if owner is not None and callback.__name__ == "index_view":
            url = "/" + owner.url_helper.index_url.lstrip("/")
            listings[url] = [*_modeladmin_parameters(owner, request), "q"]
            continue
        view_class = getattr(pattern.callback, "view_class", None)
        if view_class is None or not hasattr(view_class, "filterset_class"):
            continue
        url = _route_url(route, pattern, page_id)
        if url is None:
            continue
        filterset_class = view_class(**getattr(pattern.callback, "view_initkwargs", {}))
        filterset_class = filterset_class.filterset_class
        if filterset_class is not None:
            listings[url] = [*_filterset_parameters(filterset_class), "q"]
    # The page explorer is served through Wagtail's page viewset registry (no view class to read):
    # its filters are PageFilterSet's.
    listings[f"/admin/pages/{page_id}/"] = [*_filterset_parameters(PageFilterSet), "q"]
    listings["/admin/pages/search/"] = ["q", "content_type"]
    return listings


@pytest.fixture
def root(db):
    return get_user_model().objects.create_superuser("fuzz-root", password="x")


def test_the_fuzzer_finds_our_listings_and_wagtails(root):
    listings = admin_listings(root)
    assert "held_at__gte" in listings["/admin/consultation/deliberation/"]
    assert "township" in listings["/admin/community/covenantrevision/"]
    assert {"community", "date_from", "date_to"} <= set(listings["/admin/review/audit/"])
    assert "/admin/reports/site-history/" in listings
    assert any(url.startswith("/admin/pages/") for url in listings)
    assert len(listings) >= 15


def test_no_admin_listing_filter_answers_500(client, root):
    client.force_login(root)
    client.raise_request_exception = False
    server_errors = []
    for url, parameters in admin_listings(root).items():
        for parameter in parameters:
            for label, value in BAD_VALUES.items():
                response = client.get(f"{url}?{parameter}={value}")
                if response.status_code >= 500:
                    server_errors.append(f"{url}?{parameter}= {label}: {response.status_code}")
    assert server_errors == [], "\n".join(server_errors)
