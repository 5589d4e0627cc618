from django.apps import AppConfig


class ConsultationConfig(AppConfig):
    name = "consultation"
    verbose_name = "协商议事"

    def ready(self) -> None:
        # Imported here, not at module level: the routers and the desk's figures need the app
        # registry (models), which is ready only now.
        from wagtail.api.v3.urls import api

        from consultation import deletion, desk
        from consultation.api import router as consultations_router
        from consultation.forms_api import router as forms_router

        desk.register()
        deletion.connect()
        api.add_router("/consultations/", consultations_router)
        api.add_router("/forms/", forms_router)
