"""Entering a covenant adopted before the system: the whole procedure, with its historical dates,
through the same transitions (and so the same rules) as a revision made here."""

import datetime
from dataclasses import dataclass

from django.db import transaction

from community import transitions as t
from community.models import CovenantPage, CovenantRevision
from community.steps import refuse


@dataclass
class HistoricalAdoption:
    text: list  # raw StreamField data of the adopted text
    reason: str
    started_on: datetime.date
    opinions_received: int
    opinions_summary: str
    submitted_on: datetime.date
    review_opinion: str
    reviewed_on: datetime.date
    vote: dict  # the keyword arguments of record_vote
    filing_authority: str
    filing_number: str
    filed_on: datetime.date
    version_label: str
    published_on: datetime.date
    effective_on: datetime.date | None = None
    preamble: str = ""


def save_draft(covenant: CovenantPage, user, text: list, preamble: str | None = None) -> None:
    """Save raw StreamField data as the covenant's draft. Wagtail drops a block of a type the
    body does not have without a word (the text would be saved short, or empty), so such a block
    is refused instead."""
    known = CovenantPage._meta.get_field("body").stream_block.child_blocks
    unknown = sorted({block.get("type", "") for block in text} - set(known))
    if unknown:
        refuse(
            "unknown_block",
            f"正文中有无法识别的块类型：{'、'.join(map(str, unknown))}"
            f"（正文只能由{'、'.join(known)}组成）。",
        )
    draft = covenant.get_latest_revision_as_object()
    draft.body = text
    if preamble is not None:
        draft.preamble = preamble
    draft.save_revision(user=user)


@transaction.atomic
def import_adoption(
    covenant: CovenantPage, committee, reviewer, adoption: HistoricalAdoption
) -> CovenantRevision:
    """Run every step, in order, as `committee` and `reviewer` (or a site administrator for both).
    All or nothing: a refused step leaves no trace of the import."""
    save_draft(covenant, committee, adoption.text, adoption.preamble or None)
    revision = t.start_revision(
        covenant, committee, reason=adoption.reason, started_on=adoption.started_on, imported=True
    )
    t.record_opinions(
        revision, committee, received=adoption.opinions_received, summary=adoption.opinions_summary
    )
    t.begin_drafting(revision, committee, reason="历史补录")
    t.submit_for_review(revision, committee, submitted_on=adoption.submitted_on)
    t.review(
        revision,
        reviewer,
        passed=True,
        opinion=adoption.review_opinion,
        reviewed_on=adoption.reviewed_on,
    )
    t.record_vote(revision, committee, reason="历史补录：表决结果", **adoption.vote)
    t.record_filing(
        revision,
        reviewer,
        authority=adoption.filing_authority,
        number=adoption.filing_number,
        filed_on=adoption.filed_on,
    )
    return t.publish_adopted_revision(
        revision,
        committee,
        version_label=adoption.version_label,
        published_on=adoption.published_on,
        effective_on=adoption.effective_on,
    )
