"""逾期未公开: the township reviewer's and the district's list of overdue disclosures per community
in their scope, sortable by community, township, number overdue and the oldest overdue days, and
exported (CSV/XLSX through cms/exports.py) like every Wagtail listing. Built on Wagtail's
ReportView like the audit log; the rows are computed (the calendar is never stored), so sorting
happens on the list, after the township filter has narrowed the communities."""

from django.utils import timezone
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.reports import ReportView

from cms.ids import IdModelChoiceFilter
from community.models import CommunityPage
from community.permissions import policy_for
from community.review.audit import _townships_for
from community.review.disclosures import CommunityOverdue, overdue_by_community

SORTS = {
    "community": lambda r: r.community.path,
    "township": lambda r: (r.township, r.community.path),
    "count": lambda r: (r.count, r.oldest_days),
    "oldest_days": lambda r: (r.oldest_days, r.count),
}


class OverdueFilterSet(WagtailFilterSet):
    township = IdModelChoiceFilter(
        label="乡镇/街道",
        queryset=lambda request: _townships_for(request.user),
        method="filter_township",
    )

    class Meta:
        model = CommunityPage
        fields = []

    def filter_township(self, queryset, name, value):
        return queryset.filter(path__startswith=value.path)


def _items(row: CommunityOverdue) -> str:
    return "；".join(row.items)


class OverdueDisclosuresView(ReportView):
    page_title = "逾期未公开"
    header_icon = "warning"
    filterset_class = OverdueFilterSet
    index_url_name = "review_disclosures"
    index_results_url_name = "review_disclosures_results"
    default_ordering = "-count"
    paginate_by = 50
    columns = [
        Column("community_title", label="村/社区", sort_key="community"),
        Column("township", label="乡镇/街道", sort_key="township"),
        Column("count", label="逾期未公开（项）", sort_key="count"),
        Column("oldest_days", label="最久逾期（天）", sort_key="oldest_days"),
        Column("items", label="逾期事项", accessor=_items),
    ]
    list_export = ["township", "community_title", "count", "oldest_days", "oldest_due_on", "items"]
    export_headings = {
        "township": "乡镇/街道",
        "community_title": "村/社区",
        "count": "逾期未公开（项）",
        "oldest_days": "最久逾期（天）",
        "oldest_due_on": "最早应公开日期",
        "items": "逾期事项",
    }

    def dispatch(self, request, *args, **kwargs):
        policy_for(request.user).require_desk()
        return super().dispatch(request, *args, **kwargs)

    def get_filterset_kwargs(self):
        return {**super().get_filterset_kwargs(), "queryset": CommunityPage.objects.none()}

    def export_name(self) -> str:
        chosen = getattr(self.filters.form, "cleaned_data", {}) if self.filters else {}
        township = chosen.get("township")
        return f"逾期未公开-{township.title}" if township else "逾期未公开"

    def get_filtered_queryset(self):
        communities = self.filter_queryset(CommunityPage.objects.for_user(self.request.user))
        rows = overdue_by_community(communities, timezone.localdate())
        ordering = self.ordering or self.default_ordering
        key = SORTS[ordering.lstrip("-")]
        return sorted(rows, key=key, reverse=ordering.startswith("-"))
