from django.apps import AppConfig


class CommunityConfig(AppConfig):
    name = "community"
    verbose_name = "村(社区)"

    def ready(self) -> None:
        from community import signals  # noqa: F401
        from community.review import checks, guard, notifications  # noqa: F401

        guard.connect()
