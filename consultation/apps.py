from django.apps import AppConfig


class ConsultationConfig(AppConfig):
    name = "consultation"
    verbose_name = "协商议事"

    def ready(self) -> None:
        # Imported here, not at module level: the routers and the desk's figures need the app
        # registry (models), which is ready only now.
        from wagtail.api.v3.urls import api

        from cms import media_access
        from cms import site_urls as cms_site_urls
        from cms.visibility import reachable
        from consultation import deletion, desk, disclosure
        from consultation.api import router as consultations_router
        from consultation.forms_api import router as forms_router
        from consultation.models import ConsultationPage, ImplementationUpdate
        from consultation.queries_api import router as notices_router
        from consultation.query_views import site_urls

        desk.register()
        disclosure.register()
        # An update's photos and documents are public once it is published on a reachable agenda.
        media_access.register_holder(
            ImplementationUpdate,
            lambda hidden: ImplementationUpdate.objects.published().filter(
                agenda__in=reachable(ConsultationPage.objects.all(), hidden)
            ),
        )
        deletion.connect()
        api.add_router("/consultations/", consultations_router)
        api.add_router("/forms/", forms_router)
        api.add_router("/notices/", notices_router)
        cms_site_urls.add(site_urls())
