"""One small form per procedure step; the admin views hand their cleaned data to community.transitions."""

from django import forms
from django.utils import timezone

from community.procedures import MEETING_LABELS, MEETINGS_FOR

DATE = forms.DateInput(attrs={"type": "date"})
MAX_COUNT = 10_000_000  # more than any district holds, well inside a database integer


def _today():
    return timezone.localdate()


class StartForm(forms.Form):
    reason = forms.CharField(label="修订缘由", widget=forms.Textarea(attrs={"rows": 3}))
    started_on = forms.DateField(label="征集开始日期", initial=_today, widget=DATE)


class OpinionsForm(forms.Form):
    received = forms.IntegerField(label="收到意见条数", min_value=0, max_value=MAX_COUNT)
    summary = forms.CharField(label="意见汇总", widget=forms.Textarea(attrs={"rows": 5}))


class DraftingForm(forms.Form):
    reason = forms.CharField(label="说明", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class SubmitForm(forms.Form):
    submitted_on = forms.DateField(label="提请审核日期", initial=_today, widget=DATE)


class ReviewForm(forms.Form):
    passed = forms.TypedChoiceField(
        label="审查结论",
        choices=[("1", "通过，同意提交表决"), ("0", "不通过，退回修改")],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    opinion = forms.CharField(label="合法性审查意见", widget=forms.Textarea(attrs={"rows": 5}))
    reviewed_on = forms.DateField(label="审核日期", initial=_today, widget=DATE)


class VoteForm(forms.Form):
    meeting_kind = forms.ChoiceField(label="会议类型")
    meeting_date = forms.DateField(label="会议日期", widget=DATE)
    notice_date = forms.DateField(
        label="会议通知日期", required=False, widget=DATE, help_text="村民会议须提前十天通知。"
    )
    eligible = forms.IntegerField(
        label="应到人数",
        min_value=0,
        max_value=MAX_COUNT,
        help_text="18周岁以上村(居)民人数，或代表会议组成人员数。",
    )
    present = forms.IntegerField(label="到会人数", min_value=0, max_value=MAX_COUNT)
    households = forms.IntegerField(label="总户数", min_value=0, max_value=MAX_COUNT)
    households_represented = forms.IntegerField(
        label="到会代表的户数", min_value=0, max_value=MAX_COUNT, initial=0
    )
    women_present = forms.IntegerField(label="到会女性人数", min_value=0, max_value=MAX_COUNT)
    votes_for = forms.IntegerField(label="赞成", min_value=0, max_value=MAX_COUNT)
    votes_against = forms.IntegerField(label="反对", min_value=0, max_value=MAX_COUNT, initial=0)
    abstentions = forms.IntegerField(label="弃权", min_value=0, max_value=MAX_COUNT, initial=0)

    def __init__(self, *args, community_kind: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting_kind"].choices = [
            (k.value, MEETING_LABELS[k]) for k in MEETINGS_FOR[community_kind]
        ]


class FilingForm(forms.Form):
    authority = forms.CharField(label="备案机关", max_length=100)
    number = forms.CharField(label="备案编号", max_length=60)
    filed_on = forms.DateField(label="备案日期", initial=_today, widget=DATE)


class PublishForm(forms.Form):
    version_label = forms.CharField(label="版本名称", max_length=60, help_text="例如：2026年修订")
    published_on = forms.DateField(label="公布日期", initial=_today, widget=DATE)
    effective_on = forms.DateField(
        label="施行日期", required=False, widget=DATE, help_text="留空则自公布之日起施行。"
    )


class WithdrawForm(forms.Form):
    reason = forms.CharField(label="撤回理由", widget=forms.Textarea(attrs={"rows": 3}))
