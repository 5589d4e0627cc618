"""Wagtail's page types usage report, counting and naming only the pages the user's admin scope
holds: Wagtail's own view counts every page of the site and names the newest edited one, draft
titles included, to anyone who may edit a page anywhere. The scope is what the
`construct_explorer_page_queryset` hooks leave (community/admin_scope.py registers the policy's)."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, F, OuterRef, Q, Subquery
from wagtail import hooks
from wagtail.admin.views.reports.aging_pages import AgingPagesView
from wagtail.admin.views.reports.page_types_usage import PageTypesUsageReportView
from wagtail.models import Page


def pages_in_scope(request):
    pages = Page.objects.all()
    for hook in hooks.get_hooks("construct_explorer_page_queryset"):
        pages = hook(None, pages, request)
    return pages


class PageTypesUsageReport(PageTypesUsageReportView):
    def get_queryset(self):
        queryset = ContentType.objects.filter(model__in=self.page_models)
        self.queryset = queryset
        queryset = self.filter_queryset(queryset)

        # The root (depth 1) is not a page anyone edits; a plain Page type is listed only when some
        # page of that type is in scope, as in Wagtail's own view.
        pages = pages_in_scope(self.request).filter(depth__gt=1)
        site_root_path = self.filters.form.cleaned_data.get("site", None)
        if site_root_path:
            pages = pages.filter(path__startswith=site_root_path)
        latest_edited = pages.filter(content_type=OuterRef("pk")).order_by(
            F("latest_revision_created_at").desc(nulls_last=True), "title", "-pk"
        )
        queryset = queryset.annotate(
            count=Count("pages", filter=Q(pages__in=pages.values("pk"))),
            last_edited_page_id=Subquery(latest_edited.values("pk")[:1]),
        )
        plain = ContentType.objects.get_for_model(Page)
        if not pages.filter(content_type=plain).exists():
            queryset = queryset.exclude(pk=plain.pk)
        return queryset.order_by("-count", "app_label", "model")

    def decorate_paginated_queryset(self, page_types):
        """Each row names its app by its verbose name (村(社区)), not its label
        (community.noticepage): templates/wagtailadmin/reports/listing/ shows `app_name`."""
        page_types = super().decorate_paginated_queryset(page_types)
        for item in page_types:
            model = item.model_class()
            item.app_name = model._meta.app_config.verbose_name if model else item.app_label
        return page_types


class AgingPagesReport(AgingPagesView):
    """Wagtail's aging pages report, with a page published by no user (a command, the demo)
    shown as 系统 instead of the text None."""

    def add_last_publisher_name_to_page(self, username_mapping, page):
        if page.last_published_by in (None, "None"):
            page.last_published_by = None
        super().add_last_publisher_name_to_page(username_mapping, page)
        if page.last_published_by is None:
            page.last_published_by_user = "系统"
