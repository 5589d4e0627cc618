"""Covenant endpoints of the headless API (Wagtail API v3, django-ninja): adopted versions and the
clause-level diff between two of them; a draft's public opinions and answers, and sending one
(community.opinion_intake, as the draft page does); and a community's disclosure calendar. Anonymous callers
see covenants and communities a resident can reach only (cms.visibility: live, public, under no
unpublished or restricted page); the calendar counts public notices only."""

import datetime
from dataclasses import asdict

from django.db import models
from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Query, Router, Schema, Status
from ninja.decorators import decorate_view
from ninja.errors import ValidationError
from pydantic import ConfigDict, Field, create_model

from cms.api import MAX_ID, PROBLEMS, SUBMISSION_PROBLEMS, PageId, answers_only, problem
from cms.ratelimit import client_key
from cms.visibility import reachable
from community.diff import ArticleChange
from community.disclosure.calendar import calendar_for
from community.disclosure.views import calendar_title
from community.models import CommunityPage, CovenantPage
from community.models.opinion import NAME_MAX, OPINION_MAX, Opinion
from community.models.revision import VersionStatus
from community.models.vote import VOTE_FIELDS, VoteRecord
from community.opinion_intake import Received, receive
from community.opinion_pages import draft_view, has_opened

router = Router(tags=["covenants"])


# A version's tally as served: every vote field but the notice date and the women present, which
# the API has never served (adding them changes the API).
SERVED_VOTE_FIELDS = tuple(n for n in VOTE_FIELDS if n not in ("notice_date", "women_present"))


def _served_type(name: str) -> type:
    field = VoteRecord._meta.get_field(name)
    if isinstance(field, models.DateField):
        return datetime.date | None
    return int | None if isinstance(field, models.PositiveIntegerField) else str


class ProvisionSchema(Schema):
    """One article a vote was judged by, from the rule table (community.law) by meeting date."""

    rule: str = Field(description="the rule's key, e.g. village.assembly")
    law: str
    version: str = Field(description="the text of the law, e.g. 2025年修正")
    in_force_from: datetime.date
    article: str
    citation: str
    summary: str


class VersionBase(Schema):
    id: int
    label: str
    meeting_kind_label: str
    authorisation: str
    filing_authority: str
    filing_number: str
    filed_on: datetime.date | None
    published_on: datetime.date | None
    effective_on: datetime.date | None
    in_force: bool = Field(description="in force today (from its effective_on)")
    status: str = Field(
        description="in_force | upcoming (published, not yet in force) | superseded"
    )
    party_discussed_on: datetime.date | None
    party_body: str
    legal_basis: list[ProvisionSchema]


VersionSchema = create_model(
    "VersionSchema",
    __base__=VersionBase,
    **{name: (_served_type(name), ...) for name in SERVED_VOTE_FIELDS},
)


class ArticleRefSchema(Schema):
    id: str
    number: int
    label: str = Field(description="第几条, derived")
    chapter_label: str
    chapter_title: str
    text: str


class SegmentSchema(Schema):
    op: str = Field(description="equal | insert | delete")
    text: str


class LinkSchema(Schema):
    target: str = Field(description="the URL, or a reference (page:3) to a page that is gone")
    text: str = Field(description="the words it covers")


class ChangeSchema(Schema):
    kind: str = Field(description="added | removed | changed | moved | unchanged")
    moved: bool
    renumbered: bool
    formatting_only: bool = Field(
        description="same text and links, different markup; such an article is unchanged (or "
        "moved), never changed"
    )
    old: ArticleRefSchema | None
    new: ArticleRefSchema | None
    segments: list[SegmentSchema]
    links_removed: list[LinkSchema] = Field(description="of a changed article: links it lost")
    links_added: list[LinkSchema] = Field(description="of a changed article: links it gained")


class DiffSchema(Schema):
    from_version: int
    to_version: int
    summary: dict[str, int]
    changes: list[ChangeSchema]


class DiffQuery(Schema):
    from_: int = Field(alias="from", ge=1, le=MAX_ID, description="version id (older)")
    to: int = Field(ge=1, le=MAX_ID, description="version id (newer)")


