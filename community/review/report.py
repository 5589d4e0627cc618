"""The district report page: the half-year figures for a chosen period, with the dashboard's
charts, a printable view and a CSV export, all over the viewer's communities."""

import datetime

from django import forms
from django.http.response import HttpResponseBase
from django.template.response import TemplateResponse
from django.utils import timezone
from django.views.decorators.http import require_safe

from cms import exports
from cms.widgets import DateInput
from community.models import CommunityPage, TownshipPage
from community.permissions import policy_for
from community.review import disclosures, figures
from community.review.charts import bar_chart

MAX_PERIOD_DAYS = 10 * 366


class PeriodForm(forms.Form):
    start = forms.DateField(label="开始日期", widget=DateInput())
    end = forms.DateField(label="结束日期", widget=DateInput())
    township = forms.ModelChoiceField(
        label="乡镇/街道", queryset=TownshipPage.objects.none(), required=False
    )

    def __init__(self, *args, communities=None, **kwargs):
        super().__init__(*args, **kwargs)
        paths = {p[:-4] for p in communities.values_list("path", flat=True)}
        self.fields["township"].queryset = TownshipPage.objects.filter(path__in=paths).order_by(
            "path"
        )

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and start > end:
            raise forms.ValidationError("开始日期不能晚于结束日期。")
        # The report counts per month and per week: a period of centuries is a slip, and its last
        # month would run past the calendar's end (year 9999).
        if start and end and (end - start).days > MAX_PERIOD_DAYS:
            raise forms.ValidationError("统计期间最长十年，请缩短开始和结束日期之间的间隔。")
        if (start and start.year < 2000) or (end and end.year > 2100):
            raise forms.ValidationError("请填写2000年至2100年之间的日期。")
        return data


def report_data(communities, period: figures.Period, today: datetime.date) -> dict:
    stages = figures.covenants_by_stage(communities, today)
    per_month = figures.consultations_per_month(communities, period)
    weeks = figures.form_answers_per_week(communities, period)
    return {
        "period": period,
        "figures": figures.half_year_figures(communities, period),
        "per_month": per_month,
        "per_month_chart": bar_chart(
            [
                (f"{m:%Y年%m月}", n)
                for m, n in zip(per_month["months"], per_month["totals"], strict=True)
            ],
            "每月协商次数",
            "次",
        ),
        "stages": stages,
        "age_labels": figures.AGE_LABELS,
        "stage_chart": bar_chart(
            [(s["label"], s["total"]) for s in stages], "各阶段公约修订", "件"
        ),
        "overdue": figures.overdue_updates(communities),
        "overdue_days": figures.overdue_days(),
        "punctuality": disclosures.punctuality(communities, period, today),
        "weeks": weeks,
        "weeks_chart": bar_chart([(f"{w:%m-%d}起", n) for w, n in weeks], "每周表单答复", "份"),
    }


def _rows(data: dict) -> list[list]:
    """The report's sections one under another, each with its own heading row, an empty row between."""
    rows = [["指标", "数值"]]
    rows += [[label, "—" if value is None else value] for _key, label, value in data["figures"]]
    rows += [[], ["村/社区", *(f"{m:%Y-%m}" for m in data["per_month"]["months"]), "合计"]]
    rows += [[title, *cells, total] for title, cells, total in data["per_month"]["rows"]]
    rows += [[], ["修订阶段", "件数", *data["age_labels"], "最久（天）"]]
    rows += [[s["label"], s["total"], *s["ages"], s["oldest_days"] or ""] for s in data["stages"]]
    rows += [[], [f"超过 {data['overdue_days']} 天未反馈落实情况", "议题", "最近反馈"]]
    for community_title, agenda in data["overdue"]:
        last = agenda.last_update
        rows.append([community_title, agenda.title, f"{last:%Y-%m-%d}" if last else "无"])
    punctuality = data["punctuality"]
    heading = ["按时公开", "逾期后公开", "逾期未公开", "应公开合计", "按时率"]
    rows += [[], ["公开及时性（截止日期在期间内）：乡镇/街道", *heading]]
    rows += [[p.title, p.on_time, p.late, p.missing, p.due, p.rate] for p in punctuality.townships]
    rows += [[], ["公开及时性：乡镇/街道", "村/社区", *heading]]
    rows += [
        [p.township, p.title, p.on_time, p.late, p.missing, p.due, p.rate]
        for p in punctuality.communities
    ]
    total = punctuality.total
    rows += [["合计", "", total.on_time, total.late, total.missing, total.due, total.rate]]
    rows += [[], ["周（起始日）", "表单答复（份）"]]
    rows += [[f"{week:%Y-%m-%d}", n] for week, n in data["weeks"]]
    return rows


def _export(fmt: str, data: dict, scope_label: str) -> HttpResponseBase:
    period = data["period"]
    header = ["统计期间", period.start, period.end, scope_label]
    filename = f"统计报表-{scope_label}-{period.start:%Y-%m-%d}至{period.end:%Y-%m-%d}"
    return exports.response(fmt, filename, header, [[], *_rows(data)])


@require_safe
def report_view(request):
    policy_for(request.user).require_desk()
    communities = CommunityPage.objects.for_user(request.user)
    today = timezone.localdate()
    default = figures.Period.half_year(today)
    form = PeriodForm(
        request.GET if "start" in request.GET else None,
        communities=communities,
        initial={"start": default.start, "end": default.end},
    )
    period, scope_label = default, "全部"
    if form.is_bound and form.is_valid():
        period = figures.Period(form.cleaned_data["start"], form.cleaned_data["end"])
        township = form.cleaned_data["township"]
        if township is not None:
            communities = communities.filter(path__startswith=township.path)
            scope_label = township.title
    data = report_data(communities, period, today)
    if request.GET.get("export") in (exports.CSV, exports.XLSX):
        return _export(request.GET["export"], data, scope_label)
    half_years = [default, default.previous_half_year()]
    half_years.append(half_years[-1].previous_half_year())
    if period.previous_half_year() not in half_years:
        half_years.append(period.previous_half_year())
    context = {
        **data,
        "page_title": f"统计与报表 · {period.label}",
        "header_icon": "table",
        "form": form,
        "scope_label": scope_label,
        "query": request.GET.urlencode(),
        "half_years": half_years,
    }
    template = (
        "community/review/report_print.html"
        if request.GET.get("print")
        else "community/review/report.html"
    )
    return TemplateResponse(request, template, context)
