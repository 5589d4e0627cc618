"""Covenant endpoints of the headless API (Wagtail API v3, django-ninja): adopted versions and the
clause-level diff between two of them; and a community's disclosure calendar. Anonymous callers
see covenants and communities a resident can reach only (cms.visibility: live, public, under no
unpublished or restricted page); the calendar counts public notices only."""

import datetime

from django.db import models
from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Query, Router, Schema
from ninja.errors import ValidationError
from pydantic import Field, create_model

from cms.api import MAX_ID, PROBLEMS, PageId
from cms.visibility import reachable
from community.diff import ArticleChange
from community.disclosure.calendar import calendar_for
from community.disclosure.views import calendar_title
from community.models import CommunityPage, CovenantPage
from community.models.revision import VersionStatus
from community.models.vote import VOTE_FIELDS, VoteRecord

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
