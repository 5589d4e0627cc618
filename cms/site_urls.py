"""Public routes of the apps above the kernel (not pages, not the admin, not the API), added from
each app's AppConfig.ready() and mounted by cms/urls.py before Wagtail's page serving, so the
kernel names no app (as the API routers are added with `api.add_router`)."""

_patterns: list = []


def add(patterns) -> None:
    _patterns.extend(patterns)


def patterns() -> list:
    return _patterns