def _covenant(page_id: PageId) -> CovenantPage:
    covenant = reachable(CovenantPage.objects).filter(pk=page_id).first()
    if covenant is None:
        raise Http404("没有这份公约，或尚未公布。")
    return covenant


def _version(version) -> dict:
    """A version from VersionStanding (its `status` set, `in_effect_from` annotated)."""
    return {
        "id": version.pk,
        "label": version.version_label,
        "meeting_kind_label": version.get_meeting_kind_display(),
        "in_force": version.status == VersionStatus.IN_FORCE,
        "status": version.status.value,
        "legal_basis": [p.as_dict() for p in version.legal_basis],
        **{
            name: getattr(version, name)
            for name in (
                *SERVED_VOTE_FIELDS, "filing_authority", "filing_number",
                "filed_on", "published_on", "effective_on", "party_discussed_on", "party_body",
            )
        },
    }  # fmt: skip


def _ref(article) -> dict | None:
    if article is None:
        return None
    return {
        "id": article.id,
        "number": article.number,
        "label": article.label,
        "chapter_label": article.chapter_label,
        "chapter_title": article.chapter_title,
        "text": article.text,
    }


def _link(link) -> dict:
    return {"target": link.target, "text": link.text}


def _change(change: ArticleChange) -> dict:
    return {
        "kind": change.kind,
        "moved": change.moved,
        "renumbered": change.renumbered,
        "formatting_only": change.formatting_only,
        "old": _ref(change.old),
        "new": _ref(change.new),
        "segments": [{"op": s.op, "text": s.text} for s in change.segments],
        "links_removed": [_link(link) for link in change.links_removed],
        "links_added": [_link(link) for link in change.links_added],
    }


@router.get(
    "/{page_id}/versions/",
    response={200: list[VersionSchema], **PROBLEMS},
    url_name="covenant_versions",
    summary="Adopted versions of a covenant, newest first",
    operation_id="covenants_versions",
)
def versions(request: HttpRequest, page_id: PageId):
    covenant = _covenant(page_id)
    return [_version(v) for v in covenant.standing.versions]


@router.get(
    "/{page_id}/diff/",
    response={200: DiffSchema, **PROBLEMS},
    url_name="covenant_diff",
    summary="Clause-level diff between two adopted versions",
    operation_id="covenants_diff",
)
def diff(request: HttpRequest, page_id: PageId, query: Query[DiffQuery]):
    covenant = _covenant(page_id)
    by_id = {v.pk: v for v in covenant.versions()}
    for name, value in (("from", query.from_), ("to", query.to)):
        if value not in by_id:
            raise ValidationError([{"type": "unknown_version", "loc": ["query", name],
                                    "msg": f"版本 {value} 不是这份公约已公布的版本。"}])  # fmt: skip
    old, new = by_id[query.from_], by_id[query.to]
    result = covenant.diff_between(old, new)
    return {
        "from_version": old.pk,
        "to_version": new.pk,
        "summary": result.summary,
        "changes": [_change(c) for c in result.changes],
    }


# A draft open for comment (docs/covenants.md, 草案征求意见): its public opinions and answers, and
# sending one. Never a name, a mobile number, the original of a redacted opinion, an opinion
# awaiting moderation or not published, nor anything before the window opens.


class OpinionAnswerSchema(Schema):
    answer: str = Field(description="adopted | partly | not_adopted | explained")
    label: str = Field(description="采纳 | 部分采纳 | 不采纳 | 已说明")
    reason: str
    adopted_in: str = Field(description="of adopted/partly: the block id of the draft's article")
    adopted_in_label: str = Field(description="that article's number in the draft (第几条)")


class PublicOpinionSchema(Schema):
    id: int
    article_id: str = Field(description="the article's block id; empty for the whole draft")
    article_label: str = Field(description="its number in the draft; else the recorded one")
    in_draft: bool = Field(description="whether the article is still in the draft")
    text: str = Field(description="as published (personal data removed by the committee)")
    source: str = Field(description="online | paper | meeting | visit | box")
    source_label: str
    received_on: datetime.date
    answer: OpinionAnswerSchema | None


