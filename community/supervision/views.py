"""监督委员会 in the admin: per community of the user's scope, the members (kept by the township and
the district), the finance notices awaiting 民主理财 (the committee asks, a member signs off or
returns, the committee publishes the signed content), the opinions and the reports to the
township. Every action is allowed by the permission policy; everything else is read-only."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse

from cms.display import local_date, local_datetime
from community.models import (
    CommunityPage,
    FinanceSignOff,
    NoticePage,
    Notification,
    Role,
    SupervisionMember,
    SupervisionOpinion,
    SupervisionReport,
)
from community.models.supervision import revision_digest
from community.permissions import policy_for, within
from community.review.notifications import members, notify_users
from community.supervision.finance import (
    pending_notices,
    publication_problem,
    record_outcome,
    status_of,
    supervisors_of,
)
from community.supervision.forms import (
    HandlingForm,
    MemberForm,
    OpinionForm,
    ReportForm,
    SignOffForm,
)

ICON = "view"
STALE = "草稿已更新，请重新查看后再审核。"


def _community(request, community_id: int) -> CommunityPage:
    policy = policy_for(request.user)
    policy.require_desk()
    return get_object_or_404(CommunityPage.objects.for_user(request.user), pk=community_id)


def _save(record, user, reason: str):
    record._history_user = user
    record._change_reason = reason
    record.save()
    return record


def overview(request):
    policy = policy_for(request.user)
    policy.require_desk()
    communities = list(CommunityPage.objects.for_user(request.user).order_by("path"))
    people = SupervisionMember.objects.filter(community__in=communities).order_by(
        "post", "-term_start", "pk"
    )
    by_community = {c.pk: {"community": c, "members": [], "notices": []} for c in communities}
    by_path = {c.path: c.pk for c in communities}
    for member in people:
        by_community[member.community_id]["members"].append(member)
    scope = CommunityPage.objects.filter(pk__in=by_community)
    for notice in pending_notices(scope):
        community_id = by_path.get(notice.path[: notice.steplen * 4])
        if community_id is not None:
            by_community[community_id]["notices"].append((notice, status_of(notice)))
    opinions = SupervisionOpinion.objects.filter(community__in=communities).select_related(
        "community"
    )[:50]
    # The committee the supervision committee watches does not read its reports to the township.
    readable = [c.pk for c in communities if policy.may_read_supervision_reports(c)]
    reports = SupervisionReport.objects.filter(community__in=readable).select_related("community")[
        :50
    ]
    rows = []
    for row in by_community.values():
        community = row["community"]
        rows.append(
            {
                **row,
                "keeps_members": policy.may_keep_supervision_members(community),
                "writes": policy.may_write_supervision(community),
                "former": [m for m in row["members"] if not m.is_current()],
                "current": [m for m in row["members"] if m.is_current()],
            }
        )
    context = {
        "page_title": "监督委员会",
        "header_icon": ICON,
        "rows": rows,
        "opinions": opinions,
        "reads_reports": bool(readable),
        "reports": reports,
        "handles": {r.pk for r in reports if policy.may_handle_supervision_reports(r.community)},
    }
    return TemplateResponse(request, "community/admin/supervision.html", context)


def member_edit(request, community_id: int, member_id: int | None = None):
    community = _community(request, community_id)
    policy_for(request.user).require(
        policy_for(request.user).may_keep_supervision_members(community),
        "监督委员会成员由村(居)民会议选举产生，名单由乡镇(街道)审核人员或区民政维护。",
    )
    member = (
        get_object_or_404(SupervisionMember, pk=member_id, community=community)
        if member_id
        else SupervisionMember(community=community)
    )
    form = MemberForm(request.POST or None, instance=member)
    form.fields["user"].queryset = get_user_model().objects.filter(
        groups__role__kind=Role.Kind.SUPERVISOR, groups__role__page=community
    )
    if request.method == "POST" and form.is_valid():
        _save(form.save(commit=False), request.user, "修改成员" if member_id else "登记成员")
        messages.success(request, f"已保存监督委员会成员：{form.instance.name}。")
        return redirect("supervision_overview")
    context = {
        "page_title": f"{community.title} · 监督委员会成员",
        "header_icon": ICON,
        "form": form,
    }
    return TemplateResponse(request, "community/admin/supervision_form.html", context)


def _write(request, community_id: int) -> CommunityPage:
    community = _community(request, community_id)
    policy_for(request.user).require(
        policy_for(request.user).may_write_supervision(community),
        "只有本村(社区)监督委员会成员可以提出监督意见、反映问题。",
    )
    return community


def opinion_create(request, community_id: int):
    community = _write(request, community_id)
    opinion = SupervisionOpinion(community=community, author=request.user)
    form = OpinionForm(request.POST or None, instance=opinion)
    form.fields["page"].queryset = (
        form.fields["page"]
        .queryset.filter(within(CommunityPage.objects.filter(pk=community.pk)))
        .live()
    )
    if request.method == "POST" and form.is_valid():
        _save(form.save(commit=False), request.user, "提出监督意见")
        messages.success(request, "监督意见已记录。")
        return redirect("supervision_overview")
    context = {"page_title": f"{community.title} · 监督意见", "header_icon": ICON, "form": form}
    return TemplateResponse(request, "community/admin/supervision_form.html", context)


def report_create(request, community_id: int):
    community = _write(request, community_id)
    report = SupervisionReport(community=community, author=request.user)
    form = ReportForm(request.POST or None, instance=report)
    if request.method == "POST" and form.is_valid():
        report = _save(form.save(commit=False), request.user, "向乡镇(街道)反映问题")
        notify_users(
            members(Role.Kind.REVIEWER, community.get_parent().pk),
            Notification.Kind.SUPERVISION_REPORT,
            f"{community.title}监督委员会反映问题：{report.text[:60]}",
            event_key=f"supervision-report:{report.pk}",
            link=reverse("supervision_report_handle", args=(report.pk,)),
        )
        messages.success(request, "已向乡镇(街道)反映，审核人员会收到通知。")
        return redirect("supervision_overview")
    context = {"page_title": f"{community.title} · 反映问题", "header_icon": ICON, "form": form}
    return TemplateResponse(request, "community/admin/supervision_form.html", context)


def report_handle(request, report_id: int):
    report = get_object_or_404(SupervisionReport, pk=report_id)
    community = _community(request, report.community_id)
    policy_for(request.user).require(
        policy_for(request.user).may_read_supervision_reports(community),
        "监督委员会向乡镇(街道)反映的问题由乡镇(街道)和区民政查阅，村(居)民委员会不能查看。",
    )
    handles = policy_for(request.user).may_handle_supervision_reports(community)
    form = HandlingForm(request.POST or None, instance=report) if handles else None
    if request.method == "POST":
        policy_for(request.user).require(handles, "反映的问题由所属乡镇(街道)受理和办理。")
        if form.is_valid():
            report = form.save(commit=False)
            report.handled_by = request.user
            _save(report, request.user, "记录受理和处理情况")
            messages.success(request, "已记录受理和处理情况。")
            return redirect("supervision_overview")
    context = {
        "page_title": f"{community.title} · 反映问题",
        "header_icon": ICON,
        "report": report,
        "reported_on": local_date(report.reported_on),
        "form": form,
    }
    return TemplateResponse(request, "community/admin/supervision_report.html", context)


def _notice(request, notice_id: int) -> tuple[NoticePage, CommunityPage]:
    notice = get_object_or_404(NoticePage, pk=notice_id)
    community_path = notice.path[: notice.steplen * 4]
    community = CommunityPage.objects.for_user(request.user).filter(path=community_path).first()
    if community is None:
        raise Http404
    policy_for(request.user).require_desk()
    return notice, community


def finance_detail(request, notice_id: int):
    notice, community = _notice(request, notice_id)
    policy = policy_for(request.user)
    revision = notice.latest_revision
    form = SignOffForm(request.POST or None)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            _require_shown(request, revision)
            _act(request, action, notice, community, revision, form)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect("supervision_finance", notice.pk)
    draft = revision.as_object() if revision else notice
    signoffs = FinanceSignOff.objects.filter(notice=notice).select_related("member", "user")
    context = {
        "page_title": f"财务公开审核 · {notice.title}",
        "header_icon": ICON,
        "notice": notice,
        "community": community,
        "draft": draft,
        "display_from": local_date(draft.display_from) if draft.display_from else "",
        "display_until": local_date(draft.display_until) if draft.display_until else "长期",
        "published": notice.live and not notice.has_unpublished_changes,
        "status": "已发布"
        if notice.live and not notice.has_unpublished_changes
        else status_of(notice),
        "problem": publication_problem(notice, revision),
        "signoffs": [(s, local_datetime(s.signed_at)) for s in signoffs],
        "may_sign": policy.may_write_supervision(community),
        "shown_revision": revision.pk if revision else "",
        "shown_digest": revision_digest(revision) if revision else "",
        "is_committee": policy.is_committee_of(community),
        "form": form,
    }
    return TemplateResponse(request, "community/admin/supervision_finance.html", context)


def _require_shown(request, revision) -> None:
    """What is signed off or published is what the page showed: the draft's latest revision then,
    with the same content (autosave overwrites a revision in place)."""
    if revision is None:
        return
    shown = (request.POST.get("revision", ""), request.POST.get("digest", ""))
    if shown != (str(revision.pk), revision_digest(revision)):
        raise ValidationError(STALE)


def _act(request, action, notice, community, revision, form) -> None:
    policy = policy_for(request.user)
    if revision is None:
        raise ValidationError("该公示还没有可审核的版本。")
    if action in (FinanceSignOff.Outcome.SIGNED, FinanceSignOff.Outcome.RETURNED):
        policy.require(
            policy.may_write_supervision(community),
            "只有本村(社区)监督委员会成员可以审核财务公开。",
        )
        if not form.is_valid():
            raise ValidationError("请检查审核意见。")
        record_outcome(notice, revision, request.user, action, form.cleaned_data["opinion"])
        done = "审核通过" if action == FinanceSignOff.Outcome.SIGNED else "已退回修改"
        messages.success(request, f"{done}：{notice.title}。")
        return
    policy.require(policy.is_committee_of(community), "只有本村(社区)委员会可以提请审核和发布。")
    if action == "request":
        notify_users(
            supervisors_of(community),
            Notification.Kind.SIGNOFF_REQUESTED,
            f"{community.title}的财务公开“{notice.title}”待监督委员会审核。",
            event_key=f"signoff:{notice.pk}:{revision.pk}",
            link=reverse("supervision_finance", args=(notice.pk,)),
        )
        messages.success(request, "已提请监督委员会审核。")
    elif action == "publish":
        policy.require(
            notice.permissions_for_user(request.user).can_publish(),
            "您没有发布该公示的权限。",
        )
        if problem := publication_problem(notice, revision):
            raise ValidationError(problem)
        revision.publish(user=request.user)
        messages.success(request, f"已发布：{notice.title}。")
    else:
        raise PermissionDenied


def supervision_urls():
    return [
        path("supervision/", overview, name="supervision_overview"),
        path(
            "supervision/<int:community_id>/members/add/",
            member_edit,
            name="supervision_member_add",
        ),
        path(
            "supervision/<int:community_id>/members/<int:member_id>/",
            member_edit,
            name="supervision_member_edit",
        ),
        path(
            "supervision/<int:community_id>/opinions/add/",
            opinion_create,
            name="supervision_opinion_add",
        ),
        path(
            "supervision/<int:community_id>/reports/add/",
            report_create,
            name="supervision_report_add",
        ),
        path(
            "supervision/reports/<int:report_id>/", report_handle, name="supervision_report_handle"
        ),
        path("supervision/finance/<int:notice_id>/", finance_detail, name="supervision_finance"),
    ]
