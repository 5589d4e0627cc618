"""The generator's covenants: versions whose texts evolve as a committee's would, each an adopted
CovenantRevision (with its history) pointing at the Wagtail revision that was voted on."""

import datetime
import random

from django.contrib.contenttypes.models import ContentType
from simple_history.utils import bulk_create_with_history
from wagtail.models import Page, Revision

from bench.district_text import ANCHOR, BATCH, SENTENCES
from community.models import CommunityPage, CovenantPage, CovenantRevision
from community.models.revision import Stage


def covenant_versions(rng: random.Random, articles: int, versions: int) -> list[list[dict]]:
    """The StreamField data of each adopted version, oldest first, ending with `articles` articles
    in chapters of ten. Each version edits about a tenth of the articles; articles missing from
    older versions read as added later. Block ids are stable across versions, as in the editor."""
    text = {i: f"{rng.choice(SENTENCES)}；{rng.choice(SENTENCES)}。" for i in range(articles)}
    result = []
    for v in range(versions):
        last = v == versions - 1
        chapters: dict[int, list[dict]] = {}
        for i in range(articles):
            if not last and (i * 7 + v) % (versions + 3) == 0:
                continue  # not yet in this version
            edits = sum(1 for w in range(v + 1) if (i * 13 + w * 7) % 10 == 0)
            value = text[i] + (f"（第{edits}次修订）" if edits else "")
            chapters.setdefault(i // 10, []).append(
                {"type": "item", "value": f"<p>{value}</p>", "id": f"art-{i}"}
            )
        result.append(
            [
                {
                    "type": "chapter",
                    "id": f"ch-{c}",
                    "value": {"title": f"第{c + 1}部分", "articles": items},
                }
                for c, items in chapters.items()
            ]
        )
    return result


def add_covenant(
    community: CommunityPage, rng: random.Random, articles: int, versions: int, user=None
) -> CovenantPage:
    """A covenant whose `versions` adopted versions are on record (CovenantRevision rows, with
    history), the last one live."""
    covenant = CovenantPage(
        title=f"{community.title}村规民约", slug="covenant", kind="village_covenant", owner=user
    )
    community.add_child(instance=covenant)  # a draft: the publish guard keeps it so
    texts = covenant_versions(rng, articles, versions)
    revisions = []
    for v, body in enumerate(texts):
        covenant.body = body
        created = ANCHOR - datetime.timedelta(days=365 * (versions - v))
        revisions.append(
            Revision(
                content_type_id=covenant.content_type_id,
                base_content_type_id=ContentType.objects.get_for_model(Page).pk,
                object_id=str(covenant.pk),
                content=covenant.serializable_data(),
                object_str=covenant.title,
                user=user,
                created_at=created,
            )
        )
    revisions = Revision.objects.bulk_create(revisions)
    records = []
    for v, revision in enumerate(revisions):
        day = revision.created_at.date()
        records.append(
            CovenantRevision(
                covenant=covenant,
                community=community,
                stage=Stage.PUBLISHED,
                imported=True,
                reason=f"第{v + 1}次修订",
                soliciting_started_on=day - datetime.timedelta(days=60),
                draft_revision=revision,
                reviewed_revision=revision,
                voted_revision=revision,
                submitted_on=day - datetime.timedelta(days=40),
                reviewed_on=day - datetime.timedelta(days=30),
                review_passed=True,
                review_opinion="内容合法，同意提交表决。",
                meeting_kind="village_assembly",
                meeting_date=day - datetime.timedelta(days=10),
                eligible=1000,
                present=600,
                households=400,
                households_represented=0,
                votes_for=550,
                votes_against=30,
                abstentions=20,
                filing_authority="乡镇人民政府",
                filing_number=f"备〔{day.year}〕{v + 1}号",
                filed_on=day - datetime.timedelta(days=5),
                published_on=day,
                version_label=f"{day.year}年第{v + 1}版",
            )
        )
    bulk_create_with_history(
        records, CovenantRevision, batch_size=BATCH, default_user=user, default_change_reason="补录"
    )
    covenant.body = texts[-1]
    CovenantPage.objects.filter(pk=covenant.pk).update(
        body=texts[-1],
        live=True,
        has_unpublished_changes=False,
        live_revision=revisions[-1],
        latest_revision=revisions[-1],
        first_published_at=revisions[0].created_at,
        last_published_at=revisions[-1].created_at,
    )
    covenant.refresh_from_db()
    return covenant
