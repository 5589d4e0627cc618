"""The admin's forms for a draft's opinions: the comment window, moderation, an offline opinion, an
answer and the reviewer's note. They only collect values; the rules are in community.opinions,
whose refusals come back onto these forms' fields (ProcedureError.apply_to)."""

from django import forms
from django.utils import timezone

from cms.fields import MobileField
from cms.text import check_text_fields
from cms.widgets import DateInput
from community.models import Opinion
from community.models.opinion import NAME_MAX, NOTE_MAX, OPINION_MAX, REASON_MAX
from community.models.outline import Article
from community.opinions import WHOLE_DRAFT

DATE = DateInput()


def _length(limit: int) -> str:
    return f"太长：最多 {limit} 个字。"


def article_choices(articles: dict[str, Article]) -> list[tuple[str, str]]:
    return [
        ("", WHOLE_DRAFT),
        *(
            (a.id, f"{a.label}：{a.text[:24]}{'…' if len(a.text) > 24 else ''}")
            for a in articles.values()
        ),
    ]


class CheckedForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        check_text_fields(self)


class WindowForm(CheckedForm):
    opens_on = forms.DateField(label="开始日期", widget=DATE)
    closes_on = forms.DateField(label="截止日期", widget=DATE)
    allow_anonymous = forms.BooleanField(
        label="允许匿名提意见",
        required=False,
        help_text="关闭后，居民须留姓名和手机号码（不公开）。",
    )
    publish_at_once = forms.BooleanField(
        label="意见提交后立即公开",
        required=False,
        help_text="默认由村(居)委会审核后公开；勾选后意见提交即公开，仍可事后不予公开。",
    )
    answers_required = forms.BooleanField(label="每条意见审核并答复后才能提请审核", required=False)
    use_latest_draft = forms.BooleanField(
        label="改为征求对最新保存的草案的意见",
        required=False,
        help_text="只在征求意见期间可以更换；已提的意见仍对应原来的草案。",
    )

    def __init__(self, *args, offer_latest: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not offer_latest:
            del self.fields["use_latest_draft"]


class ModerationForm(CheckedForm):
    public_text = forms.CharField(
        label="公开的意见内容",
        required=False,
        max_length=OPINION_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"max_length": _length(OPINION_MAX)},
        help_text="可删去姓名、电话、住址等个人信息后再公开；原文保留在记录中，不公开，审核人员也看不到。",
    )
    reject_reason = forms.ChoiceField(
        label="不予公开的理由",
        required=False,
        choices=[("", "（请选择）"), *Opinion.RejectReason.choices],
        error_messages={"invalid_choice": "请从列表中选择理由。"},
    )


class AnswerForm(CheckedForm):
    answer = forms.ChoiceField(
        label="答复",
        choices=Opinion.Answer.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "请选择答复。", "invalid_choice": "请从列表中选择答复。"},
    )
    answer_reason = forms.CharField(
        label="答复理由",
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "请写明答复理由。", "max_length": _length(REASON_MAX)},
    )
    adopted_in = forms.ChoiceField(
        label="采纳于条文",
        required=False,
        help_text="采纳、部分采纳的，选择公约最新保存的草案中吸收这条意见的条文。",
        error_messages={"invalid_choice": "所选条文不在公约最新保存的草案中，请重新选择。"},
    )

    def __init__(self, *args, articles: dict[str, Article], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["adopted_in"].choices = [("", "（请选择）"), *article_choices(articles)[1:]]


class OfflineForm(CheckedForm):
    source = forms.ChoiceField(
        label="来源",
        choices=[(s.value, s.label) for s in Opinion.OFFLINE_SOURCES],
        error_messages={"required": "请选择意见来源。"},
    )
    received_on = forms.DateField(
        label="收到日期",
        widget=DATE,
        initial=timezone.localdate,
        error_messages={"invalid": "请填写日期，例如 2026-12-02。"},
    )
    article_id = forms.ChoiceField(label="条文", required=False)
    text = forms.CharField(
        label="意见内容",
        max_length=OPINION_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "请填写意见内容。", "max_length": _length(OPINION_MAX)},
    )
    name = forms.CharField(
        label="姓名（选填）", max_length=NAME_MAX, required=False,
        error_messages={"max_length": _length(NAME_MAX)},
    )  # fmt: skip
    mobile = MobileField(label="手机号码（选填）", required=False)
    consent = forms.BooleanField(
        label="本人同意村(居)委会用其姓名和手机号码联系答复（不公开）", required=False
    )
    status = forms.ChoiceField(
        label="状态", choices=Opinion.Status.choices, initial=Opinion.Status.APPROVED
    )
    reject_reason = forms.ChoiceField(
        label="不予公开的理由", required=False,
        choices=[("", "（请选择）"), *Opinion.RejectReason.choices],
    )  # fmt: skip

    def __init__(self, *args, articles: dict[str, Article], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["article_id"].choices = article_choices(articles)
        today = timezone.localdate().isoformat()
        self.fields["received_on"].widget.attrs["max"] = today


class NoteForm(CheckedForm):
    article_id = forms.ChoiceField(label="条文", required=False)
    text = forms.CharField(
        label="审查意见",
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "请填写审查意见。", "max_length": _length(NOTE_MAX)},
    )

    def __init__(self, *args, articles: dict[str, Article], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["article_id"].choices = article_choices(articles)
