"""CommunityFormPage: a committee's low-code form (议题征集, 草案意见征集, 满意度测评, 报名), built on
Wagtail's form builder, with field types for this audience and answers pinned to the form revision
they were given to."""

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.template.response import TemplateResponse
from django.utils import timezone
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel, Panel
from wagtail.api import APIField
from wagtail.contrib.forms.forms import FormBuilder, WagtailAdminFormPageForm
from wagtail.contrib.forms.models import (
    FORM_FIELD_CHOICES,
    AbstractEmailForm,
    AbstractFormField,
    AbstractFormSubmission,
)
from wagtail.fields import RichTextField
from wagtail.models import Page, Revision

from cms.display import local_datetime
from cms.fields import MobileField
from cms.ratelimit import client_key
from cms.text import displayable, refuse_bad_text
from community.models import CovenantRevision
from consultation import idempotency
from consultation.answer_fields import (
    DateField,
    DateTimeField,
    FieldTypeSelect,
    NumberField,
    offered,
)
from consultation.answers import (
    HONEYPOT,
    PAGE,
    Accepted,
    Answers,
    Replayed,
    accept,
    check_open,
    refuse_token,
)
from consultation.rating import RATING_LABELS, rating_label

PERSONAL_TYPES = {"mobile"}  # plus any field labelled as below, see asks_for_personal_data()
NAME_WORDS = ("姓名", "名字", "联系人", "身份证", "证件号")
CONSENT_REQUIRED = (
    "表单收集姓名、手机号码或身份证号码，须添加一个“个人信息同意”字段，写明收集用途"
    "（个人信息保护法第十四条）。"
)
CONSENT_OPTIONAL = (
    "“{label}”须设为必填：这是个人信息同意字段，居民不勾选同意，就不能收集其个人信息"
    "（个人信息保护法第十四条）。"
)
REQUIRED_HELP = "新添加的字段默认为必填：居民不填写这一项就不能提交。选“选填”，这一项可以不填。"

FIELD_CHOICES = (
    *FORM_FIELD_CHOICES,
    ("mobile", "手机号码"),
    ("address", "小区/楼栋地址"),
    ("consent", "个人信息同意"),
    ("rating", "评分（1–5）"),
)


# The longest answer each kind of field takes, in characters (docs/consultations.md). Wagtail's form
# builder caps a single line at 255 and leaves the others open; a 100,000-character answer is no
# opinion, it is a way to fill the database and the committee's export.
ANSWER_MAX_LENGTH = {
    "singleline": 255,
    "multiline": 5000,
    "email": 254,
    "url": 2048,
    "hidden": 255,
    "address": 100,
    "mobile": 11,
}


def mask_mobile(value: str) -> str:
    return f"{value[:3]}****{value[-4:]}" if value and len(value) == 11 else value


class CommunityFormBuilder(FormBuilder):
    def create_multiline_field(self, field, options):
        return super().create_multiline_field(
            field, {**options, "max_length": ANSWER_MAX_LENGTH["multiline"]}
        )

    def create_email_field(self, field, options):
        return super().create_email_field(
            field, {**options, "max_length": ANSWER_MAX_LENGTH["email"]}
        )

    def create_url_field(self, field, options):
        return super().create_url_field(field, {**options, "max_length": ANSWER_MAX_LENGTH["url"]})

    def create_hidden_field(self, field, options):
        return super().create_hidden_field(
            field, {**options, "max_length": ANSWER_MAX_LENGTH["hidden"]}
        )

    def create_mobile_field(self, field, options):
        return MobileField(
            max_length=ANSWER_MAX_LENGTH["mobile"],  # once read: the box takes spaces and hyphens
            widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
            **options,
        )

    def create_number_field(self, field, options):
        return NumberField(**options)

    def create_date_field(self, field, options):
        return DateField(**options)

    def create_datetime_field(self, field, options):
        return DateTimeField(**options)

    def create_address_field(self, field, options):
        options.setdefault("help_text", "例如：银杏小区 3 幢 2 单元")
        return forms.CharField(max_length=ANSWER_MAX_LENGTH["address"], **options)

    def create_consent_field(self, field, options):
        options["required"] = True
        return forms.BooleanField(**options)

    def create_rating_field(self, field, options):
        return forms.TypedChoiceField(
            choices=[(str(n), f"{n} {label}") for n, label in RATING_LABELS.items()],
            coerce=int,
            widget=forms.RadioSelect,
            **options,
        )

    @property
    def formfields(self):
        fields = super().formfields
        for field in fields.values():
            # The pipeline refuses bad text in any answer (consultation/answers.py); this puts the
            # message next to the field on the page.
            refuse_bad_text(field)
        fields[HONEYPOT] = forms.CharField(
            required=False,
            label="请勿填写",
            widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1", "class": "hp"}),
        )
        return fields


