"""The register in the admin (人口与代表登记册): the committee edits its community's, with a source
and a reason; reviewers and district staff read it and its history. Scoped like every record
(`CommunityPage.objects.for_user`), allowed by the permission policy."""

import datetime

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms import inlineformset_factory
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone

from cms.text import check_text_fields
from cms.widgets import DateInput
from community.models import CommunityPage
from community.models.register import (
    GROUP_FIELDS,
    VALUE_FIELDS,
    CommunityRegister,
    RegisterGroup,
    register_history,
    register_of,
    register_warnings_of_values,
    save_register,
)
from community.permissions import policy_for

DATE = DateInput()
# The snapshot's and the register's values as the reviewer reads them.
SHOWN = (
    ("adult_residents", "18周岁以上村(居)民"),
    ("households", "户数"),
    ("committee_members", "委员会成员"),
    ("representatives", "村(居)民代表"),
    ("women_representatives", "妇女代表"),
)


class TextChecked:
    """The project's text rule (cms.text) on every field, as on the step forms: a NUL or a lone
    surrogate gets the Chinese message, not Django's "不允许是用空字符串"."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        check_text_fields(self)


class RegisterForm(TextChecked, forms.ModelForm):
    reason = forms.CharField(
        label="变更理由",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="例如：依据2026年6月30日户籍底册更新；换届后代表名册调整。记入历史，审核人员可见。",
        error_messages={"required": "请填写变更理由。"},
    )

    class Meta:
        model = CommunityRegister
        fields = (*VALUE_FIELDS, "source", "as_of")
        widgets = {"as_of": DATE}


class GroupForm(TextChecked, forms.ModelForm):
    pass


GroupFormSet = inlineformset_factory(
    CommunityRegister,
    RegisterGroup,
    form=GroupForm,
    fields=GROUP_FIELDS,
    extra=2,
    can_delete=True,
)


def _community(request, community_id: int) -> CommunityPage:
    policy = policy_for(request.user)
    policy.require_desk()
    community = get_object_or_404(CommunityPage.objects.for_user(request.user), pk=community_id)
    policy.require(policy.may_read_register(community))
    return community


def register_list(request):
    policy = policy_for(request.user)
    policy.require_desk()
    communities = (
        CommunityPage.objects.for_user(request.user).select_related("register").order_by("path")
    )
    rows = [(c, getattr(c, "register", None), policy.may_edit_register(c)) for c in communities]
    context = {"page_title": "人口与代表登记册", "header_icon": "group", "rows": rows}
    return TemplateResponse(request, "community/admin/register_list.html", context)


def register_detail(request, community_id: int):
    community = _community(request, community_id)
    register = CommunityRegister.objects.filter(community=community).first()
    context = {
        "page_title": f"{community.title} · 人口与代表登记册",
        "header_icon": "group",
        "community": community,
        "register": register,
        "current": register_of(community),
        "groups": list(register.groups.all()) if register else [],
        "history": register_history(community),
        "may_edit": policy_for(request.user).may_edit_register(community),
    }
    return TemplateResponse(request, "community/admin/register_detail.html", context)


def register_edit(request, community_id: int):
    community = _community(request, community_id)
    policy_for(request.user).require(
        policy_for(request.user).may_edit_register(community), "登记册由本村(社区)委员会维护。"
    )
    register = CommunityRegister.objects.filter(community=community).first()
    initial = {}
    if register is None:
        register = CommunityRegister(community=community)
        initial = {name: getattr(community, name) for name in CommunityPage.REGISTER_COLUMNS}
    form = RegisterForm(request.POST or None, instance=register, initial=initial)
    formset = GroupFormSet(request.POST or None, instance=register, prefix="groups")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        kept = [f for f in formset.forms if f not in formset.deleted_forms and f.cleaned_data]
        groups = [
            {
                **{k: f.cleaned_data[k] for k in GROUP_FIELDS},
                "instance": f.instance.pk and f.instance,
            }
            for f in kept
        ]
        deleted = [f.instance for f in formset.deleted_forms if f.instance.pk]
        values = {k: form.cleaned_data[k] for k in form.Meta.fields}
        try:
            saved = save_register(
                community, request.user, reason=form.cleaned_data["reason"],
                values=values, groups=groups, deleted=deleted,
            )  # fmt: skip
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "登记册已保存，变更已记入历史。")
            shape = [(g["name"], g["adults"], g["households"]) for g in groups]
            for warning in register_warnings_of_values(saved, shape):
                messages.warning(request, warning)
            return redirect("community_register_detail", community.pk)
    context = {
        "page_title": f"{community.title} · 修改登记册",
        "header_icon": "group",
        "community": community,
        "form": form,
        "formset": formset,
    }
    return TemplateResponse(request, "community/admin/register_edit.html", context)


def register_panel(revision) -> dict | None:
    """What the reviewer reads next to a vote's tallies: the register the vote was judged against,
    the register now, and its changes since a year before the meeting, newest first."""
    if not revision.meeting_date and not revision.register_snapshot:
        return None
    community = revision.community
    current = register_of(community)
    snapshot = revision.register_snapshot or {}
    day = revision.meeting_date or timezone.localdate()
    since = timezone.make_aware(
        datetime.datetime.combine(day - datetime.timedelta(days=365), datetime.time.min)
    )
    rows = []
    for name, label in SHOWN:
        then, now = snapshot.get(name), getattr(current, name)
        rows.append(
            {"label": label, "then": then, "now": now, "differs": bool(snapshot) and then != now}
        )
    return {
        "community": community,
        "rows": rows,
        "snapshot": snapshot,
        "snapshot_groups": snapshot.get("groups", []),
        "current": current,
        "history": register_history(community, since=since),
        "since": since,
    }


def register_urls():
    return [
        path("registers/", register_list, name="community_register_list"),
        path("registers/<int:community_id>/", register_detail, name="community_register_detail"),
        path("registers/<int:community_id>/edit/", register_edit, name="community_register_edit"),
    ]
