"""The supervision committee's forms: every text field refuses NUL and lone surrogates in Chinese
(cms.text), and the models' own rules (clean) are shown on the form."""

from django import forms

from cms.text import check_text_fields
from cms.widgets import DateInput
from community.models import SupervisionMember, SupervisionOpinion, SupervisionReport
from community.models.supervision import TEXT_LIMIT


class Checked(forms.ModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        check_text_fields(self)


class MemberForm(Checked):
    class Meta:
        model = SupervisionMember
        fields = (
            "name",
            "post",
            "finance_knowledge",
            "user",
            "term_start",
            "term_end",
            "elected_by",
        )
        widgets = {"term_start": DateInput(), "term_end": DateInput()}


class OpinionForm(Checked):
    class Meta:
        model = SupervisionOpinion
        fields = ("subject", "page", "text", "visibility", "issued_on")
        widgets = {"issued_on": DateInput(), "text": forms.Textarea(attrs={"rows": 5})}


class ReportForm(Checked):
    class Meta:
        model = SupervisionReport
        fields = ("text", "reported_on")
        widgets = {"reported_on": DateInput(), "text": forms.Textarea(attrs={"rows": 5})}


class HandlingForm(Checked):
    class Meta:
        model = SupervisionReport
        fields = ("received_on", "handling", "handled_on")
        widgets = {
            "received_on": DateInput(),
            "handled_on": DateInput(),
            "handling": forms.Textarea(attrs={"rows": 4}),
        }

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("handled_on") and not cleaned.get("received_on"):
            self.add_error("received_on", "办结前请先填写受理日期。")
        if cleaned.get("handled_on") and not (cleaned.get("handling") or "").strip():
            self.add_error("handling", "办结时请写明处理情况。")
        return cleaned


class SignOffForm(forms.Form):
    opinion = forms.CharField(
        label="审核意见",
        required=False,
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="退回修改时必填，写明须更正之处。",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        check_text_fields(self)
