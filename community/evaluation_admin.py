"""民主评议 in the admin: the supervision committee opens a year's evaluation and records the meeting
and each person's tallies; everyone on the review desk reads the results, the flags and the
history of the communities they see (`CommunityPage.objects.for_user`). Who may is asked of the
policy (`is_supervisor_of`); a committee member, a reviewer or district staff get 403 on the
forms."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db.models import Count, Prefetch, Q
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone

from cms.widgets import DateInput
from community.evaluations import (
    check_ratings,
    previous_of,
    public_url,
    save_results,
    termination_citation,
)
from community.models import CommunityPage, TownshipPage
from community.models.evaluation import MEETING_FIELDS, Evaluation, EvaluationRating
from community.permissions import policy_for
from community.procedures import MEETING_LABELS, MEETINGS_FOR, VotePurpose
from community.register_admin import TextChecked

REFUSED = "民主评议由本村(社区)的村(居)务监督委员会主持，只有其成员可以开启评议和登记结果。"


class OpenForm(forms.Form):
    year = forms.IntegerField(
        label="评议年度",
        min_value=2000,
        error_messages={
            "required": "请填写评议年度。",
            "invalid": "评议年度应为四位数的年份，例如 2026。",
            "min_value": "评议年度不能早于 2000 年。",
            "max_value": "评议年度不能晚于今年（%(limit_value)s 年）。",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        this_year = timezone.localdate().year
        self.fields["year"].validators.append(MaxValueValidator(this_year))
        self.fields["year"].widget.attrs["max"] = this_year


class MeetingForm(TextChecked, forms.ModelForm):
    class Meta:
        model = Evaluation
        fields = (*MEETING_FIELDS, "published_on")
        widgets = {
            "meeting_date": DateInput(),
            "notice_date": DateInput(),
            "published_on": DateInput(),
        }

    def __init__(self, *args, community: CommunityPage, **kwargs):
        super().__init__(*args, **kwargs)
        allowed = MEETINGS_FOR[VotePurpose.EVALUATION][community.kind]
        self.fields["meeting_kind"].choices = [("", "请选择")] + [
            (k.value, MEETING_LABELS[k]) for k in allowed
        ]
        for name in ("meeting_kind", "meeting_date", "eligible", "present"):
            self.fields[name].required = True
            self.fields[name].error_messages["required"] = f"请填写{self.fields[name].label}。"
        for name in (
            "eligible",
            "present",
            "women_present",
            "households",
            "households_represented",
        ):
            self.fields[name].error_messages.update(
                invalid="请填写整数。", min_value="不能为负数。"
            )


COUNT_ERRORS = {
    "invalid": "请填写整数。",
    "min_value": "票数不能为负数。",
    "required": "请填写票数。",
}


class RatingForm(TextChecked, forms.Form):
    name = forms.CharField(label="姓名", max_length=40)
    post = forms.CharField(label="职务", max_length=40)
    kind = forms.ChoiceField(label="类别", choices=EvaluationRating.Kind.choices)
    competent = forms.IntegerField(label="称职", min_value=0, error_messages=COUNT_ERRORS)
    basic = forms.IntegerField(label="基本称职", min_value=0, error_messages=COUNT_ERRORS)
    incompetent = forms.IntegerField(label="不称职", min_value=0, error_messages=COUNT_ERRORS)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("name", "post"):
            self.fields[name].error_messages.update(
                required=f"请填写{self.fields[name].label}。",
                max_length="最多 40 个字。",
            )

    def has_changed(self) -> bool:
        """A row counts once a name, post or tally is typed: the 类别 select always posts a value
        and 删除 may be ticked, so on a blank extra row they would have the row checked (and
        refused with 请填写姓名) instead of ignored as the form's help text promises."""
        return any(name not in ("kind", "DELETE") for name in self.changed_data)


RatingFormSet = forms.formset_factory(RatingForm, extra=2, can_delete=True)


