"""Form endpoints of the headless API: the schema a mini-program needs to render a form natively,
and answering it with JSON (201; 422 per field; 409 closed; 429 with Retry-After). Answers go
through the same pipeline as the site's form (consultation.answers); this module only speaks JSON."""

import datetime
from dataclasses import asdict
from typing import Any

from django.http import Http404, HttpRequest, JsonResponse
from ninja import Router, Schema, Status
from pydantic import Field
from wagtail.rich_text import expand_db_html

from cms.api import PROBLEMS, PageId, ProblemSchema
from cms.visibility import reachable
from consultation.answers import API, Accepted, Answers, accept
from consultation.models import CommunityFormPage
from consultation.ratelimit import client_key

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
    page = reachable(CommunityFormPage.objects).filter(pk=page_id).first()
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
    answers = Answers.from_json(payload.answers, payload.website)
    result = accept(page, answers, client_key(request), request.user, API)
    if isinstance(result, Accepted):
        return Status(201, {"id": result.submission.pk})
    body = {"detail": result.message, "errors": [asdict(e) for e in result.errors]}
    if result.retry_after is None:
        return Status(result.status, body)
    response = JsonResponse(body, status=result.status)
    response["Retry-After"] = str(result.retry_after)
    return response
