from django.apps import AppConfig


class CmsConfig(AppConfig):
    """The project itself: wires the page cache's invalidation (cms/cache.py) in every process,
    including management commands such as publish_scheduled, and sends every CSV export of the
    admin, CSV and XLSX, through the one export writer (cms/exports.py), and has every admin text field refuse
    bad text (cms/text.py), and queues search index updates as retried tasks (cms/tasks.py)."""

    name = "cms"
    verbose_name = "共治"

    def ready(self) -> None:
        # The cache's signal handlers name Wagtail's models: importable once the registry is ready.
        from cms import cache, history, searchable

        cache.connect()
        history.connect()
        searchable.connect()
        # Search index updates after a save: our retried task (cms/tasks.py), queued or inline.
        from cms.tasks import route_search_updates

        route_search_updates()
        # Wagtail's admin views (its reports, the form submissions, our audit log) need the app
        # registry too. Every one of them writes CSV and XLSX through SpreadsheetExportMixin, so
        # routing those two methods through cms.exports covers Wagtail's own exports as well as ours.
        from wagtail.admin.views.mixins import SpreadsheetExportMixin

        from cms import exports

        SpreadsheetExportMixin.write_csv_response = exports.write_csv_response
        SpreadsheetExportMixin.write_xlsx_response = exports.write_xlsx_response
        # Wagtail's admin forms, as above: registered before any admin form class is built.
        from cms.text import check_admin_text_fields

        check_admin_text_fields()