def _community(request, community_id: int) -> CommunityPage:
    policy_for(request.user).require_desk()
    return get_object_or_404(CommunityPage.objects.for_user(request.user), pk=community_id)


def _evaluation(request, pk: int) -> Evaluation:
    policy_for(request.user).require_desk()
    communities = CommunityPage.objects.for_user(request.user)
    return get_object_or_404(
        Evaluation.objects.select_related("community").filter(community__in=communities), pk=pk
    )


def _townships(communities) -> dict[str, str]:
    steplen = CommunityPage.steplen
    paths = {c.path[:-steplen] for c in communities}
    return dict(TownshipPage.objects.filter(path__in=paths).values_list("path", "title"))


def evaluation_list(request):
    """Every community the user sees with its evaluations, newest first, and the flags."""
    policy = policy_for(request.user)
    policy.require_desk()
    ratings = EvaluationRating.objects.filter(consecutive_incompetent=True)
    communities = list(
        CommunityPage.objects.for_user(request.user)
        .order_by("path")
        .only("title", "kind", "path", "depth")
        .prefetch_related(
            Prefetch(
                "evaluations",
                Evaluation.objects.annotate(
                    rated=Count("ratings"), flags=Count("ratings", filter=Q(ratings__in=ratings))
                ).order_by("-year"),
            )
        )
    )
    townships = _townships(communities)
    flagged = (
        EvaluationRating.objects.filter(
            consecutive_incompetent=True, community__in=[c.pk for c in communities]
        )
        .select_related("evaluation__community")
        .order_by("-evaluation__year")
    )
    today = timezone.localdate()
    rows = []
    for community in communities:
        evaluations = list(community.evaluations.all())
        latest = evaluations[0] if evaluations else None
        rows.append(
            {
                "community": community,
                "township": townships.get(community.path[: -community.steplen], ""),
                "latest": latest,
                "status": _status(latest, today) if latest else "尚无民主评议",
                "this_year": any(e.year == today.year and e.rated for e in evaluations),
                "evaluations": evaluations,
                "may_open": policy.is_supervisor_of(community),
            }
        )
    context = {
        "page_title": "民主评议",
        "header_icon": "list-ul",
        "rows": rows,
        "flagged": [(r, termination_citation(r.evaluation)) for r in flagged],
        "year": today.year,
    }
    return TemplateResponse(request, "community/admin/evaluation_list.html", context)


def _status(evaluation: Evaluation, today) -> str:
    """The status from the annotated count (no query per row)."""
    if not evaluation.rated or not evaluation.has_vote:
        return "已开启，待登记结果"
    if evaluation.is_published(today):
        return f"已公布（{evaluation.published_on:%Y-%m-%d}）"
    return "结果尚未公布（法律要求公布）" if evaluation.publish_required else "结果已登记（未公布）"


def evaluation_detail(request, pk: int):
    evaluation = _evaluation(request, pk)
    policy = policy_for(request.user)
    ratings = list(evaluation.ratings.all())
    context = {
        "page_title": str(evaluation),
        "header_icon": "list-ul",
        "evaluation": evaluation,
        "community": evaluation.community,
        "ratings": ratings,
        "status": evaluation.status(),
        "flagged": [r for r in ratings if r.consecutive_incompetent],
        "termination": termination_citation(evaluation),
        "previous": previous_of(evaluation),
        "may_edit": policy.is_supervisor_of(evaluation.community)
        and evaluation.published_on is None,
        "public_url": public_url(evaluation.community) if evaluation.is_published() else "",
    }
    return TemplateResponse(request, "community/admin/evaluation_detail.html", context)


