"""The audit log: every history row of every registered model in one listing, filtered, paginated
and exported (Wagtail's ReportView and SpreadsheetExportMixin). Built like Wagtail's own site
history report: one values() query per history table, filtered separately, joined by union()."""

import datetime
from collections import defaultdict
from dataclasses import dataclass

import django_filters
from django.contrib.auth import get_user_model
from django.db.models import IntegerField, Value
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.ui.tables import Column, DateColumn, TitleColumn
from wagtail.admin.views.reports import ReportView

from cms.ids import IdModelChoiceFilter
from community.models import CommunityPage, TownshipPage
from community.permissions import policy_for
from community.review.history import visible_history
from community.review.registry import CHANGE_TYPES, history_registry

CHUNK = 500  # ids per IN (...) when decorating an export of any size


def _townships_for(user):
    paths = {
        path[:-4] for path in CommunityPage.objects.for_user(user).values_list("path", flat=True)
    }
    return TownshipPage.objects.filter(path__in=paths).order_by("path")


def _users_for(user):
    ids = set()
    for entry in history_registry:
        ids.update(
            visible_history(entry, user)
            .exclude(history_user__isnull=True)
            .values_list("history_user_id", flat=True)
            .distinct()
        )
    User = get_user_model()
    return User.objects.filter(pk__in=ids).order_by(User.USERNAME_FIELD)


class AuditFilterSet(WagtailFilterSet):
    township = IdModelChoiceFilter(
        label="乡镇/街道",
        queryset=lambda request: _townships_for(request.user),
        method="filter_township",
    )
    community = IdModelChoiceFilter(
        label="村/社区",
        queryset=lambda request: CommunityPage.objects.for_user(request.user).order_by("path"),
        field_name="community",
    )
    model = django_filters.ChoiceFilter(
        label="记录类型", choices=history_registry.choices, method="filter_model"
    )
    user = IdModelChoiceFilter(
        label="操作人",
        queryset=lambda request: _users_for(request.user),
        field_name="history_user",
    )
    change_type = django_filters.ChoiceFilter(
        label="变动类型", choices=list(CHANGE_TYPES.items()), field_name="history_type"
    )
    date = django_filters.DateFromToRangeFilter(
        label="日期", field_name="history_date", widget=DateRangePickerWidget
    )

    def filter_township(self, queryset, name, value):
        return queryset.filter(community__path__startswith=value.path)

    def filter_model(self, queryset, name, value):
        entry = history_registry.for_model(queryset.model.instance_type)
        return queryset if entry and entry.key == value else queryset.none()


@dataclass
class AuditEntry:
    """One history row as the listing and the export show it."""

    history_date: datetime.datetime
    township: str
    community: str
    model: str
    object_id: int
    title: str
    change_type: str
    user: str
    reason: str
    url: str


class AuditLogView(ReportView):
    page_title = "审计日志"
    header_icon = "history"
    filterset_class = AuditFilterSet
    index_url_name = "review_audit"
    index_results_url_name = "review_audit_results"
    paginate_by = 50
    columns = [
        DateColumn("history_date", label="时间"),
        Column("township", label="乡镇/街道"),
        Column("community", label="村/社区"),
        Column("model", label="记录类型"),
        TitleColumn("title", label="记录", get_url=lambda entry: entry.url),
        Column("change_type", label="变动"),
        Column("user", label="操作人"),
        Column("reason", label="原因"),
    ]
    list_export = [
        "history_date",
        "township",
        "community",
        "model",
        "object_id",
        "title",
        "change_type",
        "user",
        "reason",
    ]
    export_headings = {
        "history_date": "时间",
        "township": "乡镇/街道",
        "community": "村/社区",
        "model": "记录类型",
        "object_id": "记录编号",
        "title": "记录",
        "change_type": "变动",
        "user": "操作人",
        "reason": "原因",
    }

    def dispatch(self, request, *args, **kwargs):
        policy_for(request.user).require_desk()
        return super().dispatch(request, *args, **kwargs)

    def get_filterset_kwargs(self):
        # The filterset is applied to each history table's query in turn (get_filtered_queryset).
        first = next(iter(history_registry))
        return {**super().get_filterset_kwargs(), "queryset": first.history_model.objects.none()}

    def export_name(self) -> str:
        """审计日志, or 审计日志-杏花村 when one community is chosen (cms/exports.py adds the date)."""
        chosen = getattr(self.filters.form, "cleaned_data", {}) if self.filters else {}
        community = chosen.get("community")
        return f"审计日志-{community.title}" if community else "审计日志"

    def get_filtered_queryset(self):
        self.entries = list(history_registry)
        subs = [
            self.filter_queryset(
                visible_history(entry, self.request.user)
                .values("history_id", "history_date")
                .annotate(model_index=Value(index, output_field=IntegerField()))
            ).order_by()
            for index, entry in enumerate(self.entries)
        ]
        # One flat UNION ALL of every history table: chaining union() nests each compound select
        # in the previous one, and SQLite's parser overflows at about twenty tables.
        return subs[0].union(*subs[1:], all=True).order_by("-history_date", "-history_id")

    def paginate_queryset(self, queryset, page_size):
        """The table is built from the page's rows, so they are decorated before it is."""
        paginator, page, object_list, is_paginated = super().paginate_queryset(queryset, page_size)
        page.object_list = self.entries_for(object_list)
        return paginator, page, page.object_list, is_paginated

    def decorate_paginated_queryset(self, object_list):
        # A page arrives decorated already; an export (no pagination) arrives as the union query.
        return object_list if isinstance(object_list, list) else self.entries_for(object_list)

    def entries_for(self, object_list) -> list[AuditEntry]:
        """Union rows (history_id, model_index) as AuditEntry, a constant number of queries."""
        object_list = list(object_list)
        ids_by_model = defaultdict(list)
        for row in object_list:
            ids_by_model[row["model_index"]].append(row["history_id"])
        found = {}
        community_ids = set()
        for index, ids in ids_by_model.items():
            entry = self.entries[index]
            for start in range(0, len(ids), CHUNK):
                rows = entry.history_model.objects.filter(
                    history_id__in=ids[start : start + CHUNK]
                ).select_related("history_user", *entry.related_for_title)
                for row in rows:
                    found[(index, row.history_id)] = row
                    community_ids.add(getattr(row, f"{entry.community_field}_id"))
        communities = {
            c.pk: c
            for c in CommunityPage.objects.filter(pk__in=community_ids).only("title", "path")
        }
        township_titles = dict(
            TownshipPage.objects.filter(
                path__in={c.path[:-4] for c in communities.values()}
            ).values_list("path", "title")
        )
        result = []
        for item in object_list:
            index = item["model_index"]
            entry, row = self.entries[index], found[(index, item["history_id"])]
            community = communities.get(getattr(row, f"{entry.community_field}_id"))
            result.append(
                AuditEntry(
                    history_date=row.history_date,
                    township=township_titles.get(community.path[:-4], "") if community else "",
                    community=community.title if community else "",
                    model=entry.verbose_name,
                    object_id=row.id,
                    title=entry.title_of(row),
                    change_type=CHANGE_TYPES[row.history_type],
                    user=row.actor,
                    reason=row.history_change_reason or "",
                    url=entry.history_url(row.id),
                )
            )
        return result
