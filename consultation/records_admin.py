"""Deliberations, implementation updates and decisions in the admin (wagtail-modeladmin): scoped to
the user's communities, created and edited by the community's committee, read by reviewers and
district staff; speakers' names shown only to the committee and the district."""

from django import forms
from django.utils.html import format_html, format_html_join
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail_modeladmin.helpers import PermissionHelper
from wagtail_modeladmin.options import ModelAdmin, ModelAdminGroup
from wagtail_modeladmin.views import CreateView, InspectView

from cms.ids import parse_id
from community.covenant_admin import CommunityFilter, DeclaredFiltersIndexView
from community.models import CommunityPage
from community.permissions import policy_for, within
from consultation.models import ConsultationPage, Decision, Deliberation, ImplementationUpdate
from consultation.models.records import STANCE_LABELS


def _agendas_of(communities):
    return ConsultationPage.objects.filter(within(communities)).order_by("-starts_at", "-pk")


class RecordForm(WagtailAdminModelForm):
    """Choices limited to the user's own communities; publishing once, then corrections with a reason."""

    publish = forms.BooleanField(label="发布（向居民公开）", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        communities = policy_for(self.for_user).committee_communities()
        if "agenda" in self.fields:
            self.fields["agenda"].queryset = _agendas_of(communities)
        if "consultation" in self.fields:
            self.fields["consultation"].queryset = _agendas_of(communities)
        if "community" in self.fields:
            self.fields["community"].queryset = communities
        published = bool(self.instance.pk) and self.instance.is_published
        if "publish" in self.fields and published:
            del self.fields["publish"]
        if "correction_reason" in self.fields:
            self.initial["correction_reason"] = ""
            self.fields["correction_reason"].required = published
            self.fields["correction_reason"].help_text = (
                "已发布的记录只能更正，并须写明理由；公开页面会显示更正时间和理由。"
                if published
                else "首次发布前无需填写。"
            )
            if not published:
                self.fields["correction_reason"].widget = forms.HiddenInput()

    def save(self, commit=True):
        instance = super().save(commit=False)
        user = self.for_user
        if instance.pk and instance.is_published:
            instance.correct(user, self.cleaned_data.get("correction_reason", ""))
            return instance
        instance._history_user = user
        instance._change_reason = "保存"
        instance.save()
        if self.cleaned_data.get("publish") and hasattr(instance, "publish"):
            instance.publish(user)
        return instance


class RecordPermissionHelper(PermissionHelper):
    def _community(self, obj):
        return obj.community

    def user_can_list(self, user):
        return policy_for(user).may_use_desk()

    def user_can_inspect_obj(self, user, obj):
        """modeladmin fetches the object unscoped, so the scope is checked here."""
        return CommunityPage.objects.for_user(user).filter(pk=obj.community_id).exists()

    def user_can_create(self, user):
        return policy_for(user).committee_communities().exists()

    def user_can_edit_obj(self, user, obj):
        return policy_for(user).committee_communities().filter(pk=obj.community_id).exists()

    def user_can_delete_obj(self, user, obj):
        """Only an unpublished draft may be deleted; its history stays (simple-history keeps it)."""
        return not obj.is_published and self.user_can_edit_obj(user, obj)


class DeliberationInspectView(InspectView):
    def get_field_display_value(self, field_name, field=None):
        record = self.instance
        if field_name == "opinions":
            names = policy_for(self.request.user).may_see_personal_names(record.community)
            rows = [
                (
                    STANCE_LABELS.get(b.value["stance"], ""),
                    b.value["speaker_category"]
                    + (
                        f"（{b.value['speaker_name']}）"
                        if names and b.value["speaker_name"]
                        else ""
                    ),
                    b.value["summary"],
                )
                for b in record.opinions
            ]
            return format_html("<ul>{}</ul>", format_html_join("", "<li>[{}] {}：{}</li>", rows))
        if field_name == "attendance":
            return "；".join(f"{a['category']} {a['count']} 人" for a in record.public_attendance())
        return super().get_field_display_value(field_name, field)


class PrefilledCreateView(CreateView):
    """`?agenda=<page id>` preselects the agenda, for the button on an agenda's admin page."""

    def get_initial(self):
        initial = super().get_initial()
        agenda = parse_id(self.request.GET.get("agenda"))
        if agenda is not None:
            initial["agenda"] = agenda
        return initial


class ScopedAdmin(ModelAdmin):
    permission_helper_class = RecordPermissionHelper
    inspect_view_enabled = True
    create_view_class = PrefilledCreateView
    index_view_class = DeclaredFiltersIndexView
    history_view_enabled = (
        False  # modeladmin loads it unscoped; history is on the record's own page
    )

    def get_queryset(self, request):
        related = [f for f in ("community", "agenda") if hasattr(self.model, f)]
        return self.model.objects.for_user(request.user).select_related(*related)

    def get_edit_handler(self):
        panels = [*self.model.panels]
        if hasattr(self.model, "published_at"):
            panels.append(FieldPanel("publish"))
        return ObjectList(panels, base_form_class=RecordForm)


class DeliberationAdmin(ScopedAdmin):
    model = Deliberation
    menu_label = "协商记录"
    menu_icon = "clipboard-list"
    inspect_view_class = DeliberationInspectView
    inspect_view_fields = [
        "agenda",
        "held_at",
        "attendance",
        "opinions",
        "outcome",
        "published_at",
        "corrected_at",
        "correction_reason",
    ]
    list_display = ("agenda", "community", "held_at", "published_at", "corrected_at")
    list_filter = (("community", CommunityFilter), "held_at")
    search_fields = ("agenda__title", "outcome")


class ImplementationUpdateAdmin(ScopedAdmin):
    model = ImplementationUpdate
    menu_label = "落实反馈"
    menu_icon = "tasks"
    list_display = ("agenda", "community", "date", "status", "published_at")
    list_filter = ("status", ("community", CommunityFilter), "date")
    search_fields = ("agenda__title", "text")


class DecisionAdmin(ScopedAdmin):
    model = Decision
    menu_label = "四议两公开"
    menu_icon = "list-ol"
    list_display = (
        "title",
        "community",
        "step",
        "resolution_published_on",
        "result_published_on",
    )
    list_filter = (("community", CommunityFilter),)
    search_fields = ("title", "summary")

    def step(self, obj: Decision) -> str:
        return obj.current_step

    step.short_description = "当前步骤"


class ConsultationRecordsGroup(ModelAdminGroup):
    menu_label = "协商议事记录"
    menu_icon = "group"
    menu_order = 260
    items = (DeliberationAdmin, ImplementationUpdateAdmin, DecisionAdmin)
