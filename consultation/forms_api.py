"""Form endpoints of the headless API: the schema a mini-program needs to render a form natively,
and answering it with JSON (201; 422 per field; 409 closed; 429 with Retry-After)."""

import datetime
from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, JsonResponse
from ninja import Router, Schema, Status
from pydantic import Field

from cms.api import PROBLEMS, PageId, ProblemSchema
from consultation.models import CommunityFormPage
from consultation.ratelimit import client_key, take

router = Router(tags=["forms"])


class ChoiceSchema(Schema):
    value: str
    label: str


class FieldSchema(Schema):
    name: str = Field(description="key to use in `answers`")
    label: str
    type: str = Field(
        description="singleline, multiline, email, number, url, checkbox, checkboxes, dropdown, "
        "multiselect, radio, date, datetime, hidden, mobile, address, consent, rating"
    )
    required: bool
    help_text: str
    choices: list[ChoiceSchema]
    max_length: int | None
    default: str


class FormSchema(Schema):
    id: int
    title: str
    purpose: str
    purpose_label: str
    intro: str
    opens_at: datetime.datetime | None
    closes_at: datetime.datetime | None
    is_open: bool
    closed_message: str | None
    fields: list[FieldSchema]


class AnswerIn(Schema):
    answers: dict[str, Any] = Field(
        description="field name → value (list for checkboxes/multiselect, bool for checkbox/consent)"
    )
    website: str = Field("", description="honeypot: leave empty")


class SubmissionOut(Schema):
    id: int


class FieldError(Schema):
    field: str | None
    code: str
    message: str


class ErrorOut(Schema):
    detail: str
    errors: list[FieldError] = []


def _form_page(page_id: PageId) -> CommunityFormPage:
    page = CommunityFormPage.objects.live().public().filter(pk=page_id).first()
    if page is None:
        raise Http404("没有这个表单，或尚未发布。")
    return page


@router.get(
    "/{page_id}/",
    response={200: FormSchema, **PROBLEMS},
    url_name="form_schema",
    summary="A form's schema",
    operation_id="forms_schema",
)
def form_schema(request: HttpRequest, page_id: PageId):
    from wagtail.rich_text import expand_db_html

    page = _form_page(page_id)
    form = page.get_form(page=page, user=request.user)
    fields = []
    for field in page.get_form_fields():
        django_field = form.fields[field.clean_name]
        choices = [
            {"value": str(v), "label": str(label)}
            for v, label in getattr(django_field, "choices", [])
        ]
        fields.append({
            "name": field.clean_name, "label": field.label, "type": field.field_type, "required": field.required,
            "help_text": field.help_text, "choices": choices, "max_length": getattr(django_field, "max_length", None),
            "default": field.default_value,
        })  # fmt: skip
    message = page.window_message()
    return {
        "id": page.pk, "title": page.title, "purpose": page.purpose, "purpose_label": page.get_purpose_display(),
        "intro": expand_db_html(page.intro), "opens_at": page.opens_at, "closes_at": page.closes_at,
        "is_open": message is None, "closed_message": message, "fields": fields,
    }  # fmt: skip


def _as_form_data(page: CommunityFormPage, answers: dict[str, Any]):
    from django.http import QueryDict

    data = QueryDict(mutable=True)
    for key, value in answers.items():
        if isinstance(value, bool):
            if value:
                data[key] = "on"
        elif isinstance(value, list):
            data.setlist(key, [str(v) for v in value])
        elif value is not None:
            data[key] = str(value)
    return data


@router.post(
    "/{page_id}/submissions/",
    response={
        201: SubmissionOut,
        400: ProblemSchema,
        404: ProblemSchema,
        409: ErrorOut,
        422: ProblemSchema,
        429: ErrorOut,
    },
    url_name="form_submit",
    summary="Answer a form",
    operation_id="forms_submit",
)
def submit(request: HttpRequest, page_id: PageId, payload: AnswerIn):
    page = _form_page(page_id)
    message = page.window_message()
    if message:
        return Status(409, {"detail": message, "errors": []})
    if not page.allow_anonymous and not request.user.is_authenticated:
        return Status(409, {"detail": "本表单需要登录后填写。", "errors": []})
    if payload.website:
        honeypot = {"field": "website", "code": "honeypot", "message": "请勿填写此项。"}
        return Status(422, {"detail": "提交未被接受。", "errors": [honeypot]})
    if not take(f"form:{page.pk}:{client_key(request)}"):
        response = JsonResponse({"detail": "提交太频繁，请稍后再试。", "errors": []}, status=429)
        response["Retry-After"] = str(settings.FORM_RATE_LIMIT[1])
        return response
    form = page.get_form(_as_form_data(page, payload.answers), page=page, user=request.user)
    known = set(form.fields) - {"website"}
    unknown = sorted(set(payload.answers) - known)
    if not form.is_valid() or unknown:
        errors = [
            {"field": name, "code": error.code or "invalid", "message": " ".join(error.messages)}
            for name, field_errors in form.errors.as_data().items()
            for error in field_errors
        ]
        errors += [
            {"field": name, "code": "unknown_field", "message": "表单中没有这一项。"}
            for name in unknown
        ]
        return Status(422, {"detail": "请检查填写的内容。", "errors": errors})
    submission = page.process_form_submission(form)
    return Status(201, {"id": submission.pk})