class CommunityFormField(AbstractFormField):
    page = ParentalKey("CommunityFormPage", on_delete=models.CASCADE, related_name="form_fields")
    field_type = models.CharField("字段类型", max_length=16, choices=FIELD_CHOICES)

    # 必填 as a named choice, not a checkbox that comes ticked: a member who clicks it "to make it
    # required" would make the field optional.
    panels = [
        FieldPanel("label"),
        FieldPanel("help_text"),
        FieldPanel(
            "required",
            heading="是否必填",
            help_text=REQUIRED_HELP,
            widget=forms.RadioSelect(choices=[(True, "必填"), (False, "选填")]),
        ),
        FieldPanel(
            "field_type",
            classname="formbuilder-type",
            required_on_save=True,
            widget=FieldTypeSelect,
        ),
        FieldPanel("choices", classname="formbuilder-choices"),
        FieldPanel("default_value", classname="formbuilder-default"),
    ]

    def clean(self) -> None:
        super().clean()
        if offered(self.field_type):
            return
        stored = CommunityFormField.objects.filter(pk=self.pk).values_list("field_type", flat=True)
        if self.pk is None or stored.first() != self.field_type:
            label = self.get_field_type_display()
            raise ValidationError({"field_type": f"本站不提供“{label}”类型，请选择其他类型。"})


class RequiredSummaryPanel(Panel):
    """The field list in words: which fields residents must fill (必填) and which they may leave
    (选填), as the form was last saved."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "consultation/admin/required_summary.html"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            fields = list(self.instance.form_fields.all()) if self.instance else []
            context["required"] = [f.label for f in fields if f.required]
            context["optional"] = [f.label for f in fields if not f.required]
            return context


class CommunityFormPageForm(WagtailAdminFormPageForm):
    """The editor's form: a covenant revision is chosen among the form's own community's."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        chooser = self.fields.get("covenant_revision")
        if chooser is not None and self.parent_page is not None:
            chooser.queryset = CovenantRevision.objects.filter(community_id=self.parent_page.pk)
            chooser.error_messages["invalid_choice"] = "只能关联本村（社区）自己的公约修订。"


