"""Consultation endpoint of the headless API: an agenda's published record, decisions and updates.
Never a speaker's name, never an unpublished record."""

import datetime

from django.http import Http404, HttpRequest
from ninja import Router, Schema

from cms.api import PROBLEMS, PageId
from cms.visibility import reachable
from community.api import ProvisionSchema
from consultation.models import ConsultationPage, Decision

router = Router(tags=["consultations"])


class PartySchema(Schema):
    category: str
    count: int


class OpinionSchema(Schema):
    speaker_category: str
    stance: str
    stance_label: str
    summary: str


class RecordSchema(Schema):
    held_at: datetime.datetime
    attendance: list[PartySchema]
    opinions: list[OpinionSchema]
    outcome: str
    vote: str | None
    legal_basis: list[ProvisionSchema]
    corrected_at: datetime.datetime | None
    correction_reason: str


class ImageSchema(Schema):
    id: int
    title: str
    alt: str
    url: str
    width: int
    height: int


class DocumentSchema(Schema):
    id: int
    title: str
    url: str
    file_extension: str


class UpdateSchema(Schema):
    date: datetime.date
    status: str
    status_label: str
    text: str
    photos: list[ImageSchema]
    documents: list[DocumentSchema]


class DecisionSchema(Schema):
    id: int
    title: str
    summary: str
    resolution_published_on: datetime.date | None
    resolution_outcome: str
    tally: str
    matter_label: str
    meeting_kind_label: str
    short_notice_reason: str
    authorisation: str
    legal_basis: list[ProvisionSchema]
    result_published_on: datetime.date | None
    result_published_outcome: str


class ConsultationRecordSchema(Schema):
    id: int
    title: str
    status: str
    status_label: str
    starts_at: datetime.datetime | None
    records: list[RecordSchema]
    updates: list[UpdateSchema]
    decisions: list[DecisionSchema]


@router.get(
    "/{page_id}/record/",
    response={200: ConsultationRecordSchema, **PROBLEMS},
    url_name="consultation_record",
    summary="An agenda's published deliberation, decisions and implementation updates",
    operation_id="consultations_record",
)
def record(request: HttpRequest, page_id: PageId):
    agenda = reachable(ConsultationPage.objects.with_status()).filter(pk=page_id).first()
    if agenda is None:
        raise Http404("没有这个协商议题，或尚未公告。")
    outcomes = agenda.outcomes_for({"request": request})
    decisions = Decision.objects.published().filter(consultation=agenda)
    return {
        "id": agenda.pk,
        "title": agenda.title,
        "status": agenda.status,
        "status_label": agenda.status_label,
        "starts_at": agenda.starts_at,
        "records": outcomes["records"],
        "updates": outcomes["updates"],
        "decisions": [d.public_entry() for d in decisions],
    }  # fmt: skip