class RejectedCountSchema(Schema):
    reason: str
    count: int


class OpinionsSchema(Schema):
    covenant: int
    revision: int
    opens_on: datetime.date
    closes_on: datetime.date
    is_open: bool
    allow_anonymous: bool
    count: int
    items: list[PublicOpinionSchema]
    not_published: list[RejectedCountSchema] = Field(
        description="opinions not published, by reason"
    )


class OpinionIn(Schema):
    model_config = ConfigDict(extra="forbid")

    article_id: str = Field("", description="the article's block id (from numbered_text or the "
                            "draft page); empty for an opinion on the whole draft")  # fmt: skip
    text: str = Field(description=f"the opinion, at most {OPINION_MAX} characters")
    name: str = Field("", description=f"at most {NAME_MAX} characters; never published")
    mobile: str = Field("", description="11-digit mobile; never published")
    consent: bool = Field(False, description="required (true) when a name or mobile is given")
    website: str = Field("", description="honeypot: leave empty")


class OpinionCreated(Schema):
    id: int
    status: str = Field(description="pending (published after moderation) | approved (public)")
    message: str


def _commented(page_id: int):
    covenant = _covenant(page_id)
    window = covenant.comment_window(with_draft=True)
    if window is None:
        raise Http404("这份公约没有征求意见的草案。")
    return covenant, window


def _opinion(opinion, label_of: dict) -> dict:
    answer = None
    if opinion.answer:
        answer = {
            "answer": opinion.answer,
            "label": opinion.get_answer_display(),
            "reason": opinion.answer_reason,
            "adopted_in": opinion.adopted_in,
            "adopted_in_label": label_of.get(opinion.adopted_in, ""),
        }
    return {
        "id": opinion.pk,
        "article_id": opinion.article_id,
        "article_label": label_of.get(opinion.article_id, opinion.article_label),
        "in_draft": not opinion.article_id or opinion.article_id in label_of,
        "text": opinion.shown_text,
        "source": opinion.source,
        "source_label": opinion.get_source_display(),
        "received_on": opinion.received_on,
        "answer": answer,
    }


@router.get(
    "/{page_id}/opinions/",
    response={200: OpinionsSchema, **PROBLEMS},
    url_name="covenant_opinions",
    summary="A draft's published opinions and answers (草案意见及答复), without who sent them",
    operation_id="covenants_opinions",
)
def opinions(request: HttpRequest, page_id: PageId):
    covenant, window = _commented(page_id)
    items, rejected = [], []
    if has_opened(window):
        view = draft_view(covenant, window)
        label_of = {a.article.id: a.article.label for a in view.articles}
        items = [_opinion(o, label_of) for o in view.opinions]
        rejected = view.rejected
    by_label = dict(Opinion.RejectReason.choices)
    value_of = {label: value for value, label in by_label.items()}
    return {
        "covenant": covenant.pk,
        "revision": window.revision_id,
        "opens_on": window.opens_on,
        "closes_on": window.closes_on,
        "is_open": window.is_open(),
        "allow_anonymous": window.allow_anonymous,
        "count": len(items),
        "items": items,
        "not_published": [{"reason": value_of[label], "count": n} for label, n in rejected],
    }


@router.post(
    "/{page_id}/opinions/",
    response={201: OpinionCreated, **SUBMISSION_PROBLEMS},
    url_name="covenant_opinion_create",
    summary="Send an opinion on a draft article (对草案提意见)",
    description="JSON only (415 otherwise). 409 `closed` outside the comment window; 422 per "
    "field (`unknown_article`, `consent`, `invalid_mobile`…); 429 with Retry-After. The opinion "
    "is published without the name or mobile, after moderation unless the window publishes at "
    "once.",
    operation_id="covenants_opinion_create",
)
@decorate_view(answers_only)
def send_opinion(request: HttpRequest, page_id: PageId, payload: OpinionIn):
    _covenant_page, window = _commented(page_id)
    data = {
        "article": payload.article_id,
        "text": payload.text,
        "name": payload.name,
        "mobile": payload.mobile,
        "consent": payload.consent,
        "website": payload.website,
    }
    result = receive(window, data, client_key(request))
    if isinstance(result, Received):
        opinion = result.opinion
        return Status(201, {"id": opinion.pk, "status": opinion.status, "message": result.message})
    errors = [
        {**asdict(e), "field": "article_id" if e.field == "article" else e.field}
        for e in result.errors
    ]
    response = problem(result.status, result.message, code=str(result.code), errors=errors)
    if result.retry_after is not None:
        response["Retry-After"] = str(result.retry_after)
    return response


