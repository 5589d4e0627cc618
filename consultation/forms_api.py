"""Form endpoints of the headless API: the schema a mini-program needs to render a form natively,
and answering it with JSON (201; 422 per field; 409 closed; 429 with Retry-After; 415 for any body
but JSON; 403 for a browser post from another site's page; an Idempotency-Key header makes a retry
answer what the first try did: consultation/idempotency.py). Answers go
through the same pipeline as the site's form (consultation.answers); this module only speaks JSON."""

import datetime
from dataclasses import asdict
from typing import Any

from django.http import Http404, HttpRequest, JsonResponse
from ninja import Router, Schema, Status
from ninja.decorators import decorate_view
from pydantic import Field
from wagtail.rich_text import expand_db_html

from cms.api import PROBLEMS, SUBMISSION_PROBLEMS, PageId, answers_only, problem
from cms.ratelimit import client_key
from cms.visibility import reachable
from consultation import idempotency
from consultation.answers import API, Accepted, Answers, Replayed, accept
from consultation.models import CommunityFormPage

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
    response={201: SubmissionOut, **SUBMISSION_PROBLEMS},
    url_name="form_submit",
    summary="Answer a form",
    description="JSON only (415 otherwise). A browser page of another site may post only if its "
    "origin is allowed (403 otherwise); a client that sends no Origin, such as a mini-program, may. "
    "Send an `Idempotency-Key` header (1–200 visible ASCII characters, e.g. a UUID, new for each "
    "answer, the same on each retry of it): within 24 hours a retry with the same key and the same "
    "body gets the first 201 again (with `Idempotent-Replayed: true`) and stores nothing; the same "
    "key with a different body is refused (422 `idempotency_key_reused`); a malformed key is 400 "
    "`idempotency_key_invalid`.",
    operation_id="forms_submit",
)
@decorate_view(answers_only)
def submit(request: HttpRequest, page_id: PageId, payload: AnswerIn):
    key = request.headers.get("Idempotency-Key")
    if key is not None and not idempotency.valid_key(key):
        return problem(
            400,
            "Idempotency-Key 应为 1–200 个可见 ASCII 字符（不含空格），例如一个 UUID。",
            code="idempotency_key_invalid",
            errors=[],
        )
    page = _form_page(page_id)
    answers = Answers.from_json(payload.answers, payload.website)
    once = None
    if key is not None:
        once = idempotency.Once(key, idempotency.digest(payload.model_dump()))
    result = accept(page, answers, client_key(request), request.user, API, once)
    if isinstance(result, Replayed):
        response = JsonResponse(result.body, status=result.status)
        response["Idempotent-Replayed"] = "true"
        return response
    if isinstance(result, Accepted):
        return Status(201, {"id": result.submission.pk})
    # problem+json like every other error of the API, with the refusal's code and field errors
    response = problem(
        result.status,
        result.message,
        code=str(result.code),
        errors=[asdict(e) for e in result.errors],
    )
    if result.retry_after is not None:
        response["Retry-After"] = str(result.retry_after)
    return response
