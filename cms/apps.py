from django.apps import AppConfig


class CmsConfig(AppConfig):
    """The project itself: wires the page cache's invalidation (cms/cache.py) in every process,
    including management commands such as publish_scheduled."""

    name = "cms"
    verbose_name = "共治"

    def ready(self) -> None:
        # The cache's signal handlers name Wagtail's models: importable once the registry is ready.
        from cms import cache, history

        cache.connect()
        history.connect()