# The disclosure calendar (docs/disclosure.md): what a community must disclose, and whether it did.
communities_router = Router(tags=["disclosure"])


class DisclosureItemSchema(Schema):
    key: str = Field(description="stable key, e.g. village-accounts")
    name: str
    basis: str = Field(description="the article or local document that requires it")
    schedule: str = Field(description="quarterly | accounts | at_once | promptly | yearly")


class PeriodSchema(Schema):
    code: str = Field(description="2026Q4 | 2026-11 | 2026")
    label: str = Field(description="2026年第四季度 | 2026年11月 | 2026年")
    kind: str = Field(description="quarter | month | year")


class DisclosedNoticeSchema(Schema):
    id: int | None = Field(description="the notice's page id; null for a disclosure not a notice")
    title: str
    url: str


class CalendarEntrySchema(Schema):
    item: DisclosureItemSchema
    label: str = Field(description="the period's label, or the event's")
    period: PeriodSchema | None
    due_on: datetime.date | None
    status: str = Field(description="on_time | late | not_due | overdue")
    status_label: str = Field(description="已公开 | 逾期后公开 | 未到期 | 逾期未公开")
    days_late: int = Field(description="days past due_on: until disclosed_on, or until today")
    disclosed_on: datetime.date | None
    notice: DisclosedNoticeSchema | None = Field(description="what disclosed it, where known")
    event: str | None = Field(description="the event's key (e.g. decision:12:resolution)")


class CalendarSchema(Schema):
    community_id: int
    community: str
    kind: str = Field(description="village | urban")
    title: str = Field(description="村务公开日历 | 居务公开日历")
    today: datetime.date
    tracked_from: datetime.date | None
    counts: dict[str, int] = Field(description="entries per status")
    entries: list[CalendarEntrySchema]


def _served_disclosure(entry, request) -> dict | None:
    found = entry.disclosed
    if found is not None:
        page = found.page
        if page is not None:
            return {"id": page.pk, "title": found.title, "url": page.get_url(request)}
        return {"id": found.page_id, "title": found.title, "url": found.href}
    event = entry.event
    if event is not None and event.fulfilled_on:
        return {"id": None, "title": event.title or entry.label, "url": event.url}
    return None


def _entry(entry, request) -> dict:
    period = entry.period
    return {
        "item": {
            "key": entry.item.key,
            "name": entry.item.name,
            "basis": entry.item.basis,
            "schedule": entry.item.schedule,
        },
        "label": entry.label,
        "period": None
        if period is None
        else {"code": period.code, "label": period.label, "kind": period.kind},
        "due_on": entry.due_on,
        "status": entry.status,
        "status_label": entry.status_label,
        "days_late": entry.days_late,
        "disclosed_on": entry.disclosed_on,
        "notice": _served_disclosure(entry, request),
        "event": entry.event.key if entry.event else None,
    }


@communities_router.get(
    "/{page_id}/disclosure/",
    response={200: CalendarSchema, **PROBLEMS},
    url_name="community_disclosure",
    summary="A community's disclosure calendar: each required item per period and its status",
    operation_id="communities_disclosure",
)
def disclosure(request: HttpRequest, page_id: PageId):
    community = reachable(CommunityPage.objects).filter(pk=page_id).first()
    if community is None:
        raise Http404("没有这个村（社区），或尚未公布。")
    calendar = calendar_for(community)
    return {
        "community_id": community.pk,
        "community": community.title,
        "kind": community.kind,
        "title": calendar_title(community),
        "today": timezone.localdate(),
        "tracked_from": calendar.tracked_from,
        "counts": calendar.counts(),
        "entries": [_entry(e, request) for e in calendar.entries],
    }
