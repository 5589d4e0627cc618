from django.apps import AppConfig


class CommunityConfig(AppConfig):
    name = "community"
    verbose_name = "村(社区)"

    def ready(self) -> None:
        # Imported here, not at module level: these modules need the app registry (models),
        # which is ready only now.
        from wagtail.api.v3.urls import api

        from cms import site_urls
        from community import evaluations, permissions, signals  # noqa: F401
        from community.api import communities_router, router
        from community.evaluation_api import router as evaluations_router
        from community.opinion_pages import site_urls as opinion_urls
        from community.review import checks, figures, guard, notifications  # noqa: F401
        from community.supervision import exclusivity, finance

        guard.connect()
        permissions.connect()
        exclusivity.connect()
        finance.connect()
        figures.register()
        evaluations.register()
        # Our routers join Wagtail's API before its URLs are read (docs/api.md).
        api.add_router("/covenants/", router)
        api.add_router("/communities/", communities_router)
        api.add_router("/evaluations/", evaluations_router)
        site_urls.add(opinion_urls())