class CommunityFormPage(AbstractEmailForm):
    class Purpose(models.TextChoices):
        TOPICS = "topics", "议题征集"
        DRAFT_OPINIONS = "draft_opinions", "草案意见征集"
        SATISFACTION = "satisfaction", "满意度测评"
        SIGNUP = "signup", "报名"
        OTHER = "other", "其他"

    purpose = models.CharField(
        "用途", max_length=20, choices=Purpose.choices, default=Purpose.TOPICS
    )
    intro = RichTextField("说明", blank=True, features=["bold", "italic", "link", "ol", "ul"])
    thank_you_text = RichTextField("提交后显示", blank=True, features=["bold", "italic", "link"])
    opens_at = models.DateTimeField("开始时间", null=True, blank=True)
    closes_at = models.DateTimeField("截止时间", null=True, blank=True)
    allow_anonymous = models.BooleanField("允许匿名填写", default=True)
    covenant_revision = models.ForeignKey(
        "community.CovenantRevision",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="opinion_forms",
        verbose_name="征求意见的公约修订",
    )

    form_builder = CommunityFormBuilder
    base_form_class = CommunityFormPageForm

    content_panels = [
        *AbstractEmailForm.content_panels,
        FieldPanel("purpose"),
        FieldPanel("intro"),
        RequiredSummaryPanel(heading="必填与选填"),
        InlinePanel("form_fields", label="字段"),
        FieldPanel("thank_you_text"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("opens_at"), FieldPanel("closes_at")]),
                FieldPanel("allow_anonymous"),
            ],
            heading="开放时间",
        ),
        FieldPanel("covenant_revision"),
    ]

    parent_page_types = ["community.CommunityPage"]
    subpage_types: list[str] = []
    # The fields and answering are under /api/v3/forms/{id}/ (schema) and /submissions/ (answers).
    api_fields = [
        APIField("purpose"),
        APIField("intro"),
        APIField("opens_at"),
        APIField("closes_at"),
    ]

    class Meta:
        verbose_name = "表单（征集/测评/报名）"
        verbose_name_plural = "表单"

    def asks_for_personal_data(self) -> bool:
        fields = list(self.get_form_fields())
        return any(
            f.field_type in PERSONAL_TYPES or any(w in f.label for w in NAME_WORDS) for f in fields
        )

    def has_consent(self) -> bool:
        return any(f.field_type == "consent" for f in self.get_form_fields())

    def publication_problem(self) -> str | None:
        """Why this form may not be public, if it may not: it asks for a name, a phone or an ID
        number without a consent field, or has a consent field marked 选填 (个人信息保护法第十四条;
        the form builder asks for consent whatever the field says, so the committee's choice must
        say so too). The fields are read from the instance, so a revision being published, or the
        editor's unsaved fields, are what is judged."""
        if self.asks_for_personal_data() and not self.has_consent():
            return CONSENT_REQUIRED
        for f in self.get_form_fields():
            if f.field_type == "consent" and not f.required:
                return CONSENT_OPTIONAL.format(label=f.label)
        return None

    def revision_problem(self, community=None) -> str | None:
        """Why the linked covenant revision may not be linked: it is another community's, whose
        revision page would count this form's answers as its own. The community is the form's
        parent, once it has a place in the tree (before that, the editor's chooser offers only the
        parent's revisions: CommunityFormPageForm)."""
        if self.covenant_revision_id is None:
            return None
        if community is None and self.path:
            community = self.get_parent()
        revision = self.covenant_revision
        if community is None or revision.community_id == community.pk:
            return None
        return (
            f"只能关联{community.title}自己的公约修订；“{revision}”属于{revision.community.title}。"
        )

    def _going_live(self) -> bool:
        """Whether saving this instance makes it, or another revision of it, public: Wagtail's
        publishing sets `live` and `live_revision`, then saves (and so validates) the page."""
        if not self.live:
            return False
        if self.pk is None:
            return True
        stored = (
            CommunityFormPage.objects.filter(pk=self.pk)
            .values_list("live", "live_revision_id")
            .first()
        )
        return stored is None or not stored[0] or stored[1] != self.live_revision_id

    def window_message(self, now=None) -> str | None:
        """Why the form does not take answers now, saying when, if it does not."""
        now = now or timezone.now()
        if self.opens_at and now < self.opens_at:
            return f"本表单将于 {local_datetime(self.opens_at)} 开始填写。"
        if self.closes_at and now >= self.closes_at:
            return f"本表单已于 {local_datetime(self.closes_at)} 截止。"
        return None

    def clean(self) -> None:
        super().clean()
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            raise ValidationError({"closes_at": "截止时间应晚于开始时间。"})
        if problem := self.revision_problem():
            raise ValidationError({"covenant_revision": problem})
        problem = self.publication_problem()
        if problem and self._going_live():
            raise ValidationError(problem, code="consent_required")

    def save(self, *args, **kwargs):
        """A new page that would break the consent rule is created as a draft, on every path that
        creates one live (the editor's create view, which publishes after adding the page; a copy
        that keeps pages live, even recursively without validation; an import). Publishing it later
        is refused by clean(); the editor says why first (wagtail_hooks)."""
        if self.pk is None and self.live and self.publication_problem():
            self.live = False
            self.has_unpublished_changes = True
            self._created_as_draft = True
        if getattr(self, "_created_as_draft", False) and not self.live:
            # A copy sets its live revision and publication dates once the page exists.
            self.live_revision = None
            self.first_published_at = self.last_published_at = None
        return super().save(*args, **kwargs)

    def serve(self, request, *args, **kwargs):
        """The page only puts the answer pipeline's result into HTML (consultation.answers).

        Each rendering of the form carries a one-time token (consultation/idempotency.py): a double
        click, or a retry after a dropped connection, stores one answer and shows the resident the
        same thank-you page. A post without a token (a page opened before tokens, a script) is
        taken as before; a token this site did not issue for this page is refused, and the form
        shown again with what was typed."""
        if request.method == "POST":
            answers = Answers.from_post(request.POST, request.FILES)
            token = request.POST.get(idempotency.TOKEN_FIELD)
            once = token and idempotency.read_token(token, self.pk, request.POST)
            if token is not None and not once:
                result = refuse_token(self, answers, request.user)
            else:
                result = accept(
                    self, answers, client_key(request), request.user, PAGE, once or None
                )
            if isinstance(result, Replayed):
                submission = CommunityFormSubmission.objects.filter(pk=result.submission_id)
                return self.render_landing_page(request, submission.first(), *args, **kwargs)
            if isinstance(result, Accepted):
                return self.render_landing_page(request, result.submission, *args, **kwargs)
            refusal = result
        else:
            refusal = check_open(self, request.user, PAGE)
        form = refusal and refusal.form
        if form is None:  # nothing read yet (a GET, or refused before the answers)
            form = self.get_form(page=self, user=request.user)
        context = self.get_context(request)
        context.update({
            "form": form,
            "refusal": refusal.message if refusal else None,
            "answer_token": idempotency.issue_token(self.pk),
        })  # fmt: skip
        response = TemplateResponse(
            request, self.get_template(request), context, status=refusal.status if refusal else 200
        )
        if refusal and refusal.retry_after is not None:
            response["Retry-After"] = str(refusal.retry_after)
        return response

    def get_submission_class(self):
        return CommunityFormSubmission

    def _labels_by_revision(self) -> dict[int, dict[str, tuple[str, str]]]:
        """{revision id: {field name: (label, type)}} for every form revision that has answers."""
        ids = (
            CommunityFormSubmission.objects.filter(page=self)
            .values_list("page_revision", flat=True)
            .distinct()
        )
        return {
            revision.pk: {
                f["clean_name"]: (f["label"], f.get("field_type", ""))
                for f in revision.content.get("form_fields", [])
            }
            for revision in Revision.objects.filter(pk__in=[i for i in ids if i]).order_by("pk")
        }

    def get_data_fields(self):
        """Columns for the listing and the export: today's fields, then any field as an older
        revision labelled it, so that editing a form never relabels an answer already given."""
        current = {f.clean_name: f.label for f in self.get_form_fields()}
        fields = [("submit_time", "提交时间"), *current.items()]
        seen = {name for name, _ in fields}
        for labels in self._labels_by_revision().values():
            for name, (label, _type) in labels.items():
                key = name if current.get(name) == label else f"{name}@{label}"
                if key not in seen:
                    fields.append((key, f"{label}（旧版表单）"))
                    seen.add(key)
        return fields

    def current_fields(self) -> dict[str, tuple[str, str]]:
        """{field name: (label, type)} of the form as it is now."""
        return {f.clean_name: (f.label, f.field_type) for f in self.get_form_fields()}

    def answer_row(self, submission, labels_by_revision, mask: bool, current=None) -> dict:
        """One answer keyed like get_data_fields(), under the label it was given to. A listing
        passes `current` (current_fields()) once for all its rows."""
        current = self.current_fields() if current is None else current
        labels = labels_by_revision.get(submission.page_revision_id, {})
        row = {"submit_time": submission.submit_time}
        for name, value in submission.form_data.items():
            label, field_type = labels.get(name) or current.get(name, (name, ""))
            key = name if current.get(name, (None,))[0] == label else f"{name}@{label}"
            if mask and field_type == "mobile":
                value = mask_mobile(value)
            if mask and field_type == "rating" and value not in (None, ""):
                value = f"{value} {rating_label(value)}"  # on screen, what the rating means
            value = displayable(value)  # a row stored before text was checked still shows
            if isinstance(value, bool):  # a consent, on screen and in the export alike
                value = "是" if value else "否"
            row[key] = ", ".join(value) if isinstance(value, list) else value
        return row

    @property
    def submissions_list_view_class(self):
        # Wagtail's admin views need the app registry, which is not ready while models load.
        from consultation.submissions import CommunitySubmissionsListView

        return CommunitySubmissionsListView

    def process_form_submission(self, form):
        data = {k: v for k, v in form.cleaned_data.items() if k != HONEYPOT}
        return CommunityFormSubmission.objects.create(
            form_data=data, page=self, page_revision_id=self.live_revision_id
        )


class CommunityFormSubmission(AbstractFormSubmission):
    """An answer, pinned to the form revision it was given to."""

    page = models.ForeignKey(Page, on_delete=models.PROTECT, related_name="+")
    page_revision = models.ForeignKey(
        "wagtailcore.Revision",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="表单版本",
    )
    promoted_to = models.ForeignKey(
        "consultation.ConsultationPage",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="proposals",
        verbose_name="已转为协商议题",
    )

    class Meta:
        verbose_name = "表单回复"
        verbose_name_plural = "表单回复"
