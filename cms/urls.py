"""The URL wiring. The apps' API routers are mounted on Wagtail's API v3 by each app's own
AppConfig.ready() (community/apps.py, consultation/apps.py), so the kernel names no app."""

from django.conf import settings
from django.urls import include, path, re_path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.admin.auth import require_admin_access
from wagtail.api.v3.urls import api
from wagtail.documents import urls as wagtaildocs_urls
from wagtail.utils.urlpatterns import decorate_urlpatterns

from cms import api_visibility, resilience, site_urls
from cms.api import install_problems
from cms.logins import authenticate_with_password
from cms.media_access import serve_media
from cms.printable import qr_code
from cms.reports import AgingPagesReport, PageTypesUsageReport

# API v3 lists only the images and documents the caller may see, and to anonymous callers only the
# pages a resident can reach (cms/api_visibility.py).
api_visibility.install()
# The API docs and the OpenAPI description carry the site's name, not Wagtail's.
api.title = f"{settings.WAGTAIL_SITE_NAME} 接口（API）"
api.description = f"{settings.WAGTAIL_SITE_NAME}的公开内容接口：页面、公约版本、协商议事和表单。"
# Its validation errors (422) in Chinese, with a code per field (cms/api.py).
install_problems(api)
# A lost database answers 503 problem+json, also where the API would answer 500 (cms/resilience.py).
resilience.install(api)
# Raised outside a view (a middleware's query): still 503, not the 500 page.
handler500 = "cms.resilience.server_error"

# Before Wagtail's own reports at the same addresses: these stay in the user's scope. Mounted
# beside wagtailadmin_urls, so they take its login check themselves (an anonymous visitor is sent
# to the login, not answered 403).
_reports = [
    path("admin/reports/page-types-usage/", PageTypesUsageReport.as_view()),
    path(
        "admin/reports/page-types-usage/results/",
        PageTypesUsageReport.as_view(results_only=True),
    ),
    path("admin/reports/aging-pages/", AgingPagesReport.as_view(), name="gongzhi_aging_pages"),
    path(
        "admin/reports/aging-pages/results/",
        AgingPagesReport.as_view(results_only=True),
        name="gongzhi_aging_pages_results",
    ),
]

urlpatterns = [
    *decorate_urlpatterns(_reports, require_admin_access),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("api/v3/", api.urls),
]

urlpatterns += [
    # Wagtail's page password form, counted like a login (cms/logins.py).
    path(
        "_util/authenticate_with_password/<int:page_view_restriction_id>/<int:page_id>/",
        authenticate_with_password,
        name="wagtailcore_authenticate_with_password",
    ),
    # Uploaded files, always through the check of cms/media_access.py (also in production: the web
    # server must not serve MEDIA_ROOT itself, docs/deployment.md).
    re_path(rf"^{settings.MEDIA_URL.strip('/')}/(?P<path>.+)$", serve_media, name="media"),
    re_path(r"^(?P<page_path>(?:[\w\-]+/)*)qr\.(?P<fmt>svg|png)$", qr_code, name="page_qr"),
    # The apps' own public routes (cms/site_urls.py), e.g. a resident's query on a notice.
    path("", include(site_urls.patterns())),
    path("", include(wagtail_urls)),
]