def evaluation_open(request, community_id: int):
    community = _community(request, community_id)
    if not policy_for(request.user).is_supervisor_of(community):
        return refused(request, community)
    form = OpenForm(request.POST or None, initial={"year": timezone.localdate().year})
    if request.method == "POST" and form.is_valid():
        year = form.cleaned_data["year"]
        existing = Evaluation.objects.filter(community=community, year=year).first()
        if existing is not None:
            form.add_error("year", f"{community.title}已有{year}年度的民主评议，请在其中登记结果。")
        else:
            evaluation = Evaluation(community=community, year=year)
            evaluation._history_user = request.user
            evaluation.save()
            messages.success(request, f"已开启{year}年度民主评议，请登记评议会议和票数。")
            return redirect("evaluation_edit", evaluation.pk)
    context = {
        "page_title": f"{community.title} · 开启民主评议",
        "header_icon": "plus",
        "community": community,
        "form": form,
    }
    return TemplateResponse(request, "community/admin/evaluation_open.html", context)


def refused(request, community: CommunityPage) -> TemplateResponse:
    """403 with the reason (Wagtail would turn a PermissionDenied into a redirect home)."""
    context = {
        "page_title": "无权操作",
        "header_icon": "warning",
        "message": REFUSED,
        "community": community,
    }
    return TemplateResponse(request, "community/admin/evaluation_refused.html", context, status=403)


def _initial_ratings(evaluation: Evaluation) -> list[dict]:
    """The stored rows; for a new evaluation, last time's people with blank tallies."""
    rows = list(evaluation.ratings.all())
    if not rows:
        previous = previous_of(evaluation)
        people = list(previous.ratings.all()) if previous else []
        return [{"name": r.name, "post": r.post, "kind": r.kind} for r in people]
    return [{name: getattr(r, name) for name in RatingForm.base_fields} for r in rows]


def evaluation_edit(request, pk: int):
    evaluation = _evaluation(request, pk)
    community = evaluation.community
    if not policy_for(request.user).is_supervisor_of(community):
        return refused(request, community)
    if evaluation.published_on is not None:
        messages.error(request, "评议结果已公布，不能再修改。")
        return redirect("evaluation_detail", evaluation.pk)
    data = request.POST or None
    form = MeetingForm(data, instance=evaluation, community=community)
    formset = RatingFormSet(data, initial=_initial_ratings(evaluation), prefix="ratings")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        rows = _rows(formset)
        meeting = {name: form.cleaned_data[name] for name in MEETING_FIELDS}
        fresh = Evaluation.objects.get(pk=evaluation.pk)
        try:
            save_results(
                fresh, request.user, meeting, rows, published_on=form.cleaned_data["published_on"]
            )
        except ValidationError as error:
            _show(error, form, formset, fresh, rows)
        else:
            messages.success(request, "民主评议结果已保存，变更已记入历史。")
            return redirect("evaluation_detail", evaluation.pk)
    context = {
        "page_title": f"{evaluation} · 登记结果",
        "header_icon": "edit",
        "evaluation": evaluation,
        "community": community,
        "form": form,
        "formset": formset,
    }
    return TemplateResponse(request, "community/admin/evaluation_edit.html", context)


def _filled(formset) -> list:
    deleted = set(map(id, formset.deleted_forms))
    return [f for f in formset.forms if f.cleaned_data and id(f) not in deleted]


def _rows(formset) -> list[dict]:
    return [{k: v for k, v in f.cleaned_data.items() if k != "DELETE"} for f in _filled(formset)]


def _show(error: ValidationError, form, formset, evaluation, rows) -> None:
    """The refusal by field where the meeting form has it; a row's problem on its row."""
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
        return
    problems = check_ratings(evaluation, rows)
    filled = _filled(formset)
    for problem in problems:
        if filled and problem.field:
            filled[problem.row].add_error(problem.field, problem.message)
        else:
            form.add_error(None, problem.message)
    if not problems:
        form.add_error(None, error.messages)


def evaluation_urls():
    return [
        path("evaluations/", evaluation_list, name="evaluation_list"),
        path("evaluations/<int:pk>/", evaluation_detail, name="evaluation_detail"),
        path("evaluations/<int:pk>/edit/", evaluation_edit, name="evaluation_edit"),
        path("evaluations/open/<int:community_id>/", evaluation_open, name="evaluation_open"),
    ]
