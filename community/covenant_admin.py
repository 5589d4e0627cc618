"""The covenant procedure's listing in the admin: scoped, read-only, changed only by its steps."""

from django.contrib import messages
from django.contrib.admin import RelatedFieldListFilter, SimpleListFilter
from django.contrib.admin.options import IncorrectLookupParameters
from django.shortcuts import redirect
from django.urls import reverse
from wagtail.admin.menu import MenuItem
from wagtail_modeladmin.helpers import ButtonHelper, PermissionHelper
from wagtail_modeladmin.options import ModelAdmin
from wagtail_modeladmin.views import IndexView

from cms.ids import parse_id
from community.models import CommunityPage, CovenantRevision, TownshipPage
from community.permissions import policy_for


class DeclaredFiltersIndexView(IndexView):
    """modeladmin turns every unknown query parameter into an ORM lookup, through any relation
    (`?reviewer__password__startswith=`, a speaker's name inside a StreamField): whether a row
    appears would answer it. Only the declared list filters' parameters are kept."""

    def get_filters(self, request):
        filter_specs, has_filters, _undeclared, use_distinct = super().get_filters(request)
        return filter_specs, has_filters, {}, use_distinct

    def dispatch(self, request, *args, **kwargs):
        """A filter value its field cannot take (`?held_at__gte=x`) is what Django's own changelist
        answers with its `?e=1` page; modeladmin lets it through as a 500. Here the listing opens
        unfiltered, saying which value was ignored."""
        try:
            return super().dispatch(request, *args, **kwargs)
        except IncorrectLookupParameters:
            messages.error(request, "筛选条件的值无效，已显示全部记录。")
            return redirect(request.path)


def _has_role(user) -> bool:
    return policy_for(user).may_use_desk()


class RevisionPermissionHelper(PermissionHelper):
    """Revisions are listed by scope and changed only through the procedure's steps."""

    def user_can_list(self, user):
        return _has_role(user)

    def user_can_create(self, user):
        return False

    def user_can_edit_obj(self, user, obj):
        return False

    def user_can_delete_obj(self, user, obj):
        return False  # history is never deleted


class RevisionButtonHelper(ButtonHelper):
    def get_buttons_for_obj(self, obj, exclude=None, classnames_add=None, classnames_exclude=None):
        return [
            {
                "url": reverse("community_revision_detail", args=(obj.pk,)),
                "label": "查看与办理",
                "classname": "button button-small button-secondary",
                "title": "查看记录、历史，并办理当前步骤",
            }
        ]


class CommunityFilter(RelatedFieldListFilter):
    """The community filter lists only the communities the user may see (Django's lists every
    row of the related model: another township's unpublished or password-protected villages)."""

    def field_choices(self, field, request, model_admin):
        communities = CommunityPage.objects.for_user(request.user).order_by("path")
        return [(c.pk, c.title) for c in communities]


class TownshipFilter(SimpleListFilter):
    title = "乡镇/街道"
    parameter_name = "township"

    def lookups(self, request, model_admin):
        paths = {
            path[: -CommunityPage.steplen]
            for path in CommunityPage.objects.for_user(request.user).values_list("path", flat=True)
        }
        return [
            (t.pk, t.title) for t in TownshipPage.objects.filter(path__in=paths).order_by("path")
        ]

    def queryset(self, request, queryset):
        township_id = parse_id(self.value())
        township = TownshipPage.objects.filter(pk=township_id).first() if township_id else None
        if township is None:
            return queryset
        return queryset.filter(community__path__startswith=township.path)


class CovenantRevisionAdmin(ModelAdmin):
    model = CovenantRevision
    menu_label = "全部修订"
    add_to_admin_menu = False
    permission_helper_class = RevisionPermissionHelper
    button_helper_class = RevisionButtonHelper
    index_view_class = DeclaredFiltersIndexView
    history_view_enabled = (
        False  # modeladmin loads it unscoped; history is on the record's own page
    )
    list_display = ("covenant", "community", "stage", "version_label", "updated_at")
    list_filter = (
        TownshipFilter,
        ("community", CommunityFilter),
        "stage",
        "imported",
        "updated_at",
    )
    search_fields = ("covenant__title", "community__title", "version_label", "filing_number")
    ordering = ("-updated_at",)

    def get_queryset(self, request):
        return CovenantRevision.objects.for_user(request.user).select_related(
            "covenant", "community"
        )


revision_admin = CovenantRevisionAdmin()
revision_admin.register_with_wagtail()


class RoleMenuItem(MenuItem):
    def is_shown(self, request):
        return _has_role(request.user)
