"""One small form per procedure step; the admin views hand their cleaned data to community.transitions.

Each form is made for the revision its step acts on (StepForm), so a step that suggests values
from the community (the vote's 应到人数, the filing authority) says so in its own form."""

from django import forms
from django.db import models
from django.utils import timezone

from cms.text import check_text_fields
from cms.widgets import DateInput
from community.models import CovenantRevision
from community.models.vote import VOTE_FIELDS
from community.procedures import MEETING_LABELS, MEETINGS_FOR, VotePurpose

DATE = DateInput()
MAX_COUNT = 10_000_000  # more than any district holds, well inside a database integer


def _today():
    return timezone.localdate()


class StepForm(forms.Form):
    """A step's form, bound to the revision the step acts on (none for starting one). Dates in
    `not_after_today` record what was done: their picker stops at today (the step refuses later
    ones, community.transitions)."""

    not_after_today: tuple[str, ...] = ()

    def __init__(self, data=None, *, revision: CovenantRevision | None = None, **kwargs):
        self.revision = revision
        if revision is not None:
            kwargs.setdefault("initial", self.initial_for(revision))
        super().__init__(data, **kwargs)
        check_text_fields(self)
        for name in self.not_after_today:
            self.fields[name].widget.attrs["max"] = _today().isoformat()

    def initial_for(self, revision: CovenantRevision) -> dict:
        return {}


class StartForm(StepForm):
    reason = forms.CharField(label="修订缘由", widget=forms.Textarea(attrs={"rows": 3}))
    started_on = forms.DateField(label="征集开始日期", initial=_today, widget=DATE)


class OpinionsForm(StepForm):
    received = forms.IntegerField(label="收到意见条数", min_value=0, max_value=MAX_COUNT)
    summary = forms.CharField(label="意见汇总", widget=forms.Textarea(attrs={"rows": 5}))


class DraftingForm(StepForm):
    reason = forms.CharField(label="说明", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class SubmitForm(StepForm):
    submitted_on = forms.DateField(label="提请审核日期", initial=_today, widget=DATE)


class ReviewForm(StepForm):
    passed = forms.TypedChoiceField(
        label="审查结论",
        choices=[("1", "通过，同意提交表决"), ("0", "不通过，退回修改")],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    opinion = forms.CharField(label="合法性审查意见", widget=forms.Textarea(attrs={"rows": 5}))
    reviewed_on = forms.DateField(label="审核日期", initial=_today, widget=DATE)


# Asked only where the meeting needs them; the rules say when (community.procedures).
OPTIONAL_VOTE_FIELDS = frozenset(
    {
        "notice_date",
        "short_notice_reason",
        "authorisation",
        "group_representatives",
        "party_discussed_on",
        "party_body",
    }
)


def _vote_formfield(model_field: models.Field, **kwargs) -> forms.Field:
    """A vote is recorded whole: every count is asked for (up to MAX_COUNT), the notice date only
    where the meeting needs one; counts that are usually none start at 0."""
    kwargs.setdefault("required", model_field.name not in OPTIONAL_VOTE_FIELDS)
    if isinstance(model_field, models.PositiveIntegerField):
        kwargs["max_value"] = MAX_COUNT
    if model_field.name in ("households_represented", "votes_against", "abstentions"):
        kwargs["initial"] = 0
    return model_field.formfield(**kwargs)


class VoteForm(StepForm, forms.ModelForm):
    """The tally, field for field the model's (VOTE_FIELDS); the meetings offered are those that
    may vote in this community. The instance is a throwaway: community.transitions records."""

    class Meta:
        model = CovenantRevision
        fields = ("party_discussed_on", "party_body", *VOTE_FIELDS)
        formfield_callback = _vote_formfield
        labels = {"households_represented": "到会代表的户数"}
        help_texts = {
            "notice_date": "村(居)民会议须提前十日通知；2026年起遇有特殊情况可临时通知，须写明理由。",
            "eligible": "按登记册预填：18周岁以上村(居)民人数，或代表会议组成人员数。",
            "party_discussed_on": "2026年起，须先经村(社区)党组织研究讨论。",
        }
        widgets = {
            "meeting_date": DATE, "notice_date": DATE, "party_discussed_on": DATE,
            # a reason in a line or two: a ten-row box pushed the tallies off the screen
            "short_notice_reason": forms.Textarea(attrs={"rows": 2}),
        }  # fmt: skip

    def __init__(self, data=None, *, revision: CovenantRevision, **kwargs):
        super().__init__(data, revision=revision, **kwargs)
        kind = revision.community.kind
        self.fields["meeting_kind"].choices = [
            (k.value, MEETING_LABELS[k]) for k in MEETINGS_FOR[VotePurpose.COVENANT][kind]
        ]
        if kind == "village":
            # Only a 2018 居民会议 met as 居民小组 representatives.
            del self.fields["group_representatives"]

    def initial_for(self, revision: CovenantRevision) -> dict:
        community = revision.community
        return {
            "eligible": community.adult_residents,
            "households": community.households,
            "authorisation": community.representatives_authorisation,
        }


class FilingForm(StepForm):
    not_after_today = ("filed_on",)
    authority = forms.CharField(label="备案机关", max_length=100)
    number = forms.CharField(label="备案编号", max_length=60)
    filed_on = forms.DateField(label="备案日期", initial=_today, widget=DATE)

    def initial_for(self, revision: CovenantRevision) -> dict:
        township = revision.community.get_parent()
        suffix = "办事处" if township.title.endswith("街道") else "人民政府"
        return {"authority": f"{township.title}{suffix}"}


class PublishForm(StepForm):
    not_after_today = ("published_on",)
    version_label = forms.CharField(label="版本名称", max_length=60, help_text="例如：2026年修订")
    published_on = forms.DateField(label="公布日期", initial=_today, widget=DATE)
    effective_on = forms.DateField(
        label="施行日期", required=False, widget=DATE, help_text="留空则自公布之日起施行。"
    )


class WithdrawForm(StepForm):
    reason = forms.CharField(label="撤回理由", widget=forms.Textarea(attrs={"rows": 3}))
