"""民主评议 results in the headless API: the published evaluations of a community residents can
reach (cms.visibility), each person's rating and tallies, and the articles the meeting was judged
by. Unpublished results (a village's are optional to publish) are not served."""

import datetime

from django.http import Http404, HttpRequest
from ninja import Router, Schema
from pydantic import Field

from cms.api import PROBLEMS, PageId
from cms.visibility import reachable
from community.api import ProvisionSchema
from community.models import CommunityPage

router = Router(tags=["evaluations"])


class RatingSchema(Schema):
    name: str
    post: str
    kind: str = Field(description="member (委员会成员) | hired (聘用人员, villages)")
    competent: int = Field(description="称职 votes")
    basic: int = Field(description="基本称职 votes")
    incompetent: int = Field(description="不称职 votes")
    rating: str = Field(description="competent | basic | incompetent")
    rating_label: str


class EvaluationSchema(Schema):
    year: int
    meeting_kind_label: str
    meeting_date: datetime.date
    eligible: int
    present: int
    published_on: datetime.date
    legal_basis: list[ProvisionSchema]
    ratings: list[RatingSchema]


@router.get(
    "/{page_id}/",
    response={200: list[EvaluationSchema], **PROBLEMS},
    url_name="community_evaluations",
    summary="Published 民主评议 results of a community, newest first",
    operation_id="evaluations_list",
)
def evaluations(request: HttpRequest, page_id: PageId):
    community = reachable(CommunityPage.objects).filter(pk=page_id).first()
    if community is None:
        raise Http404("没有这个村(社区)，或尚未公布。")
    found = community.evaluations.published().prefetch_related("ratings").order_by("-year")
    return [
        {
            "year": e.year,
            "meeting_kind_label": e.get_meeting_kind_display(),
            "meeting_date": e.meeting_date,
            "eligible": e.eligible,
            "present": e.present,
            "published_on": e.published_on,
            "legal_basis": [p.as_dict() for p in e.legal_basis],
            "ratings": [
                {
                    "name": r.name,
                    "post": r.post,
                    "kind": r.kind,
                    "competent": r.competent,
                    "basic": r.basic,
                    "incompetent": r.incompetent,
                    "rating": r.rating,
                    "rating_label": r.get_rating_display(),
                }
                for r in e.ratings.all()
            ],
        }
        for e in found
    ]
