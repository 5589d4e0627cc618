"""Residents' queries on the headless API: the answered queries of a notice (never who asked) and
asking one (201 with the private follow-up address; 422 per field; 429 with Retry-After; 415 for
any body but JSON; 403 for a browser post from another site's page). Asking goes through the same
rules as the site's form (consultation.queries.ask)."""

import datetime
from dataclasses import asdict
from http import HTTPStatus

from django.http import Http404, HttpRequest, JsonResponse, QueryDict
from django.urls import reverse
from django.utils import timezone
from ninja import Router, Schema, Status
from ninja.decorators import decorate_view
from pydantic import ConfigDict, Field

from cms.api import PROBLEMS, PageId, ProblemSchema, answers_only
from cms.ratelimit import client_key
from cms.visibility import reachable
from community.models import NoticePage
from consultation.answers import Code
from consultation.models.queries import QUESTION_MAX, NoticeQuery
from consultation.queries import Asked, ask

router = Router(tags=["notices"])


class PublicQuerySchema(Schema):
    id: int
    question: str = Field(description="as the committee published it (personal data removed)")
    received_on: datetime.date
    answer: str
    answered_on: datetime.date


class QueriesSchema(Schema):
    notice: int
    count: int
    items: list[PublicQuerySchema]


class QueryIn(Schema):
    model_config = ConfigDict(extra="forbid")

    question: str = Field(description=f"the question, at most {QUESTION_MAX} characters")
    name: str = Field("", description="optional; never published")
    mobile: str = Field("", description="optional 11-digit mobile; never published")
    consent: bool = Field(False, description="required (true) when a name or mobile is given")
    website: str = Field("", description="honeypot: leave empty")


class QueryCreated(Schema):
    id: int
    due_on: datetime.date
    followup_url: str = Field(description="the resident's private address to read the answer")


def _notice(page_id: int) -> NoticePage:
    notice = reachable(NoticePage.objects.live()).filter(pk=page_id).first()
    if notice is None:
        raise Http404("没有这条公示，或尚未发布。")
    return notice


def _problem(status: int, detail: str, **extra) -> JsonResponse:
    body = {"type": "about:blank", "title": HTTPStatus(status).phrase, "status": status,
            "detail": detail, **extra}  # fmt: skip
    return JsonResponse(body, status=status, content_type="application/problem+json")


@router.get(
    "/{page_id}/queries/",
    response={200: QueriesSchema, **PROBLEMS},
    url_name="notice_queries",
    summary="A notice's answered queries (without who asked)",
    operation_id="notices_queries",
)
def answered(request: HttpRequest, page_id: PageId):
    notice = _notice(page_id)
    items = [
        {"id": q.pk, "question": q.shown_question, "received_on": timezone.localdate(q.received_at),
         "answer": q.answer, "answered_on": q.answered_on}
        for q in NoticeQuery.objects.filter(notice_id=notice.pk).public()
    ]  # fmt: skip
    return {"notice": notice.pk, "count": len(items), "items": items}


@router.post(
    "/{page_id}/queries/",
    response={
        201: QueryCreated,
        400: ProblemSchema,
        403: ProblemSchema,
        404: ProblemSchema,
        415: ProblemSchema,
        422: ProblemSchema,
        429: ProblemSchema,
    },
    url_name="notice_query_create",
    summary="Ask a question about a notice (村(居)民查询)",
    description="JSON only (415 otherwise). The answer is published on the notice without the "
    "name or mobile; keep `followup_url` to read it and to dispute it.",
    operation_id="notices_query_create",
)
@decorate_view(answers_only)
def create(request: HttpRequest, page_id: PageId, payload: QueryIn):
    notice = _notice(page_id)
    data = QueryDict(mutable=True)
    for key in ("question", "name", "mobile", "website"):
        data[key] = getattr(payload, key)
    if payload.consent:
        data["consent"] = "on"
    result = ask(notice, data, client_key(request))
    if isinstance(result, Asked):
        query = result.query
        url = request.build_absolute_uri(reverse("notice_query_followup", args=(query.token,)))
        return Status(201, {"id": query.pk, "due_on": query.due_on, "followup_url": url})
    if result.code == Code.CLOSED:
        raise Http404(result.message)
    response = _problem(
        result.status, result.message, code=str(result.code),
        errors=[asdict(e) for e in result.errors],
    )  # fmt: skip
    if result.retry_after is not None:
        response["Retry-After"] = str(result.retry_after)
    return response
