from django.conf import settings
from django.urls import include, path, re_path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.api.v3.urls import api
from wagtail.documents import urls as wagtaildocs_urls

from cms import api_visibility
from community.api import router as covenants_router
from consultation.api import router as consultations_router
from consultation.forms_api import router as forms_router
from home.views import qr_code

# Our routers join Wagtail's API before its URLs are read (DESIGN.md § Headless API).
api.add_router("/covenants/", covenants_router)
api.add_router("/consultations/", consultations_router)
api.add_router("/forms/", forms_router)
# Anonymous callers list only the images and documents that live, public pages use.
api_visibility.install()

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("api/v3/", api.urls),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += [
    re_path(r"^(?P<page_path>(?:[\w\-]+/)*)qr\.(?P<fmt>svg|png)$", qr_code, name="page_qr"),
    path("", include(wagtail_urls)),
]
